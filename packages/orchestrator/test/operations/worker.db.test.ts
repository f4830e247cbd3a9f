import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Database } from '../../src/db/database.js';
import { KnexOperationStore } from '../../src/operations/knex-operation-store.js';
import { KnexOperationQueue } from '../../src/operations/knex-operation-queue.js';
import { StoreOperationOutcomes } from '../../src/operations/outcomes.js';
import { OperationWorker } from '../../src/operations/worker.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { openTestApi, type TestApi } from '../support/api.js';
import { PeerAdapter, type PeerBehaviour } from '../support/peer-adapter.js';
import type { StackAdapter } from '../../src/stacks/stack-adapter.js';

const eid = (n: number) => `8904903200000000000000000001${String(n).padStart(4, '0')}`;
const iccid = '8944500000000000001';

describe(`operation queue and worker on ${testDatabaseKind()}`, () => {
  let db: Database;
  let api: TestApi;
  let peer: PeerAdapter;
  const behaviours = new Map<string, PeerBehaviour>();
  const adapters = new Map<string, StackAdapter>();
  const store = () => new KnexOperationStore(db.knex);
  const worker = (leaseSeconds = 30) =>
    new OperationWorker({
      knex: db.knex,
      store: store(),
      adapters,
      logger: pino({ level: 'silent' }),
      pollMs: 50,
      leaseSeconds,
      retryBaseMs: 10,
      retryMaxMs: 50,
    });
  const create = async (n: number, body: object = {}) => {
    const res = await api.call({
      role: 'operator',
      method: 'POST',
      url: '/api/v1/operations',
      payload: { eid: eid(n), type: 'enable', params: { iccid }, ...body },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; state: string };
  };
  const state = async (id: string) => (await store().get(id))!.state;
  const until = async (what: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await what()); i++) await new Promise((r) => setTimeout(r, 25));
  };

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    peer = new PeerAdapter(
      'sgp02',
      new StoreOperationOutcomes(store()),
      (e) => behaviours.get(e) ?? 'async-success',
      ['eimChange'],
    );
    adapters.set('sgp02', peer);
    api = await openTestApi(db, { adapters });
    for (let n = 1; n <= 12; n++)
      await db.knex('euiccs').insert({ eid: eid(n), stack: n === 12 ? 'sgp32' : 'sgp02' });
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });
  beforeEach(() => {
    peer.executions.length = 0;
    peer.duplicates.length = 0;
  });

  it('runs pending -> sent -> succeeded through the peer, each step audited with who and why', async () => {
    const op = await create(1);
    expect(op.state).toBe('pending');
    expect(await worker().round()).toBe(1);
    expect(await state(op.id)).toBe('sent');
    await until(async () => (await state(op.id)) === 'succeeded');
    expect(await state(op.id)).toBe('succeeded');
    expect(peer.executions.map((e) => [e.operationId, e.attempt])).toEqual([[op.id, 1]]);
    const audit = (
      await api.call({ role: 'viewer', method: 'GET', url: `/api/v1/operations/${op.id}/audit` })
    ).json();
    expect(audit.map((a: { actor: string; toState: string }) => [a.actor, a.toState])).toEqual([
      ['api:test-operator', 'pending'],
      ['stack:sgp02', 'sent'],
      ['platform:peer-sgp02', 'succeeded'],
    ]);
    expect(audit[0].reason.api.token).toBe('test-operator');
    const log = await api.call({
      role: 'viewer',
      method: 'GET',
      url: `/api/v1/audit?entityType=operation&entityId=${op.id}&actor=stack:sgp02`,
    });
    expect(log.json().items.map((a: { action: string }) => a.action)).toEqual(['operation.sent']);
    expect(audit[1].reason).toMatchObject({
      operationId: op.id,
      attempt: 1,
      requestedBy: 'api:test-operator',
    });
  });

  it('retries a retryable failure with backoff and stops at a refusal', async () => {
    behaviours.set(eid(2), { busyFor: 2 });
    behaviours.set(eid(3), 'refuse');
    const retried = await create(2);
    const refused = await create(3);
    const w = worker();
    await w.round();
    expect(await state(refused.id)).toBe('failed');
    const after1 = (await store().get(retried.id))!;
    expect(after1).toMatchObject({ state: 'pending', attempts: 1, error: { code: 'busy', stack: 'sgp02' } });
    // Backed off: the retry is due at least the base delay (10 ms) after the attempt started.
    const first = await db.knex('operation_attempts').where({ operation_id: retried.id, attempt: 1 }).first();
    expect(after1.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(first.started_at.getTime() + 10);
    await until(async () => {
      await w.round();
      return (await state(retried.id)) !== 'pending';
    });
    expect(await store().get(retried.id)).toMatchObject({ state: 'succeeded', attempts: 3 });
    const attempts = await db
      .knex('operation_attempts')
      .where({ operation_id: retried.id })
      .orderBy('attempt');
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'succeeded'],
    ]);
    expect((await store().get(refused.id))!.error).toMatchObject({ code: 'refused' });
  });

  it('fails a retryable operation once its attempts are used up', async () => {
    behaviours.set(eid(4), { busyFor: 100 });
    const op = await create(4, { maxAttempts: 2 });
    const w = worker();
    await until(async () => {
      await w.round();
      return (await state(op.id)) !== 'pending';
    });
    expect(await store().get(op.id)).toMatchObject({ state: 'failed', attempts: 2 });
  });

  it('keeps at most one operation in flight per eUICC, in priority order', async () => {
    behaviours.set(eid(5), 'async-success');
    const low = await create(5, { priority: 1 });
    const high = await create(5, { priority: 5, type: 'disable' });
    const third = await create(5, { priority: 3, type: 'audit', params: {} });
    const w = worker();
    await w.round();
    expect([await state(high.id), await state(third.id), await state(low.id)]).toEqual([
      'sent',
      'pending',
      'pending',
    ]);
    await until(async () => {
      await w.round();
      return (await state(low.id)) === 'succeeded';
    });
    expect(peer.executions.map((e) => e.operationId)).toEqual([high.id, third.id, low.id]);
    expect(peer.maxConcurrentPerEid).toBe(1);
  });

  it('expires an operation whose validity period ended, and leaves unserved stacks pending', async () => {
    const op = await create(12, { type: 'audit', params: {}, validitySeconds: 1 });
    await worker().round();
    expect(await state(op.id)).toBe('pending');
    await new Promise((r) => setTimeout(r, 1100));
    await worker().round();
    expect(await state(op.id)).toBe('expired');
    const last = await db.knex('audit_log').where({ entity_id: op.id }).orderBy('id', 'desc').first();
    expect(last).toMatchObject({
      actor: 'system:worker',
      to_state: 'expired',
      reason: { why: 'validity period ended' },
    });
  });

  it('cancels a pending operation once; a finished or unknown one cannot be', async () => {
    const op = await create(6);
    const cancel = (id: string) =>
      api.call({ role: 'operator', method: 'POST', url: `/api/v1/operations/${id}/cancel` });
    const first = await cancel(op.id);
    expect(first.statusCode).toBe(200);
    expect(first.json().state).toBe('cancelled');
    const again = await cancel(op.id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'operation_finished', details: { state: 'cancelled' } });
    expect((await cancel('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect(
      (await api.call({ role: 'viewer', method: 'POST', url: `/api/v1/operations/${op.id}/cancel` }))
        .statusCode,
    ).toBe(403);
    await worker().round();
    expect(peer.executions.find((e) => e.operationId === op.id)).toBeUndefined();
  });

  it('takes over the claim of a crashed worker with the same attempt, so the peer does not run it twice', async () => {
    behaviours.set(eid(7), 'sync-success');
    const op = await create(7);
    // A worker claims it and dies before recording the answer: the peer did execute attempt 1.
    const [claimed] = await new KnexOperationQueue(db.knex, 'worker:crashed').claim(['sgp02'], 1, 1);
    expect(claimed!.operation.id).toBe(op.id);
    await peer.dispatch({ ...claimed!.operation, operationId: op.id, attempt: claimed!.attempt });
    expect(await worker().round()).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await worker().round()).toBe(1);
    expect(await state(op.id)).toBe('succeeded');
    expect(peer.executions.filter((e) => e.operationId === op.id)).toHaveLength(1);
    expect(peer.duplicates.map((d) => [d.operationId, d.attempt])).toEqual([[op.id, 1]]);
    const sent = await db.knex('audit_log').where({ entity_id: op.id, to_state: 'succeeded' }).first();
    expect(sent.reason).toMatchObject({ attempt: 1, takenOver: true });
  });

  it('applies an outcome the peer reported before the worker recorded sent', async () => {
    behaviours.set(eid(7), 'report-first');
    const op = await create(7, { type: 'disable' });
    await worker().round();
    expect(peer.lastEarlyReport).toBe('unknown');
    expect(await state(op.id)).toBe('succeeded');
    const audit = await db.knex('audit_log').where({ entity_id: op.id }).orderBy('id');
    expect(audit.map((a) => [a.actor, a.to_state])).toEqual([
      ['api:test-operator', 'pending'],
      ['stack:sgp02', 'sent'],
      ['platform:peer-sgp02', 'succeeded'],
    ]);
    expect(audit[2].reason).toMatchObject({ reportedBeforeSent: true });
    expect(await db.knex('early_outcomes')).toEqual([]);
  });

  it('dispatches the same attempt again when an answer was lost, so the peer runs it once', async () => {
    behaviours.set(eid(11), 'lose-first-answer');
    const op = await create(11, { type: 'disable' });
    const w = worker();
    await w.round();
    expect(await store().get(op.id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      error: { code: 'dispatch_unanswered' },
    });
    await until(async () => {
      await w.round();
      return (await state(op.id)) === 'succeeded';
    });
    expect(await state(op.id)).toBe('succeeded');
    expect(peer.executions.filter((e) => e.operationId === op.id).map((e) => e.attempt)).toEqual([1]);
    expect(peer.duplicates.filter((d) => d.operationId === op.id).map((d) => d.attempt)).toEqual([1]);
    const actions = await db.knex('audit_log').where({ entity_id: op.id }).orderBy('id').pluck('action');
    expect(actions).toEqual([
      'operation.created',
      'operation.dispatch_unanswered',
      'operation.sent',
      'operation.succeeded',
    ]);
    behaviours.set(eid(11), 'sync-success');
  });

  it('lets concurrent workers run each operation exactly once, one per eUICC at a time', async () => {
    for (let n = 8; n <= 11; n++) behaviours.set(eid(n), 'sync-success');
    const ops: { id: string }[] = [];
    for (let i = 0; i < 12; i++) ops.push(await create(8 + (i % 4), { type: i % 2 ? 'enable' : 'disable' }));
    const workers = [worker(), worker(), worker()];
    await until(async () => {
      await Promise.all(workers.map((w) => w.round()));
      return (
        (
          await db
            .knex('operations')
            .whereIn(
              'id',
              ops.map((o) => o.id),
            )
            .where('state', 'pending')
        ).length === 0
      );
    });
    const ids = peer.executions.map((e) => e.operationId).filter((id) => ops.some((o) => o.id === id));
    expect(ids.sort()).toEqual(ops.map((o) => o.id).sort());
    expect(peer.maxConcurrentPerEid).toBe(1);
  });

  it('answers bad operation requests with a clear 4xx and stores nothing', async () => {
    const before = await db.knex('operations').count<{ count: string }[]>('* as count');
    const cases: [object, number, string][] = [
      [{ eid: eid(1), type: 'enable', params: {} }, 400, 'invalid_request'],
      [{ eid: eid(1), type: 'enable', params: { iccid: 'x' } }, 400, 'invalid_request'],
      [{ eid: eid(1), type: 'teleport', params: {} }, 400, 'invalid_request'],
      [{ type: 'audit', params: {} }, 400, 'invalid_request'],
      [{ eid: eid(99), type: 'audit', params: {} }, 422, 'unprocessable'],
      [{ deviceId: '00000000-0000-4000-8000-000000000000', type: 'audit', params: {} }, 422, 'unprocessable'],
      [{ eid: eid(1), type: 'eimChange', params: { targetEimId: 'x' } }, 422, 'unprocessable'],
      [{ eid: eid(1), type: 'audit', params: {}, validUntil: '2020-01-01T00:00:00Z' }, 422, 'unprocessable'],
    ];
    for (const [payload, status, error] of cases) {
      const res = await api.call({ method: 'POST', url: '/api/v1/operations', payload });
      expect({ payload, status: res.statusCode, error: res.json().error }).toEqual({
        payload,
        status,
        error,
      });
    }
    expect(await db.knex('operations').count<{ count: string }[]>('* as count')).toEqual(before);
    const list = await api.call({
      role: 'viewer',
      method: 'GET',
      url: `/api/v1/operations?eid=${eid(1)}&state=succeeded`,
    });
    expect(list.json().items).toHaveLength(1);
  });
});
