/** The eUICC model against packages signed here with a generated test eIM key. */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  decode,
  encode,
  EuiccPackageRequest,
  EXTENSIONS,
  UNKNOWN_ALTERNATIVE,
  type EuiccPackage,
  type EuiccPackageResult,
  type EuiccResultData,
  type Psmo,
} from '@esim/asn1';
import { Euicc } from '../../src/sgp32/euicc/euicc.js';
import type { EuiccState } from '../../src/sgp32/euicc/state.js';
import { MAX_COUNTER_VALUE } from '../../src/sgp32/euicc/eim-configuration.js';
import { iccidToBytes } from '../../src/sgp32/pki/iccid.js';
import { credentials, onboardedCard, P1, P2, P3 } from './support/card.js';
import {
  configurationOf,
  notificationSignatureValid,
  resultSignatureValid,
  signPackage,
  testEim,
  type TestEim,
} from './support/test-eim.js';

const UNKNOWN = '89499990000009999995';
const iccid = (s: string) => iccidToBytes(s);

let euicc: Euicc;
let eim: TestEim;
let token: number;
let counter: number;

function load(
  euiccPackage: EuiccPackage,
  overrides: { counterValue?: number; eidValue?: Uint8Array } = {},
  signer: TestEim = eim,
) {
  const counterValue = overrides.counterValue ?? ++counter;
  const request = signPackage(signer, {
    eimId: eim.eimId,
    eidValue: overrides.eidValue ?? euicc.eidValue,
    counterValue,
    eimTransactionId: new Uint8Array([0xaa, counterValue & 0xff]),
    euiccPackage,
  });
  return euicc.loadEuiccPackage(request);
}

function resultsOf(result: EuiccPackageResult): EuiccResultData[] {
  expect(Object.keys(result)).toEqual(['euiccPackageResultSigned']);
  expect(resultSignatureValid(result, credentials.euiccCertificate, token)).toBe(true);
  return result.euiccPackageResultSigned!.euiccPackageResultDataSigned.euiccResult;
}

const psmo = (...psmoList: NonNullable<EuiccPackage['psmoList']>) => resultsOf(load({ psmoList }));
const eco = (...ecoList: NonNullable<EuiccPackage['ecoList']>) => resultsOf(load({ ecoList }));
const profile = (i: string) => euicc.state.profiles.find((p) => p.iccid === i);
const events = () =>
  euicc
    .pendingNotifications()
    .map((n) => n.notification.otherSignedNotification!.tbsOtherNotification.profileManagementOperation[0]);

beforeEach(() => {
  eim = testEim();
  ({ euicc, token } = onboardedCard(eim));
  expect(token).toBeGreaterThan(0);
  counter = 0;
});

