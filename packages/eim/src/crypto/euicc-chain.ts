import { existsSync, readFileSync } from 'node:fs';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name, NameConstraints, id_ce_nameConstraints } from '@peculiar/asn1-x509';
import * as x509 from './x509.js';
import { EimRejection } from '../errors.js';
import { importP256PublicKey, verifyRS } from './ecdsa.js';

const SERIAL_NUMBER = '2.5.4.5';
const ORGANIZATION = '2.5.4.10';

function attributes(name: Name, type: string): string[] {
  return name.flatMap((rdn) => rdn.filter((a) => a.type === type).map((a) => a.value.toString()));
}

/** The EID an eUICC certificate is issued for (its subject serialNumber), or undefined when it names none or does not parse. */
export function eidOfCertificate(der: Uint8Array): string | undefined {
  try {
    return new x509.X509Certificate(der).subjectName.getField(SERIAL_NUMBER)[0];
  } catch {
    return undefined;
  }
}

/** Certificates from a file in PEM (one or more) or DER. */
export function readCertificates(path: string): x509.X509Certificate[] {
  const data = readFileSync(path);
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN'))
    return x509.PemConverter.decode(text).map((d) => new x509.X509Certificate(d));
  return [new x509.X509Certificate(new Uint8Array(data))];
}

/**
 * Verifies that a certificate is the eUICC's own, issued by an EUM that a trusted CI certified
 * (SGP.22 4.5.2.1 chain eUICC -> EUM -> CI), and checks eUICC signatures with it.
 * Not a generic RFC 5280 path validation: the EUM's nameConstraints bind it to an EID range
 * (its O, and an EID prefix as serialNumber), which generic validators misread (see
 * ../shared/vectors/sgp26/README.md); that check is done here as the eSIM specifications mean it.
 */
export class EuiccChainVerifier {
  constructor(
    private trustedCis: readonly x509.X509Certificate[],
    /** Reads the trusted CIs again, when a chain ends in an issuer not (yet) known. */
    private readonly reload?: () => x509.X509Certificate[],
  ) {
    if (trustedCis.length === 0 && !reload) throw new Error('at least one trusted CI certificate is needed');
  }

  /**
   * CIs from `files` (each must be readable now) and from `laterFiles`, which may appear while
   * running: a simulator generates its CI when it first starts, possibly after the eIM.
   */
  static fromFiles(files: readonly string[], laterFiles: readonly string[] = []): EuiccChainVerifier {
    const load = () => [
      ...files.flatMap(readCertificates),
      ...laterFiles.filter((f) => existsSync(f)).flatMap(readCertificates),
    ];
    return new EuiccChainVerifier(load(), laterFiles.length ? load : undefined);
  }

  private trustedIssuerOf(eum: x509.X509Certificate): x509.X509Certificate | undefined {
    const find = () => this.trustedCis.find((c) => c.subject === eum.issuer);
    const found = find();
    if (found || !this.reload) return found;
    this.trustedCis = this.reload();
    return find();
  }

  /** Throws an EimRejection('badCertificate') saying which link of the chain fails. */
  async verifyChain(eid: string, euiccDer: Uint8Array, eumDer: Uint8Array, at = new Date()): Promise<void> {
    const fail = (message: string): never => {
      throw new EimRejection('badCertificate', message, { eid });
    };
    let euicc: x509.X509Certificate;
    let eum: x509.X509Certificate;
    try {
      euicc = new x509.X509Certificate(euiccDer);
      eum = new x509.X509Certificate(eumDer);
    } catch (e) {
      return fail(`certificate is not X.509 DER: ${(e as Error).message}`);
    }
    const ci = this.trustedIssuerOf(eum);
    if (!ci) return fail(`EUM certificate issuer "${eum.issuer}" is not a trusted CI`);
    if (!(await eum.verify({ publicKey: ci.publicKey, signatureOnly: true })))
      return fail('EUM certificate signature does not verify with the CI key');
    if (euicc.issuer !== eum.subject) return fail(`eUICC certificate is not issued by EUM "${eum.subject}"`);
    if (!(await euicc.verify({ publicKey: eum.publicKey, signatureOnly: true })))
      return fail('eUICC certificate signature does not verify with the EUM key');
    for (const [what, c] of [
      ['EUM', eum],
      ['eUICC', euicc],
    ] as const) {
      if (at < c.notBefore || at > c.notAfter)
        return fail(`${what} certificate is not valid at ${at.toISOString()}`);
    }
    const subject = AsnConvert.parse(euicc.subjectName.toArrayBuffer(), Name);
    const serials = attributes(subject, SERIAL_NUMBER);
    if (serials.length !== 1 || serials[0] !== eid)
      return fail(`eUICC certificate is for EID ${serials.join(',') || '(none)'}, not ${eid}`);
    const constraints = eum.getExtension(id_ce_nameConstraints);
    if (constraints) {
      const nc = AsnConvert.parse(constraints.value, NameConstraints);
      const permitted = (nc.permittedSubtrees ?? []).flatMap((s) =>
        s.base.directoryName ? [s.base.directoryName] : [],
      );
      const inRange = permitted.some((p) => {
        const orgs = attributes(p, ORGANIZATION);
        const prefixes = attributes(p, SERIAL_NUMBER);
        return (
          orgs.every((o) => attributes(subject, ORGANIZATION).includes(o)) &&
          prefixes.every((pre) => eid.startsWith(pre))
        );
      });
      if (permitted.length && !inRange) return fail(`EID ${eid} is outside the EUM's permitted range`);
    }
  }

  /** Whether `signature` (r || s) over `data` verifies with the eUICC certificate's key. */
  async verifySignature(euiccDer: Uint8Array, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
    const key = await importP256PublicKey(
      new Uint8Array(new x509.X509Certificate(euiccDer).publicKey.rawData),
    );
    return verifyRS(key, signature, data);
  }
}
