/**
 * EXTENSIBILITY IMPLIED: data from a newer version (v1.3+) is kept, not rejected, and re-encodes
 * byte-exact; but bytes no newer version could produce are still errors.
 */
import { describe, expect, it } from 'vitest';
import {
  Asn1DecodeError,
  decode,
  decodeWithInfo,
  encode,
  EuiccPackageResult,
  EXTENSIONS,
  fromJson,
  GetEimPackageRequest,
  GetEimPackageResponse,
  hex,
  ImmediateEnableRequest,
  schema as s,
  toJson,
  UNKNOWN_ALTERNATIVE,
} from '../src/index.js';
import { bytes } from './support/vectors.js';

const EID = '5A10' + '89049032123451234512345678901235';

describe('unknown SEQUENCE components', () => {
  it('keeps trailing unknown components as raw TLVs, invisible to JSON.stringify, and re-emits them', () => {
    // GetEimPackageRequest + an unknown [5] and [APPLICATION 3] after the known components
    const h = `BF4F1C${EID}8500` + '43' + '04' + 'DEADBEEF';
    const wire = 'BF4F' + (h.length / 2 - 3).toString(16).toUpperCase().padStart(2, '0') + h.slice(6);
    const r = decodeWithInfo(GetEimPackageRequest, bytes(wire));
    expect(r.unknownExtensions).toBe(2);
    expect(r.value[EXTENSIONS]!.map(hex)).toEqual(['8500', '4304DEADBEEF']);
    expect(JSON.stringify(r.value)).not.toContain('DEADBEEF');
    expect(Object.keys(r.value)).toEqual(['eidValue']);
    expect(hex(encode(GetEimPackageRequest, r.value))).toBe(wire);
    const json = toJson(GetEimPackageRequest, r.value) as Record<string, unknown>;
    expect(json.$extensions).toEqual(['8500', '4304DEADBEEF']);
    expect(
      hex(encode(GetEimPackageRequest, fromJson(GetEimPackageRequest, JSON.parse(JSON.stringify(json))))),
    ).toBe(wire);
  });

  it('rejects a known component after an unknown one, and repeated components', () => {
    const e = expectError(() =>
      decode(GetEimPackageRequest, bytes(`BF4F17${EID}8500820326F010`.replace('BF4F17', 'BF4F19'))),
    );
    expect(e.reason).toMatch(/out of order or repeated/);
    expect(expectError(() => decode(GetEimPackageRequest, bytes(`BF4F16${EID}80008000`))).reason).toMatch(
      /out of order or repeated/,
    );
  });

  it('accepts only [n >= root count] as an extension of an AUTOMATIC-tagged SEQUENCE', () => {
    expect(
      hex(encode(ImmediateEnableRequest, decode(ImmediateEnableRequest, bytes('BF5A068001FF810100')))),
    ).toBe('BF5A068001FF810100');
    expect(expectError(() => decode(ImmediateEnableRequest, bytes('BF5A068001FF010100'))).reason).toMatch(
      /cannot be an extension .* n >= 1/,
    );
  });
});

describe('unknown CHOICE alternatives and ENUMERATED values', () => {
  it('keeps an unknown alternative of a textually tagged CHOICE', () => {
    const r = decodeWithInfo(GetEimPackageResponse, bytes('BF4F049F600100'));
    expect(r.unknownExtensions).toBe(1);
    expect(hex(r.value[UNKNOWN_ALTERNATIVE]!)).toBe('9F600100');
    expect(toJson(GetEimPackageResponse, r.value)).toEqual({ $unknown: '9F600100' });
    expect(hex(encode(GetEimPackageResponse, r.value))).toBe('BF4F049F600100');
    expect(
      hex(encode(GetEimPackageResponse, fromJson(GetEimPackageResponse, { $unknown: '9F600100' }))),
    ).toBe('BF4F049F600100');
  });

  it('keeps [3] as a new alternative of the AUTOMATIC-tagged EuiccPackageResult, but not 30', () => {
    expect(hex(encode(EuiccPackageResult, decode(EuiccPackageResult, bytes('BF5102A300'))))).toBe(
      'BF5102A300',
    );
    expect(() => decode(EuiccPackageResult, bytes('BF51023000'))).toThrow(Asn1DecodeError);
  });

  it('keeps an unknown ENUMERATED value as its number', () => {
    const E = s.enumerated({ a: 0, b: 1 });
    expect(decode(E, bytes('0A0101'))).toBe('b');
    const r = decodeWithInfo(E, bytes('0A0105'));
    expect(r.value).toBe(5);
    expect(r.unknownExtensions).toBe(1);
    expect(hex(encode(E, 5))).toBe('0A0105');
    expect(hex(encode(E, 'a'))).toBe('0A0100');
  });
});

function expectError(f: () => unknown): Asn1DecodeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Asn1DecodeError);
    return e as Asn1DecodeError;
  }
  throw new Error('no error');
}