describe('PSMOs', () => {
  it('enable switches the enabled profile and queues signed notifications for both profiles', () => {
    expect(psmo({ enable: { iccid: iccid(P3) } })).toEqual([{ enableResult: 0 }]);
    expect(profile(P3)!.state).toBe('enabled');
    expect(profile(P1)!.state).toBe('disabled');
    expect(events()).toEqual(['notificationDisable', 'notificationEnable']);
    const n = euicc.pendingNotifications()[1]!.notification.otherSignedNotification!;
    expect(n.tbsOtherNotification.iccid).toEqual(iccid(P3));
    expect(notificationSignatureValid(n)).toBe(true);
  });

  it('enable: unknown ICCID, profile already enabled; processing stops at the first failure', () => {
    expect(psmo({ enable: { iccid: iccid(UNKNOWN) } }, { disable: { iccid: iccid(P1) } })).toEqual([
      { enableResult: 1 },
    ]);
    expect(profile(P1)!.state).toBe('enabled');
    expect(psmo({ enable: { iccid: iccid(P1) } })).toEqual([{ enableResult: 2 }]);
    expect(events()).toEqual([]);
  });

  it('disable and delete, with their refusals', () => {
    expect(psmo({ delete: { iccid: iccid(P1) } })).toEqual([{ deleteResult: 2 }]);
    expect(psmo({ disable: { iccid: iccid(P3) } })).toEqual([{ disableResult: 2 }]);
    expect(psmo({ disable: { iccid: iccid(UNKNOWN) } })).toEqual([{ disableResult: 1 }]);
    expect(psmo({ disable: { iccid: iccid(P1) } }, { delete: { iccid: iccid(P1) } })).toEqual([
      { disableResult: 0 },
      { deleteResult: 0 },
    ]);
    expect(profile(P1)).toBeUndefined();
    expect(psmo({ delete: { iccid: iccid(P1) } })).toEqual([{ deleteResult: 1 }]);
    expect(events()).toEqual(['notificationDisable', 'notificationDelete']);
  });

  it('listProfileInfo: all, by ICCID, by profile class, restricted to a tag list, bad tag list', () => {
    const [all] = psmo({ listProfileInfo: {} });
    const list = all!.listProfileInfoResult!.profileInfoListOk!;
    expect(list.map((p) => [p.iccid, p.profileState, p.fallbackAttribute])).toEqual([
      [iccid(P1), 1, false],
      [iccid(P2), 0, true],
      [iccid(P3), 0, false],
    ]);
    const [one] = psmo({ listProfileInfo: { searchCriteria: { iccid: iccid(P2) } } });
    expect(one!.listProfileInfoResult!.profileInfoListOk!.map((p) => p.profileClass)).toEqual([1]);
    const [operational] = psmo({ listProfileInfo: { searchCriteria: { profileClass: 2 } } });
    expect(operational!.listProfileInfoResult!.profileInfoListOk).toHaveLength(2);
    const [narrow] = psmo({ listProfileInfo: { tagList: new Uint8Array([0x5a, 0x9f, 0x70]) } });
    expect(Object.keys(narrow!.listProfileInfoResult!.profileInfoListOk![0]!).sort()).toEqual([
      'fallbackAttribute',
      'iccid',
      'profileState',
    ]);
    expect(psmo({ listProfileInfo: { tagList: new Uint8Array([0x9f]) } })).toEqual([
      { listProfileInfoResult: { profileInfoListError: 1 } },
    ]);
  });

  it('listProfileInfo by ISD-P AID', () => {
    const aid = new Uint8Array(Buffer.from(profile(P3)!.isdpAid, 'hex'));
    const [byAid] = psmo({ listProfileInfo: { searchCriteria: { isdpAid: aid } } });
    expect(byAid!.listProfileInfoResult!.profileInfoListOk!.map((p) => p.iccid)).toEqual([iccid(P3)]);
  });

  it('getRAT, configureImmediateEnable, setDefaultDpAddress', () => {
    expect(
      psmo(
        { getRAT: {} },
        { configureImmediateEnable: { immediateEnableFlag: null, defaultSmdpAddress: 'smdp.example' } },
        { setDefaultDpAddress: { defaultDpAddress: 'dp.example' } },
      ),
    ).toEqual([
      { getRATResult: [] },
      { configureImmediateEnableResult: 0 },
      { setDefaultDpAddressResult: { setDefaultDpAddressResult: 0 } },
    ]);
    expect(euicc.state.immediateEnable).toEqual({ enabled: true, defaultSmdpAddress: 'smdp.example' });
    expect(euicc.state.defaultDpAddress).toBe('dp.example');
  });

  it('setFallbackAttribute / unsetFallbackAttribute and their refusals', () => {
    expect(psmo({ setFallbackAttribute: { iccid: iccid(UNKNOWN) } })).toEqual([
      { setFallbackAttributeResult: 1 },
    ]);
    expect(psmo({ setFallbackAttribute: { iccid: iccid(P3) } })).toEqual([{ setFallbackAttributeResult: 0 }]);
    expect(euicc.state.profiles.filter((p) => p.fallbackAttribute).map((p) => p.iccid)).toEqual([P3]);
    profile(P1)!.fallbackAllowed = false;
    expect(psmo({ setFallbackAttribute: { iccid: iccid(P1) } })).toEqual([{ setFallbackAttributeResult: 2 }]);
    expect(psmo({ unsetFallbackAttribute: {} })).toEqual([{ unsetFallbackAttributeResult: 0 }]);
    expect(psmo({ unsetFallbackAttribute: {} })).toEqual([{ unsetFallbackAttributeResult: 2 }]);
    // The fallback profile in use cannot lose its attribute.
    expect(psmo({ setFallbackAttribute: { iccid: iccid(P3) } }, { enable: { iccid: iccid(P3) } })).toEqual([
      { setFallbackAttributeResult: 0 },
      { enableResult: 0 },
    ]);
    expect(psmo({ unsetFallbackAttribute: {} })).toEqual([{ unsetFallbackAttributeResult: 3 }]);
    expect(psmo({ setFallbackAttribute: { iccid: iccid(P2) } })).toEqual([{ setFallbackAttributeResult: 3 }]);
  });
});

