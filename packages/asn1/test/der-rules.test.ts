/**
 * Hand-checked DER. Every expected byte string here was written from X.690 / X.680 by hand (the
 * comment says which rule), never produced by our encoder. Each case also decodes the bytes back.
 */
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import {
  Asn1DecodeError,
  Asn1EncodeError,
  decode,
  decodeWithInfo,
  EimConfigurationData,
  encode,
  EsipaMessageFromEimToIpa,
  EuiccPackageResult,
  EuiccPackageSigned,
  EuiccResultData,
  GetEimPackageRequest,
  hex,
  ImmediateEnableRequest,
  IpaEuiccDataResponse,
  ProfileDownloadTriggerRequest,
  ProfileInfo,
  ProfileRollbackRequest,
  ProvideEimPackageResult,
  StoreMetadataRequest,
  CompactProfileInstallationResultData,
  schema as s,
  type AnySchema,
  type ValueOf,
} from '../src/index.js';
import { bytes } from './support/vectors.js';

const H = (type: AnySchema, value: unknown) => hex(encode(type, value as never));
const D = (type: AnySchema, h: string) => decode(type, bytes(h));

function roundTrip<S extends AnySchema>(type: S, value: ValueOf<S>, expectedHex: string) {
  expect(H(type, value)).toBe(expectedHex);
  expect(D(type, expectedHex)).toEqual(value);
}

function decodeError(type: AnySchema, h: string): Asn1DecodeError {
  try {
    D(type, h);
  } catch (e) {
    expect(e).toBeInstanceOf(Asn1DecodeError);
    return e as Asn1DecodeError;
  }
  throw new Error(`decoding ${h} did not fail`);
}

function encodeError(type: AnySchema, value: unknown): Asn1EncodeError {
  try {
    H(type, value);
  } catch (e) {
    expect(e).toBeInstanceOf(Asn1EncodeError);
    return e as Asn1EncodeError;
  }
  throw new Error('encoding did not fail');
}

describe('identifier octets (X.690 8.1.2)', () => {
  it('uses the low form up to 30 and the high form from 31, base 128 without leading 0x80', () => {
    roundTrip(s.tag(30, s.NULL), null, '9E00'); // 10 0 11110
    roundTrip(s.tag(31, s.NULL), null, '9F1F00'); // 10 0 11111, then 31
    roundTrip(s.tag(79, s.sequence({})), {}, 'BF4F00'); // context, constructed, 79 = 0x4F
    roundTrip(s.tag(127, s.NULL), null, '9F7F00');
    roundTrip(s.tag(128, s.NULL), null, '9F810000'); // 128 = 1*128 + 0
    roundTrip(s.tag(16383, s.NULL), null, '9FFF7F00'); // 127*128 + 127
    roundTrip(s.tag(16384, s.NULL), null, '9F81800000'); // 1*128^2
    roundTrip(s.tag(s.app(55), s.OCTET_STRING), Uint8Array.of(0xaa), '5F3701AA'); // 01 0 11111, 55 = 0x37
    roundTrip(s.tag(s.app(26), s.OCTET_STRING), Uint8Array.of(1), '5A0101'); // 01 0 11010
    roundTrip(s.tag(s.priv(3), s.sequence({})), {}, 'E300'); // 11 1 00011
  });

  it('rejects a high-form tag with a leading 0x80 octet or for a number below 31', () => {
    expect(decodeError(s.tag(79, s.NULL), '9F804F00').reason).toMatch(/non-minimal high tag number/);
    expect(decodeError(s.tag(30, s.NULL), '9F1E00').reason).toMatch(/single-octet identifier form/);
  });
});

