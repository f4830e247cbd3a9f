/**
 * A generated CI -> EUM -> eUICC chain for fleets (P-256, ECDSA-SHA256), kept in a folder so that
 * a restart finds the same identities and the eIM can be told to trust `ci.pem`.
 *
 * Layout: `ci.pem`, `ci.key.pem`, `eum.pem`, `eum.key.pem`, `euicc/<EID>.pem`, `euicc/<EID>.key.pem`,
 * and for the SM-DP+ simulator `dpauth.pem`, `dpauth.key.pem`, `dppb.pem`, `dppb.key.pem`.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  id_ce_nameConstraints,
  Name,
  NameConstraints,
} from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { subjectKeyIdentifier, type EuiccCredentials } from './credentials.js';
import type { SmdpCredentials } from './smdp-credentials.js';
import { eidWithCheckDigits } from './eid.js';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const SERIAL_NUMBER_OID = '2.5.4.5';
const YEAR_MS = 365 * 24 * 3600 * 1000;
const CREATE_BATCH = 16;

/** EIDs of generated fleets: a prefix outside the SGP.26 EUM range, then the device index. */
export const FLEET_EID_PREFIX = '890490990000000000';
/** The EID range of the generated EUM (its nameConstraints), as SGP.22 binds an EUM to its EIDs. */
export const FLEET_EUM_EID_RANGE = '89049099';
const EUM_ORGANIZATION = 'Simulated EUM';

export function fleetEid(index: number): string {
  return eidWithCheckDigits(FLEET_EID_PREFIX + String(index).padStart(12, '0'));
}

interface Issuer {
  certificate: x509.X509Certificate;
  keys: CryptoKeyPair;
}

export interface FleetPki {
  ciCertificate: Uint8Array;
  devices: EuiccCredentials[];
}

const pemOf = (label: string, der: ArrayBuffer) => x509.PemConverter.encode(der, label);

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function loadKeys(
  dir: string,
  name: string,
  certificate: x509.X509Certificate,
): Promise<CryptoKeyPair> {
  const der = x509.PemConverter.decodeFirst(readFileSync(join(dir, `${name}.key.pem`), 'utf8'));
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign']);
  return { privateKey, publicKey: await certificate.publicKey.export(ALG, ['verify']) };
}

async function save(dir: string, name: string, certificate: x509.X509Certificate, keys: CryptoKeyPair) {
  writeFileSync(join(dir, `${name}.pem`), certificate.toString('pem'));
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  writeFileSync(join(dir, `${name}.key.pem`), pemOf('PRIVATE KEY', pkcs8), { mode: 0o600 });
}

function validity() {
  const now = Date.now();
  return { notBefore: new Date(now - 24 * 3600 * 1000), notAfter: new Date(now + 30 * YEAR_MS) };
}

async function loadOrCreate(
  dir: string,
  name: string,
  create: (keys: CryptoKeyPair) => Promise<x509.X509Certificate>,
): Promise<Issuer> {
  if (existsSync(join(dir, `${name}.pem`))) {
    const file = join(dir, `${name}.pem`);
    const certificate = readIdentity(file, () => new x509.X509Certificate(readFileSync(file, 'utf8')));
    const keys = await loadKeys(dir, name, certificate).catch((e: unknown) => {
      throw new PkiFolderError(`${join(dir, `${name}.key.pem`)}: ${(e as Error).message}`);
    });
    return { certificate, keys };
  }
  const keys = await newKeys();
  const certificate = await create(keys);
  await save(dir, name, certificate, keys);
  return { certificate, keys };
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

/** Permitted subtree `O=<EUM>, serialNumber=<EID prefix>`: the EUM may only certify its own EIDs. */
function eumNameConstraints(): x509.Extension {
  const range = new x509.Name(`O=${EUM_ORGANIZATION}, ${SERIAL_NUMBER_OID}=${FLEET_EUM_EID_RANGE}`);
  const constraints = new NameConstraints({
    permittedSubtrees: new GeneralSubtrees([
      new GeneralSubtree({
        base: new GeneralName({ directoryName: AsnConvert.parse(range.toArrayBuffer(), Name) }),
      }),
    ]),
  });
  return new x509.Extension(id_ce_nameConstraints, true, AsnConvert.serialize(constraints));
}

async function createCi(keys: CryptoKeyPair): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'C=DE, O=eSIM Simulators, OU=TESTCERT, CN=Simulated CI',
    ...validity(),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
}

async function issue(
  issuer: Issuer,
  subject: string,
  keys: CryptoKeyPair,
  extensions: x509.Extension[],
): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: issuer.certificate.subject,
    ...validity(),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ALG,
    extensions: [
      ...extensions,
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
}

const der = (c: x509.X509Certificate) => new Uint8Array(c.rawData);

