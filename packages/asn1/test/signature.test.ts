/**
 * The eIM must verify signatures over the bytes it received: derOf() returns them exactly, and
 * IMPLICIT-tagged certificates come back as standard X.509 DER that verifies.
 */
import { createPrivateKey, createPublicKey, sign, verify, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decode,
  derOf,
  encode,
  EuiccPackageRequest,
  EuiccPackageSigned,
  GetEimPackageResponse,
  hex,
  IpaEuiccDataResponse,
  parseCertificate,
} from '../src/index.js';
import { bytes, readShared } from './support/vectors.js';

const CAPTURED =
  'BF4F8188BF518184303F8019312E332E362E312E342E312E35333737352E312E352E312E315A10890440459300000000000014922944288101318208000000000000049BA003BF2D005F3740CBE8797590F764F1E50E00C2AA7FE42934914775E22DFC6C2FA657B92A144F6F5CECA6AC39A7106CB0C79B8FC1567FB27C6BA15EEA4A646515A200C3931C3A2C';

describe('signed bytes', () => {
  it('derOf(euiccPackageSigned) is exactly the signed TLV of the captured 140-byte GetEimPackageResponse', () => {
    const input = bytes(CAPTURED);
    expect(input).toHaveLength(140);
    const v = decode(GetEimPackageResponse, input);
    const req = v.euiccPackageRequest!;
    // BF4F 81 88 | BF51 81 84 | 30 3F ...: the SEQUENCE starts at offset 8 and is 2 + 0x3F long.
    expect(hex(derOf(req.euiccPackageSigned)!)).toBe(CAPTURED.slice(16, 16 + 2 * (2 + 0x3f)));
    expect(hex(derOf(req.euiccPackageSigned)!).endsWith('A003BF2D00')).toBe(true);
    expect(hex(derOf(req.euiccPackageSigned)!).startsWith('303F80193')).toBe(true);
    expect(hex(req.eimSignature)).toBe(CAPTURED.slice(-128));
    // The whole request and response are remembered too.
    expect(hex(derOf(req)!)).toBe(CAPTURED.slice(8));
    expect(hex(derOf(v)!)).toBe(CAPTURED);
  });

  it('keeps the received bytes when they are not the canonical DER', () => {
    const v = decode(IpaEuiccDataResponse, bytes('BF5205A103020101'));
    expect(hex(derOf(v)!)).toBe('BF5205A103020101');
    const fresh = { ipaEuiccDataResponseError: { ipaEuiccDataErrorCode: 1 } };
    expect(derOf(fresh)).toBeUndefined();
  });

  it('an eIM-signed package verifies over derOf() with the SGP.26 eIM key', () => {
    const key = createPrivateKey(readShared('vectors/sgp26/variant-o/EIM/SK_S_EIMsign_ECDSA_NIST.pem'));
    const cert = new X509Certificate(readShared('vectors/sgp26/variant-o/EIM/CERT_S_EIMsign_ECDSA_NIST.der'));
    const signed = {
      eimId: 'eim.example.com',
      eidValue: bytes('89049032123451234512345678901235'),
      counterValue: 7,
      euiccPackage: { psmoList: [{ enable: { iccid: bytes('98001032547698103214') } }] },
    };
    const tbs = encode(EuiccPackageSigned, signed);
    const signature = sign('sha256', tbs, { key, dsaEncoding: 'ieee-p1363' });
    const wire = encode(EuiccPackageRequest, { euiccPackageSigned: signed, eimSignature: signature });
    const received = decode(EuiccPackageRequest, wire);
    expect(
      verify(
        'sha256',
        derOf(received.euiccPackageSigned)!,
        { key: cert.publicKey, dsaEncoding: 'ieee-p1363' },
        received.eimSignature,
      ),
    ).toBe(true);
  });

  it('re-wraps an IMPLICIT [6] certificate (A6 <contents>) into X.509 DER that verifies against its EUM', () => {
    const euicc = new Uint8Array(readShared('vectors/sgp26/eUICC/CERT_EUICC_ECDSA_NIST.der'));
    const eum = new X509Certificate(readShared('vectors/sgp26/EUM/CERT_EUM_ECDSA_NIST.der'));
    const wire = encode(IpaEuiccDataResponse, { ipaEuiccData: { euiccCertificate: euicc } });
    // BF52 len A0 len A6 <same length as the certificate's 30> <same contents>
    const h = hex(wire);
    expect(h).toContain(`A6${hex(euicc).slice(2)}`);
    expect(h).not.toContain(hex(euicc));
    const back = decode(IpaEuiccDataResponse, wire).ipaEuiccData!.euiccCertificate!;
    expect(hex(back)).toBe(hex(euicc));
    expect(new X509Certificate(back).verify(eum.publicKey)).toBe(true);
    expect(parseCertificate(back).tbsCertificate.subject).toBeDefined();
    void createPublicKey;
  });
});
