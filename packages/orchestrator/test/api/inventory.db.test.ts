import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { openTestApi, type TestApi } from '../support/api.js';

const eid = (n: number) => `8904903200000000000000000000${String(n).padStart(4, '0')}`;
const iccid = (n: number) => `894450000000000${String(n).padStart(4, '0')}`;

async function count(db: Database, table: string): Promise<number> {
  const [row] = await db.knex(table).count<{ count: string }[]>('* as count');
  return Number(row!.count);
}

describe(`inventory API on ${testDatabaseKind()}`, () => {
  let db: Database;
  let api: TestApi;
  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    api = await openTestApi(db);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('refuses a call without a token, with an unknown token, and a viewer that writes', async () => {
    const none = await api.app.inject({ method: 'GET', url: '/api/v1/devices' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toBe('unauthorized');
    const bad = await api.app.inject({
      method: 'GET',
      url: '/api/v1/devices',
      headers: { authorization: 'Bearer esim_nope' },
    });
    expect(bad.statusCode).toBe(401);
    const viewerWrites = await api.call({
      role: 'viewer',
      method: 'POST',
      url: '/api/v1/platforms',
      payload: { id: 'smsr-1', kind: 'smsr', name: 'SM-SR one' },
    });
    expect(viewerWrites.statusCode).toBe(403);
    expect(viewerWrites.json()).toMatchObject({
      error: 'forbidden',
      details: { required: 'operator', role: 'viewer' },
    });
    expect(await count(db, 'platforms')).toBe(0);
    expect((await api.call({ role: 'viewer', method: 'GET', url: '/api/v1/platforms' })).statusCode).toBe(
      200,
    );
  });

  it('creates, reads, lists with filters and pages, changes and deletes, with an audit entry each', async () => {
    const p = await api.call({
      method: 'POST',
      url: '/api/v1/platforms',
      payload: { id: 'smsr-1', kind: 'smsr', name: 'SM-SR one', endpointUrl: 'https://smsr.example/es4' },
    });
    expect(p.statusCode).toBe(201);
    expect(p.json()).toMatchObject({ id: 'smsr-1', kind: 'smsr', entityId: null, auth: {} });
    for (let i = 1; i <= 3; i++) {
      const e = await api.call({
        method: 'POST',
        url: '/api/v1/euiccs',
        payload: {
          eid: eid(i),
          stack: i === 3 ? 'sgp32' : 'sgp02',
          ...(i === 3 ? {} : { smsrId: 'smsr-1' }),
        },
      });
      expect(e.statusCode).toBe(201);
    }
    const d = await api.call({
      role: 'operator',
      method: 'POST',
      url: '/api/v1/devices',
      payload: { externalId: 'meter-1', eid: eid(1), tags: ['meters', 'north'], country: 'DE' },
    });
    expect(d.statusCode).toBe(201);
    const device = d.json();
    expect(device.id).toMatch(/^[0-9a-f-]{36}$/);

    const list = await api.call({ method: 'GET', url: '/api/v1/euiccs?stack=sgp02&limit=1' });
    expect(list.json().items.map((x: { eid: string }) => x.eid)).toEqual([eid(1)]);
    expect(list.json().nextOffset).toBe(1);
    const next = await api.call({ method: 'GET', url: '/api/v1/euiccs?stack=sgp02&limit=1&offset=1' });
    expect(next.json()).toMatchObject({ items: [{ eid: eid(2) }], nextOffset: null });
    const tagged = await api.call({ method: 'GET', url: '/api/v1/devices?tag=north' });
    expect(tagged.json().items).toHaveLength(1);
    expect((await api.call({ method: 'GET', url: '/api/v1/devices?tag=south' })).json().items).toHaveLength(
      0,
    );

    const patched = await api.call({
      method: 'PATCH',
      url: `/api/v1/devices/${device.id}`,
      payload: { country: 'FR' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().country).toBe('FR');
    const del = await api.call({ method: 'DELETE', url: `/api/v1/euiccs/${eid(2)}` });
    expect(del.statusCode).toBe(204);
    const audit = await db.knex('audit_log').where({ entity_id: device.id }).orderBy('id');
    expect(audit.map((a) => [a.actor, a.action])).toEqual([
      ['api:test-operator', 'device.created'],
      ['api:test-admin', 'device.updated'],
    ]);
  });

  it('answers bad input with a clear 4xx and changes nothing', async () => {
    const before = await db.knex('audit_log').count<{ count: string }[]>('* as count');
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/v1/euiccs', { eid: '123', stack: 'sgp02' }, 400, 'invalid_request'],
      ['POST', '/api/v1/euiccs', { eid: eid(9), stack: 'sgp03' }, 400, 'invalid_request'],
      ['POST', '/api/v1/euiccs', { eid: eid(9), stack: 'sgp02', extra: 1 }, 400, 'invalid_request'],
      ['POST', '/api/v1/euiccs', { eid: eid(1), stack: 'sgp02' }, 409, 'duplicate'],
      ['POST', '/api/v1/euiccs', { eid: eid(9), stack: 'sgp02', smsrId: 'nope' }, 422, 'unprocessable'],
      ['POST', '/api/v1/devices', { eid: eid(8) }, 422, 'unprocessable'],
      [
        'POST',
        '/api/v1/profiles',
        { iccid: iccid(1), ki: '00112233445566778899AABBCCDDEEFF' },
        422,
        'unprocessable',
      ],
      ['POST', '/api/v1/profiles', { iccid: iccid(1), metadata: { OPc: 'ab' } }, 422, 'unprocessable'],
      [
        'POST',
        '/api/v1/platforms',
        { id: 'x', kind: 'eim', name: 'x', auth: { key: '-----BEGIN EC PRIVATE KEY-----\nMHc=' } },
        422,
        'unprocessable',
      ],
      [
        'POST',
        '/api/v1/platforms',
        { id: 'y', kind: 'smsr', name: 'y', auth: { scheme: 'basic', user: 'u', password: 'p' } },
        422,
        'unprocessable',
      ],
      [
        'POST',
        '/api/v1/platforms',
        { id: 'z', kind: 'smsr', name: 'z', metadata: { profileManagementRoute: 'ES3' } },
        422,
        'unprocessable',
      ],
      [
        'PATCH',
        '/api/v1/platforms/smsr-1',
        { metadata: { profileManagementRoute: 'es2' } },
        422,
        'unprocessable',
      ],
      [
        'POST',
        '/api/v1/platforms',
        { id: 'z', kind: 'smdp', name: 'z', metadata: { profileManagementRoute: 'ES2' } },
        422,
        'unprocessable',
      ],
      ['PATCH', `/api/v1/euiccs/${eid(1)}`, { platformInfo: { KIC1: '00' } }, 422, 'unprocessable'],
      ['POST', '/api/v1/euiccs', { eid: eid(9), stack: 'sgp32', smsrId: 'smsr-1' }, 422, 'unprocessable'],
      ['POST', '/api/v1/euiccs', { eid: eid(9), stack: 'sgp32', eimId: 'smsr-1' }, 422, 'unprocessable'],
      ['PATCH', `/api/v1/euiccs/${eid(1)}`, { eimId: 'smsr-1' }, 422, 'unprocessable'],
      ['POST', '/api/v1/profiles', { iccid: iccid(1), platformId: 'smsr-1' }, 422, 'unprocessable'],
      ['PATCH', `/api/v1/euiccs/${eid(1)}`, {}, 400, 'invalid_request'],
      ['PATCH', `/api/v1/euiccs/${eid(7)}`, { eumId: 'x' }, 404, 'not_found'],
      ['GET', '/api/v1/devices/not-a-uuid', undefined, 400, 'invalid_request'],
      ['GET', '/api/v1/devices?limit=0', undefined, 400, 'invalid_request'],
      ['DELETE', '/api/v1/platforms/smsr-1', undefined, 409, 'in_use'],
      ['DELETE', `/api/v1/profiles/${iccid(5)}`, undefined, 404, 'not_found'],
    ];
    for (const [method, url, payload, status, error] of cases) {
      const res = await api.call({
        method: method as 'POST',
        url,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      expect({ method, url, status: res.statusCode, error: res.json().error }).toEqual({
        method,
        url,
        status,
        error,
      });
    }
    const key = await api.call({
      method: 'POST',
      url: '/api/v1/profiles',
      payload: { iccid: iccid(1), ki: 'x' },
    });
    expect(key.json().details).toMatchObject({ path: '/ki', code: 'key_material_refused' });
    expect(await db.knex('audit_log').count<{ count: string }[]>('* as count')).toEqual(before);
    expect(await count(db, 'profiles')).toBe(0);
  });

  it('replays an idempotent POST and refuses the same key with another body', async () => {
    const send = (payload: object) =>
      api.call({ method: 'POST', url: '/api/v1/platforms', headers: { 'idempotency-key': 'k-1' }, payload });
    const first = await send({ id: 'dp-1', kind: 'smdp', name: 'SM-DP' });
    expect(first.statusCode).toBe(201);
    const again = await send({ id: 'dp-1', kind: 'smdp', name: 'SM-DP' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await send({ id: 'dp-2', kind: 'smdp', name: 'SM-DP 2' });
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toBe('idempotency_key_reused');
    expect(await db.knex('platforms').whereIn('id', ['dp-1', 'dp-2']).pluck('id')).toEqual(['dp-1']);
    // A day later (IDEMPOTENCY_KEY_TTL_HOURS = 24) the key is forgotten and starts a new request.
    await db
      .knex('idempotency_keys')
      .where({ key: 'k-1' })
      .update({ created_at: db.knex.raw(`now() - interval '25 hours'`) });
    expect((await send({ id: 'dp-2', kind: 'smdp', name: 'SM-DP 2' })).statusCode).toBe(201);
  });

  it('runs concurrent requests with one Idempotency-Key once', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        api.call({
          method: 'POST',
          url: '/api/v1/platforms',
          headers: { 'idempotency-key': 'k-race' },
          payload: { id: 'dp-race', kind: 'smdp', name: 'SM-DP race' },
        }),
      ),
    );
    // Each answer is the first one, replayed, or "still being handled"; never a second create.
    for (const r of results) {
      if (r.statusCode === 409) expect(r.json().error).toBe('idempotency_in_progress');
      else expect(r.statusCode).toBe(201);
    }
    expect(results.filter((r) => r.statusCode === 201 && !r.headers['idempotent-replayed'])).toHaveLength(1);
    const created = await db.knex('audit_log').where({ entity_type: 'platform', entity_id: 'dp-race' });
    expect(created).toHaveLength(1);
  });

  it('serves the OpenAPI document generated from the route schemas, without a token', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/devices', '/api/v1/devices/{id}', '/api/v1/euiccs/{eid}']),
    );
    expect(
      doc.paths['/api/v1/euiccs'].post.requestBody.content['application/json'].schema.properties.eid.pattern,
    ).toBe('^[0-9]{32}$');
  });
});