/**
 * Loads the chain from `dir`, creating what is missing: CI, EUM, and the eUICCs of devices
 * 0..count-1 (EIDs from `fleetEid`).
 */
export async function loadOrCreateFleetPki(dir: string, count: number): Promise<FleetPki> {
  mkdirSync(join(dir, 'euicc'), { recursive: true });
  const ci = await loadOrCreate(dir, 'ci', createCi);
  const eum = await loadOrCreate(dir, 'eum', (keys) =>
    issue(ci, `C=DE, O=${EUM_ORGANIZATION}, CN=Simulated EUM`, keys, [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      eumNameConstraints(),
    ]),
  );
  const common = {
    eumCertificate: der(eum.certificate),
    ciCertificate: der(ci.certificate),
    ciPkId: subjectKeyIdentifier(der(ci.certificate)),
  };
  const devices: EuiccCredentials[] = [];
  // WebCrypto key generation and signing run on the thread pool: a batch at a time uses it.
  for (let start = 0; start < count; start += CREATE_BATCH) {
    const batch = Array.from({ length: Math.min(CREATE_BATCH, count - start) }, (_, k) =>
      fleetEid(start + k),
    );
    const created = await Promise.all(batch.map((eid) => loadOrCreateEuicc(join(dir, 'euicc'), eid, eum)));
    created.forEach((identity, k) => devices.push({ eid: batch[k]!, ...common, ...identity }));
  }
  return { ciCertificate: common.ciCertificate, devices };
}

/** The SM-DP+ OID (subjectAltName registeredID) of the generated SM-DP+, the one SGP.26's test SM-DP+ has. */
const SMDP_OID = '2.999.10';
/** SGP.22 certificate policies of the two SM-DP+ roles (id-rspRole-dp-auth, id-rspRole-dp-pb). */
const DP_AUTH_POLICY = '2.23.146.1.2.1.4';
const DP_PB_POLICY = '2.23.146.1.2.1.5';

/**
 * The SM-DP+ of a generated fleet: CERT.DPauth and CERT.DPpb issued by the fleet's CI (created
 * if the folder has none yet), so that the fleet's eUICCs accept it and it accepts them.
 */
export async function loadOrCreateSmdpPki(dir: string): Promise<SmdpCredentials> {
  mkdirSync(dir, { recursive: true });
  const ci = await loadOrCreate(dir, 'ci', createCi);
  const role = (name: string, cn: string, policy: string) =>
    loadOrCreate(dir, name, (keys) =>
      issue(ci, `C=DE, O=Simulated SM-DP+, CN=${cn}`, keys, [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.CertificatePolicyExtension([policy], true),
        new x509.SubjectAlternativeNameExtension([{ type: 'id', value: SMDP_OID }]),
      ]),
    );
  const auth = await role('dpauth', 'smdpp.sim auth', DP_AUTH_POLICY);
  const pb = await role('dppb', 'smdpp.sim pb', DP_PB_POLICY);
  const key = (name: string) =>
    readIdentity(join(dir, `${name}.key.pem`), () =>
      createPrivateKey(readFileSync(join(dir, `${name}.key.pem`), 'utf8')),
    );
  return {
    authKey: key('dpauth'),
    authCertificate: der(auth.certificate),
    pbKey: key('dppb'),
    pbCertificate: der(pb.certificate),
    ciCertificate: der(ci.certificate),
    ciPkId: subjectKeyIdentifier(der(ci.certificate)),
  };
}

/** A file of the PKI folder that cannot be read as what it should be. */
export class PkiFolderError extends Error {}

function readIdentity<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new PkiFolderError(`${file}: ${(e as Error).message}`);
  }
}

/** Loading is on the start-up path of large fleets, so it stays synchronous node:crypto work. */
async function loadOrCreateEuicc(
  dir: string,
  eid: string,
  eum: Issuer,
): Promise<Pick<EuiccCredentials, 'euiccCertificate' | 'privateKey'>> {
  if (!existsSync(join(dir, `${eid}.pem`))) {
    const keys = await newKeys();
    const certificate = await issue(
      eum,
      `C=DE, O=${EUM_ORGANIZATION}, ${SERIAL_NUMBER_OID}=${eid}, CN=Simulated eUICC`,
      keys,
      [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    );
    await save(dir, eid, certificate, keys);
  }
  const certFile = join(dir, `${eid}.pem`);
  const keyFile = join(dir, `${eid}.key.pem`);
  return {
    euiccCertificate: readIdentity(
      certFile,
      () => new Uint8Array(new x509.X509Certificate(readFileSync(certFile, 'utf8')).rawData),
    ),
    privateKey: readIdentity(keyFile, () => createPrivateKey(readFileSync(keyFile, 'utf8'))),
  };
}
