import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Database } from '../../src/db/database.js';
import { CampaignRunner } from '../../src/campaigns/campaign-runner.js';
import { KnexOperationStore } from '../../src/operations/knex-operation-store.js';
import { StoreOperationOutcomes } from '../../src/operations/outcomes.js';
import { OperationWorker } from '../../src/operations/worker.js';
import type { StackAdapter } from '../../src/stacks/stack-adapter.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { openTestApi, type TestApi } from '../support/api.js';
import { PeerAdapter, type PeerBehaviour } from '../support/peer-adapter.js';

const logger = pino({ level: 'silent' });
let serial = 0;
const nextEid = () => `890490320000000000000000${String(++serial).padStart(8, '0')}`;
const iccidOf = (eid: string, operator: 'A' | 'B') => `8944${operator === 'A' ? '1' : '2'}${eid.slice(-14)}`;

/** Template of the tests: switch every selected device to its operator-B profile. */
const toOperatorB = {
  type: 'enable',
  params: { iccid: { fact: 'profiles', path: "$[?(@.operator=='B')].iccid" } },
};

describe(`campaigns on ${testDatabaseKind()}`, () => {
  let db: Database;
  let api: TestApi;
  let runner: CampaignRunner;
  let worker: OperationWorker;
  const behaviours = new Map<string, PeerBehaviour>();

  /** `n` devices tagged `tag`, each with an enabled operator-A profile and, unless told, a disabled operator-B one. */
  const fleet = async (tag: string, n: number, o: { stack?: 'sgp02' | 'sgp32'; withB?: boolean } = {}) => {
    const eids: string[] = [];
    for (let i = 0; i < n; i++) {
      const eid = nextEid();
      eids.push(eid);
      await db.knex('euiccs').insert({ eid, stack: o.stack ?? 'sgp02' });
      await db.knex('devices').insert({ eid, tags: [tag], country: 'FR' });
      await db.knex('profiles').insert({ iccid: iccidOf(eid, 'A'), eid, operator: 'A', state: 'enabled' });
      if (o.withB !== false)
        await db.knex('profiles').insert({ iccid: iccidOf(eid, 'B'), eid, operator: 'B', state: 'disabled' });
    }
    return eids;
  };
  const create = async (body: object, role: 'admin' | 'operator' | 'viewer' = 'operator') =>
    api.call({ role, method: 'POST', url: '/api/v1/campaigns', payload: body });
  const campaign = async (id: string) =>
    (await api.call({ role: 'viewer', method: 'GET', url: `/api/v1/campaigns/${id}` })).json();
  const operationsOf = (id: string) =>
    db
      .knex('operations as o')
      .join('campaign_targets as t', 't.operation_id', 'o.id')
      .where('t.campaign_id', id)
      .select('o.*');
  /** The worker runs until nothing of the campaign is pending any more. */
  const drain = async () => {
    for (let i = 0; i < 20 && (await worker.round()) > 0; i++);
  };

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    const store = new KnexOperationStore(db.knex);
    const outcomes = new StoreOperationOutcomes(store);
    const adapters = new Map<string, StackAdapter>([
      ['sgp02', new PeerAdapter('sgp02', outcomes, (e) => behaviours.get(e) ?? 'sync-success')],
      ['sgp32', new PeerAdapter('sgp32', outcomes, () => 'sync-success', ['updatePolicyRules'])],
    ]);
    api = await openTestApi(db, { adapters });
    runner = new CampaignRunner({
      knex: db.knex,
      campaigns: api.services.campaigns,
      operations: api.services.operations,
      logger,
      pollMs: 1000,
    });
    worker = new OperationWorker({
      knex: db.knex,
      store,
      adapters,
      logger,
      pollMs: 1000,
      leaseSeconds: 30,
      retryBaseMs: 10,
      retryMaxMs: 50,
    });
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('refuses a bad campaign with a clear error and writes nothing', async () => {
    await fleet('refusals', 2);
    const good = { name: 'refusals', operation: toOperatorB, selector: { tags: ['refusals'] } };
    const cases: [object, number, string][] = [
      [{ ...good, selector: {} }, 400, 'the selector names no criterion'],
      [
        { ...good, operation: { type: 'enable', params: { iccid: 'x' } } },
        422,
        'params do not fit operation enable',
      ],
      [{ ...good, operation: { type: 'reboot' } }, 400, 'operation/type'],
      [{ ...good, selector: { tags: ['nobody-has-this'] } }, 422, 'matches no device'],
      [{ ...good, ratePerMinute: 0 }, 400, 'ratePerMinute'],
      [{ ...good, abort: { failureRatio: 2 } }, 400, 'failureRatio'],
    ];
    for (const [body, status, text] of cases) {
      const res = await create(body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.body).toContain(text);
    }
    expect(await db.knex('campaigns').count('* as n').first()).toEqual({ n: expect.anything() });
    expect(Number((await db.knex('campaigns').count('* as n').first())!.n)).toBe(0);
    expect(Number((await db.knex('campaign_targets').count('* as n').first())!.n)).toBe(0);

    expect((await create(good, 'viewer')).statusCode).toBe(403);
    expect((await create(good)).statusCode).toBe(201);
    const again = await create(good);
    expect(again.statusCode).toBe(409);
    expect(again.json().details.values).toEqual({ name: 'refusals' });
  });

  it('dry-runs: targets per stack, and the operation each device would get or why it would be skipped', async () => {
    const sgp02 = await fleet('dry', 3);
    const [sgp32] = await fleet('dry', 1, { stack: 'sgp32', withB: false });
    const res = await api.call({
      role: 'viewer',
      method: 'POST',
      url: '/api/v1/campaigns/dry-run?sample=10',
      payload: { name: 'dry', operation: toOperatorB, selector: { tags: ['dry'], country: 'FR' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.targets).toBe(4);
    expect(out.byStack).toEqual({ sgp02: 3, sgp32: 1 });
    for (const eid of sgp02)
      expect(out.sample.find((s: { eid: string }) => s.eid === eid).operation).toEqual({
        type: 'enable',
        params: { iccid: iccidOf(eid, 'B') },
      });
    const skipped = out.sample.find((s: { eid: string }) => s.eid === sgp32);
    expect(skipped.operation).toBeUndefined();
    expect(skipped.skipped.message).toContain('params do not fit operation enable');
    expect(await db.knex('campaigns').where({ name: 'dry' }).first()).toBeUndefined();
  });

  it('keeps to its rate per minute', async () => {
    const eids = await fleet('rate', 6);
    const res = await create({
      name: 'rate',
      operation: toOperatorB,
      selector: { tags: ['rate'] },
      ratePerMinute: 4,
      start: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json();
    expect(await runner.round()).toBe(4);
    expect(await runner.round()).toBe(0);
    // A minute later the next ones may go.
    await db
      .knex('campaign_targets')
      .where({ campaign_id: id })
      .update({
        dispatched_at: db.knex.raw(`dispatched_at - interval '61 seconds'`),
      });
    expect(await runner.round()).toBe(2);
    const ops = await operationsOf(id);
    expect(ops.map((o) => [o.eid, o.params.iccid]).sort()).toEqual(
      eids.map((e) => [e, iccidOf(e, 'B')]).sort(),
    );
    expect(ops.every((o) => o.requested_by === 'api:test-operator')).toBe(true);
    const audit = await db
      .knex('audit_log')
      .where({ entity_type: 'operation', entity_id: ops[0].id })
      .first();
    expect(audit.reason).toMatchObject({ campaign: { id, name: 'rate' } });
  });

  it('keeps to its operations in flight, skips what cannot be made, and completes', async () => {
    const sgp02 = await fleet('flight', 5);
    const sgp32 = await fleet('flight', 2, { stack: 'sgp32', withB: false });
    const { id } = (
      await create({
        name: 'flight',
        operation: toOperatorB,
        selector: { tags: ['flight'] },
        ratePerMinute: 1000,
        maxInFlight: 2,
        start: true,
      })
    ).json();
    let rounds = 0;
    for (; rounds < 20 && (await campaign(id)).state === 'running'; rounds++) {
      await runner.round();
      const inFlight = await operationsOf(id).whereIn('o.state', ['pending', 'sent']);
      expect(inFlight.length).toBeLessThanOrEqual(2);
      await drain();
    }
    const done = await campaign(id);
    expect(done.state).toBe('completed');
    expect(done.progress).toEqual({
      targets: 7,
      waiting: 0,
      skipped: 2,
      inFlight: 0,
      succeeded: 5,
      failed: 0,
      cancelled: 0,
    });
    expect(rounds).toBeGreaterThanOrEqual(3); // 5 operations, 2 at a time
    const skipped = await api.call({
      role: 'viewer',
      method: 'GET',
      url: `/api/v1/campaigns/${id}/targets?state=skipped`,
    });
    expect(
      skipped
        .json()
        .items.map((t: { eid: string }) => t.eid)
        .sort(),
    ).toEqual([...sgp32].sort());
    const succeeded = await api.call({
      role: 'viewer',
      method: 'GET',
      url: `/api/v1/campaigns/${id}/targets?state=succeeded`,
    });
    expect(
      succeeded
        .json()
        .items.map((t: { eid: string }) => t.eid)
        .sort(),
    ).toEqual([...sgp02].sort());
    const moves = await db.knex('audit_log').where({ entity_type: 'campaign', entity_id: id }).orderBy('id');
    expect(moves.map((m) => m.action)).toEqual(['campaign.created', 'campaign.completed']);
  });

  it('is paused, resumed and cancelled; a cancel takes back its pending operations', async () => {
    await fleet('moves', 4);
    const { id } = (
      await create({ name: 'moves', operation: toOperatorB, selector: { tags: ['moves'] }, ratePerMinute: 2 })
    ).json();
    expect((await campaign(id)).state).toBe('draft');
    expect(await runner.round()).toBe(0);
    const move = (m: string, role: 'operator' | 'viewer' = 'operator') =>
      api.call({ role, method: 'POST', url: `/api/v1/campaigns/${id}/${m}` });
    expect((await move('resume')).statusCode).toBe(409);
    expect((await move('start', 'viewer')).statusCode).toBe(403);
    expect((await move('start')).json().state).toBe('running');
    expect((await move('pause')).json().state).toBe('paused');
    expect(await runner.round()).toBe(0);
    expect((await move('resume')).json().state).toBe('running');
    expect(await runner.round()).toBe(2);
    const cancelled = await move('cancel');
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', endReason: { by: 'api:test-operator' } });
    expect((await operationsOf(id)).map((o) => o.state)).toEqual(['cancelled', 'cancelled']);
    await db
      .knex('campaign_targets')
      .where({ campaign_id: id })
      .update({ dispatched_at: null, operation_id: null });
    expect(await runner.round()).toBe(0);
    const again = await move('start');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'campaign_state', details: { state: 'cancelled' } });
  });

  it('aborts when failures pass its policy, and makes nothing more', async () => {
    const eids = await fleet('abort', 6);
    for (const e of eids) behaviours.set(e, 'refuse');
    const { id } = (
      await create({
        name: 'abort',
        operation: toOperatorB,
        selector: { tags: ['abort'] },
        maxInFlight: 2,
        abort: { failureRatio: 0.5, minEnded: 2 },
        start: true,
      })
    ).json();
    expect(await runner.round()).toBe(2);
    await drain();
    expect(await runner.round()).toBe(0);
    const aborted = await campaign(id);
    expect(aborted).toMatchObject({
      state: 'aborted',
      endReason: { failed: 2, ended: 2, policy: { failureRatio: 0.5, minEnded: 2 } },
      progress: { targets: 6, waiting: 4, failed: 2 },
    });
    expect(await runner.round()).toBe(0);
    expect(await operationsOf(id)).toHaveLength(2);
  });
});