describe('state', () => {
  it('survives JSON and refuses to run on another card', () => {
    psmo({ enable: { iccid: iccid(P3) } });
    const copy = new Euicc(credentials, JSON.parse(JSON.stringify(euicc.snapshot())) as EuiccState);
    expect(copy.state).toEqual(euicc.state);
    expect(copy.pendingNotifications()).toEqual(euicc.pendingNotifications());
    expect(
      () => new Euicc(credentials, { ...euicc.snapshot(), eid: '89049099000000000000000000000085' }),
    ).toThrow(
      /state of EID 89049099000000000000000000000085 given to the eUICC 89049032123451234512345678901235/,
    );
  });
});

describe('fallback mechanism', () => {
  it('enables the fallback profile, notifies both changes, and remembers to report the state change', () => {
    expect(euicc.activateFallback()).toBe(true);
    expect(profile(P2)!.state).toBe('enabled');
    expect(profile(P1)!.state).toBe('disabled');
    expect(events()).toEqual(['notificationDisable', 'notificationEnable']);
    expect(euicc.state.unreportedStateChange).toBe(1);
    expect(euicc.activateFallback()).toBe(false);
    euicc.stateChangeReported(1);
    expect(euicc.state.unreportedStateChange).toBeUndefined();
    // In use, the fallback profile keeps its attribute.
    expect(psmo({ unsetFallbackAttribute: {} })).toEqual([{ unsetFallbackAttributeResult: 3 }]);
  });

  it('does nothing without a fallback profile', () => {
    psmo({ unsetFallbackAttribute: {} });
    expect(euicc.activateFallback()).toBe(false);
    expect(profile(P1)!.state).toBe('enabled');
    expect(euicc.state.unreportedStateChange).toBeUndefined();
  });
});

describe('rollback (enable with rollbackFlag, ES10b.ProfileRollback)', () => {
  const enableWithRollback = (i: string) =>
    load({ psmoList: [{ enable: { iccid: iccid(i), rollbackFlag: null } }] });

  it('goes back to the previous profile and amends the signed result with rollbackResult', () => {
    const first = enableWithRollback(P3);
    const seqNumber = first.euiccPackageResultSigned!.euiccPackageResultDataSigned.seqNumber;
    const rollback = euicc.profileRollback();
    expect(rollback.cmdResult).toBe(0);
    expect(profile(P1)!.state).toBe('enabled');
    expect(profile(P3)!.state).toBe('disabled');
    const amended = rollback.eUICCPackageResult!;
    expect(resultsOf(amended)).toEqual([{ enableResult: 0 }, { rollbackResult: 0 }]);
    expect(amended.euiccPackageResultSigned!.euiccPackageResultDataSigned.seqNumber).toBe(seqNumber);
    expect(euicc.pendingPackageResults()).toEqual([amended]);
    expect(events()).toEqual([
      'notificationDisable',
      'notificationEnable',
      'notificationDisable',
      'notificationEnable',
    ]);
    expect(euicc.profileRollback()).toEqual({ cmdResult: 1 });
  });

  it('is not allowed without rollbackFlag, after the eIM acknowledged the result, or after another package', () => {
    psmo({ enable: { iccid: iccid(P3) } });
    expect(euicc.profileRollback()).toEqual({ cmdResult: 1 });
    const result = enableWithRollback(P1);
    euicc.removeNotificationFromList(result.euiccPackageResultSigned!.euiccPackageResultDataSigned.seqNumber);
    expect(euicc.profileRollback()).toEqual({ cmdResult: 1 });
    enableWithRollback(P3);
    psmo({ getRAT: {} });
    expect(euicc.profileRollback()).toEqual({ cmdResult: 1 });
    expect(profile(P3)!.state).toBe('enabled');
  });

  it('rollbackFlag without an enabled profile to go back to: rollbackNotAvailable', () => {
    psmo({ disable: { iccid: iccid(P1) } });
    expect(resultsOf(enableWithRollback(P3))).toEqual([{ enableResult: 20 }]);
  });
});

