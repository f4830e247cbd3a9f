import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  decode,
  encode,
  EsipaMessageFromEimToIpa,
  EsipaMessageFromIpaToEim,
  GetEimPackageResponse,
  type EimPackageResult,
  type EuiccResultData,
} from '@esim/asn1';
import {
  Eim,
  EsipaHandler,
  EuiccChainVerifier,
  fromHex,
  iccidToBytes,
  KnexEimStore,
  type EimCredentials,
} from '@esim/eim';
import type { Database } from '../../src/db/database.js';
import { KnexInventoryObservations } from '../../src/inventory/knex-observations.js';
import { KnexOperationStore } from '../../src/operations/knex-operation-store.js';
import { StoreOperationOutcomes } from '../../src/operations/outcomes.js';
import type { OperationType } from '../../src/operations/vocabulary.js';
import { Sgp32StackAdapter } from '../../src/sgp32/sgp32-adapter.js';
import { readProfilesAgain, Sgp32Listener } from '../../src/sgp32/sgp32-listener.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { EIM_ID, startEim } from './support/eim-fixture.js';
import { CI_FILE, ipa, SGP26_EID, TestEuicc } from './support/test-euicc.js';

const EID = SGP26_EID;
const A = '89440000000000000011';
const B = '89440000000000000029';

