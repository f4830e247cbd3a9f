/**
 * The eIM side of the unit tests, written here against the ASN.1 module and
 * docs/INTERPRETATION.md (not imported from packages/eim: the simulator must meet it on the wire).
 */
import { generateKeyPairSync, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import {
  decode,
  derOf,
  encode,
  EuiccPackageRequest,
  EuiccPackageResult,
  EuiccPackageSigned,
  NotificationMetadata,
  schema,
  type EimConfigurationData,
  type OtherSignedNotification,
} from '@esim/asn1';

export interface TestEim {
  eimId: string;
  privateKey: KeyObject;
  spki: Uint8Array;
}

export function testEim(eimId = 'eim.test.example'): TestEim {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { eimId, privateKey, spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
}

export function configurationOf(
  eim: TestEim,
  extra: Partial<EimConfigurationData> = {},
): EimConfigurationData {
  return {
    eimId: eim.eimId,
    eimFqdn: eim.eimId,
    eimIdType: 2,
    counterValue: 0,
    eimPublicKeyData: { eimPublicKey: eim.spki },
    eimSupportedProtocol: ['eimRetrieveHttps'],
    ...extra,
  };
}

/** Signs, then round-trips through DER: the card sees what came over the wire. */
export function signPackage(
  eim: TestEim,
  signed: Omit<EuiccPackageSigned, 'eimId'> & { eimId?: string },
): EuiccPackageRequest {
  const value = { eimId: eim.eimId, ...signed } as EuiccPackageSigned;
  const tbs = encode(EuiccPackageSigned, value);
  const eimSignature = new Uint8Array(
    sign('sha256', tbs, { key: eim.privateKey, dsaEncoding: 'ieee-p1363' }),
  );
  return decode(
    EuiccPackageRequest,
    encode(EuiccPackageRequest, { euiccPackageSigned: value, eimSignature }),
  );
}

const TOKEN = schema.tag(4, schema.integer());

/** Checks euiccSignEPR / euiccSignEPE with the eUICC certificate, as docs/INTERPRETATION.md pins it. */
export function resultSignatureValid(
  result: EuiccPackageResult,
  euiccCertificate: Uint8Array,
  token?: number,
): boolean {
  const wire = decode(EuiccPackageResult, encode(EuiccPackageResult, result));
  const ok = wire.euiccPackageResultSigned;
  const error = wire.euiccPackageErrorSigned;
  const [data, signature] = ok
    ? [derOf(ok.euiccPackageResultDataSigned)!, ok.euiccSignEPR]
    : [derOf(error!.euiccPackageErrorDataSigned)!, error!.euiccSignEPE];
  const tbs = token === undefined ? data : Buffer.concat([data, encode(TOKEN, token)]);
  const key = new X509Certificate(euiccCertificate).publicKey;
  return verify('sha256', tbs, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

/** Checks euiccNotificationSignature (over the DER of tbsOtherNotification) with the certificate it carries. */
export function notificationSignatureValid(n: OtherSignedNotification): boolean {
  const key = new X509Certificate(n.euiccCertificate).publicKey;
  const tbs = encode(NotificationMetadata, n.tbsOtherNotification);
  return verify('sha256', tbs, { key, dsaEncoding: 'ieee-p1363' }, n.euiccNotificationSignature);
}