describe('rejected packages', () => {
  const enableP3 = { psmoList: [{ enable: { iccid: iccid(P3) } }] };

  it('a bad eIM signature gets an unsigned error and changes nothing', () => {
    const before = euicc.snapshot();
    const result = load(enableP3, {}, testEim(eim.eimId));
    expect(result.euiccPackageErrorUnsigned).toEqual({
      eimId: eim.eimId,
      eimTransactionId: new Uint8Array([0xaa, 1]),
    });
    expect(euicc.snapshot()).toEqual(before);
  });

  it('a signature that is not 64 bytes of r || s gets an unsigned error', () => {
    const good = signPackage(eim, { eidValue: euicc.eidValue, counterValue: 1, euiccPackage: enableP3 });
    for (const eimSignature of [new Uint8Array(0), good.eimSignature.subarray(0, 63), new Uint8Array(72)]) {
      const wire = encode(EuiccPackageRequest, { euiccPackageSigned: good.euiccPackageSigned, eimSignature });
      expect(
        euicc.loadEuiccPackage(decode(EuiccPackageRequest, wire)).euiccPackageErrorUnsigned,
      ).toBeDefined();
    }
    expect(profile(P3)!.state).toBe('disabled');
  });

  it('an unknown eimId gets an unsigned error', () => {
    const stranger = testEim('stranger.example');
    const request = signPackage(stranger, {
      eidValue: euicc.eidValue,
      counterValue: 1,
      euiccPackage: enableP3,
    });
    expect(euicc.loadEuiccPackage(request)).toEqual({
      euiccPackageErrorUnsigned: { eimId: 'stranger.example' },
    });
  });

  it('another EID gets a signed invalidEid', () => {
    const other = new Uint8Array(euicc.eidValue);
    other[15] = other[15]! ^ 1;
    const result = load(enableP3, { eidValue: other });
    expect(result.euiccPackageErrorSigned!.euiccPackageErrorDataSigned.euiccPackageErrorCode).toBe(3);
    expect(resultSignatureValid(result, credentials.euiccCertificate, token)).toBe(true);
    expect(profile(P3)!.state).toBe('disabled');
  });

  it('a replayed counter gets a signed replayError, also after a reboot; beyond the maximum, counterValueOutOfRange', () => {
    psmo({ listProfileInfo: {} });
    const replay = load(enableP3, { counterValue: counter });
    expect(replay.euiccPackageErrorSigned!.euiccPackageErrorDataSigned).toMatchObject({
      counterValue: counter,
      euiccPackageErrorCode: 4,
    });
    expect(resultSignatureValid(replay, credentials.euiccCertificate, token)).toBe(true);
    euicc = new Euicc(credentials, JSON.parse(JSON.stringify(euicc.snapshot())));
    expect(load(enableP3, { counterValue: counter - 1 }).euiccPackageErrorSigned).toBeDefined();
    expect(profile(P3)!.state).toBe('disabled');
    const tooHigh = load(enableP3, { counterValue: MAX_COUNTER_VALUE + 1 });
    expect(tooHigh.euiccPackageErrorSigned!.euiccPackageErrorDataSigned.euiccPackageErrorCode).toBe(6);
    expect(psmo({ enable: { iccid: iccid(P3) } })).toEqual([{ enableResult: 0 }]);
  });

  it('an operation of a later version of the module ends the package with processingTerminated', () => {
    const later = { [UNKNOWN_ALTERNATIVE]: new Uint8Array([0xbf, 0x32, 0x00]) } as unknown as Psmo;
    expect(psmo({ getRAT: {} }, later, { enable: { iccid: iccid(P3) } })).toEqual([
      { getRATResult: [] },
      { processingTerminated: 2 },
    ]);
    expect(profile(P3)!.state).toBe('disabled');
  });

  it('verifies over the bytes received: a later-version extension signed by the eIM passes, one added after signing does not', () => {
    const later = { [EXTENSIONS]: [new Uint8Array([0x9f, 0x40, 0x01, 0x2a])] };
    const signed = {
      eimId: eim.eimId,
      eidValue: euicc.eidValue,
      counterValue: ++counter,
      euiccPackage: { psmoList: [{ getRAT: {} }] },
    };
    const withExtension = signPackage(eim, { ...signed, ...later } as typeof signed);
    expect(resultsOf(euicc.loadEuiccPackage(withExtension))).toEqual([{ getRATResult: [] }]);
    const genuine = signPackage(eim, { ...signed, counterValue: ++counter });
    const tampered = encode(EuiccPackageRequest, {
      euiccPackageSigned: { ...genuine.euiccPackageSigned, ...later },
      eimSignature: genuine.eimSignature,
    });
    expect(
      euicc.loadEuiccPackage(decode(EuiccPackageRequest, tampered)).euiccPackageErrorUnsigned,
    ).toBeDefined();
  });

  it('a result signed without association token does not verify as one signed with it', () => {
    const result = load({ psmoList: [{ getRAT: {} }] });
    expect(resultSignatureValid(result, credentials.euiccCertificate)).toBe(false);
  });
});

