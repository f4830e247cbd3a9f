/** Signature corruption for the `forgeSignatures` fault: the last byte of the signature flipped. */
import type { PendingNotification, ProvideEimPackageResult } from '@esim/asn1';

const flipped = (signature: Uint8Array) => {
  const copy = new Uint8Array(signature);
  copy[copy.length - 1] = copy[copy.length - 1]! ^ 0x01;
  return copy;
};

/** The result with its eUICC signature corrupted, or undefined when it carries none. */
export function forgedResult(result: ProvideEimPackageResult): ProvideEimPackageResult | undefined {
  const bundle = result.eimPackageResult.ePRAndNotifications;
  if (bundle) {
    const forged = forgedResult({ eimPackageResult: { euiccPackageResult: bundle.euiccPackageResult } });
    return (
      forged && {
        ...result,
        eimPackageResult: {
          ePRAndNotifications: { ...bundle, euiccPackageResult: forged.eimPackageResult.euiccPackageResult! },
        },
      }
    );
  }
  const epr = result.eimPackageResult.euiccPackageResult;
  const ok = epr?.euiccPackageResultSigned;
  const error = epr?.euiccPackageErrorSigned;
  if (ok) {
    return {
      ...result,
      eimPackageResult: {
        euiccPackageResult: { euiccPackageResultSigned: { ...ok, euiccSignEPR: flipped(ok.euiccSignEPR) } },
      },
    };
  }
  if (error) {
    return {
      ...result,
      eimPackageResult: {
        euiccPackageResult: {
          euiccPackageErrorSigned: { ...error, euiccSignEPE: flipped(error.euiccSignEPE) },
        },
      },
    };
  }
  return undefined;
}

export function forgedNotification(notification: PendingNotification): PendingNotification | undefined {
  const other = notification.otherSignedNotification;
  if (!other) return undefined;
  return {
    otherSignedNotification: {
      ...other,
      euiccNotificationSignature: flipped(other.euiccNotificationSignature),
    },
  };
}
