/**
 * ECDSA P-256 with SHA-256, signatures as r || s (BSI TR-03111 plain format), which is what
 * eimSignature, euiccSignEPR/EPE and euiccNotificationSignature carry (docs/INTERPRETATION.md).
 */
import { createPublicKey, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';

export function signPlain(key: KeyObject, data: Uint8Array): Uint8Array {
  return new Uint8Array(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }));
}

export function verifyPlain(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

export function publicKeyFromSpki(spki: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
}

export function publicKeyFromCertificate(certificate: Uint8Array): KeyObject {
  return new X509Certificate(certificate).publicKey;
}
