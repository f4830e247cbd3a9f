/**
 * Malformed, truncated, over-long and over-deep input: always an Asn1DecodeError with a path and
 * an offset, quickly, never another exception and never a hang.
 */
import { describe, expect, it } from 'vitest';
import {
  Asn1DecodeError,
  decode,
  EsipaMessageFromIpaToEim,
  GetEimPackageRequest,
  GetEimPackageResponse,
  ProfileInfo,
  type AnySchema,
} from '../src/index.js';
import { bytes } from './support/vectors.js';

const SIGNED_PACKAGE =
  'BF4F8188BF518184303F8019312E332E362E312E342E312E35333737352E312E352E312E315A10890440459300000000000014922944288101318208000000000000049BA003BF2D005F3740CBE8797590F764F1E50E00C2AA7FE42934914775E22DFC6C2FA657B92A144F6F5CECA6AC39A7106CB0C79B8FC1567FB27C6BA15EEA4A646515A200C3931C3A2C';

function fails(type: AnySchema, input: Uint8Array, options?: Parameters<typeof decode>[2]): Asn1DecodeError {
  try {
    decode(type, input, options);
  } catch (e) {
    expect(e).toBeInstanceOf(Asn1DecodeError);
    const err = e as Asn1DecodeError;
    expect(err.reason).not.toMatch(/^internal/);
    expect(typeof err.path).toBe('string');
    expect(err.offset).toBeGreaterThanOrEqual(0);
    return err;
  }
  throw new Error('decode did not fail');
}

/** n levels of `A0 <len> ...` around `inner`, with correct definite lengths, built in one pass. */
function nestDefinite(levels: number, inner: Uint8Array): Uint8Array {
  const headers: number[][] = [];
  let len = inner.length;
  for (let i = 0; i < levels; i++) {
    const h = [0xa0, ...lengthOf(len)];
    headers.push(h);
    len += h.length;
  }
  const out = new Uint8Array(len);
  let p = 0;
  for (let i = headers.length - 1; i >= 0; i--) for (const b of headers[i]!) out[p++] = b;
  out.set(inner, p);
  return out;
}

describe('bad input', () => {
  it('every truncation of a real message fails with an offset inside it', () => {
    const full = bytes(SIGNED_PACKAGE);
    for (let n = 0; n < full.length; n++) {
      const e = fails(GetEimPackageResponse, full.subarray(0, n));
      expect(e.offset).toBeLessThanOrEqual(n);
    }
  });

  it('reports the path and offset of a wrong tag', () => {
    const e = fails(GetEimPackageResponse, bytes(SIGNED_PACKAGE.replace('810131', '040131')));
    expect(e.message).toBe(
      'GetEimPackageResponse.euiccPackageRequest.euiccPackageSigned.counterValue: expected [1] INTEGER (81), got OCTET STRING (04) at offset 55',
    );
    expect(fails(GetEimPackageResponse, bytes('BF4E03020101')).message).toMatch(
      /^GetEimPackageResponse: expected \[79\]/,
    );
  });

  it('rejects indefinite, non-minimal, reserved and oversized length octets', () => {
    expect(fails(GetEimPackageResponse, bytes('BF4F800201010000')).reason).toMatch(/indefinite length/);
    expect(fails(GetEimPackageResponse, bytes('BF4F8103020101')).reason).toMatch(/non-minimal length/);
    expect(fails(GetEimPackageResponse, bytes('BF4F820003020101')).reason).toMatch(/leading zero/);
    expect(fails(GetEimPackageResponse, bytes('BF4FFF')).reason).toMatch(/reserved/);
    expect(fails(GetEimPackageResponse, bytes('BF4F850100000000020101')).reason).toMatch(/too large/);
  });

  it('rejects huge declared lengths at once, without allocating them', () => {
    const started = performance.now();
    expect(fails(GetEimPackageResponse, bytes('BF4F84FFFFFFFF020101')).reason).toMatch(/exceeds the 3 byte/);
    expect(fails(GetEimPackageRequest, bytes('BF4F0A5A84 7FFFFFFF 00'.replace(/ /g, ''))).reason).toMatch(
      /exceeds/,
    );
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('rejects trailing bytes after the top-level TLV, and inside an explicit tag', () => {
    expect(fails(GetEimPackageResponse, bytes('BF4F0302010100')).reason).toMatch(/1 trailing byte/);
    expect(fails(GetEimPackageResponse, bytes('BF4F06BF5400BF5400')).reason).toMatch(/exactly one TLV/);
  });

  it('stops a depth bomb of 100 000 indefinite-length levels at the first one', () => {
    const bomb = new Uint8Array(200_000);
    for (let i = 0; i < bomb.length; i += 2) [bomb[i], bomb[i + 1]] = [0xa0, 0x80];
    const started = performance.now();
    const e = fails(EsipaMessageFromIpaToEim, bomb);
    expect(e.reason).toMatch(/indefinite length/);
    expect(e.offset).toBe(0);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('stops 100 000 definite-length levels inside an opaque value at the depth limit', () => {
    // The bomb as vendorSpecificData (open type, [1] EXPLICIT) of a ProfileInfo: kept opaque,
    // but walked with the depth limit.
    const deep = nestDefinite(100_000, bytes('0500'));
    const info = profileInfoWithVendorData(deep);
    const started = performance.now();
    const e = fails(ProfileInfo, info);
    expect(e.reason).toMatch(/nesting deeper than the limit of 64/);
    expect(e.path).toBe('ProfileInfo.serviceSpecificDataStoredInEuicc[0].vendorSpecificData');
    expect(performance.now() - started).toBeLessThan(500);
    // A shallow nesting is fine, and the limit is an option.
    const shallow = profileInfoWithVendorData(nestDefinite(40, bytes('0500')));
    expect(() => decode(ProfileInfo, shallow)).not.toThrow();
    expect(fails(ProfileInfo, shallow, { maxDepth: 20 }).reason).toMatch(/limit of 20/);
  });

  it('enforces the input size limit before reading anything', () => {
    expect(fails(GetEimPackageResponse, new Uint8Array(5_000_000)).reason).toMatch(
      /exceeds the limit of 4194304/,
    );
    expect(fails(GetEimPackageResponse, bytes(SIGNED_PACKAGE), { maxSize: 100 }).reason).toMatch(
      /limit of 100/,
    );
  });

  it('rejects an empty input and a non-Uint8Array', () => {
    expect(fails(GetEimPackageResponse, new Uint8Array(0)).reason).toMatch(/truncated/);
    expect(fails(GetEimPackageResponse, 'BF4F03020101' as unknown as Uint8Array).reason).toMatch(
      /Uint8Array/,
    );
  });
});

// ---- tiny DER builders for the hand-made inputs above (lengths by X.690 8.1.3)

function lengthOf(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let l = n; l > 0; l = Math.floor(l / 256)) out.unshift(l & 0xff);
  return [0x80 | out.length, ...out];
}

function tlv(id: number[], content: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from([...id, ...lengthOf(content.length)]), content]));
}

/** E3 { BF22 { 30 { 80 <OID 1.2.3> A1 { data } } } }: serviceSpecificDataStoredInEuicc [34] IMPLICIT. */
function profileInfoWithVendorData(data: Uint8Array): Uint8Array {
  const entry = tlv([0x30], new Uint8Array(Buffer.concat([tlv([0x80], bytes('2A03')), tlv([0xa1], data)])));
  return tlv([0xe3], tlv([0xbf, 0x22], entry));
}
