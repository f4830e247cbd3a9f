import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { privateKeyFromPem, subjectKeyIdentifier, type EuiccCredentials } from './credentials.js';

/** `#EID1` of SGP.23, the serialNumber of the SGP.26 test eUICC certificate. */
export const SGP26_EID = '89049032123451234512345678901235';

/** The shared SGP.26 test PKI, read in place (`../shared/vectors/sgp26` next to the repository). */
export function sgp26Dir(): string {
  return (
    process.env.ESIM_SGP26_DIR ??
    fileURLToPath(new URL('../../../../../../shared/vectors/sgp26', import.meta.url))
  );
}

/** The NIST P-256 variant: Test CI -> EUM Test -> Test eUICC, with the eUICC's published key. */
export function loadSgp26Credentials(dir: string = sgp26Dir()): EuiccCredentials {
  const read = (path: string) => new Uint8Array(readFileSync(join(dir, path)));
  const ciCertificate = read('CertificateIssuer/CERT_CI_ECDSA_NIST.der');
  return {
    eid: SGP26_EID,
    privateKey: privateKeyFromPem(readFileSync(join(dir, 'eUICC/SK_EUICC_ECDSA_NIST.pem'), 'utf8')),
    euiccCertificate: read('eUICC/CERT_EUICC_ECDSA_NIST.der'),
    eumCertificate: read('EUM/CERT_EUM_ECDSA_NIST.der'),
    ciCertificate,
    ciPkId: subjectKeyIdentifier(ciCertificate),
  };
}