describe('X.680 31.2.7: tags on CHOICE types', () => {
  const Inner = s.define('M', 'Inner', s.choice({ a: s.tag(0, s.NULL), b: s.tag(1, s.NULL) }));
  const Tagged = s.define('M', 'Tagged', s.tag(5, Inner));

  it('makes a tag on an untagged CHOICE EXPLICIT: [7] { alternative TLV }', () => {
    roundTrip(s.sequence({ x: s.tag(7, Inner) }), { x: { a: null } }, '3004A7028000');
    // profileDownloadData [0] ProfileDownloadData: A0 { 80 03 'ACT' }, eimTransactionId [2] 82 01 02
    roundTrip(
      ProfileDownloadTriggerRequest,
      { profileDownloadData: { activationCode: 'ACT' }, eimTransactionId: Uint8Array.of(0x01, 0x02) },
      'BF540BA005800341435482020102',
    );
    // addEimResult [8] AddEimResult (untagged CHOICE): A8 { 84 01 07 }
    roundTrip(EuiccResultData, { addEimResult: { associationToken: 7 } }, 'A803840107');
  });

  it('makes a tag on an already-tagged CHOICE IMPLICIT: it replaces the tag, one wrapper only', () => {
    roundTrip(s.sequence({ x: s.tag(7, Tagged) }), { x: { b: null } }, '3004A7028100');
    // Written EXPLICIT in the text, the wrapper is kept: A7 { A5 { 81 00 } }
    roundTrip(s.sequence({ x: s.tag(7, Tagged, 'EXPLICIT') }), { x: { b: null } }, '3006A704A5028100');
    // [81] EuiccPackageResult inside EimPackageResult: one BF51, then A2 (euiccPackageErrorUnsigned)
    const h = H(ProvideEimPackageResult, {
      eimPackageResult: {
        euiccPackageResult: { euiccPackageErrorUnsigned: { eimId: 'eim1', associationToken: 5 } },
      },
    });
    expect(h).toBe('BF500EBF510BA209800465696D31840105');
    expect(h.match(/BF51/g)).toHaveLength(1);
    // [79] GetEimPackageResponse in EsipaMessageFromEimToIpa: BF4F 03 02 01 01, not BF4F 05 BF4F ...
    roundTrip(EsipaMessageFromEimToIpa, { getEimPackageResponse: { eimPackageError: 1 } }, 'BF4F03020101');
  });

  it('refuses IMPLICIT on an untagged CHOICE when building a schema', () => {
    expect(() => s.tag(1, Inner, 'IMPLICIT')).toThrow(/not allowed/);
  });
});

describe('AUTOMATIC tags (X.680 25.3)', () => {
  it('numbers untagged CHOICE alternatives [0], [1], [2]: A0 / A1 / A2, not 30', () => {
    roundTrip(EuiccPackageResult, { euiccPackageErrorUnsigned: { eimId: 'eim1' } }, 'BF5108A206800465696D31');
    // IpaEuiccDataResponse error alternative [1] on a SEQUENCE: A1 { 02 01 01 }
    roundTrip(
      IpaEuiccDataResponse,
      { ipaEuiccDataResponseError: { ipaEuiccDataErrorCode: 1 } },
      'BF5205A103020101',
    );
  });

  it('tags a lone BOOLEAN [0]: 80 01 xx, not 01 01 xx', () => {
    roundTrip(ImmediateEnableRequest, { refreshFlag: true }, 'BF5A038001FF');
    roundTrip(ProfileRollbackRequest, { refreshFlag: false }, 'BF5803800100');
  });

  it('does not number components when one is textually tagged', () => {
    // EuiccPackageSigned: eimId [0] 80, eidValue 5A, counterValue [1] 81, euiccPackage psmoList A0 { getRAT A6 00 }
    roundTrip(
      EuiccPackageSigned,
      {
        eimId: 'e',
        eidValue: new Uint8Array(16),
        counterValue: 1,
        euiccPackage: { psmoList: [{ getRAT: {} }] },
      },
      '301C8001655A1000000000000000000000000000000000810101A002A600',
    );
  });
});

