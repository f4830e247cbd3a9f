import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as x509 from './x509.js';
import { importP256PrivateKey, signRS } from './ecdsa.js';

type CryptoKey = webcrypto.CryptoKey;

/** The eIM's signing identity: the key that signs EuiccPackageSigned, and its certificate. */
export interface EimCredentials {
  readonly privateKey: CryptoKey;
  /** DER X.509; its public key is what an eUICC gets as eimPublicKeyData. */
  readonly certificate: Uint8Array;
  /** DER SubjectPublicKeyInfo of the signing key. */
  readonly publicKey: Uint8Array;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface EimCredentialFiles {
  keyFile?: string;
  certFile?: string;
  /** Where to create (on first start) and find them again when no files are configured. */
  dataDir: string;
  /** Subject CN of a generated certificate. */
  eimId: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function fromPem(keyPem: string, certificate: x509.X509Certificate): Promise<EimCredentials> {
  const privateKey = await importP256PrivateKey(keyPem);
  const publicKey = new Uint8Array(certificate.publicKey.rawData);
  // A key that does not match the certificate would sign packages no eUICC accepts.
  const probe = new Uint8Array(32);
  const verifyKey = await certificate.publicKey.export(ALG, ['verify']);
  const ok = await webcrypto.subtle.verify(ALG, verifyKey, await signRS(privateKey, probe), probe);
  if (!ok) throw new Error('EIM_KEY_FILE does not hold the private key of EIM_CERT_FILE');
  return {
    privateKey,
    certificate: new Uint8Array(certificate.rawData),
    publicKey,
    sign: (data) => signRS(privateKey, data),
  };
}

async function generate(eimId: string): Promise<{ keyPem: string; certPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=${eimId.replace(/[,=+<>#;\\"]/g, '_')}`,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 10 * 365 * 24 * 3600_000),
    keys,
    signingAlgorithm: ALG,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), certPem: cert.toString('pem') };
}

/**
 * The configured key and certificate, or (both unset, the embedded default) the pair kept in
 * `<dataDir>/eim/`, generated on first start. Only one of the two files configured is an error.
 */
export async function loadOrCreateEimCredentials(o: EimCredentialFiles): Promise<EimCredentials> {
  if (o.keyFile || o.certFile) {
    if (!o.keyFile || !o.certFile) throw new Error('EIM_KEY_FILE and EIM_CERT_FILE must be set together');
    return fromPem(readFileSync(o.keyFile, 'utf8'), new x509.X509Certificate(readFileSync(o.certFile)));
  }
  const keyFile = join(o.dataDir, 'eim', 'eim-key.pem');
  const certFile = join(o.dataDir, 'eim', 'eim-cert.pem');
  if (!existsSync(keyFile)) {
    const { keyPem, certPem } = await generate(o.eimId);
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(certFile, certPem);
    // Written last: a crash between the two leaves no key without its certificate.
    writeFileSync(keyFile, keyPem, { mode: 0o600 });
  }
  return fromPem(readFileSync(keyFile, 'utf8'), new x509.X509Certificate(readFileSync(certFile, 'utf8')));
}
