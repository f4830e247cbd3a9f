import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  decode,
  encode,
  EsipaMessageFromEimToIpa,
  EsipaMessageFromIpaToEim,
  type GetBoundProfilePackageRequestEsipa,
  type InitiateAuthenticationRequestEsipa,
  ProfileInstallationResultData,
} from '@esim/asn1';
import { Es9PlusCallError, fromHex, iccidToBytes } from '@esim/eim';
import type { Database } from '../../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { startEim, type EimFixture } from './support/eim-fixture.js';
import { SGP26_EID, TestEuicc } from './support/test-euicc.js';
import { TestSmdp, TXID } from './support/test-smdp.js';

const SMDP = 'smdp.example';

describe(`ES9+' relay (indirect profile download) on ${testDatabaseKind()}`, () => {
  let db: Database;
  let f: EimFixture;
  let smdp: TestSmdp;

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.knex.raw(
      'truncate eim_packages, eim_associations, eim_euicc_certificates, eim_relay_sessions, eim_rejected_results, eim_notifications',
    );
    smdp = new TestSmdp();
    f = await startEim(db.knex, { es9: smdp });
  });

  const send = async (m: EsipaMessageFromIpaToEim) =>
    decode(EsipaMessageFromEimToIpa, (await f.handler.handle(encode(EsipaMessageFromIpaToEim, m))).body!);
  const initiate = (extra: Partial<InitiateAuthenticationRequestEsipa> = {}) =>
    send({ initiateAuthenticationRequestEsipa: { euiccChallenge: new Uint8Array(16).fill(1), ...extra } });
  const authenticate = () =>
    send({
      authenticateClientRequestEsipa: {
        transactionId: TXID,
        authenticateServerResponse: {
          authenticateResponseError: { transactionId: TXID, authenticateErrorCode: 127 },
        },
      },
    });
  const getBpp = () =>
    send({
      getBoundProfilePackageRequestEsipa: {
        transactionId: TXID,
        prepareDownloadResponse: { downloadResponseError: { transactionId: TXID, downloadErrorCode: 127 } },
      } as GetBoundProfilePackageRequestEsipa,
    });
  const cancel = () =>
    send({
      cancelSessionRequestEsipa: {
        transactionId: TXID,
        cancelSessionResponse: { cancelSessionResponseError: 127 },
      },
    });
  const trigger = async (code: string) => {
    const card = new TestEuicc(f.credentials.certificate);
    await f.store.saveCertificates(SGP26_EID, {
      euiccCertificate: card.euiccCertificate,
      eumCertificate: card.eumCertificate,
    });
    const q = await f.eim.queueProfileDownloadTrigger({
      eid: SGP26_EID,
      profileDownloadData: { activationCode: code },
    });
    return fromHex(q.eimTransactionId);
  };

  it('relays a session to the SM-DP+ of the download trigger, step by step, and keeps its state', async () => {
    const eimTransactionId = await trigger(`1$${SMDP}$MATCH`);
    const init = await initiate({ eimTransactionId });
    expect(init.initiateAuthenticationResponseEsipa?.initiateAuthenticationOkEsipa?.transactionId).toEqual(
      TXID,
    );
    expect(await f.store.getRelaySession('A1B2C3D4')).toMatchObject({
      eid: SGP26_EID,
      smdpAddress: SMDP,
      state: 'initiated',
    });
    expect((await authenticate()).authenticateClientResponseEsipa).toEqual({
      authenticateClientOkDSEsipa: { transactionId: TXID },
    });
    expect((await f.store.getRelaySession('A1B2C3D4'))?.state).toBe('authenticated');
    expect((await getBpp()).getBoundProfilePackageResponseEsipa).toEqual({
      getBoundProfilePackageErrorEsipa: 6,
    });
    // The SM-DP+ ended the session with an error: the relay forgets it.
    expect(await f.store.getRelaySession('A1B2C3D4')).toBeUndefined();
    expect(smdp.calls).toEqual([
      { fn: 'initiateAuthentication', address: SMDP },
      { fn: 'authenticateClient', address: SMDP },
      { fn: 'getBoundProfilePackage', address: SMDP },
    ]);
  });

  it('refuses steps out of order or for unknown sessions without calling the SM-DP+', async () => {
    expect((await authenticate()).authenticateClientResponseEsipa).toEqual({
      authenticateClientErrorEsipa: 10,
    });
    expect((await getBpp()).getBoundProfilePackageResponseEsipa).toEqual({
      getBoundProfilePackageErrorEsipa: 95,
    });
    expect((await cancel()).cancelSessionResponseEsipa).toEqual({ cancelSessionError: 1 });
    await initiate({ smdpAddress: SMDP });
    expect((await getBpp()).getBoundProfilePackageResponseEsipa).toEqual({
      getBoundProfilePackageErrorEsipa: 95,
    });
    expect(smdp.calls.map((c) => c.fn)).toEqual(['initiateAuthentication']);
  });

  it('answers the spec errors for a missing address, a mismatched address and an unknown eimTransactionId', async () => {
    expect((await initiate()).initiateAuthenticationResponseEsipa).toEqual({
      initiateAuthenticationErrorEsipa: 1,
    });
    expect(
      (await initiate({ eimTransactionId: Uint8Array.of(9) })).initiateAuthenticationResponseEsipa,
    ).toEqual({
      initiateAuthenticationErrorEsipa: 52,
    });
    const eimTransactionId = await trigger(`1$${SMDP}$MATCH`);
    expect(
      (await initiate({ eimTransactionId, smdpAddress: 'other.example' }))
        .initiateAuthenticationResponseEsipa,
    ).toEqual({
      initiateAuthenticationErrorEsipa: 50,
    });
    expect(smdp.calls).toEqual([]);
  });

  it('an SM-DP+ that cannot be reached: undefinedError(127) to the IPA, no session kept', async () => {
    smdp.initiateAuthentication = async (address) => {
      throw new Es9PlusCallError('connection refused', 'unreachable', address);
    };
    const eimTransactionId = await trigger(`1$${SMDP}$MATCH`);
    expect((await initiate({ eimTransactionId })).initiateAuthenticationResponseEsipa).toEqual({
      initiateAuthenticationErrorEsipa: 127,
    });
    expect(Number((await db.knex('eim_relay_sessions').count({ n: '*' }).first())!.n)).toBe(0);
  });

  it('takes the EID of a ProfileInstallationResult from the relayed session, verifies it, and forwards it to the SM-DP+', async () => {
    const eimTransactionId = await trigger(`1$${SMDP}$MATCH`);
    await initiate({ eimTransactionId });
    const card = new TestEuicc(f.credentials.certificate);
    const data: ProfileInstallationResultData = {
      transactionId: TXID,
      notificationMetadata: {
        seqNumber: 41,
        profileManagementOperation: ['notificationInstall'],
        notificationAddress: SMDP,
        iccid: iccidToBytes('89440000000000000037'),
      },
      smdpOid: '2.999.10',
      finalResult: {
        successResult: {
          aid: fromHex('A0000005591010FFFFFFFF8900001000'),
          simaResponse: Uint8Array.of(0x30, 0x00),
        },
      },
    };
    const euiccSignPIR = await card.sign(encode(ProfileInstallationResultData, data));
    const notify = (sig: Uint8Array) =>
      f.handler.handle(
        encode(EsipaMessageFromIpaToEim, {
          handleNotificationEsipa: {
            pendingNotification: {
              profileInstallationResult: { profileInstallationResultData: data, euiccSignPIR: sig },
            },
          },
        }),
      );
    await notify(new Uint8Array(64));
    expect(f.events).toEqual([]);
    // Only a verified result goes on to the SM-DP+ of the session.
    expect(smdp.calls.map((c) => c.fn)).toEqual(['initiateAuthentication']);
    expect((await f.store.listRejections(SGP26_EID)).map((r) => r.reason)).toEqual(['badSignature']);
    await notify(euiccSignPIR);
    expect(f.events).toEqual([
      {
        type: 'notification',
        eid: SGP26_EID,
        seqNumber: 41,
        operation: 'install',
        iccid: '89440000000000000037',
      },
    ]);
    expect(smdp.calls.at(-1)).toEqual({ fn: 'handleNotification', address: SMDP });
  });

  it('cleans the session up on CancelSession', async () => {
    await initiate({ smdpAddress: SMDP });
    expect((await cancel()).cancelSessionResponseEsipa).toEqual({ cancelSessionOk: {} });
    expect(await f.store.getRelaySession('A1B2C3D4')).toBeUndefined();
    expect((await authenticate()).authenticateClientResponseEsipa).toEqual({
      authenticateClientErrorEsipa: 10,
    });
  });
});
