import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { privateKeyFromPem, subjectKeyIdentifier } from './credentials.js';
import { sgp26Dir } from './sgp26.js';

/**
 * What an SM-DP+ holds of the PKI (SGP.22 4.5.2): CERT.DPauth + SK.DPauth for mutual
 * authentication, CERT.DPpb + SK.DPpb for profile binding, and the CI both chain to, which is also
 * the root it checks eUICC chains against.
 */
export interface SmdpCredentials {
  authKey: KeyObject;
  authCertificate: Uint8Array;
  pbKey: KeyObject;
  pbCertificate: Uint8Array;
  ciCertificate: Uint8Array;
  /** SubjectKeyIdentifier of the CI: the euiccCiPKIdToBeUsed this SM-DP+ can offer. */
  ciPkId: Uint8Array;
}

/** The SGP.26 NIST P-256 SM-DP+ (`DPauth/`, `DPpb/`) under the SGP.26 Test CI. */
export function loadSgp26SmdpCredentials(dir: string = sgp26Dir()): SmdpCredentials {
  const read = (path: string) => new Uint8Array(readFileSync(join(dir, path)));
  const key = (path: string) => privateKeyFromPem(readFileSync(join(dir, path), 'utf8'));
  const ciCertificate = read('CertificateIssuer/CERT_CI_ECDSA_NIST.der');
  return {
    authKey: key('DPauth/SK_S_SM_DPauth_ECDSA_NIST.pem'),
    authCertificate: read('DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der'),
    pbKey: key('DPpb/SK_S_SM_DPpb_ECDSA_NIST.pem'),
    pbCertificate: read('DPpb/CERT_S_SM_DPpb_ECDSA_NIST.der'),
    ciCertificate,
    ciPkId: subjectKeyIdentifier(ciCertificate),
  };
}
