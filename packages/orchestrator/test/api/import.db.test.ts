import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { openTestApi, type TestApi } from '../support/api.js';

const eid = (n: number) => `890490320000000000000000${String(n).padStart(8, '0')}`;
const iccid = (n: number) => `89445000000${String(n).padStart(8, '0')}`;
const header = 'eid,stack,smsrId,externalId,country,tags,iccid,operator,profileState,fallback';

async function snapshot(db: Database) {
  const rows = async (t: string, key: string) =>
    (await db.knex(t).orderBy(key)).map(({ created_at: _c, updated_at: _u, id: _i, ...r }) => r);
  return {
    euiccs: await rows('euiccs', 'eid'),
    devices: await rows('devices', 'eid'),
    profiles: await rows('profiles', 'iccid'),
  };
}

describe(`bulk import on ${testDatabaseKind()}`, () => {
  let db: Database;
  let api: TestApi;
  const send = (
    body: string | Readable,
    type = 'text/csv',
    query = '',
    role: 'operator' | 'viewer' = 'operator',
  ) =>
    api.call({
      role,
      method: 'POST',
      url: `/api/v1/inventory/import${query}`,
      headers: { 'content-type': type },
      payload: body,
    });

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    api = await openTestApi(db);
    await db.knex('platforms').insert({ id: 'smsr-1', kind: 'smsr', name: 'SM-SR' });
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  const good = [
    header,
    `${eid(1)},sgp02,smsr-1,meter-1,DE,meters;north,${iccid(1)},op-a,enabled,false`,
    `${eid(1)},sgp02,smsr-1,meter-1,DE,meters;north,${iccid(2)},op-b,disabled,true`,
    `${eid(2)},sgp32,,meter-2,FR,,${iccid(3)},op-a,enabled,`,
    `${eid(3)},sgp32,,,,,,,,`,
  ].join('\n');

  it('imports CSV rows as eUICCs, devices and profiles, and a second import of the same rows changes nothing', async () => {
    const res = await send(good);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 4, imported: 4, failed: 0, errors: [], committed: true });
    const first = await snapshot(db);
    expect(first.euiccs.map((e) => [e.eid, e.stack, e.smsr_id])).toEqual([
      [eid(1), 'sgp02', 'smsr-1'],
      [eid(2), 'sgp32', null],
      [eid(3), 'sgp32', null],
    ]);
    expect(first.devices.map((d) => [d.external_id, d.tags])).toEqual([
      ['meter-1', ['meters', 'north']],
      ['meter-2', []],
      [null, []],
    ]);
    expect(first.profiles.map((p) => [p.iccid, p.state, p.fallback])).toEqual([
      [iccid(1), 'enabled', false],
      [iccid(2), 'disabled', true],
      [iccid(3), 'enabled', false],
    ]);
    expect((await send(good)).json()).toMatchObject({ imported: 4, failed: 0 });
    expect(await snapshot(db)).toEqual(first);
  });

  it('imports NDJSON, and moves the enabled profile when the file says so', async () => {
    const ndjson = [
      JSON.stringify({ eid: eid(1), stack: 'sgp02', iccid: iccid(1), profileState: 'disabled' }),
      '',
      JSON.stringify({ eid: eid(1), stack: 'sgp02', iccid: iccid(2), profileState: 'enabled' }),
    ].join('\n');
    const res = await send(ndjson, 'application/x-ndjson');
    expect(res.statusCode, res.body).toBe(200);
    const states = await db
      .knex('profiles')
      .where({ eid: eid(1) })
      .orderBy('iccid')
      .pluck('state');
    expect(states).toEqual(['disabled', 'enabled']);
  });

  it('imports a JSON array, reporting bad elements by position', async () => {
    const rows = [
      { eid: eid(30), stack: 'sgp32', iccid: iccid(30) },
      { eid: eid(31), stack: 'sgp32', iccid: 'nope' },
    ];
    const bad = await send(JSON.stringify(rows), 'application/json');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details.errors).toEqual([expect.objectContaining({ line: 2, field: 'iccid' })]);
    const good = await send(JSON.stringify(rows.slice(0, 1)), 'application/json');
    expect(good.json()).toMatchObject({ rows: 1, imported: 1, committed: true });
    expect(
      await db
        .knex('profiles')
        .where({ iccid: iccid(30) })
        .pluck('eid'),
    ).toEqual([eid(30)]);
  });

  it('reports every bad row by line and imports nothing, unless partial', async () => {
    const before = await snapshot(db);
    const bad = [
      header,
      `${eid(10)},sgp02,smsr-1,m-10,DE,,${iccid(10)},op-a,enabled,`,
      `${eid(11)},sgp03,,,,,,,,`,
      `${eid(12)},sgp02,smsr-9,,,,,,,`,
      `${eid(13)},sgp02,smsr-1,,,,${iccid(10)},op-a,,`,
      `${eid(14)},sgp02,smsr-1,meter-1,,,,,,`,
      `${eid(2)},sgp02,smsr-1,,,,,,,`,
      `${eid(15)},sgp02,smsr-1,,,,${iccid(15)},,enabled,`,
      `${eid(15)},sgp02,smsr-1,,,,${iccid(16)},,enabled,`,
      `${eid(17)},sgp02,smsr-1,,,,,,,`,
    ].join('\n');
    const res = await send(bad);
    expect(res.statusCode).toBe(422);
    const report = res.json().details;
    expect(res.json().error).toBe('unprocessable');
    expect(report.errors, JSON.stringify(report.errors)).toHaveLength(7);
    expect(report).toMatchObject({
      rows: 9,
      imported: 0,
      failed: 7,
      committed: false,
      errorsTruncated: false,
    });
    expect(report.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [3, 'stack'],
      [4, 'smsrId'],
      [5, 'iccid'],
      [6, 'externalId'],
      [7, 'stack'],
      [8, 'profileState'],
      [9, 'profileState'],
    ]);
    expect(await snapshot(db)).toEqual(before);

    const partial = await send(bad, 'text/csv', '?partial=true');
    expect(partial.statusCode).toBe(200);
    expect(partial.json()).toMatchObject({ failed: 7, imported: 2, committed: true });
    // Lines 2 and 10 are good; EID 15 lost both its lines with the bad one.
    expect(
      await db
        .knex('euiccs')
        .whereIn('eid', [eid(10), eid(15), eid(17)])
        .orderBy('eid')
        .pluck('eid'),
    ).toEqual([eid(10), eid(17)]);
  });

  it('refuses a key column, an unknown column, a broken CSV, a viewer, and another content type', async () => {
    const before = await snapshot(db);
    const cases: [string | Readable, string, 'operator' | 'viewer', number, string][] = [
      [`eid,stack,Ki\n${eid(20)},sgp02,00112233`, 'text/csv', 'operator', 422, 'unprocessable'],
      [`eid,stack,colour\n${eid(20)},sgp02,red`, 'text/csv', 'operator', 400, 'invalid_request'],
      [`eid,stack\n${eid(20)},sgp02,extra`, 'text/csv', 'operator', 400, 'invalid_request'],
      [`eid,stack\n${eid(20)},sgp02`, 'text/csv', 'viewer', 403, 'forbidden'],
      [`{"eid": 1`, 'application/json', 'operator', 400, 'invalid_request'],
      [`<rows/>`, 'application/xml', 'operator', 415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE'],
    ];
    for (const [body, type, role, status, error] of cases) {
      const res = await send(body, type, '', role);
      expect({ type, status: res.statusCode, error: res.json().error }).toEqual({ type, status, error });
    }
    const kinds = await send(`eid,stack,smsrId,eimId\n${eid(21)},sgp32,smsr-1,\n${eid(22)},sgp32,,smsr-1`);
    expect(kinds.statusCode).toBe(422);
    expect(
      kinds.json().details.errors.map((e: { line: number; field: string }) => [e.line, e.field]),
    ).toEqual([
      [2, 'smsrId'],
      [3, 'eimId'],
    ]);
    const opc = await send(
      JSON.stringify({ eid: eid(20), stack: 'sgp02', OPc: 'aa' }),
      'application/x-ndjson',
    );
    expect(opc.json().details.errors).toEqual([expect.objectContaining({ line: 1, field: 'OPc' })]);
    expect(await snapshot(db)).toEqual(before);
  });

  it('streams a large import in batches', async () => {
    const n = 20_000;
    async function* lines() {
      yield 'eid,stack,iccid\n';
      for (let i = 0; i < n; i++) yield `${eid(100_000 + i)},sgp32,${iccid(100_000 + i)}\n`;
    }
    const res = await send(Readable.from(lines()));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: n, imported: n });
    const [row] = await db
      .knex('profiles')
      .where('iccid', '>=', iccid(100_000))
      .count<{ c: string }[]>('* as c');
    expect(Number(row!.c)).toBe(n);
  });
});
