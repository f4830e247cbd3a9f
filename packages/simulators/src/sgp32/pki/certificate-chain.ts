/**
 * The certificate checks both simulated sides make (SGP.22 4.5.2.x): a certificate issued and
 * signed by the given issuer, within its validity period, and the eUICC -> EUM -> CI chain with the
 * eSIM reading of the EUM's
 * nameConstraints (the eUICC's O equals the permitted O, its EID starts with the permitted
 * serialNumber), which a generic RFC 5280 validator gets wrong (../shared/vectors/sgp26/README.md).
 */
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { id_ce_nameConstraints, NameConstraints, type Name } from '@peculiar/asn1-x509';
import { parseCertificate } from '@esim/asn1';

const SERIAL_NUMBER = '2.5.4.5';
const ORGANIZATION = '2.5.4.10';

/** True when `issuer` issued `certificate` and its key verifies the signature; false for unreadable input. */
export function issuedBy(certificate: Uint8Array, issuer: Uint8Array): boolean {
  try {
    const c = new X509Certificate(certificate);
    const i = new X509Certificate(issuer);
    return c.checkIssued(i) && c.verify(i.publicKey);
  } catch {
    return false;
  }
}

/** True when `at` lies within the certificate's notBefore..notAfter; false for unreadable input. */
export function validAt(certificate: Uint8Array, at: Date): boolean {
  try {
    const { notBefore, notAfter } = parseCertificate(certificate).tbsCertificate.validity;
    // Time.getTime() is the UTCTime or GeneralizedTime as a Date.
    const now = at.getTime();
    return notBefore.getTime().getTime() <= now && now <= notAfter.getTime().getTime();
  } catch {
    return false;
  }
}

function attribute(name: Name, type: string): string | undefined {
  for (const rdn of name) for (const atv of rdn) if (atv.type === type) return atv.value.toString();
  return undefined;
}

/** The EID of an eUICC certificate: its subject's serialNumber, if 32 digits. */
export function eidOfCertificate(certificate: Uint8Array): string | undefined {
  try {
    const eid = attribute(parseCertificate(certificate).tbsCertificate.subject, SERIAL_NUMBER);
    return eid && /^\d{32}$/.test(eid) ? eid : undefined;
  } catch {
    return undefined;
  }
}

export type EuiccChainCheck =
  | { eid: string }
  | {
      error:
        | 'ciUnknown'
        | 'eumCertificateInvalid'
        | 'eumCertificateExpired'
        | 'euiccCertificateInvalid'
        | 'euiccCertificateExpired';
    };

/** Within the EUM's permitted directoryName subtrees, read as an O + EID prefix (no constraint: any). */
function withinEumRange(euicc: Uint8Array, eum: Uint8Array, eid: string): boolean {
  const ext = parseCertificate(eum).tbsCertificate.extensions?.find(
    (e) => e.extnID === id_ce_nameConstraints,
  );
  if (!ext) return true;
  const constraints = AsnConvert.parse(ext.extnValue.buffer, NameConstraints);
  const subject = parseCertificate(euicc).tbsCertificate.subject;
  return (constraints.permittedSubtrees ?? []).some(({ base }) => {
    if (!base.directoryName) return false;
    const o = attribute(base.directoryName, ORGANIZATION);
    const prefix = attribute(base.directoryName, SERIAL_NUMBER) ?? '';
    return (o === undefined || o === attribute(subject, ORGANIZATION)) && eid.startsWith(prefix);
  });
}

/**
 * eUICC <- EUM <- one of `cis`, with the EID range of the EUM, each certificate valid at `at`.
 * A certificate is first checked for what it is (issuer, signature, EID range), then for when: an
 * expired forgery is reported as invalid.
 */
export function checkEuiccChain(
  euicc: Uint8Array,
  eum: Uint8Array,
  cis: Uint8Array[],
  at: Date,
): EuiccChainCheck {
  const known = cis.some((ci) => {
    try {
      return new X509Certificate(eum).checkIssued(new X509Certificate(ci));
    } catch {
      return false;
    }
  });
  if (!known) return { error: 'ciUnknown' };
  if (!cis.some((ci) => issuedBy(eum, ci))) return { error: 'eumCertificateInvalid' };
  if (!validAt(eum, at)) return { error: 'eumCertificateExpired' };
  const eid = eidOfCertificate(euicc);
  if (!eid || !issuedBy(euicc, eum)) return { error: 'euiccCertificateInvalid' };
  try {
    if (!withinEumRange(euicc, eum, eid)) return { error: 'euiccCertificateInvalid' };
  } catch {
    return { error: 'eumCertificateInvalid' };
  }
  if (!validAt(euicc, at)) return { error: 'euiccCertificateExpired' };
  return { eid };
}
