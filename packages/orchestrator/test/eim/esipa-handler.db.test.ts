import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  decode,
  encode,
  EsipaMessageFromEimToIpa,
  EsipaMessageFromIpaToEim,
  GetEimPackageResponse,
  type EuiccPackageRequest,
} from '@esim/asn1';
import { EsipaRequestError, fromHex, iccidToBytes, toHex } from '@esim/eim';
import type { Database } from '../../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { EIM_ID, startEim, type EimFixture } from './support/eim-fixture.js';
import { ipa, SGP26_EID, TestEuicc } from './support/test-euicc.js';

const ICCID = '89440000000000000011';
const EID = SGP26_EID;

const reply = (der: Uint8Array | null) => decode(EsipaMessageFromEimToIpa, der!);

describe(`ESipa handler from DER bytes on ${testDatabaseKind()}`, () => {
  let db: Database;
  let f: EimFixture;
  let card: TestEuicc;

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.knex.raw(
      'truncate eim_packages, eim_associations, eim_euicc_certificates, eim_notifications, eim_rejected_results, eim_relay_sessions',
    );
    f = await startEim(db.knex);
    card = new TestEuicc(f.credentials.certificate);
  });

  const poll = async (eid = EID) => {
    const r = await f.handler.handle(ipa.getEimPackage(eid));
    expect(r.function).toBe('GetEimPackage');
    return decode(GetEimPackageResponse, r.body!);
  };
  const provide = async (result: Parameters<typeof ipa.provideResult>[1], eid: string | undefined = EID) => {
    const r = await f.handler.handle(ipa.provideResult(eid, result));
    expect(r.function).toBe('ProvideEimPackageResult');
    return reply(r.body).provideEimPackageResultResponse!;
  };
  /** Queues `enable`, answers the certificate request the eIM puts first, and returns the signed package. */
  const deliverEnable = async () => {
    const queued = await f.eim.queueEuiccPackage({
      eid: EID,
      euiccPackage: { psmoList: [{ enable: { iccid: iccidToBytes(ICCID) } }] },
      requestedBy: 'op-1',
    });
    const first = await poll();
    expect(first.ipaEuiccDataRequest).toBeDefined();
    expect(await provide(card.ipaEuiccData(first.ipaEuiccDataRequest!))).toEqual({ emptyResponse: {} });
    const second = await poll();
    expect(second.euiccPackageRequest).toBeDefined();
    return { queued, request: second.euiccPackageRequest! as EuiccPackageRequest };
  };

  describe('GetEimPackage', () => {
    it('answers eimPackageError: invalidEid, eidNotFound, noEimPackageAvailable', async () => {
      expect(await poll('89049032123451234512345678901234')).toEqual({ eimPackageError: 3 });
      expect(await poll(EID)).toEqual({ eimPackageError: 2 });
      await f.store.associate(EIM_ID, EID);
      expect(await poll(EID)).toEqual({ eimPackageError: 1 });
    });

    it('asks for the certificates first, then hands out the signed package the eUICC accepts', async () => {
      const { queued, request } = await deliverEnable();
      const executed = await card.verifyPackage(request);
      expect(executed.counterValue).toBe(1);
      expect(toHex(executed.eimTransactionId)).toBe(queued.eimTransactionId);
      expect(executed.signed).toMatchObject({ eimId: EIM_ID, eidValue: fromHex(EID) });
      expect(request.eimSignature).toHaveLength(64);
      // The certificates were checked against the SGP.26 CI and stored.
      expect(await f.store.getCertificates(EID)).toBeDefined();
      expect(f.events.filter((e) => e.type === 'packageCompleted').map((e) => e.package.kind)).toEqual([
        'ipaEuiccData',
      ]);
    });

    it('hands out the package in flight again until its result arrives (a lost response loses nothing)', async () => {
      const { request } = await deliverEnable();
      const again = await poll();
      expect(encode(GetEimPackageResponse, again)).toEqual(
        encode(GetEimPackageResponse, { euiccPackageRequest: request }),
      );
    });

    it('expires a package past its validity instead of delivering it', async () => {
      await f.store.saveCertificates(EID, {
        euiccCertificate: card.euiccCertificate,
        eumCertificate: card.eumCertificate,
      });
      await f.eim.queueEuiccPackage({
        eid: EID,
        euiccPackage: { psmoList: [{ getRAT: {} }] },
        validUntil: new Date(Date.now() - 1000),
      });
      expect(await poll()).toEqual({ eimPackageError: 1 });
      expect(f.events.map((e) => e.type)).toEqual(['packageExpired']);
    });

    it('reports a state change the IPA notifies, only for an eUICC it serves', async () => {
      const der = encode(EsipaMessageFromIpaToEim, {
        getEimPackageRequest: { eidValue: fromHex(EID), notifyStateChange: null, stateChangeCause: 1 },
      });
      expect(decode(EsipaMessageFromEimToIpa, (await f.handler.handle(der)).body!)).toEqual({
        getEimPackageResponse: { eimPackageError: 2 },
      });
      expect(f.events).toEqual([]);
      await f.store.associate(EIM_ID, EID);
      await f.handler.handle(der);
      expect(f.events).toEqual([{ type: 'stateChanged', eid: EID, cause: 1 }]);
    });
  });

  describe('ProvideEimPackageResult', () => {
    it('verifies a signed result, reports it, acknowledges its sequence number and ends the package', async () => {
      const { queued, request } = await deliverEnable();
      const p = await card.verifyPackage(request);
      const res = await provide(await card.signedResult({ ...p, eimId: EIM_ID }, [{ enableResult: 0 }]));
      expect(res).toEqual({ eimAcknowledgements: [card.seq] });
      const done = f.events.find((e) => e.type === 'packageCompleted' && e.package.kind === 'euiccPackage');
      expect(done).toMatchObject({ outcome: 'succeeded', results: [{ enableResult: 0 }], eid: EID });
      expect((await f.store.findByTransaction(queued.eimTransactionId))?.state).toBe('done');
      expect(await poll()).toEqual({ eimPackageError: 1 });
    });

    it('reports a failed PSMO as a failed package with the result code', async () => {
      const { request } = await deliverEnable();
      const p = await card.verifyPackage(request);
      await provide(await card.signedResult({ ...p, eimId: EIM_ID }, [{ enableResult: 2 }]));
      expect(f.events.at(-1)).toMatchObject({ outcome: 'failed', error: { code: 'enableResult=2' } });
    });

    it('reports an enable the eUICC rolled back as failed: its effect is undone', async () => {
      const { request } = await deliverEnable();
      const p = await card.verifyPackage(request);
      await provide(
        await card.signedResult({ ...p, eimId: EIM_ID }, [{ enableResult: 0 }, { rollbackResult: 0 }]),
      );
      expect(f.events.at(-1)).toMatchObject({ outcome: 'failed', error: { code: 'rollbackResult=0' } });
    });

    it('finds the package by eimTransactionId when the IPA leaves the EID out', async () => {
      const { request } = await deliverEnable();
      const p = await card.verifyPackage(request);
      const res = await provide(
        await card.signedResult({ ...p, eimId: EIM_ID }, [{ enableResult: 0 }]),
        undefined,
      );
      expect(res.eimAcknowledgements).toHaveLength(1);
    });

    const rejects = async (
      make: (p: {
        eimTransactionId: Uint8Array;
        counterValue: number;
      }) => Promise<Parameters<typeof ipa.provideResult>[1]>,
      reason: string,
    ) => {
      const { queued, request } = await deliverEnable();
      const p = await card.verifyPackage(request);
      const before = f.events.length;
      expect(await provide(await make(p))).toEqual({ provideEimPackageResultError: 127 });
      expect(f.events).toHaveLength(before);
      expect((await f.store.findByTransaction(queued.eimTransactionId))?.state).toBe('delivered');
      const [rejection] = await f.store.listRejections(EID);
      expect(rejection).toMatchObject({ reason, function: 'ProvideEimPackageResult' });
      expect(rejection!.body).not.toBeNull();
    };

    it('rejects a forged result (signed with another key) and records it', () =>
      rejects(
        (p) => card.signedResult({ ...p, eimId: EIM_ID }, [{ enableResult: 0 }], 'EUM/SK_EUM_ECDSA_NIST.pem'),
        'badSignature',
      ));

    it('rejects a result with another counterValue', () =>
      rejects(
        (p) =>
          card.signedResult({ ...p, counterValue: p.counterValue + 1, eimId: EIM_ID }, [{ enableResult: 0 }]),
        'mismatch',
      ));

    it('rejects a result for an unknown eimTransactionId', () =>
      rejects(
        (p) =>
          card.signedResult({ ...p, eimTransactionId: Uint8Array.of(1, 2, 3), eimId: EIM_ID }, [
            { enableResult: 0 },
          ]),
        'unknownTransaction',
      ));

    it('rejects a result addressed to another eIM', () =>
      rejects((p) => card.signedResult({ ...p, eimId: 'other.eim' }, [{ enableResult: 0 }]), 'mismatch'));

    it('rejects a replayed result and does not apply it twice', async () => {
      const { request } = await deliverEnable();
      const p = await card.verifyPackage(request);
      const result = await card.signedResult({ ...p, eimId: EIM_ID }, [{ enableResult: 0 }]);
      await provide(result);
      const before = f.events.length;
      expect(await provide(result)).toEqual({ provideEimPackageResultError: 127 });
      expect(f.events).toHaveLength(before);
      expect((await f.store.listRejections(EID)).map((r) => r.reason)).toEqual(['replayed']);
    });

    it('rejects certificates that do not chain to a trusted CI, and of another EID', async () => {
      await f.eim.queueEuiccPackage({ eid: EID, euiccPackage: { psmoList: [{ getRAT: {} }] } });
      const req = (await poll()).ipaEuiccDataRequest!;
      const forged = card.ipaEuiccData(req);
      // The EUM's own certificate in place of the eUICC's: not issued by the EUM, names no EID.
      forged.ipaEuiccDataResponse!.ipaEuiccData!.euiccCertificate = card.eumCertificate;
      expect(await provide(forged)).toEqual({ provideEimPackageResultError: 127 });
      expect(await f.store.getCertificates(EID)).toBeUndefined();
      expect((await f.store.listRejections(EID))[0]).toMatchObject({ reason: 'badCertificate' });
      // Nothing for this eUICC could ever be verified: what waited for it ends now, with the reason.
      expect((await f.store.listPackages(EID)).map((p) => [p.kind, p.state])).toEqual([
        ['ipaEuiccData', 'failed'],
        ['euiccPackage', 'failed'],
      ]);
      expect(f.events.map((e) => e.type === 'packageCompleted' && e.error?.code)).toEqual([
        'badCertificate',
        'badCertificate',
      ]);
      expect(await poll()).toEqual({ eimPackageError: 1 });
    });

    it('answers invalidEid and eidNotFound for a bad or unknown EID, changing nothing', async () => {
      const some = { eimPackageResultResponseError: { eimPackageResultErrorCode: 2 } };
      expect(await provide(some, '89049032123451234512345678901234')).toEqual({
        provideEimPackageResultError: 3,
      });
      expect(await provide(some, EID)).toEqual({ provideEimPackageResultError: 2 });
      expect(await f.store.listPackages(EID)).toEqual([]);
    });

    describe('a result lost after the eUICC executed the package', () => {
      /** The card executes the package, its result never reaches the eIM; the package comes again and the card says replayError. */
      const lostResult = async () => {
        const { queued, request } = await deliverEnable();
        const p = await card.verifyPackage(request);
        const result = await card.signedResult({ ...p, eimId: EIM_ID }, [{ enableResult: 0 }]);
        const again = (await poll()).euiccPackageRequest!;
        await expect(card.verifyPackage(again)).rejects.toThrow(/replay/);
        const replayError = await card.signedError({ ...p, eimId: EIM_ID }, 4);
        expect(await provide({ euiccPackageResult: replayError })).toEqual({ emptyResponse: {} });
        return { queued, result };
      };

      it("is fetched from the eUICC's result list under the same eimTransactionId, and applied", async () => {
        const { queued, result } = await lostResult();
        const recovery = (await poll()).ipaEuiccDataRequest!;
        expect(toHex(recovery.eimTransactionId!)).toBe(queued.eimTransactionId);
        expect(toHex(recovery.tagList)).toBe('A2');
        const res = await provide({
          ipaEuiccDataResponse: {
            ipaEuiccData: {
              eimTransactionId: recovery.eimTransactionId!,
              euiccPackageResultList: [result.euiccPackageResult!],
            },
          },
        });
        expect(res).toEqual({ eimAcknowledgements: [card.seq] });
        expect(f.events.at(-1)).toMatchObject({
          type: 'packageCompleted',
          outcome: 'succeeded',
          results: [{ enableResult: 0 }],
        });
        // The event still carries the signed package the result belongs to.
        expect(
          ipa.readPackage((f.events.at(-1) as { package: { body: Uint8Array } }).package.body)
            .euiccPackageRequest,
        ).toBeDefined();
        expect((await f.store.findByTransaction(queued.eimTransactionId))?.state).toBe('done');
        expect(await poll()).toEqual({ eimPackageError: 1 });
      });

      it('fails the package as resultLost when the eUICC no longer holds it', async () => {
        const { queued } = await lostResult();
        const recovery = (await poll()).ipaEuiccDataRequest!;
        await provide({
          ipaEuiccDataResponse: {
            ipaEuiccData: { eimTransactionId: recovery.eimTransactionId!, euiccPackageResultList: [] },
          },
        });
        expect(f.events.at(-1)).toMatchObject({ outcome: 'failed', error: { code: 'resultLost' } });
        expect((await f.store.findByTransaction(queued.eimTransactionId))?.state).toBe('failed');
      });
    });

    it('ends the package in flight as failed when the IPA refuses it', async () => {
      const { queued } = await deliverEnable();
      await provide({
        eimPackageResultResponseError: {
          eimTransactionId: fromHex(queued.eimTransactionId),
          eimPackageResultErrorCode: 1,
        },
      });
      expect((await f.store.findByTransaction(queued.eimTransactionId))?.state).toBe('failed');
      expect(f.events.at(-1)).toMatchObject({
        outcome: 'failed',
        error: { code: 'eimPackageResultErrorCode=1' },
      });
    });
  });

  describe('HandleNotification', () => {
    const notify = async (n: Awaited<ReturnType<TestEuicc['otherSignedNotification']>>) => {
      const r = await f.handler.handle(
        encode(EsipaMessageFromIpaToEim, { handleNotificationEsipa: { pendingNotification: n } }),
      );
      expect(r).toEqual({ function: 'HandleNotification', body: null });
    };

    it('verifies a signed notification with the certificates it carries and reports it once', async () => {
      const n = await card.otherSignedNotification('notificationEnable', iccidToBytes(ICCID));
      await notify(n);
      await notify(n);
      expect(f.events).toEqual([
        { type: 'notification', eid: EID, seqNumber: card.seq, operation: 'enable', iccid: ICCID },
      ]);
      expect((await f.store.listRejections(EID)).map((r) => r.reason)).toEqual(['replayed']);
    });

    it('rejects a forged notification', async () => {
      await notify(
        await card.otherSignedNotification(
          'notificationDelete',
          iccidToBytes(ICCID),
          9,
          'EUM/SK_EUM_ECDSA_NIST.pem',
        ),
      );
      expect(f.events).toEqual([]);
      expect((await f.store.listRejections(EID)).map((r) => r.reason)).toEqual(['badSignature']);
    });
  });

  describe('TransferEimPackage (eIM-initiated)', () => {
    it("builds the push of the next package and takes the IPA's answer as its result", async () => {
      await f.store.saveCertificates(EID, {
        euiccCertificate: card.euiccCertificate,
        eumCertificate: card.eumCertificate,
      });
      const queued = await f.eim.queueEuiccPackage({
        eid: EID,
        euiccPackage: { psmoList: [{ getRAT: {} }] },
      });
      const push = decode(EsipaMessageFromEimToIpa, (await f.handler.transferEimPackageRequest(EID))!);
      const request = push.transferEimPackageRequest!.euiccPackageRequest!;
      const p = await card.verifyPackage(request);
      expect(toHex(p.eimTransactionId)).toBe(queued.eimTransactionId);
      const result = await card.signedResult({ ...p, eimId: EIM_ID }, [{ getRATResult: [] }]);
      const answer = encode(EsipaMessageFromIpaToEim, {
        transferEimPackageResponse: { euiccPackageResult: result.euiccPackageResult! },
      });
      expect(await f.handler.handle(answer)).toEqual({ function: 'TransferEimPackage', body: null });
      expect((await f.store.findByTransaction(queued.eimTransactionId))?.state).toBe('done');
      expect(await f.handler.transferEimPackageRequest(EID)).toBeUndefined();
      // The same answer again is a replay: recorded, not applied.
      await f.handler.handle(answer);
      expect((await f.store.listRejections(EID)).map((r) => [r.function, r.reason])).toEqual([
        ['TransferEimPackage', 'replayed'],
      ]);
    });
  });

  describe('bad input', () => {
    const bad = async (bytes: Uint8Array, reason: string) => {
      const err = await f.handler.handle(bytes).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EsipaRequestError);
      expect((err as EsipaRequestError).reason).toBe(reason);
      expect((err as Error).message.length).toBeGreaterThan(10);
    };
    const good = () => ipa.getEimPackage(EID);

    it('refuses bytes that are not an ESipa message, changing nothing', async () => {
      await bad(new Uint8Array(), 'malformed');
      await bad(Uint8Array.of(0x30, 0x00), 'malformed');
      await bad(good().subarray(0, 10), 'malformed'); // truncated
      await bad(Uint8Array.from([...good(), 0x00]), 'malformed'); // trailing byte
      await bad(Uint8Array.of(0xbf, 0x4f, 0x84, 0xff, 0xff, 0xff, 0xff), 'malformed'); // absurd length
      // An eIM -> IPA message sent the wrong way.
      await bad(
        encode(EsipaMessageFromEimToIpa, { cancelSessionResponseEsipa: { cancelSessionOk: {} } }),
        'malformed',
      );
      expect(await f.store.listPackages(EID)).toEqual([]);
      expect(await f.store.listRejections()).toEqual([]);
    });

    it('records well-formed messages that do not fit any package, and answers the spec error', async () => {
      await f.store.associate(EIM_ID, EID);
      // eUICC data without the eimTransactionId of a request.
      expect(await provide({ ipaEuiccDataResponse: { ipaEuiccData: { defaultSmdpAddress: 'x' } } })).toEqual({
        provideEimPackageResultError: 127,
      });
      // A result for a download trigger that was never sent.
      expect(
        await provide({
          profileDownloadTriggerResult: {
            eimTransactionId: Uint8Array.of(9, 9),
            profileDownloadTriggerResultData: { profileDownloadError: { profileDownloadErrorReason: 127 } },
          },
        }),
      ).toEqual({ provideEimPackageResultError: 127 });
      // A compact notification naming no eUICC.
      await f.handler.handle(
        encode(EsipaMessageFromIpaToEim, {
          handleNotificationEsipa: {
            pendingNotification: {
              compactOtherSignedNotification: {
                tbsOtherNotification: {
                  seqNumber: 1,
                  profileManagementOperation: ['notificationEnable'],
                  notificationAddress: 'x',
                },
                euiccNotificationSignature: new Uint8Array(64),
              },
            },
          },
        }),
      );
      expect((await f.store.listRejections()).map((r) => r.reason)).toEqual([
        'mismatch',
        'unknownTransaction',
        'unknownEid',
      ]);
      expect(f.events).toEqual([]);
      expect(await f.store.listPackages(EID)).toEqual([]);
    });

    it('refuses the ES9+ relay functions when no SM-DP+ client is configured', async () => {
      const der = encode(EsipaMessageFromIpaToEim, {
        cancelSessionRequestEsipa: {
          transactionId: Uint8Array.of(1),
          cancelSessionResponse: { cancelSessionResponseError: 127 },
        },
      });
      await bad(der, 'notServed');
    });
  });

  it('keeps counters and queued packages across an eIM restart', async () => {
    await f.store.saveCertificates(EID, {
      euiccCertificate: card.euiccCertificate,
      eumCertificate: card.eumCertificate,
    });
    await f.eim.queueEuiccPackage({ eid: EID, euiccPackage: { psmoList: [{ getRAT: {} }] } });
    const restarted = await startEim(db.knex, { dataDir: (f as EimFixture & { dataDir: string }).dataDir });
    const second = await restarted.eim.queueEuiccPackage({
      eid: EID,
      euiccPackage: { psmoList: [{ getRAT: {} }] },
    });
    expect(second.counterValue).toBe(2);
    f = restarted;
    const first = (await poll()).euiccPackageRequest!;
    expect((await card.verifyPackage(first)).counterValue).toBe(1);
  });
});
