import type { ProfileDownloadTriggerRequest, ProfileInstallationResult } from '@esim/asn1';
import {
  decode,
  GetEimPackageResponse,
  type AuthenticateClientRequestEsipa,
  type AuthenticateClientResponseEsipa,
  type CancelSessionRequestEsipa,
  type CancelSessionResponseEsipa,
  type GetBoundProfilePackageRequestEsipa,
  type GetBoundProfilePackageResponseEsipa,
  type InitiateAuthenticationRequestEsipa,
  type InitiateAuthenticationResponseEsipa,
} from '@esim/asn1';
import { eidOfCertificate } from '../crypto/euicc-chain.js';
import type { Eim } from '../eim.js';
import { EimRejection } from '../errors.js';
import { toHex } from '../identifiers.js';
import type { Es9PlusClient } from './es9plus-client.js';
import { Es9PlusCallError } from './es9plus-http-client.js';

/** undefinedError(127) of each ESipa download response. */
const UNDEFINED_ERROR = 127;

/** The SM-DP+'s answer, or `failed` when it could not be reached or read (the session is over then). */
async function orWhenUnreachable<T>(call: Promise<T>, failed: T): Promise<T> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof Es9PlusCallError) return failed;
    throw e;
  }
}

/** The SM-DP+ address of an activation code `1$ADDRESS$MATCHING-ID...` (SGP.22 4.1). */
function addressOfActivationCode(code: string): string | undefined {
  const parts = code.split('$');
  return parts[0] === '1' && parts[1] ? parts[1] : undefined;
}

/**
 * Indirect profile download: the IPA's ES9+ calls relayed to the SM-DP+ (SGP.32 3.2.3). The
 * relay keeps each RSP session (the SM-DP+'s transactionId -> EID, SM-DP+, state) in the store,
 * so every step is checked against the session it belongs to, on whichever instance it lands.
 */
export class Es9PlusRelay {
  constructor(
    private readonly eim: Eim,
    private readonly client: Es9PlusClient,
    private readonly defaultSmdpAddress?: string,
  ) {}

  /** The SM-DP+ of the download trigger the IPA answers (its eimTransactionId), if any. */
  private async triggerOf(eimTransactionId: Uint8Array | undefined) {
    if (!eimTransactionId) return undefined;
    const pkg = await this.eim.store.findByTransaction(toHex(eimTransactionId));
    if (!pkg || pkg.kind !== 'profileDownloadTrigger') return undefined;
    const trigger = decode(GetEimPackageResponse, pkg.body).profileDownloadTriggerRequest as
      ProfileDownloadTriggerRequest | undefined;
    const code = trigger?.profileDownloadData?.activationCode;
    return { pkg, smdpAddress: code ? addressOfActivationCode(code) : undefined };
  }

  async initiateAuthentication(
    req: InitiateAuthenticationRequestEsipa,
  ): Promise<InitiateAuthenticationResponseEsipa> {
    const trigger = await this.triggerOf(req.eimTransactionId);
    if (req.eimTransactionId && !trigger) return { initiateAuthenticationErrorEsipa: 52 }; // invalidEimTransactionId
    const smdpAddress = req.smdpAddress ?? trigger?.smdpAddress ?? this.defaultSmdpAddress;
    if (!smdpAddress) return { initiateAuthenticationErrorEsipa: 1 }; // invalidDpAddress
    if (req.smdpAddress && trigger?.smdpAddress && req.smdpAddress !== trigger.smdpAddress)
      return { initiateAuthenticationErrorEsipa: 50 }; // smdpAddressMismatch
    const res = await orWhenUnreachable(
      this.client.initiateAuthentication(smdpAddress, { ...req, smdpAddress }),
      { initiateAuthenticationErrorEsipa: UNDEFINED_ERROR },
    );
    const ok = res.initiateAuthenticationOkEsipa;
    const transactionId = ok?.transactionId ?? ok?.serverSigned1.transactionId;
    if (transactionId) {
      await this.eim.store.createRelaySession({
        transactionId: toHex(transactionId),
        eid: trigger?.pkg.eid ?? null,
        smdpAddress,
        eimTransactionId: trigger?.pkg.eimTransactionId ?? null,
        state: 'initiated',
      });
    }
    return res;
  }