describe('DEFAULT (X.690 11.5)', () => {
  it('omits a component equal to its DEFAULT and fills it in on decode', () => {
    expect(H(ProfileInfo, { fallbackAttribute: false })).toBe('E300');
    expect(D(ProfileInfo, 'E300')).toEqual({ fallbackAttribute: false });
    roundTrip(ProfileInfo, { fallbackAttribute: true }, 'E3049F2601FF'); // [38] = 9F 26
    // StoreMetadataRequest.profileClass DEFAULT operational(2): omitted; test(0) present as 95 01 00
    const base = { iccid: new Uint8Array(10), serviceProviderName: 'S', profileName: 'P' };
    expect(H(StoreMetadataRequest, { ...base, profileClass: 2 })).toBe(
      'BF25125A0A00000000000000000000910153920150',
    );
    expect(H(StoreMetadataRequest, { ...base, profileClass: 0 })).toBe(
      'BF25155A0A00000000000000000000910153920150950100',
    );
    // iccidPresent BOOLEAN DEFAULT TRUE
    const compact = {
      transactionId: Uint8Array.of(1),
      seqNumber: 1,
      compactFinalResult: { compactSuccessResult: { compactAid: Uint8Array.of(1, 2) } },
    };
    // 80 01 01 | 02 01 01 | A2 06 { A0 04 { 4F 02 01 02 } }: 14 octets
    expect(H(CompactProfileInstallationResultData, { ...compact, iccidPresent: true })).toBe(
      '300E800101020101A206A0044F020102',
    );
    // with FALSE, 01 01 00 follows seqNumber: 17 octets
    expect(H(CompactProfileInstallationResultData, { ...compact, iccidPresent: false })).toBe(
      '3011800101020101010100A206A0044F020102',
    );
  });

  it('reads an encoded DEFAULT value leniently (warning), and rejects it in strict mode', () => {
    const r = decodeWithInfo(ProfileInfo, bytes('E3049F260100'));
    expect(r.value).toEqual({ fallbackAttribute: false });
    expect(r.lenientReadings).toBe(1);
    expect(r.warnings[0]!.path).toBe('ProfileInfo.fallbackAttribute');
    expect(hex(encode(ProfileInfo, r.value))).toBe('E300');
    expect(() => decode(ProfileInfo, bytes('E3049F260100'), { strict: true })).toThrow(/DEFAULT/);
  });
});

describe('SET and SET OF ordering (X.690 10.3, 11.6)', () => {
  const Octets = s.setOf(s.OCTET_STRING);
  it('sorts SET OF elements as octet strings', () => {
    // 04 01 01 < 04 02 01 01 < 04 02 02 02
    const v = [Uint8Array.of(2, 2), Uint8Array.of(1), Uint8Array.of(1, 1)];
    expect(H(Octets, v)).toBe('310B0401010402010104020202');
    expect(D(Octets, '310B0401010402010104020202')).toEqual([
      Uint8Array.of(1),
      Uint8Array.of(1, 1),
      Uint8Array.of(2, 2),
    ]);
    expect(decodeError(Octets, '310B0402010104010104020202').reason).toMatch(/DER order/);
  });

  it('orders SET components by tag, not by declaration', () => {
    const S2 = s.set({ b: s.tag(1, s.INTEGER), a: s.tag(0, s.INTEGER) });
    roundTrip(S2, { b: 2, a: 1 }, '3106800101810102');
    expect(decodeError(S2, '3106810102800101').reason).toMatch(/canonical tag order/);
  });
});

