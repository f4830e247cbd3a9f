/** SGP.32 v1.0.1 wire forms, and how a body from an unknown-version IPA is read. */
import { describe, expect, it } from 'vitest';
import {
  decode,
  decodeEsipaFromEim,
  decodeEsipaFromIpa,
  encode,
  hex,
  SGP32v10Definitions as V10,
  Asn1DecodeError,
} from '../src/index.js';
import { bytes } from './support/vectors.js';

const EID = '5A10' + '89044045930000000000001492294428';
const EPR_UNSIGNED = 'BF510BA209800465696D31840105'; // euiccPackageErrorUnsigned {eimId 'eim1', associationToken 5}

describe('v1.0.1 types (hand-written from the v1.0.1 module)', () => {
  it('GetEimPackageRequest: rPLMN is [1]', () => {
    const v = decode(V10.GetEimPackageRequest, bytes(`BF4F17${EID}810326F010`));
    expect(v).toEqual({ eidValue: bytes(EID.slice(4)), rPLMN: bytes('26F010') });
  });

  it('ProvideEimPackageResult is a [80] CHOICE (explicit) without EID; eimPackageError is INTEGER', () => {
    expect(hex(encode(V10.ProvideEimPackageResult, { eimPackageError: 1 }))).toBe('BF5003020101');
    expect(decode(V10.ProvideEimPackageResult, bytes(`BF500E${EPR_UNSIGNED}`))).toEqual({
      euiccPackageResult: { euiccPackageErrorUnsigned: { eimId: 'eim1', associationToken: 5 } },
    });
  });

  it('ProvideEimPackageResultResponse is a SEQUENCE: empty is BF50 00', () => {
    expect(hex(encode(V10.ProvideEimPackageResultResponse, {}))).toBe('BF5000');
    expect(hex(encode(V10.ProvideEimPackageResultResponse, { eimAcknowledgements: [100] }))).toBe(
      'BF5006BF5303800164',
    );
  });

  it('HandleNotificationEsipa alternatives are automatic: A0 explicit, A1 replacing BF50', () => {
    const v = { provideEimPackageResult: { eimPackageError: 1 } } as const;
    expect(hex(encode(V10.HandleNotificationEsipa, v))).toBe('BF3D05A103020101');
    expect(decode(V10.HandleNotificationEsipa, bytes('BF3D05A103020101'))).toEqual(v);
  });

  it('IpaEuiccData: defaultSmdpAddress [0], notificationsList [43]; error alternative is INTEGER 81', () => {
    const v = {
      ipaEuiccData: { defaultSmdpAddress: 'a', notificationsList: { notificationsListResultError: 127 } },
    };
    // 80 01 61 | BF2B 03 { 81 01 7F }: 9 octets in A0, 11 in BF52
    expect(hex(encode(V10.IpaEuiccDataResponse, v))).toBe('BF520BA009800161BF2B0381017F');
    expect(hex(encode(V10.IpaEuiccDataResponse, { ipaEuiccDataError: 1 }))).toBe('BF5203810101');
  });

  it('EimIdInfo.eimIdType is [4] (v1.2: [2])', () => {
    expect(hex(encode(V10.EimIdInfo, { eimId: 'a', eimIdType: 2 }))).toBe('3006800161840102');
  });

  it('ProfileDownloadTriggerResult error SEQUENCE is automatically tagged (errorResponse is 80)', () => {
    const v = { profileDownloadTriggerResultData: { profileDownloadError: { errorResponse: bytes('01') } } };
    expect(hex(encode(V10.ProfileDownloadTriggerResult, v))).toBe('BF540530038001' + '01');
  });
});

describe('decodeEsipaFromIpa', () => {
  it('reads v1.2 as v1.2', () => {
    const r = decodeEsipaFromIpa(bytes(`BF4F1C${EID}80008101038203260116`));
    expect(r.version).toBe('v1.2');
    expect(r.note).toBeUndefined();
  });

  it('reads a 3-octet [1] in GetEimPackageRequest as a v1.0.1 rPLMN', () => {
    const r = decodeEsipaFromIpa(bytes(`BF4F17${EID}810326F010`));
    expect(r.version).toBe('v1.0');
    expect(r.version === 'v1.0' && r.message.getEimPackageRequest?.rPLMN).toEqual(bytes('26F010'));
    expect(r.note).toMatch(/rPLMN/);
  });

  it('prefers v1.0.1 when v1.2 can only read the body with unknown elements', () => {
    const r = decodeEsipaFromIpa(bytes('BF3D05A103020101'));
    expect(r.version).toBe('v1.0');
    expect(r.note).toMatch(/unknown element/);
    const e = decodeEsipaFromIpa(bytes('BF5003020101'));
    expect(e.version).toBe('v1.0');
  });

  it('keeps a v1.2 body that also has a v1.0.1 reading', () => {
    // BF50 { BF51 ... }: v1.2 SEQUENCE without EID, or v1.0.1 CHOICE: same meaning, v1.2 wins.
    expect(decodeEsipaFromIpa(bytes(`BF500E${EPR_UNSIGNED}`)).version).toBe('v1.2');
  });

  it('honours an explicit version and reports the v1.2 error when neither reads', () => {
    expect(decodeEsipaFromIpa(bytes(`BF4F17${EID}810326F010`), { version: 'v1.2' }).version).toBe('v1.2');
    expect(() => decodeEsipaFromIpa(bytes('BF4F00'))).toThrow(Asn1DecodeError);
  });

  it('decodeEsipaFromEim reads the v1.0.1 empty ProvideEimPackageResultResponse', () => {
    expect(decodeEsipaFromEim(bytes('BF5000')).version).toBe('v1.0');
    expect(decodeEsipaFromEim(bytes('BF50023000')).version).toBe('v1.2');
  });
});
