import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decode, derOf, GetEimPackageResponse, type Eco, type Psmo } from '@esim/asn1';
import { loadOrCreateEimCredentials } from '../src/crypto/eim-credentials.js';
import { EuiccChainVerifier } from '../src/crypto/euicc-chain.js';
import * as x509 from '../src/crypto/x509.js';
import { EimRejection } from '../src/errors.js';
import { fromHex, iccidToBytes } from '../src/identifiers.js';
import { PackageBuilder } from '../src/packages/package-builder.js';

const sgp26 = resolve(import.meta.dirname, '../../../../shared/vectors/sgp26');
const der = (p: string) => new Uint8Array(readFileSync(join(sgp26, p)));
const EID = '89049032123451234512345678901235';
const euicc = der('eUICC/CERT_EUICC_ECDSA_NIST.der');
const eum = der('EUM/CERT_EUM_ECDSA_NIST.der');
const tmp = () => mkdtempSync(join(tmpdir(), 'eim-unit-'));

describe('eUICC certificate chain', () => {
  const verifier = EuiccChainVerifier.fromFiles([join(sgp26, 'CertificateIssuer/CERT_CI_ECDSA_NIST.der')]);
  const rejects = async (p: Promise<void>, message: RegExp) => {
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EimRejection);
    expect(e).toMatchObject({ reason: 'badCertificate' });
    expect((e as Error).message).toMatch(message);
  };

  it('accepts the SGP.26 eUICC -> EUM -> CI chain for its EID (EUM nameConstraints honoured)', async () => {
    await expect(verifier.verifyChain(EID, euicc, eum)).resolves.toBeUndefined();
  });

  it('accepts the re-issued Variant O certificates with the same keys', async () => {
    await expect(
      verifier.verifyChain(
        EID,
        der('variant-o/eUICC/CERT_EUICC_SIG_NIST.der'),
        der('variant-o/EUM/CERT_EUM_SIG_NIST.der'),
      ),
    ).resolves.toBeUndefined();
  });

  it('rejects every broken link, saying which', async () => {
    await rejects(
      verifier.verifyChain('89049032123451234512345678901300', euicc, eum),
      /not 89049032123451234512345678901300/,
    );
    await rejects(
      verifier.verifyChain(EID, der('InvalidTestCases/CERT_EUICC_ECDSA_NIST_INVALID.der'), eum),
      /not issued by|does not verify/,
    );
    await rejects(
      verifier.verifyChain(EID, euicc, der('InvalidTestCases/CERT_EUM_ECDSA_NIST_UNKNOWN_CI.der')),
      /not a trusted CI/,
    );
    await rejects(
      verifier.verifyChain(EID, euicc, der('InvalidTestCases/CERT_EUM_ECDSA_NIST_INVALID.der')),
      /.+/,
    );
    await rejects(
      verifier.verifyChain(EID, der('InvalidTestCases/CERT_EUICC_ECDSA_NIST_EXPIRED.der'), eum),
      /not valid at|EID/,
    );
    const outside = der('InvalidTestCases/CERT_EUICC_ECDSA_NIST_INVALID_EID.der');
    const outsideEid = new x509.X509Certificate(outside).subjectName.getField('2.5.4.5')[0]!;
    await rejects(verifier.verifyChain(outsideEid, outside, eum), /outside the EUM's permitted range/);
    await rejects(verifier.verifyChain(EID, Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), eum), /not X\.509/);
  });

  it('picks up a CI file that appears after start (a simulator generating its PKI)', async () => {
    const later = join(tmp(), 'ci.pem');
    const lazy = EuiccChainVerifier.fromFiles([], [later]);
    await expect(lazy.verifyChain(EID, euicc, eum)).rejects.toThrow(/not a trusted CI/);
    writeFileSync(
      later,
      new x509.X509Certificate(der('CertificateIssuer/CERT_CI_ECDSA_NIST.der')).toString('pem'),
    );
    await expect(lazy.verifyChain(EID, euicc, eum)).resolves.toBeUndefined();
  });
});