describe('INTEGER (X.690 8.3: minimal two\u2019s complement)', () => {
  const cases: Array<[number, string]> = [
    [0, '020100'],
    [127, '02017F'],
    [128, '02020080'],
    [-1, '0201FF'],
    [-128, '020180'],
    [-129, '0202FF7F'],
    [256, '02020100'],
    [Number.MAX_SAFE_INTEGER, '02071FFFFFFFFFFFFF'],
  ];
  it.each(cases)('%d is %s', (n, h) => roundTrip(s.INTEGER, n, h));

  it('rejects non-minimal and empty encodings, and values beyond 2^53 unless declared big', () => {
    expect(decodeError(s.INTEGER, '0202007F').reason).toMatch(/non-minimal INTEGER/);
    expect(decodeError(s.INTEGER, '0202FF80').reason).toMatch(/non-minimal INTEGER/);
    expect(decodeError(s.INTEGER, '0200').reason).toMatch(/no content/);
    expect(decodeError(s.INTEGER, '0208' + '20' + '00'.repeat(7)).reason).toMatch(/MAX_SAFE_INTEGER/);
    expect(D(s.bigInteger(), '0209' + '01' + '00'.repeat(8))).toBe(2n ** 64n);
    expect(encodeError(s.INTEGER, 1.5).reason).toMatch(/safe integer/);
  });
});

describe('length octets (X.690 8.1.3, 10.1)', () => {
  it('uses the short form below 128 and the minimal long form from 128', () => {
    expect(H(s.OCTET_STRING, new Uint8Array(127)).slice(0, 4)).toBe('047F');
    expect(H(s.OCTET_STRING, new Uint8Array(128)).slice(0, 6)).toBe('048180');
    expect(H(s.OCTET_STRING, new Uint8Array(255)).slice(0, 6)).toBe('0481FF');
    expect(H(s.OCTET_STRING, new Uint8Array(256)).slice(0, 8)).toBe('04820100');
    expect(D(s.OCTET_STRING, '048180' + '00'.repeat(128))).toHaveLength(128);
    expect(D(s.OCTET_STRING, '04820100' + '00'.repeat(256))).toHaveLength(256);
  });

  it('rejects non-minimal long forms', () => {
    expect(decodeError(s.OCTET_STRING, '04817F' + '00'.repeat(127)).reason).toMatch(
      /long form for length 127/,
    );
    expect(decodeError(s.OCTET_STRING, '04820080' + '00'.repeat(128)).reason).toMatch(/leading zero/);
  });
});

describe('BIT STRING (X.690 8.6, 11.2)', () => {
  it('drops trailing zero bits of a named BIT STRING: eimSupportedProtocol {eimRetrieveHttps} is 87 02 07 80', () => {
    roundTrip(
      EimConfigurationData,
      { eimId: 'a', eimSupportedProtocol: ['eimRetrieveHttps'] },
      '3007800161870207' + '80',
    );
    // bits 0 and 4: 1000 1 -> 88 with 3 unused bits; no bits: 87 01 00
    roundTrip(
      EimConfigurationData,
      { eimId: 'a', eimSupportedProtocol: ['eimRetrieveHttps', 'eimProprietary'] },
      '3007800161870203' + '88',
    );
    roundTrip(EimConfigurationData, { eimId: 'a', eimSupportedProtocol: [] }, '300680016187' + '0100');
  });

  it('reads fixed-width named bits leniently and keeps unknown bits as numbers', () => {
    const r = decodeWithInfo(EimConfigurationData, bytes('30078001618702' + '0380'));
    expect(r.value.eimSupportedProtocol).toEqual(['eimRetrieveHttps']);
    expect(r.lenientReadings).toBe(1);
    roundTrip(
      EimConfigurationData,
      { eimId: 'a', eimSupportedProtocol: ['eimRetrieveHttps', 6] },
      '30078001618702' + '0182',
    );
  });

  it('rejects non-zero padding bits and a bad unused-bits octet', () => {
    expect(decodeError(EimConfigurationData, '30078001618702' + '0781').reason).toMatch(/padding bits/);
    expect(decodeError(s.BIT_STRING, '030208FF').reason).toMatch(/above 7/);
    expect(decodeError(s.BIT_STRING, '030107').reason).toMatch(/empty BIT STRING/);
  });

  it('keeps a plain BIT STRING exactly, trailing zeros included', () => {
    roundTrip(s.BIT_STRING, { bytes: Uint8Array.of(0x80), unusedBits: 4 }, '03020480');
  });
});

