/** The SGP.26 test PKI and the generated fleet chain: EIDs, ICCIDs, chains that verify. */
import { sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { eidWithCheckDigits, isValidEid } from '../../src/sgp32/pki/eid.js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { id_ce_nameConstraints, NameConstraints } from '@peculiar/asn1-x509';
import { parseCertificate } from '@esim/asn1';
import {
  FLEET_EUM_EID_RANGE,
  fleetEid,
  loadOrCreateFleetPki,
  PkiFolderError,
} from '../../src/sgp32/pki/fleet-pki.js';
import {
  iccidFromBytes,
  iccidToBytes,
  iccidWithCheckDigit,
  luhnCheckDigit,
} from '../../src/sgp32/pki/iccid.js';
import { imeiOf, imeiToBytes, tacBytes } from '../../src/sgp32/pki/imei.js';
import { checkEuiccChain } from '../../src/sgp32/pki/certificate-chain.js';
import { loadSgp26Credentials, SGP26_EID, sgp26Dir } from '../../src/sgp32/pki/sgp26.js';
import type { EuiccCredentials } from '../../src/sgp32/pki/credentials.js';

function expectChain(c: EuiccCredentials) {
  const ci = new X509Certificate(c.ciCertificate);
  const eum = new X509Certificate(c.eumCertificate);
  const euicc = new X509Certificate(c.euiccCertificate);
  expect(ci.verify(ci.publicKey)).toBe(true);
  expect(eum.verify(ci.publicKey)).toBe(true);
  expect(euicc.verify(eum.publicKey)).toBe(true);
  expect(euicc.verify(ci.publicKey)).toBe(false);
  expect(euicc.subject).toContain(`serialNumber=${c.eid}`);
  const data = Buffer.from('signed by the eUICC');
  const signature = sign('sha256', data, { key: c.privateKey, dsaEncoding: 'ieee-p1363' });
  expect(signature).toHaveLength(64);
  expect(verify('sha256', data, { key: euicc.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
}

describe('identifiers', () => {
  it('EID check digits (mod 97 = 1)', () => {
    expect(isValidEid(SGP26_EID)).toBe(true);
    expect(eidWithCheckDigits(SGP26_EID.slice(0, 30))).toBe(SGP26_EID);
    expect(isValidEid(SGP26_EID.replace(/5$/, '6'))).toBe(false);
    expect(isValidEid('8904')).toBe(false);
    expect(isValidEid(fleetEid(41))).toBe(true);
    expect(fleetEid(41)).not.toBe(fleetEid(42));
    expect(() => eidWithCheckDigits('123')).toThrow(RangeError);
  });

  it('ICCID Luhn digit and the swapped-BCD coding', () => {
    expect(iccidWithCheckDigit('8901410321111851072')).toBe('89014103211118510720');
    expect(Buffer.from(iccidToBytes('89014103211118510720')).toString('hex')).toBe('98101430121181157002');
    expect(iccidFromBytes(iccidToBytes('8949999000000000017'))).toBe('8949999000000000017');
    expect(Buffer.from(iccidToBytes('8949999000000000017')).toString('hex')).toBe('989499090000000010f7');
    expect(() => iccidToBytes('12ab')).toThrow(RangeError);
  });
});

describe('IMEI', () => {
  it('TAC + serial from the EID + Luhn, one per device, coded as DeviceInfo carries it', () => {
    const a = imeiOf(fleetEid(0));
    const b = imeiOf(fleetEid(1));
    expect(a).toMatch(/^35290611\d{7}$/);
    expect(luhnCheckDigit(a.slice(0, 14))).toBe(a[14]);
    expect(b).not.toBe(a);
    expect(Buffer.from(imeiToBytes('490154203237518')).toString('hex')).toBe('94104502237315f8');
    expect(Buffer.from(tacBytes(a)).toString('hex')).toBe('35290611');
  });
});

describe('identifier properties', () => {
  const digits = (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

  it('every EID body gets check digits that make it valid, and any one changed digit is caught', () => {
    fc.assert(
      fc.property(digits(30, 30), fc.nat(31), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const eid = eidWithCheckDigits(body);
        expect(isValidEid(eid)).toBe(true);
        const changed = eid.slice(0, at) + String((Number(eid[at]) + delta) % 10) + eid.slice(at + 1);
        expect(isValidEid(changed)).toBe(false);
      }),
    );
  });

  it('ICCIDs of 18 to 20 digits survive the swapped-BCD coding', () => {
    fc.assert(
      fc.property(digits(18, 20), (iccid) => {
        expect(iccidToBytes(iccid)).toHaveLength(10);
        expect(iccidFromBytes(iccidToBytes(iccid))).toBe(iccid);
      }),
    );
  });
});

describe('SGP.26 test PKI', () => {
  it('loads the NIST eUICC with its EUM and CI; the chain verifies', () => {
    const c = loadSgp26Credentials();
    expect(c.eid).toBe(SGP26_EID);
    expect(Buffer.from(c.ciPkId).toString('hex').toUpperCase()).toBe(
      'F54172BDF98A95D65CBEB88A38A1C11D800A85C3',
    );
    expectChain(c);
  });

  it('checks each chain certificate for what it is, then for its validity period at the given time', () => {
    const c = loadSgp26Credentials();
    const invalid = (file: string) =>
      new Uint8Array(readFileSync(join(sgp26Dir(), 'InvalidTestCases', file)));
    const check = (euicc: Uint8Array, eum: Uint8Array, at: string) =>
      checkEuiccChain(euicc, eum, [c.ciCertificate], new Date(at));
    expect(check(c.euiccCertificate, c.eumCertificate, '2026-12-01T00:00:00Z')).toEqual({ eid: SGP26_EID });
    // EUM Test is valid from 2020-04-01; the expired test certificates from 2010 to 2015.
    expect(check(c.euiccCertificate, c.eumCertificate, '2020-03-01T00:00:00Z')).toEqual({
      error: 'eumCertificateExpired',
    });
    const expiredEuicc = invalid('CERT_EUICC_ECDSA_NIST_EXPIRED.der');
    expect(check(expiredEuicc, c.eumCertificate, '2026-12-01T00:00:00Z')).toEqual({
      error: 'euiccCertificateExpired',
    });
    expect(check(expiredEuicc, c.eumCertificate, '2012-01-01T00:00:00Z')).toEqual({
      error: 'eumCertificateExpired',
    });
    // Outside its validity period and with a signature that does not verify: invalid, not expired.
    const forgedEum = new Uint8Array(c.eumCertificate);
    forgedEum[forgedEum.length - 1]! ^= 0x01;
    expect(check(c.euiccCertificate, forgedEum, '2012-01-01T00:00:00Z')).toEqual({
      error: 'eumCertificateInvalid',
    });
  });
});

describe('a damaged PKI folder', () => {
  it('names the file that cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esim-fleet-pki-bad-'));
    try {
      await loadOrCreateFleetPki(dir, 1);
      writeFileSync(join(dir, 'euicc', `${fleetEid(0)}.key.pem`), 'not a key');
      await expect(loadOrCreateFleetPki(dir, 1)).rejects.toThrow(PkiFolderError);
      await expect(loadOrCreateFleetPki(dir, 1)).rejects.toThrow(`${fleetEid(0)}.key.pem`);
      writeFileSync(join(dir, 'ci.pem'), 'not a certificate');
      await expect(loadOrCreateFleetPki(dir, 1)).rejects.toThrow(/ci\.pem: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generated fleet PKI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'esim-fleet-pki-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates CI -> EUM -> eUICC chains with EID serialNumbers, and finds them again', async () => {
    const first = await loadOrCreateFleetPki(dir, 2);
    expect(first.devices.map((d) => d.eid)).toEqual([fleetEid(0), fleetEid(1)]);
    for (const device of first.devices) {
      expect(isValidEid(device.eid)).toBe(true);
      expectChain(device);
    }
    const again = await loadOrCreateFleetPki(dir, 3);
    expect(again.ciCertificate).toEqual(first.ciCertificate);
    expect(again.devices[1]!.euiccCertificate).toEqual(first.devices[1]!.euiccCertificate);
    expectChain(again.devices[2]!);
    // The EUM may only certify EIDs of its range, in the organisation of the eUICC subjects.
    const ext = parseCertificate(first.devices[0]!.eumCertificate).tbsCertificate.extensions!.find(
      (e) => e.extnID === id_ce_nameConstraints,
    )!;
    expect(ext.critical).toBe(true);
    const permitted = AsnConvert.parse(ext.extnValue, NameConstraints).permittedSubtrees!;
    const attributes = permitted[0]!.base.directoryName!.flatMap((rdn) =>
      rdn.map((a) => `${a.type}=${a.value.toString()}`),
    );
    expect(attributes).toEqual(['2.5.4.10=Simulated EUM', `2.5.4.5=${FLEET_EUM_EID_RANGE}`]);
    for (const d of again.devices) expect(d.eid.startsWith(FLEET_EUM_EID_RANGE)).toBe(true);
    expect(
      new X509Certificate(again.devices[2]!.eumCertificate).verify(
        new X509Certificate(first.ciCertificate).publicKey,
      ),
    ).toBe(true);
  });
});
