import { createPrivateKey, type KeyObject } from 'node:crypto';
import { parseCertificate } from '@esim/asn1';

/** What one simulated eUICC holds of the PKI: its key, its certificate and the chain above it. */
export interface EuiccCredentials {
  /** 32 decimal digits, the serialNumber of the eUICC certificate's subject. */
  eid: string;
  privateKey: KeyObject;
  euiccCertificate: Uint8Array;
  eumCertificate: Uint8Array;
  ciCertificate: Uint8Array;
  /** SubjectKeyIdentifier of the CI: the euiccCiPKId the card reports and accepts. */
  ciPkId: Uint8Array;
}

const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

export function subjectKeyIdentifier(certificateDer: Uint8Array): Uint8Array {
  const ext = parseCertificate(certificateDer).tbsCertificate.extensions?.find(
    (e) => e.extnID === SUBJECT_KEY_IDENTIFIER,
  );
  if (!ext) throw new Error('certificate has no SubjectKeyIdentifier');
  // extnValue holds the DER of `KeyIdentifier ::= OCTET STRING`: 04 <len> <id>, id shorter than 128.
  return new Uint8Array(ext.extnValue.buffer).slice(2);
}

/**
 * A private key from PEM: PKCS#8, or SEC1 `EC PRIVATE KEY` as GSMA ships it (preceded by an
 * `EC PARAMETERS` block, which the key block already names).
 */
export function privateKeyFromPem(pem: string): KeyObject {
  const sec1 = /-----BEGIN EC PRIVATE KEY-----[\s\S]+?-----END EC PRIVATE KEY-----/.exec(pem);
  return createPrivateKey(sec1 ? sec1[0] : pem);
}
