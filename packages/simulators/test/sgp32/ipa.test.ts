/** The IPA against a DER-level eIM peer double over real HTTP on 127.0.0.1, faults included. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  encode,
  EsipaMessageFromEimToIpa,
  UNKNOWN_ALTERNATIVE,
  type EuiccPackage,
  type GetEimPackageResponse,
} from '@esim/asn1';
import { HttpEsipaClient } from '../../src/sgp32/ipa/esipa-client.js';
import { JsonEsipaClient } from '../../src/sgp32/ipa/esipa-json-client.js';
import { EsipaProtocolError } from '../../src/sgp32/ipa/http-transport.js';
import { DroppedResponseError, OfflineError } from '../../src/sgp32/ipa/faults.js';
import {
  EimNotConfiguredError,
  EimPackageError,
  Ipa,
  NoPackageToReplayError,
} from '../../src/sgp32/ipa/ipa.js';
import { iccidToBytes } from '../../src/sgp32/pki/iccid.js';
import { imeiToBytes } from '../../src/sgp32/pki/imei.js';
import { Es9PlusClient } from '../../src/sgp32/ipa/es9plus-client.js';
import { startSmdpServer, type SmdpServer } from '../../src/sgp32/smdpplus/smdp-server.js';
import { credentials, onboardedCard, P1, P3 } from './support/card.js';
import { EimPeer } from './support/eim-peer.js';
import {
  configurationOf,
  notificationSignatureValid,
  resultSignatureValid,
  signPackage,
  testEim,
  type TestEim,
} from './support/test-eim.js';
import { localhostTls } from './support/tls.js';

const EID = credentials.eid;
const TS48 = 'TS48_V7.0_eSIM_GTP_SAIP2.3_NoBERTLV';
const TS48_ICCID = '89000123456789012341';

let peer: EimPeer;
let eim: TestEim;
let ipa: Ipa;
let token: number;
let counter = 0;

function packageFor(euiccPackage: EuiccPackage, counterValue = ++counter) {
  return {
    euiccPackageRequest: signPackage(eim, {
      eidValue: ipa.euicc.eidValue,
      counterValue,
      eimTransactionId: new Uint8Array([0x10, counterValue]),
      euiccPackage,
    }),
  };
}

const enableP3 = { psmoList: [{ enable: { iccid: iccidToBytes(P3) } }] };

beforeEach(async () => {
  peer = await new EimPeer().start();
  eim = testEim();
  counter = 0;
  const card = onboardedCard(eim);
  token = card.token;
  ipa = new Ipa(card.euicc, { client: new HttpEsipaClient(peer.url), intervalMs: 20, jitterMs: 5 });
});

afterEach(async () => {
  await ipa.stop();
  await peer.close();
});

describe('polling', () => {
  it('sends GetEimPackageRequest with its EID and the ESipa HTTP headers; nothing pending ends the poll', async () => {
    await ipa.pollOnce();
    expect(peer.received).toHaveLength(1);
    expect(peer.of('getEimPackageRequest')[0]!.eidValue).toEqual(ipa.euicc.eidValue);
    expect(peer.received[0]!.headers['content-type']).toBe('application/x-gsma-rsp-asn1');
    expect(peer.received[0]!.headers['x-admin-protocol']).toBe('gsma/rsp/v2.1.0');
    expect(ipa.stats).toMatchObject({ polls: 1, packages: 0, errors: 0 });
  });

  it('executes a package, returns the signed result, drops it on acknowledgement, delivers notifications', async () => {
    peer.enqueue(EID, packageFor(enableP3));
    await ipa.pollOnce();
    const [provided] = peer.of('provideEimPackageResult');
    expect(provided!.eidValue).toEqual(ipa.euicc.eidValue);
    const epr = provided!.eimPackageResult.euiccPackageResult!;
    expect(epr.euiccPackageResultSigned!.euiccPackageResultDataSigned).toMatchObject({
      eimId: eim.eimId,
      counterValue: 1,
      eimTransactionId: new Uint8Array([0x10, 1]),
      euiccResult: [{ enableResult: 0 }],
    });
    expect(resultSignatureValid(epr, credentials.euiccCertificate, token)).toBe(true);
    expect(ipa.euicc.pendingPackageResults()).toEqual([]);
    const notifications = peer
      .of('handleNotificationEsipa')
      .map((n) => n.pendingNotification!.otherSignedNotification!);
    expect(notifications.map((n) => n.tbsOtherNotification.profileManagementOperation)).toEqual([
      ['notificationDisable'],
      ['notificationEnable'],
    ]);
    expect(ipa.euicc.pendingNotifications()).toEqual([]);
    expect(ipa.stats).toMatchObject({ packages: 1, notificationsSent: 2 });
  });

  it('takes several queued packages in one poll, in order', async () => {
    peer.enqueue(EID, packageFor(enableP3));
    peer.enqueue(EID, packageFor({ psmoList: [{ enable: { iccid: iccidToBytes(P1) } }] }));
    await ipa.pollOnce();
    expect(peer.of('provideEimPackageResult')).toHaveLength(2);
    expect(ipa.euicc.state.profiles.find((p) => p.iccid === P1)!.state).toBe('enabled');
  });

  it('answers IpaEuiccDataRequest with the card data and the IPA capabilities', async () => {
    const tagList = new Uint8Array(Buffer.from('BF20BF22A5A684A8A9', 'hex'));
    peer.enqueue(EID, { ipaEuiccDataRequest: { tagList, eimTransactionId: new Uint8Array([9]) } });
    await ipa.pollOnce();
    const data = peer.of('provideEimPackageResult')[0]!.eimPackageResult.ipaEuiccDataResponse!.ipaEuiccData!;
    expect(data.euiccCertificate).toEqual(credentials.euiccCertificate);
    expect(data.eumCertificate).toEqual(credentials.eumCertificate);
    expect(data.euiccInfo2!.euiccCiPKIdListForSigning).toEqual([credentials.ciPkId]);
    expect(data.associationToken).toBe(token);
    expect(data.ipaCapabilities!.ipaSupportedProtocols).toEqual(['ipaRetrieveHttps']);
    expect(data.deviceInfo!.tac).toEqual(new Uint8Array([0x35, 0x29, 0x06, 0x11]));
    expect(data.deviceInfo!.imei).toEqual(imeiToBytes(ipa.imei));
    expect(data.eimTransactionId).toEqual(new Uint8Array([9]));
  });

  it("a tag list the card does not know: the card's error goes back to the eIM, with the transaction id", async () => {
    peer.enqueue(EID, {
      ipaEuiccDataRequest: { tagList: new Uint8Array([0x5a]), eimTransactionId: new Uint8Array([3]) },
    });
    await ipa.pollOnce();
    expect(peer.of('provideEimPackageResult')[0]!.eimPackageResult.ipaEuiccDataResponse).toEqual({
      ipaEuiccDataResponseError: { eimTransactionId: new Uint8Array([3]), ipaEuiccDataErrorCode: 1 },
    });
  });

  it('records a ProfileDownloadTriggerRequest; an SM-DP+ it cannot reach ends in profileDownloadError', async () => {
    ipa = new Ipa(ipa.euicc, {
      client: new HttpEsipaClient(peer.url),
      download: 'direct',
      smdpScheme: 'http',
    });
    peer.enqueue(EID, {
      profileDownloadTriggerRequest: {
        profileDownloadData: { activationCode: '1$127.0.0.1:1$MATCHING-ID' },
        eimTransactionId: new Uint8Array([5, 5]),
      },
    });
    await ipa.pollOnce();
    const result = peer.of('provideEimPackageResult')[0]!.eimPackageResult.profileDownloadTriggerResult!;
    expect(result).toEqual({
      eimTransactionId: new Uint8Array([5, 5]),
      profileDownloadTriggerResultData: { profileDownloadError: { profileDownloadErrorReason: 127 } },
    });
    expect(ipa.euicc.state.downloadTriggers[0]!.request).toMatchObject({
      profileDownloadData: { activationCode: '1$127.0.0.1:1$MATCHING-ID' },
    });
  });

  describe('profile download from the SM-DP+ simulator', () => {
    let smdp: SmdpServer;
    beforeEach(async () => {
      smdp = await startSmdpServer();
    });
    afterEach(() => smdp.close());

    const trigger = (): GetEimPackageResponse => ({
      profileDownloadTriggerRequest: {
        profileDownloadData: { activationCode: smdp.smdp.activationCode(TS48) },
        eimTransactionId: new Uint8Array([7]),
      },
    });
    const installed = () => ipa.euicc.state.profiles.find((p) => p.iccid === TS48_ICCID);

    it.each(['direct', 'indirect'] as const)(
      '%s: the profile is installed, the eIM gets the signed ProfileInstallationResult',
      async (download) => {
        const es9 = new Es9PlusClient(smdp.smdp.address, { scheme: 'http' });
        peer.rsp = es9;
        ipa = new Ipa(ipa.euicc, { client: new HttpEsipaClient(peer.url), download, smdpScheme: 'http' });
        peer.enqueue(EID, trigger());
        await ipa.pollOnce();
        es9.close();
        const result = peer.of('provideEimPackageResult')[0]!.eimPackageResult.profileDownloadTriggerResult!;
        const pir = result.profileDownloadTriggerResultData.profileInstallationResult!;
        expect(result.eimTransactionId).toEqual(new Uint8Array([7]));
        expect(pir.profileInstallationResultData.finalResult.successResult).toBeDefined();
        expect(installed()).toMatchObject({ state: 'disabled' });
        expect(smdp.smdp.downloads).toHaveLength(1);
        // Indirect: the download went through the eIM; direct: the SM-DP+ also got the result.
        expect(peer.of('initiateAuthenticationRequestEsipa')).toHaveLength(download === 'indirect' ? 1 : 0);
        expect(smdp.smdp.notifications).toHaveLength(download === 'direct' ? 1 : 0);
      },
    );
  });

  it('reports a fallback with notifyStateChange until the eIM has received it', async () => {
    ipa.euicc.activateFallback();
    ipa.faults.dropResponses = 1;
    await expect(ipa.pollOnce()).rejects.toBeInstanceOf(DroppedResponseError);
    await ipa.pollOnce();
    await ipa.pollOnce();
    expect(peer.of('getEimPackageRequest').map((r) => [r.notifyStateChange, r.stateChangeCause])).toEqual([
      [null, 1],
      [null, 1],
      [undefined, undefined],
    ]);
    expect(peer.of('handleNotificationEsipa')).toHaveLength(2);
  });

  it('a package kind it does not know: eimPackageResultResponseError unknownPackage', async () => {
    peer.enqueue(EID, {
      [UNKNOWN_ALTERNATIVE]: new Uint8Array([0xbf, 0x5f, 0x00]),
    } as unknown as GetEimPackageResponse);
    await ipa.pollOnce();
    expect(peer.of('provideEimPackageResult')[0]!.eimPackageResult).toEqual({
      eimPackageResultResponseError: { eimPackageResultErrorCode: 2 },
    });
  });

  it('two polls at once run one after the other: the package is executed once', async () => {
    peer.enqueue(EID, packageFor(enableP3));
    await Promise.all([ipa.pollOnce(), ipa.pollOnce()]);
    const kinds = peer.received.map((r) => Object.keys(r.message)[0]);
    expect(kinds).toEqual([
      'getEimPackageRequest',
      'provideEimPackageResult',
      'getEimPackageRequest',
      'handleNotificationEsipa',
      'handleNotificationEsipa',
      'getEimPackageRequest',
    ]);
    expect(ipa.stats.polls).toBe(2);
  });

  it('polls on its interval until stopped', async () => {
    ipa.start();
    for (let i = 0; i < 200 && peer.received.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    await ipa.stop();
    const seen = peer.received.length;
    expect(seen).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 60));
    expect(peer.received.length).toBe(seen);
  });
});

describe('faults', () => {
  it('offline: nothing is sent', async () => {
    ipa.faults.offline = true;
    await expect(ipa.pollOnce()).rejects.toBeInstanceOf(OfflineError);
    expect(peer.received).toEqual([]);
    expect(ipa.stats).toMatchObject({ errors: 1, lastError: 'device is offline (fault injected)' });
  });

  it('a dropped answer to ProvideEimPackageResult: the same result is sent again on the next poll', async () => {
    peer.enqueue(EID, packageFor(enableP3));
    peer.onMessage = (m) => {
      if (m.provideEimPackageResult && peer.of('provideEimPackageResult').length === 1)
        ipa.faults.dropResponses = 1;
    };
    await expect(ipa.pollOnce()).rejects.toBeInstanceOf(DroppedResponseError);
    expect(ipa.euicc.pendingPackageResults()).toHaveLength(1);
    await ipa.pollOnce();
    const [first, again] = peer.of('provideEimPackageResult');
    expect(again).toEqual(first);
    expect(ipa.euicc.pendingPackageResults()).toEqual([]);
  });

  it('a dropped package: the card never ran it', async () => {
    peer.enqueue(EID, packageFor(enableP3));
    ipa.faults.dropResponses = 1;
    await expect(ipa.pollOnce()).rejects.toBeInstanceOf(DroppedResponseError);
    expect(peer.of('provideEimPackageResult')).toEqual([]);
    expect(ipa.euicc.state.profiles.find((p) => p.iccid === P3)!.state).toBe('disabled');
  });

  it('reboot: the IPA forgets the unconfirmed result, the card keeps its counter and rejects a replay', async () => {
    const pkg = packageFor(enableP3);
    peer.enqueue(EID, pkg);
    peer.onMessage = (m) => {
      if (m.provideEimPackageResult) ipa.faults.dropResponses = 1;
    };
    await expect(ipa.pollOnce()).rejects.toBeInstanceOf(DroppedResponseError);
    await ipa.reboot();
    peer.onMessage = undefined;
    peer.enqueue(EID, pkg);
    await ipa.pollOnce();
    const results = peer.of('provideEimPackageResult').map((p) => p.eimPackageResult.euiccPackageResult!);
    expect(results).toHaveLength(2);
    expect(results[1]!.euiccPackageErrorSigned!.euiccPackageErrorDataSigned.euiccPackageErrorCode).toBe(4);
    expect(ipa.euicc.state.profiles.find((p) => p.iccid === P3)!.state).toBe('enabled');
    // The result of the first run is still in the card, for the eIM to fetch (IpaEuiccDataRequest A2).
    expect(ipa.euicc.pendingPackageResults()).toHaveLength(1);
  });

  it('switchFails with rollback allowed: the card goes back and the eIM gets the amended result', async () => {
    ipa.faults.switchFails = 1;
    peer.enqueue(
      EID,
      packageFor({ psmoList: [{ enable: { iccid: iccidToBytes(P3), rollbackFlag: null } }] }),
    );
    await ipa.pollOnce();
    const epr = peer.of('provideEimPackageResult')[0]!.eimPackageResult.euiccPackageResult!;
    expect(epr.euiccPackageResultSigned!.euiccPackageResultDataSigned.euiccResult).toEqual([
      { enableResult: 0 },
      { rollbackResult: 0 },
    ]);
    expect(resultSignatureValid(epr, credentials.euiccCertificate, token)).toBe(true);
    expect(ipa.euicc.enabledIccid()).toBe(P1);
    expect(ipa.faults.switchFails).toBe(0);
  });

  it('switchFails without rollback: offline, the result waits until connectivity is back', async () => {
    ipa.faults.switchFails = 1;
    peer.enqueue(EID, packageFor(enableP3));
    await expect(ipa.pollOnce()).rejects.toBeInstanceOf(OfflineError);
    expect(ipa.faults.offline).toBe(true);
    expect(peer.of('provideEimPackageResult')).toEqual([]);
    ipa.faults.offline = false;
    await ipa.pollOnce();
    const epr = peer.of('provideEimPackageResult')[0]!.eimPackageResult.euiccPackageResult!;
    expect(epr.euiccPackageResultSigned!.euiccPackageResultDataSigned.euiccResult).toEqual([
      { enableResult: 0 },
    ]);
    expect(ipa.euicc.enabledIccid()).toBe(P3);
  });

  it('slow link: each exchange takes at least the latency both ways, and still completes', async () => {
    ipa.faults.latencyMs = 30;
    const started = Date.now();
    await ipa.pollOnce();
    expect(Date.now() - started).toBeGreaterThanOrEqual(59);
    expect(peer.received).toHaveLength(1);
  });

  it('an eIM answering HTTP 500 or bytes that are not ESipa: a clear error, nothing executed', async () => {
    peer.override = { status: 500, body: new Uint8Array(Buffer.from('boom')) };
    await expect(ipa.pollOnce()).rejects.toThrow(/HTTP 500: boom/);
    peer.override = { status: 200, body: new Uint8Array([0x30, 0x03, 0x02, 0x01]) };
    const error = await ipa.pollOnce().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EsipaProtocolError);
    expect((error as Error).message).toMatch(/not an EsipaMessageFromEimToIpa/);
    expect(ipa.stats.errors).toBe(2);
  });

  it('an eIM answering another message, one that does not answer, one answering too much', async () => {
    const wrong = encode(EsipaMessageFromEimToIpa, {
      provideEimPackageResultResponse: { emptyResponse: {} },
    });
    peer.override = { status: 200, body: wrong };
    await expect(ipa.pollOnce()).rejects.toThrow(
      /expected GetEimPackageResponse, got provideEimPackageResultResponse/,
    );
    peer.override = 'hang';
    const impatient = new Ipa(ipa.euicc, { client: new HttpEsipaClient(peer.url, { timeoutMs: 100 }) });
    await expect(impatient.pollOnce()).rejects.toThrow(/no answer from the eIM within 100 ms/);
    peer.override = { status: 200, body: new Uint8Array(4096) };
    const small = new Ipa(ipa.euicc, { client: new HttpEsipaClient(peer.url, { maxAnswerBytes: 1024 }) });
    await expect(small.pollOnce()).rejects.toThrow(/larger than 1024 bytes/);
  });

  it('a refused HandleNotification keeps the notification for the next poll', async () => {
    peer.enqueue(EID, packageFor(enableP3));
    peer.statusFor = (m) => (m.handleNotificationEsipa ? 500 : undefined);
    await expect(ipa.pollOnce()).rejects.toThrow(/HTTP 500/);
    expect(ipa.euicc.pendingNotifications()).toHaveLength(2);
    peer.statusFor = undefined;
    await ipa.pollOnce();
    expect(ipa.euicc.pendingNotifications()).toEqual([]);
    expect(peer.of('handleNotificationEsipa')).toHaveLength(3);
  });

  it('after an eIM change moves the device elsewhere, the IPA stops polling this eIM', async () => {
    const device = new Ipa(ipa.euicc, { client: new HttpEsipaClient(peer.url), eimId: eim.eimId });
    const other = testEim('next.eim.example');
    peer.enqueue(
      EID,
      packageFor({ ecoList: [{ addEim: configurationOf(other) }, { deleteEim: { eimId: eim.eimId } }] }),
    );
    await device.pollOnce();
    const [result] = peer.of('provideEimPackageResult');
    expect(
      result!.eimPackageResult.euiccPackageResult!.euiccPackageResultSigned!.euiccPackageResultDataSigned
        .euiccResult,
    ).toEqual([{ addEimResult: { addEimResultCode: 0 } }, { deleteEimResult: 0 }]);
    const seen = peer.received.length;
    await expect(device.pollOnce()).rejects.toBeInstanceOf(EimNotConfiguredError);
    expect(peer.received).toHaveLength(seen);
  });

  it('an unreachable eIM: the poll fails and counts the error', async () => {
    await peer.close();
    peer = await new EimPeer().start();
    const dead = new Ipa(ipa.euicc, { client: new HttpEsipaClient('http://127.0.0.1:1') });
    await expect(dead.pollOnce()).rejects.toThrow();
    expect(dead.stats.errors).toBe(1);
  });
});

describe('attacks through the device', () => {
  it('forgeSignatures: the next N signed results and notifications go out with a broken signature', async () => {
    ipa.faults.forgeSignatures = 2;
    peer.enqueue(EID, packageFor(enableP3));
    await ipa.pollOnce();
    const [result] = peer.of('provideEimPackageResult');
    expect(
      resultSignatureValid(result!.eimPackageResult.euiccPackageResult!, credentials.euiccCertificate, token),
    ).toBe(false);
    // The result and the first notification were forged, the second notification went out intact.
    const sent = peer
      .of('handleNotificationEsipa')
      .map((n) => n.pendingNotification!.otherSignedNotification!);
    expect(sent.map((n) => notificationSignatureValid(n))).toEqual([false, true]);
    expect(ipa.faults.forgeSignatures).toBe(0);
    peer.enqueue(EID, packageFor({ psmoList: [{ getRAT: {} }] }));
    await ipa.pollOnce();
    const [, next] = peer.of('provideEimPackageResult');
    expect(
      resultSignatureValid(next!.eimPackageResult.euiccPackageResult!, credentials.euiccCertificate, token),
    ).toBe(true);
  });

  it('replays the last package: the card answers replayError; with send, the eIM gets that answer', async () => {
    await expect(ipa.replayLastPackage(false)).rejects.toBeInstanceOf(NoPackageToReplayError);
    peer.enqueue(EID, packageFor(enableP3));
    await ipa.pollOnce();
    const replay = await ipa.replayLastPackage(true);
    expect(replay.euiccPackageErrorSigned!.euiccPackageErrorDataSigned.euiccPackageErrorCode).toBe(4);
    const [, sent] = peer.of('provideEimPackageResult');
    expect(sent!.eimPackageResult.euiccPackageResult).toEqual(replay);
    await ipa.reboot();
    await expect(ipa.replayLastPackage(false)).rejects.toBeInstanceOf(NoPackageToReplayError);
  });

  it('an eIM that does not know the EID: the poll fails with the named eimPackageError', async () => {
    peer.enqueue(EID, { eimPackageError: 2 });
    const error = await ipa.pollOnce().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EimPackageError);
    expect((error as Error).message).toBe('eIM answered eimPackageError eidNotFound(2)');
  });
});

describe('notifications with the package result', () => {
  const bundling = () =>
    new Ipa(ipa.euicc, { client: new HttpEsipaClient(peer.url), bundleNotifications: true });

  it('ePRAndNotifications: one exchange, everything acknowledged, no HandleNotification', async () => {
    peer.enqueue(EID, packageFor(enableP3));
    await bundling().pollOnce();
    const bundle = peer.of('provideEimPackageResult')[0]!.eimPackageResult.ePRAndNotifications!;
    expect(resultSignatureValid(bundle.euiccPackageResult, credentials.euiccCertificate, token)).toBe(true);
    expect(
      bundle.notificationList.map((n) => notificationSignatureValid(n.otherSignedNotification!)),
    ).toEqual([true, true]);
    expect(peer.of('handleNotificationEsipa')).toEqual([]);
    expect(ipa.euicc.state.pending).toEqual([]);
  });

  it('notifications the eIM does not acknowledge go out with HandleNotification', async () => {
    peer.provideAnswer = () => ({ emptyResponse: {} });
    peer.enqueue(EID, packageFor(enableP3));
    await bundling().pollOnce();
    expect(peer.of('handleNotificationEsipa')).toHaveLength(2);
    expect(ipa.euicc.pendingPackageResults()).toHaveLength(1);
  });

  it('forgeSignatures reaches the result inside the bundle', async () => {
    const device = bundling();
    device.faults.forgeSignatures = 1;
    peer.enqueue(EID, packageFor(enableP3));
    await device.pollOnce();
    const bundle = peer.of('provideEimPackageResult')[0]!.eimPackageResult.ePRAndNotifications!;
    expect(resultSignatureValid(bundle.euiccPackageResult, credentials.euiccCertificate, token)).toBe(false);
    expect(bundle.notificationList.every((n) => notificationSignatureValid(n.otherSignedNotification!))).toBe(
      true,
    );
  });
});

describe('ESipa JSON binding', () => {
  it('runs a package over /gsma/rsp2/esipa/<function> with base64 DER members', async () => {
    const client = new JsonEsipaClient(peer.url);
    const device = new Ipa(ipa.euicc, { client });
    try {
      peer.enqueue(EID, packageFor(enableP3));
      await device.pollOnce();
      expect(peer.received.map((r) => r.path)).toEqual([
        '/gsma/rsp2/esipa/getEimPackage',
        '/gsma/rsp2/esipa/provideEimPackageResult',
        '/gsma/rsp2/esipa/getEimPackage',
        '/gsma/rsp2/esipa/handleNotification',
        '/gsma/rsp2/esipa/handleNotification',
      ]);
      expect(peer.received[0]!.headers['content-type']).toBe('application/json');
      const epr = peer.of('provideEimPackageResult')[0]!.eimPackageResult.euiccPackageResult!;
      expect(resultSignatureValid(epr, credentials.euiccCertificate, token)).toBe(true);
      expect(ipa.euicc.state.pending).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('refuses an answer that is not one base64 DER member naming the message it holds', async () => {
    const client = new JsonEsipaClient(peer.url);
    const device = new Ipa(ipa.euicc, { client });
    const der = encode(EsipaMessageFromEimToIpa, { getEimPackageResponse: { eimPackageError: 1 } });
    try {
      for (const [body, error] of [
        ['not json', /not JSON/],
        [JSON.stringify({ a: 'AA==', b: 'AA==' }), /exactly one member/],
        [
          JSON.stringify({ provideEimPackageResultResponse: Buffer.from(der).toString('base64') }),
          /holds a getEimPackageResponse/,
        ],
        [JSON.stringify({ getEimPackageResponse: 'AAAA' }), /not an EsipaMessageFromEimToIpa/],
      ] as const) {
        peer.override = { status: 200, body: new Uint8Array(Buffer.from(body)) };
        await expect(device.pollOnce()).rejects.toThrow(error);
      }
    } finally {
      client.close();
    }
  });
});

describe('ESipa over HTTPS', () => {
  it('polls an eIM whose TLS certificate chains to the given CA, and refuses one that does not', async () => {
    const tls = await localhostTls();
    const secure = await new EimPeer().start({ key: tls.key, cert: tls.cert });
    const trusting = new HttpEsipaClient(secure.url, { ca: tls.ca });
    const untrusting = new HttpEsipaClient(secure.url);
    try {
      await new Ipa(ipa.euicc, { client: trusting }).pollOnce();
      expect(secure.of('getEimPackageRequest')).toHaveLength(1);
      await expect(new Ipa(ipa.euicc, { client: untrusting }).pollOnce()).rejects.toThrow(/certificate/);
      expect(secure.received).toHaveLength(1);
    } finally {
      trusting.close();
      untrusting.close();
      await secure.close();
    }
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => new HttpEsipaClient('ftp://127.0.0.1/')).toThrow(TypeError);
  });
});