  async authenticateClient(req: AuthenticateClientRequestEsipa): Promise<AuthenticateClientResponseEsipa> {
    const id = toHex(req.transactionId);
    const session = await this.eim.store.getRelaySession(id);
    if (!session || session.state !== 'initiated') return { authenticateClientErrorEsipa: 10 }; // invalidTransactionId
    const ok = req.authenticateServerResponse.authenticateResponseOk;
    if (ok) {
      // The eUICC's certificates travel here too: checked against the CI, they let the eIM verify its later signatures.
      const eid = eidOfCertificate(ok.euiccCertificate);
      if (!eid || (session.eid !== null && session.eid !== eid)) return { authenticateClientErrorEsipa: 7 }; // eidMismatch
      try {
        await this.eim.verifier.verifyChain(eid, ok.euiccCertificate, ok.eumCertificate);
      } catch (e) {
        if (e instanceof EimRejection) return { authenticateClientErrorEsipa: 3 }; // euiccCertificateInvalid
        throw e;
      }
      await this.eim.store.saveCertificates(eid, {
        euiccCertificate: ok.euiccCertificate,
        eumCertificate: ok.eumCertificate,
      });
    }
    if (!(await this.eim.store.moveRelaySession(id, ['initiated'], 'authenticated')))
      return { authenticateClientErrorEsipa: 10 };
    const res = await orWhenUnreachable(this.client.authenticateClient(session.smdpAddress, req), {
      authenticateClientErrorEsipa: UNDEFINED_ERROR,
    });
    if (res.authenticateClientErrorEsipa !== undefined) await this.eim.store.deleteRelaySession(id);
    return res;
  }

  async getBoundProfilePackage(
    req: GetBoundProfilePackageRequestEsipa,
  ): Promise<GetBoundProfilePackageResponseEsipa> {
    const id = toHex(req.transactionId);
    const session = await this.eim.store.getRelaySession(id);
    if (!session || !(await this.eim.store.moveRelaySession(id, ['authenticated'], 'downloading')))
      return { getBoundProfilePackageErrorEsipa: 95 }; // invalidTransactionId
    const res = await orWhenUnreachable(this.client.getBoundProfilePackage(session.smdpAddress, req), {
      getBoundProfilePackageErrorEsipa: UNDEFINED_ERROR,
    });
    if (res.getBoundProfilePackageErrorEsipa !== undefined) await this.eim.store.deleteRelaySession(id);
    else await this.eim.store.moveRelaySession(id, ['downloading'], 'done');
    return res;
  }

  /**
   * A verified ProfileInstallationResult of a relayed session goes on to its SM-DP+
   * (ES9+'.HandleNotification), best effort: the eIM has the result whether or not the SM-DP+
   * can be reached.
   */
  async forwardInstallationResult(result: ProfileInstallationResult): Promise<void> {
    const session = await this.eim.store.getRelaySession(
      toHex(result.profileInstallationResultData.transactionId),
    );
    if (!session) return;
    await orWhenUnreachable(this.client.handleNotification(session.smdpAddress, result), undefined);
  }

  async cancelSession(req: CancelSessionRequestEsipa): Promise<CancelSessionResponseEsipa> {
    const id = toHex(req.transactionId);
    const session = await this.eim.store.getRelaySession(id);
    if (!session) return { cancelSessionError: 1 }; // invalidTransactionId
    const res = await orWhenUnreachable(this.client.cancelSession(session.smdpAddress, req), {
      cancelSessionError: UNDEFINED_ERROR,
    });
    await this.eim.store.deleteRelaySession(id);
    return res;
  }
}