describe('eIM credentials', () => {
  it('generates a P-256 key and certificate on first start and finds the same ones again', async () => {
    const dataDir = tmp();
    const a = await loadOrCreateEimCredentials({ dataDir, eimId: 'eim.unit' });
    const b = await loadOrCreateEimCredentials({ dataDir, eimId: 'eim.unit' });
    expect(b.certificate).toEqual(a.certificate);
    expect(new x509.X509Certificate(a.certificate).subject).toBe('CN=eim.unit');
    expect(await a.sign(Uint8Array.of(1))).toHaveLength(64);
  });

  it('reads a configured SEC1 key with its certificate (the SGP.26 eIM signing pair)', async () => {
    const c = await loadOrCreateEimCredentials({
      dataDir: tmp(),
      eimId: 'x',
      keyFile: join(sgp26, 'variant-o/EIM/SK_S_EIMsign_ECDSA_NIST.pem'),
      certFile: join(sgp26, 'variant-o/EIM/CERT_S_EIMsign_ECDSA_NIST.der'),
    });
    expect(new x509.X509Certificate(c.certificate).subject).toMatch(/CN=eim\.example\.com/);
  });

  it("refuses a key that is not the certificate's, and one file without the other", async () => {
    await expect(
      loadOrCreateEimCredentials({
        dataDir: tmp(),
        eimId: 'x',
        keyFile: join(sgp26, 'eUICC/SK_EUICC_ECDSA_NIST.pem'),
        certFile: join(sgp26, 'variant-o/EIM/CERT_S_EIMsign_ECDSA_NIST.der'),
      }),
    ).rejects.toThrow(/does not hold the private key/);
    await expect(
      loadOrCreateEimCredentials({
        dataDir: tmp(),
        eimId: 'x',
        keyFile: join(sgp26, 'eUICC/SK_EUICC_ECDSA_NIST.pem'),
      }),
    ).rejects.toThrow(/set together/);
  });
});

describe('package builder', () => {
  const iccid = iccidToBytes('89440000000000000011');
  const psmos: Psmo[] = [
    { enable: { iccid, rollbackFlag: null } },
    { disable: { iccid } },
    { delete: { iccid } },
    { listProfileInfo: {} },
    { getRAT: {} },
    { configureImmediateEnable: { immediateEnableFlag: null, defaultSmdpAddress: 'smdp.example' } },
    { setFallbackAttribute: { iccid } },
    { unsetFallbackAttribute: {} },
    { setDefaultDpAddress: { defaultDpAddress: 'smdp.example' } },
  ];
  const ecos: Eco[] = [
    { addEim: { eimId: 'eim2.example', counterValue: 0 } },
    { updateEim: { eimId: 'eim2.example', eimFqdn: 'eim2.example' } },
    { deleteEim: { eimId: 'eim2.example' } },
    { listEim: {} },
  ];

  it.each([
    ['every PSMO', { psmoList: psmos }],
    ['every eCO', { ecoList: ecos }],
  ])(
    'signs a package of %s: eimSignature (r||s) verifies over the DER of EuiccPackageSigned',
    async (_n, euiccPackage) => {
      const credentials = await loadOrCreateEimCredentials({ dataDir: tmp(), eimId: 'eim.unit' });
      const der = await new PackageBuilder('eim.unit', credentials).euiccPackage(
        EID,
        7,
        Uint8Array.of(1, 2),
        euiccPackage,
      );
      const request = decode(GetEimPackageResponse, der).euiccPackageRequest!;
      expect(request.euiccPackageSigned).toMatchObject({
        eimId: 'eim.unit',
        eidValue: fromHex(EID),
        counterValue: 7,
        euiccPackage,
      });
      const key = await new x509.X509Certificate(credentials.certificate).publicKey.export(
        { name: 'ECDSA', namedCurve: 'P-256' },
        ['verify'],
      );
      const signed = derOf(request.euiccPackageSigned)!;
      expect(
        await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, request.eimSignature, signed),
      ).toBe(true);
      signed[signed.length - 1]! ^= 1;
      expect(
        await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, request.eimSignature, signed),
      ).toBe(false);
    },
  );
});
