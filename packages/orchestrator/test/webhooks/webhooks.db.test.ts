import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { KnexInventoryObservations } from '../../src/inventory/knex-observations.js';
import { WebhookDeliverer } from '../../src/webhooks/webhook-deliverer.js';
import { verifyWebhook } from '../../src/webhooks/signature.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { openTestApi, type TestApi } from '../support/api.js';

const E1 = '89049032000000000000000000030001';
const ICCID = '8944500000000003001';
const SECRET = 'a-shared-secret-of-some-length';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A subscriber on 127.0.0.1: records what it gets, answers with the status `answer` chooses. */
async function subscriber(answer: (path: string, n: number) => number) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body });
      res.statusCode = answer(req.url!, received.filter((r) => r.path === req.url).length);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { received, url, close: () => new Promise((r) => server.close(r)) };
}

describe(`webhooks on ${testDatabaseKind()}`, () => {
  let db: Database;
  let api: TestApi;
  let sub: Awaited<ReturnType<typeof subscriber>>;
  const deliverer = (maxAttempts = 5, retryBaseMs = 10) =>
    new WebhookDeliverer({
      knex: db.knex,
      logger: pino({ level: 'silent' }),
      pollMs: 20,
      retryBaseMs,
      maxAttempts,
      timeoutMs: 2000,
    });
  const subscribe = async (body: object) => {
    const res = await api.call({ method: 'POST', url: '/api/v1/webhooks', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; secret: string };
  };
  const deliveries = async (id: string) =>
    (await api.call({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries?limit=100` })).json().items as {
      id: number;
      state: string;
      attempts: number;
      eventType: string;
    }[];

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    api = await openTestApi(db);
    sub = await subscriber((path, n) => (path === '/flaky' && n === 1 ? 503 : path === '/down' ? 500 : 204));
    await db.knex('euiccs').insert({ eid: E1, stack: 'sgp02' });
    await db.knex('devices').insert({ eid: E1, external_id: 'w-1' });
  });
  afterAll(async () => {
    await sub?.close();
    await api?.app.close();
    await db?.close();
  });

  it('delivers operation changes, HMAC-signed, to the subscriptions that want them', async () => {
    const ops = await subscribe({ url: `${sub.url}/ops`, secret: SECRET, eventTypes: ['operation.*'] });
    const created = await subscribe({ url: `${sub.url}/created`, eventTypes: ['operation.created'] });
    const off = await subscribe({ url: `${sub.url}/off`, enabled: false });
    expect(created.secret.length).toBeGreaterThanOrEqual(32);
    const op = (
      await api.call({
        method: 'POST',
        url: '/api/v1/operations',
        payload: { eid: E1, type: 'audit', params: {} },
      })
    ).json();
    await api.call({ method: 'POST', url: `/api/v1/operations/${op.id}/cancel` });
    expect(await deliverer().round()).toBe(3);
    const got = sub.received.filter((r) => r.path === '/ops');
    expect(got.map((r) => JSON.parse(r.body).type)).toEqual(['operation.created', 'operation.cancelled']);
    for (const r of got) {
      const ts = Number(r.headers['x-esim-timestamp']);
      expect(verifyWebhook(SECRET, ts, r.body, r.headers['x-esim-signature'] as string)).toBe(true);
      expect(
        verifyWebhook('another-secret-entirely', ts, r.body, r.headers['x-esim-signature'] as string),
      ).toBe(false);
    }
    const body = JSON.parse(got[1]!.body);
    expect(body).toMatchObject({
      entity: { type: 'operation', id: op.id },
      eid: E1,
      fromState: 'pending',
      toState: 'cancelled',
      actor: 'api:test-admin',
    });
    expect(body.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sub.received.filter((r) => r.path === '/created')).toHaveLength(1);
    expect(sub.received.filter((r) => r.path === '/off')).toHaveLength(0);
    expect((await deliveries(ops.id)).map((d) => d.state)).toEqual(['delivered', 'delivered']);
    expect(await deliveries(off.id)).toEqual([]);
    for (const id of [ops.id, created.id, off.id])
      await api.call({ method: 'DELETE', url: `/api/v1/webhooks/${id}` });
  });

  it('delivers device state changes reported by a stack, retrying a subscriber that failed', async () => {
    const flaky = await subscribe({ url: `${sub.url}/flaky`, eventTypes: ['profile.*'] });
    await new KnexInventoryObservations(db.knex).profileInstalled({
      actor: 'stack:sgp02',
      eid: E1,
      iccid: ICCID,
      state: 'enabled',
    });
    const d = deliverer();
    await d.round();
    expect(await deliveries(flaky.id)).toMatchObject([
      { state: 'pending', attempts: 1, eventType: 'profile.installed' },
    ]);
    for (let i = 0; i < 100 && (await deliveries(flaky.id))[0]!.state === 'pending'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      await d.round();
    }
    expect(await deliveries(flaky.id)).toMatchObject([{ state: 'delivered', attempts: 2 }]);
    const body = JSON.parse(sub.received.filter((r) => r.path === '/flaky').at(-1)!.body);
    expect(body).toMatchObject({
      type: 'profile.installed',
      entity: { id: ICCID },
      eid: E1,
      toState: 'enabled',
    });
    await api.call({ method: 'DELETE', url: `/api/v1/webhooks/${flaky.id}` });
  });

  it('marks a delivery failed after its last attempt, and sends it again on request', async () => {
    const down = await subscribe({ url: `${sub.url}/down`, eventTypes: ['device.updated'] });
    const device = await db.knex('devices').where({ eid: E1 }).first();
    await api.call({ method: 'PATCH', url: `/api/v1/devices/${device.id}`, payload: { country: 'NL' } });
    const d = deliverer(2);
    for (let i = 0; i < 100 && (await deliveries(down.id))[0]!.state === 'pending'; i++) {
      await d.round();
      await new Promise((r) => setTimeout(r, 15));
    }
    const [failed] = await deliveries(down.id);
    expect(failed).toMatchObject({ state: 'failed', attempts: 2, lastStatus: 500, lastError: 'HTTP 500' });
    const retry = await api.call({ method: 'POST', url: `/api/v1/webhooks/deliveries/${failed!.id}/retry` });
    expect(retry.json()).toMatchObject({ state: 'pending', attempts: 0 });
    const again = await api.call({ method: 'POST', url: `/api/v1/webhooks/deliveries/${failed!.id}/retry` });
    expect(again.statusCode).toBe(409);
  });

  it('records an unreachable subscriber and tries again later', async () => {
    const gone = await subscribe({ url: 'http://127.0.0.1:1/nobody', eventTypes: ['device.updated'] });
    const device = await db.knex('devices').where({ eid: E1 }).first();
    await api.call({ method: 'PATCH', url: `/api/v1/devices/${device.id}`, payload: { country: 'BE' } });
    await deliverer(5, 60_000).round();
    const [d] = await deliveries(gone.id);
    expect(d).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null });
    expect((d as unknown as { lastError: string }).lastError).toMatch(/fetch failed|ECONNREFUSED/);
    // Backed off by about the base delay (a minute here).
    expect(new Date((d as unknown as { nextAttemptAt: string }).nextAttemptAt).getTime()).toBeGreaterThan(
      Date.now() + 30_000,
    );
    await api.call({ method: 'DELETE', url: `/api/v1/webhooks/${gone.id}` });
  });

  it('refuses bad subscriptions and non-admin callers, changing nothing', async () => {
    const before = await db.knex('webhook_subscriptions').count<{ c: string }[]>('* as c');
    const cases: [object, 'admin' | 'operator', number][] = [
      [{ url: 'ftp://x' }, 'admin', 400],
      [{ url: `${sub.url}/x`, secret: 'short' }, 'admin', 400],
      [{ url: `${sub.url}/x`, eventTypes: ['Not A Type'] }, 'admin', 400],
      [{ url: `${sub.url}/x`, extra: true }, 'admin', 400],
      [{ url: `${sub.url}/x` }, 'operator', 403],
    ];
    for (const [payload, role, status] of cases) {
      const res = await api.call({ role, method: 'POST', url: '/api/v1/webhooks', payload });
      expect({ payload, status: res.statusCode }).toEqual({ payload, status });
    }
    expect((await api.call({ role: 'viewer', method: 'GET', url: '/api/v1/webhooks' })).statusCode).toBe(403);
    expect(
      (await api.call({ method: 'GET', url: '/api/v1/webhooks/00000000-0000-4000-8000-000000000000' }))
        .statusCode,
    ).toBe(404);
    expect(await db.knex('webhook_subscriptions').count<{ c: string }[]>('* as c')).toEqual(before);
  });
});
