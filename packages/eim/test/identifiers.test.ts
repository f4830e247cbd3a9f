import { describe, expect, it } from 'vitest';
import {
  eidFromBytes,
  fromHex,
  iccidFromBytes,
  iccidToBytes,
  isValidEid,
  toHex,
} from '../src/identifiers.js';
import { verdictOf } from '../src/results/result-codes.js';

describe('identifiers', () => {
  it('checks EID check digits (mod 97 = 1)', () => {
    expect(isValidEid('89049032123451234512345678901235')).toBe(true);
    expect(isValidEid('89049032123451234512345678901234')).toBe(false);
    expect(isValidEid('8904903212345123451234567890123')).toBe(false);
    expect(eidFromBytes(fromHex('89049032123451234512345678901235'))).toBe(
      '89049032123451234512345678901235',
    );
    expect(eidFromBytes(fromHex('8904903212345123451234567890123F'))).toBeUndefined();
  });

  it('codes ICCIDs as EF.ICCID does (swapped nibbles, F padding) and back', () => {
    expect(toHex(iccidToBytes('89440000000000000011'))).toBe('98440000000000000011');
    expect(toHex(iccidToBytes('8944123456789012345'))).toBe('984421436587092143F5');
    for (const iccid of ['89440000000000000011', '8944123456789012345', '894412345678901234'])
      expect(iccidFromBytes(iccidToBytes(iccid))).toBe(iccid);
    expect(() => iccidToBytes('12ab')).toThrow(RangeError);
    expect(() => fromHex('zz')).toThrow(RangeError);
  });
});

describe('result verdicts', () => {
  it.each([
    [{ enableResult: 0 }, true],
    [{ enableResult: 2 }, false],
    [{ deleteResult: 1 }, false],
    [{ listProfileInfoResult: { profileInfoListOk: [] } }, true],
    [{ listProfileInfoResult: { profileInfoListError: 127 } }, false],
    [{ addEimResult: { associationToken: 3 } }, true],
    [{ addEimResult: { addEimResultCode: 2 } }, false],
    [{ listEimResult: { eimIdList: [] } }, true],
    [{ setDefaultDpAddressResult: { setDefaultDpAddressResult: 0 } }, true],
    [{ processingTerminated: 2 }, false],
    [{ getRATResult: [] }, true],
  ] as const)('%j -> ok %s', (r, ok) => {
    expect(verdictOf(r as never).ok).toBe(ok);
  });
});