describe(`SGP.32 stack adapter and listener on ${testDatabaseKind()}`, () => {
  let db: Database;
  let operations: KnexOperationStore;
  let adapter: Sgp32StackAdapter;
  let handler: EsipaHandler;
  let card: TestEuicc;
  let credentials: EimCredentials;

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    credentials = (await startEim(db.knex)).credentials;
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.knex.raw(
      'truncate eim_packages, eim_associations, eim_euicc_certificates, eim_notifications, eim_rejected_results, operations, operation_attempts, audit_log, profiles, euiccs cascade',
    );
    await db.knex('euiccs').insert({ eid: EID, stack: 'sgp32' });
    await db.knex('profiles').insert([
      { iccid: A, eid: EID, state: 'enabled' },
      { iccid: B, eid: EID, state: 'disabled' },
    ]);
    operations = new KnexOperationStore(db.knex);
    const eim: Eim = new Eim({
      eimId: EIM_ID,
      store: new KnexEimStore(db.knex),
      credentials,
      verifier: EuiccChainVerifier.fromFiles([CI_FILE]),
      listener: new Sgp32Listener(
        new StoreOperationOutcomes(operations),
        new KnexInventoryObservations(db.knex),
        pino({ level: 'silent' }),
        (eid) => readProfilesAgain(eim, eid),
      ),
    });
    adapter = new Sgp32StackAdapter(eim, db.knex);
    handler = new EsipaHandler(eim);
    card = new TestEuicc(credentials.certificate);
  });

  /** Creates the operation, dispatches it as the worker would, and marks it sent with the correlation id. */
  const dispatch = async (type: OperationType, params: Record<string, unknown>) => {
    const op = await operations.create({ eid: EID, stack: 'sgp32', type, params, requestedBy: 'test' });
    const out = await adapter.dispatch({
      operationId: op.id,
      eid: EID,
      type,
      params,
      validUntil: null,
      attempt: 1,
    });
    expect(out.status).toBe('sent');
    if (out.status !== 'sent') throw new Error('not sent');
    await operations.transition(op.id, ['pending'], {
      to: 'sent',
      actor: 'test',
      correlationId: out.correlationId,
    });
    return op.id;
  };
  const exchange = async (der: Uint8Array) => (await handler.handle(der)).body;
  const poll = async () => decode(GetEimPackageResponse, (await exchange(ipa.getEimPackage(EID)))!);
  /** The device: answers the certificate request if any, executes the eUICC package with the given results. */
  const device = async (results: (psmoCount: number) => EuiccResultData[]) => {
    let pkg = await poll();
    if (pkg.ipaEuiccDataRequest) {
      await exchange(ipa.provideResult(EID, card.ipaEuiccData(pkg.ipaEuiccDataRequest)));
      pkg = await poll();
    }
    const p = await card.verifyPackage(pkg.euiccPackageRequest!);
    const ops = p.signed.euiccPackage.psmoList ?? p.signed.euiccPackage.ecoList ?? [];
    const result: EimPackageResult = await card.signedResult({ ...p, eimId: EIM_ID }, results(ops.length));
    const res = decode(EsipaMessageFromEimToIpa, (await exchange(ipa.provideResult(EID, result)))!);
    expect(res.provideEimPackageResultResponse?.eimAcknowledgements).toBeDefined();
    return p;
  };
  const profiles = async () =>
    Object.fromEntries(
      (
        (await db.knex('profiles').where({ eid: EID }).select('iccid', 'state', 'fallback')) as {
          iccid: string;
          state: string;
          fallback: boolean;
        }[]
      ).map((r) => [r.iccid, `${r.state}${r.fallback ? '+fallback' : ''}`]),
    );

  it('enable: PSMO enable, the operation succeeds and the inventory follows', async () => {
    const id = await dispatch('enable', { iccid: B });
    const p = await device(() => [{ enableResult: 0 }]);
    expect(p.signed.euiccPackage).toEqual({ psmoList: [{ enable: { iccid: iccidToBytes(B) } }] });
    expect((await operations.get(id))?.state).toBe('succeeded');
    expect(await profiles()).toEqual({ [A]: 'disabled', [B]: 'enabled' });
  });

  it('disable, delete, setFallback map to their PSMOs', async () => {
    await dispatch('disable', { iccid: A });
    expect((await device(() => [{ disableResult: 0 }])).signed.euiccPackage.psmoList![0]).toHaveProperty(
      'disable',
    );
    await dispatch('setFallback', { iccid: B });
    expect(
      (await device(() => [{ setFallbackAttributeResult: 0 }])).signed.euiccPackage.psmoList![0],
    ).toHaveProperty('setFallbackAttribute');
    await dispatch('delete', { iccid: A });
    expect((await device(() => [{ deleteResult: 0 }])).signed.euiccPackage.psmoList![0]).toHaveProperty(
      'delete',
    );
    expect(await profiles()).toEqual({ [A]: 'deleted', [B]: 'disabled+fallback' });
  });

  it('audit: listProfileInfo, the profile list becomes the inventory', async () => {
    const id = await dispatch('audit', {});
    await device(() => [
      {
        listProfileInfoResult: {
          profileInfoListOk: [{ iccid: iccidToBytes(B), profileState: 1, fallbackAttribute: true }],
        },
      },
    ]);
    expect((await operations.get(id))?.state).toBe('succeeded');
    expect(await profiles()).toEqual({ [A]: 'deleted', [B]: 'enabled+fallback' });
  });

  it('a PSMO the eUICC refuses fails the operation with its result code and changes nothing', async () => {
    const id = await dispatch('enable', { iccid: B });
    await device(() => [{ enableResult: 2 }]);
    const op = await operations.get(id);
    expect(op?.state).toBe('failed');
    expect(op?.error).toMatchObject({ code: 'enableResult=2' });
    expect(await profiles()).toEqual({ [A]: 'enabled', [B]: 'disabled' });
  });

  it('download: a ProfileDownloadTriggerRequest with the activation code, correlated by eimTransactionId', async () => {
    await db.knex('eim_euicc_certificates').insert({
      eid: EID,
      euicc_certificate: Buffer.from(card.euiccCertificate),
      eum_certificate: Buffer.from(card.eumCertificate),
    });
    const id = await dispatch('download', { activationCode: '1$smdp.example$MATCH-1' });
    const pkg = await poll();
    expect(pkg.profileDownloadTriggerRequest?.profileDownloadData).toEqual({
      activationCode: '1$smdp.example$MATCH-1',
    });
    const op = await operations.get(id);
    expect(op?.correlationId).toBe(
      Buffer.from(pkg.profileDownloadTriggerRequest!.eimTransactionId!).toString('hex').toUpperCase(),
    );
  });

  it('refuses what SGP.32 has no function for, and bad parameters, without queueing', async () => {
    for (const type of [
      'smsrChange',
      'setEmergency',
      'unsetEmergency',
      'updateSubscriptionAddress',
      'updatePolicyRules',
    ] as const) {
      expect(adapter.supports(type).supported).toBe(false);
      const out = await adapter.dispatch({
        operationId: 'x',
        eid: EID,
        type,
        params: {},
        validUntil: null,
        attempt: 1,
      });
      expect(out).toMatchObject({ status: 'failed', retryable: false, error: { code: 'unsupported' } });
    }
    const unknownEim = await adapter.dispatch({
      operationId: 'x',
      eid: EID,
      type: 'eimChange',
      params: { targetEimId: 'nobody' },
      validUntil: null,
      attempt: 1,
    });
    expect(unknownEim).toMatchObject({ status: 'failed', error: { code: 'unknownEim' } });
    const badEid = await adapter.dispatch({
      operationId: 'x',
      eid: '1234',
      type: 'enable',
      params: { iccid: A },
      validUntil: null,
      attempt: 1,
    });
    expect(badEid).toMatchObject({ status: 'failed', retryable: false, error: { code: 'invalidRequest' } });
    expect(await db.knex('eim_packages').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('eimChange: addEim of the target eIM, then deleteEim of ours, in one signed package', async () => {
    await db.knex('platforms').insert({
      id: 'eim-2',
      kind: 'eim',
      name: 'Second eIM',
      entity_id: 'eim2.example',
      metadata: { eimConfigurationData: { eimId: 'eim2.example', eimFqdn: 'eim2.example', counterValue: 0 } },
    });
    const id = await dispatch('eimChange', { targetEimId: 'eim2.example' });
    const p = await device(() => [{ addEimResult: { addEimResultCode: 0 } }, { deleteEimResult: 0 }]);
    expect(p.signed.euiccPackage).toEqual({
      ecoList: [
        { addEim: { eimId: 'eim2.example', eimFqdn: 'eim2.example', counterValue: 0 } },
        { deleteEim: { eimId: EIM_ID } },
      ],
    });
    expect((await operations.get(id))?.state).toBe('succeeded');
  });

  it('reads the profile list again, in the same poll, when the IPA notifies a state change', async () => {
    await db.knex('eim_euicc_certificates').insert({
      eid: EID,
      euicc_certificate: Buffer.from(card.euiccCertificate),
      eum_certificate: Buffer.from(card.eumCertificate),
    });
    await db.knex('eim_associations').insert({ eim_id: EIM_ID, eid: EID });
    const der = encode(EsipaMessageFromIpaToEim, {
      getEimPackageRequest: { eidValue: fromHex(EID), notifyStateChange: null, stateChangeCause: 1 },
    });
    const pkg = decode(GetEimPackageResponse, (await exchange(der))!);
    const p = await card.verifyPackage(pkg.euiccPackageRequest!);
    expect(p.signed.euiccPackage).toEqual({ psmoList: [{ listProfileInfo: {} }] });
    // The fallback took over on the device: the profile list says so, the inventory follows.
    await exchange(
      ipa.provideResult(
        EID,
        await card.signedResult({ ...p, eimId: EIM_ID }, [
          {
            listProfileInfoResult: {
              profileInfoListOk: [
                { iccid: iccidToBytes(A), profileState: 0 },
                { iccid: iccidToBytes(B), profileState: 1, fallbackAttribute: true },
              ],
            },
          },
        ]),
      ),
    );
    expect(await profiles()).toEqual({ [A]: 'disabled', [B]: 'enabled+fallback' });
  });

  it('expires the operation when its package outlives its validity', async () => {
    const op = await operations.create({
      eid: EID,
      stack: 'sgp32',
      type: 'audit',
      params: {},
      requestedBy: 'test',
    });
    const out = await adapter.dispatch({
      operationId: op.id,
      eid: EID,
      type: 'audit',
      params: {},
      validUntil: new Date(Date.now() - 1),
      attempt: 1,
    });
    await operations.transition(op.id, ['pending'], {
      to: 'sent',
      actor: 'test',
      correlationId: (out as { correlationId: string }).correlationId,
    });
    expect(await poll()).toEqual({ eimPackageError: 1 });
    expect((await operations.get(op.id))?.state).toBe('expired');
  });
});