describe('eCOs', () => {
  const other = () => testEim('other.eim.example');

  it('addEim (with and without association token), duplicates, unknown CI, no key', () => {
    const second = other();
    const [added] = eco({ addEim: configurationOf(second, { associationToken: -1, counterValue: 5 }) });
    expect(added!.addEimResult!.associationToken).toBe(token + 1);
    expect(eco({ addEim: configurationOf(second) })).toEqual([{ addEimResult: { addEimResultCode: 2 } }]);
    expect(
      eco({ addEim: configurationOf(testEim('x.example'), { euiccCiPKId: new Uint8Array(20) }) }),
    ).toEqual([{ addEimResult: { addEimResultCode: 3 } }]);
    const { eimPublicKeyData: _, ...keyless } = configurationOf(testEim('y.example'));
    expect(eco({ addEim: keyless })).toEqual([{ addEimResult: { addEimResultCode: 7 } }]);
    expect(eco({ addEim: configurationOf(testEim('z.example')) })).toEqual([
      { addEimResult: { addEimResultCode: 0 } },
    ]);
    expect(eco({ listEim: {} })).toEqual([
      {
        listEimResult: {
          eimIdList: [
            { eimId: eim.eimId, eimIdType: 2 },
            { eimId: second.eimId, eimIdType: 2 },
            { eimId: 'z.example', eimIdType: 2 },
          ],
        },
      },
    ]);
    // The new eIM signs with its own key, from its own initial counter.
    const request = signPackage(second, {
      eidValue: euicc.eidValue,
      counterValue: 5,
      euiccPackage: { psmoList: [{ getRAT: {} }] },
    });
    expect(
      euicc.loadEuiccPackage(request).euiccPackageErrorSigned!.euiccPackageErrorDataSigned
        .euiccPackageErrorCode,
    ).toBe(4);
  });

  it('updateEim: key rotation, counter only upwards, unknown eIM', () => {
    const rotated = testEim(eim.eimId);
    expect(
      eco({ updateEim: { eimId: eim.eimId, eimPublicKeyData: { eimPublicKey: rotated.spki } } }),
    ).toEqual([{ updateEimResult: 0 }]);
    expect(load({ psmoList: [{ getRAT: {} }] }).euiccPackageErrorUnsigned).toBeDefined();
    eim = rotated;
    expect(eco({ updateEim: { eimId: eim.eimId, counterValue: 1 } })).toEqual([{ updateEimResult: 6 }]);
    expect(eco({ updateEim: { eimId: eim.eimId, counterValue: 100, eimFqdn: 'new.example' } })).toEqual([
      { updateEimResult: 0 },
    ]);
    expect(load({ psmoList: [{ getRAT: {} }] }, { counterValue: 100 }).euiccPackageErrorSigned).toBeDefined();
    counter = 100;
    expect(eco({ updateEim: { eimId: 'nobody.example' } })).toEqual([{ updateEimResult: 1 }]);
  });

  it('deleteEim: another eIM, an unknown one, then the last one', () => {
    eco({ addEim: configurationOf(other()) });
    expect(eco({ deleteEim: { eimId: 'nobody.example' } })).toEqual([{ deleteEimResult: 1 }]);
    expect(eco({ deleteEim: { eimId: 'other.eim.example' } })).toEqual([{ deleteEimResult: 0 }]);
    expect(eco({ deleteEim: { eimId: eim.eimId } })).toEqual([{ deleteEimResult: 2 }]);
    expect(euicc.state.eims).toEqual([]);
    expect(load({ psmoList: [{ getRAT: {} }] }).euiccPackageErrorUnsigned).toBeDefined();
  });

  it('addEim / updateEim refusals: counter out of range, memory full, certificate of another CI, bad key', () => {
    expect(eco({ addEim: configurationOf(testEim('a.example'), { counterValue: -1 }) })).toEqual([
      { addEimResult: { addEimResultCode: 6 } },
    ]);
    expect(
      eco({ addEim: configurationOf(testEim('a.example'), { counterValue: MAX_COUNTER_VALUE + 1 }) }),
    ).toEqual([{ addEimResult: { addEimResultCode: 6 } }]);
    // A well-formed SubjectPublicKeyInfo whose point is not on the curve.
    const offCurve = new Uint8Array(testEim().spki);
    offCurve[offCurve.length - 1] = offCurve[offCurve.length - 1]! ^ 0x01;
    expect(
      eco({
        addEim: configurationOf(testEim('b.example'), { eimPublicKeyData: { eimPublicKey: offCurve } }),
      }),
    ).toEqual([{ addEimResult: { addEimResultCode: 7 } }]);
    // Our CI named, but the certificate is the eUICC's own, signed by the EUM, not by the CI.
    const notByCi = { eimCertificate: credentials.euiccCertificate };
    expect(
      eco({ updateEim: { eimId: eim.eimId, euiccCiPKId: credentials.ciPkId, eimPublicKeyData: notByCi } }),
    ).toEqual([{ updateEimResult: 3 }]);
    // An EUM certificate is signed by our CI: accepted as an eIM certificate chaining to it.
    const byCi = { eimCertificate: credentials.eumCertificate };
    expect(
      eco({
        addEim: configurationOf(testEim('c.example'), {
          euiccCiPKId: credentials.ciPkId,
          eimPublicKeyData: byCi,
        }),
      }),
    ).toEqual([{ addEimResult: { addEimResultCode: 0 } }]);
    const many = Array.from({ length: 7 }, (_, i) => ({ addEim: configurationOf(testEim(`m${i}.example`)) }));
    expect(eco(...many).map((r) => r.addEimResult!.addEimResultCode)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(euicc.state.eims).toHaveLength(8);
  });

  it('AddInitialEim is all or nothing', () => {
    const response = euicc.addInitialEim({
      eimConfigurationDataList: [configurationOf(other()), configurationOf(eim)],
    });
    expect(response).toEqual({ addInitialEimError: 2 });
    expect(euicc.state.eims).toHaveLength(1);
  });
});

describe('IpaEuiccDataRequest and the notification list', () => {
  const tags = (...t: string[]) => new Uint8Array(Buffer.from(t.join(''), 'hex'));

  it('answers the components named in the tag list', () => {
    psmo({ disable: { iccid: iccid(P1) } });
    const response = euicc.getIpaEuiccData(
      {
        tagList: tags('A0', 'A2', 'BF20', 'BF22', '83', '84', 'A5', 'A6'),
        eimTransactionId: new Uint8Array([7]),
      },
      eim.eimId,
    );
    const data = response.ipaEuiccData!;
    expect(data.eimTransactionId).toEqual(new Uint8Array([7]));
    expect(data.notificationsList).toHaveLength(1);
    expect(data.euiccPackageResultList).toHaveLength(1);
    expect(data.euiccInfo1!.euiccCiPKIdListForVerification).toEqual([credentials.ciPkId]);
    expect(data.euiccInfo2!.iotSpecificInfo!.iotVersion).toEqual([new Uint8Array([1, 2, 0])]);
    expect(data.associationToken).toBe(token);
    expect(data.euiccCertificate).toEqual(credentials.euiccCertificate);
    expect(data.eumCertificate).toEqual(credentials.eumCertificate);
    expect(data.defaultSmdpAddress).toBeUndefined();
  });

  it('filters notifications and results by seqNumber; acknowledged ones are gone', () => {
    psmo({ enable: { iccid: iccid(P3) } });
    const [disable, enable] = euicc.pendingNotifications();
    const byNumber = euicc.getIpaEuiccData({
      tagList: tags('A0'),
      searchCriteriaNotification: { seqNumber: enable!.seqNumber },
    });
    expect(byNumber.ipaEuiccData!.notificationsList).toEqual([enable!.notification]);
    const byEvent = euicc.getIpaEuiccData({
      tagList: tags('A0'),
      searchCriteriaNotification: { profileManagementOperation: ['notificationDisable'] },
    });
    expect(byEvent.ipaEuiccData!.notificationsList).toEqual([disable!.notification]);
    const resultSeq = enable!.seqNumber + 1;
    expect(euicc.removeNotificationFromList(resultSeq)).toBe(true);
    expect(euicc.removeNotificationFromList(resultSeq)).toBe(false);
    expect(euicc.pendingPackageResults()).toEqual([]);
  });

  it('refuses an unknown tag, an empty list, and a CI it does not have', () => {
    for (const tagList of [tags('5A'), tags(), tags('BF')]) {
      expect(euicc.getIpaEuiccData({ tagList })).toEqual({
        ipaEuiccDataResponseError: { ipaEuiccDataErrorCode: 1 },
      });
    }
    expect(
      euicc.getIpaEuiccData({ tagList: tags('A6'), euiccCiPKIdentifierToBeUsed: new Uint8Array(20) }),
    ).toEqual({ ipaEuiccDataResponseError: { ipaEuiccDataErrorCode: 5 } });
  });
});
