import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { openTestApi, type TestApi } from '../support/api.js';

const eid = (n: number) => `890490320000000000000000000055${String(n).padStart(2, '0')}`;

describe(`fleet summary and the devices' stack filter on ${testDatabaseKind()}`, () => {
  let db: Database;
  let api: TestApi;

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    api = await openTestApi(db);
    for (let n = 1; n <= 5; n++) {
      await db.knex('euiccs').insert({ eid: eid(n), stack: n <= 3 ? 'sgp02' : 'sgp32' });
      await db.knex('devices').insert({ eid: eid(n) });
      await db.knex('profiles').insert([
        { iccid: `89441000000000000${n}0`, eid: eid(n), operator: 'A', state: 'enabled' },
        { iccid: `89442000000000000${n}0`, eid: eid(n), operator: n === 5 ? null : 'B', state: 'disabled' },
      ]);
    }
    await db.knex('devices').insert({ external_id: 'not yet fitted' });
    await db.knex('operations').insert([
      { eid: eid(1), stack: 'sgp02', type: 'audit', state: 'succeeded', requested_by: 'test' },
      { eid: eid(2), stack: 'sgp02', type: 'audit', state: 'failed', requested_by: 'test' },
      {
        eid: eid(3),
        stack: 'sgp02',
        type: 'audit',
        state: 'failed',
        requested_by: 'test',
        updated_at: new Date(Date.now() - 3 * 86_400_000),
      },
    ]);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('counts the fleet per stack, profiles per state and operator, operations overall and of the last day', async () => {
    const res = await api.call({ role: 'viewer', method: 'GET', url: '/api/v1/summary' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      devices: { total: 6, byStack: { sgp02: 3, sgp32: 2, none: 1 } },
      profiles: {
        byState: { enabled: 5, disabled: 5 },
        byOperator: [
          { operator: 'A', total: 5, enabled: 5 },
          { operator: 'B', total: 4, enabled: 0 },
          { operator: 'unknown', total: 1, enabled: 0 },
        ],
      },
      operations: { byState: { succeeded: 1, failed: 2 }, lastDay: { succeeded: 1, failed: 1 } },
      campaigns: { byState: {} },
      events: { lastDay: 0 },
    });
  });

  it('lists the devices of one stack', async () => {
    const list = async (stack: string) =>
      (await api.call({ role: 'viewer', method: 'GET', url: `/api/v1/devices?stack=${stack}` })).json();
    expect((await list('sgp32')).items.map((d: { eid: string }) => d.eid).sort()).toEqual([eid(4), eid(5)]);
    expect((await list('sgp02')).items).toHaveLength(3);
    expect((await api.call({ method: 'GET', url: '/api/v1/devices?stack=sgp99' })).statusCode).toBe(400);
  });
});