describe('SIZE constraints (X.680 51.5)', () => {
  const signed = {
    eimId: 'e',
    eidValue: new Uint8Array(16),
    counterValue: 1,
    euiccPackage: { psmoList: [] },
  };

  it('refuses to encode values outside their SIZE', () => {
    const e = encodeError(EuiccPackageSigned, { ...signed, eidValue: new Uint8Array(15) });
    expect(e.path).toBe('EuiccPackageSigned.eidValue');
    expect(e.reason).toBe('SIZE(16) violated: 15 octet(s)');
    expect(encodeError(EuiccPackageSigned, { ...signed, eimId: '' }).reason).toMatch(/SIZE\(1\.\.128\)/);
    expect(encodeError(EuiccPackageSigned, { ...signed, eimId: 'x'.repeat(129) }).reason).toMatch(
      /129 character/,
    );
    // SIZE counts characters: 128 four-byte characters are fine
    expect(() => H(EuiccPackageSigned, { ...signed, eimId: '\u{1F4F6}'.repeat(128) })).not.toThrow();
  });

  it('rejects decoded values outside their SIZE', () => {
    const e = decodeError(GetEimPackageRequest, 'BF4F115A0F' + '00'.repeat(15));
    expect(e.path).toBe('GetEimPackageRequest.eidValue');
    expect(e.offset).toBe(3);
    expect(decodeError(GetEimPackageRequest, 'BF4F185A10' + '00'.repeat(16) + '820401020304').reason).toMatch(
      /SIZE\(3\) violated: 4 octet/,
    );
  });
});

describe('other primitives', () => {
  it('BOOLEAN is 00 or FF', () => {
    roundTrip(s.BOOLEAN, true, '0101FF');
    expect(decodeError(s.BOOLEAN, '010101').reason).toMatch(/00 or FF/);
  });

  it('NULL has no content', () => {
    roundTrip(s.NULL, null, '0500');
    expect(decodeError(s.NULL, '050100').reason).toMatch(/no content/);
  });

  it('OBJECT IDENTIFIER matches asn1js and rejects non-minimal subidentifiers', () => {
    for (const oid of [
      '1.3.6.1.4.1.53775.1.5.1.1',
      '2.999.10',
      '2.23.146.1.2.1.3',
      '0.39',
      '2.25.329800735698586629295641978511506172918',
    ]) {
      const ours = H(s.OBJECT_IDENTIFIER, oid);
      const theirs = hex(new Uint8Array(new asn1js.ObjectIdentifier({ value: oid }).toBER(false)));
      expect(ours).toBe(theirs);
      expect(D(s.OBJECT_IDENTIFIER, ours)).toBe(oid);
    }
    expect(D(s.OBJECT_IDENTIFIER, '06028837')).toBe('2.999');
    expect(decodeError(s.OBJECT_IDENTIFIER, '0603808101').reason).toMatch(/leading 0x80/);
    expect(decodeError(s.OBJECT_IDENTIFIER, '060188').reason).toMatch(/truncated/);
    expect(encodeError(s.OBJECT_IDENTIFIER, '1.40').reason).toMatch(/below 40/);
  });

  it('UTF8String must be valid UTF-8', () => {
    roundTrip(s.UTF8String, 'é', '0C02C3A9');
    expect(decodeError(s.UTF8String, '0C01FF').reason).toMatch(/not valid UTF-8/);
  });

  it('the constructed bit must match the type', () => {
    expect(decodeError(s.OCTET_STRING, '2403040101').reason).toMatch(/must be primitive/);
    expect(decodeError(s.sequence({}), '1000').reason).toMatch(/must be constructed/);
  });
});
