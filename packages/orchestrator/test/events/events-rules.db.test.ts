import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { MqttEventIntake } from '../../src/events/mqtt-intake.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { openTestApi, type TestApi } from '../support/api.js';
import { testMqttUrl } from '../support/broker.js';

const E1 = '89049032000000000000000000020001';
const E2 = '89049032000000000000000000020002';
const P = (n: number) => `894450000000000200${n}`;

const switchRule = {
  name: 'switch operator after a long outage',
  eventType: 'device.connectivity_lost',
  priority: 10,
  conditions: {
    all: [
      { fact: 'operator', operator: 'equal', value: 'op-a' },
      { fact: 'event', path: '$.payload.durationSeconds', operator: 'greaterThan', value: 300 },
    ],
  },
  actions: [{ type: 'enable', params: { iccid: { fact: 'event', path: '$.payload.fallbackIccid' } } }],
};
const auditRule = {
  name: 'audit german devices',
  eventType: 'device.connectivity_lost',
  priority: 1,
  conditions: { any: [{ fact: 'country', operator: 'equal', value: 'DE' }] },
  actions: [{ type: 'audit', params: {} }],
};
const sgp32Rule = { ...auditRule, name: 'only sgp32', stack: 'sgp32', priority: 50 };

async function counts(db: Database) {
  const n = async (t: string) => Number((await db.knex(t).count<{ c: string }[]>('* as c'))[0]!.c);
  return { events: await n('events'), operations: await n('operations'), rules: await n('rules') };
}

describe(`events and rules on ${testDatabaseKind()}`, () => {
  let db: Database;
  let api: TestApi;
  const devices: Record<string, string> = {};
  const ruleIds: Record<string, string> = {};
  const post = (url: string, payload: object, role: 'admin' | 'operator' | 'viewer' = 'operator') =>
    api.call({ role, method: 'POST', url: `/api/v1${url}`, payload });
  const lost = (eventId: string, eid: string, durationSeconds: number) => ({
    source: 'iot-platform',
    eventId,
    type: 'device.connectivity_lost',
    eid,
    payload: { durationSeconds, fallbackIccid: P(2) },
  });

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    api = await openTestApi(db);
    await db.knex('euiccs').insert([
      { eid: E1, stack: 'sgp02' },
      { eid: E2, stack: 'sgp32' },
    ]);
    for (const [name, eid] of [
      ['d1', E1],
      ['d2', E2],
    ] as const) {
      const [row] = await db
        .knex('devices')
        .insert({ eid, country: 'DE', external_id: name })
        .returning('id');
      devices[name] = row.id;
    }
    await db.knex('profiles').insert([
      { iccid: P(1), eid: E1, operator: 'op-a', state: 'enabled' },
      { iccid: P(2), eid: E1, operator: 'op-b', state: 'disabled' },
      { iccid: P(3), eid: E2, operator: 'op-b', state: 'enabled' },
    ]);
    for (const r of [switchRule, auditRule, sgp32Rule]) {
      const res = await post('/rules', r, 'admin');
      expect(res.statusCode, res.body).toBe(201);
      ruleIds[r.name] = res.json().id;
    }
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('runs the rules of an event: the highest priority rule that fires creates its operations', async () => {
    const res = await post('/events', lost('ev-1', E1, 600));
    expect(res.statusCode, res.body).toBe(201);
    const { event, duplicate, outcome } = res.json();
    expect(duplicate).toBe(false);
    expect(event).toMatchObject({ deviceId: devices.d1, eid: E1, type: 'device.connectivity_lost' });
    expect(event.processedAt).not.toBeNull();
    expect(
      outcome.matches.map((m: { name: string; fired: boolean; applied: boolean }) => [
        m.name,
        m.fired,
        m.applied,
      ]),
    ).toEqual([
      [switchRule.name, true, true],
      [auditRule.name, true, false],
    ]);
    expect(outcome.operations).toHaveLength(1);
    const op = (
      await api.call({ role: 'viewer', method: 'GET', url: `/api/v1/operations/${outcome.operations[0]}` })
    ).json();
    expect(op).toMatchObject({
      type: 'enable',
      params: { iccid: P(2) },
      eid: E1,
      deviceId: devices.d1,
      stack: 'sgp02',
      ruleId: ruleIds[switchRule.name],
      ruleVersion: 1,
      eventId: event.id,
      requestedBy: `rule:${ruleIds[switchRule.name]}`,
    });
    const audit = await db.knex('audit_log').where({ entity_type: 'operation', entity_id: op.id }).first();
    expect(audit.reason).toMatchObject({
      ruleId: ruleIds[switchRule.name],
      eventId: event.id,
      sourceEventId: 'ev-1',
    });
  });

  it('makes a redelivered event a no-op that answers with the first outcome', async () => {
    const before = await counts(db);
    const res = await post('/events', lost('ev-1', E1, 600));
    expect(res.statusCode).toBe(200);
    expect(res.json().duplicate).toBe(true);
    expect(res.json().outcome.operations).toHaveLength(1);
    expect(await counts(db)).toEqual(before);
  });

  it('stores an event delivered several times at once exactly once, with its operations once', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => post('/events', lost('ev-race', E1, 600))),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    const ids = new Set(results.map((r) => r.json().event.id));
    expect(ids.size).toBe(1);
    const ops = await db.knex('operations').where({ event_id: [...ids][0] });
    expect(ops).toHaveLength(1);
    for (const r of results) expect(r.json().outcome.operations).toEqual([ops[0].id]);
  });

  it('falls to the next rule when the first does not fire, and applies stack-targeted rules to their stack only', async () => {
    const short = (await post('/events', lost('ev-2', E1, 10))).json();
    expect(
      short.outcome.matches
        .filter((m: { applied: boolean }) => m.applied)
        .map((m: { name: string }) => m.name),
    ).toEqual([auditRule.name]);
    const sgp32 = (await post('/events', lost('ev-3', E2, 600))).json();
    expect(sgp32.outcome.matches.map((m: { name: string; applied: boolean }) => [m.name, m.applied])).toEqual(
      [
        [sgp32Rule.name, true],
        [switchRule.name, false],
        [auditRule.name, false],
      ],
    );
  });

  it('keeps rule versions and stops firing a disabled rule', async () => {
    const id = ruleIds[auditRule.name]!;
    const patched = await api.call({
      role: 'admin',
      method: 'PATCH',
      url: `/api/v1/rules/${id}`,
      payload: { priority: 2 },
    });
    expect(patched.json()).toMatchObject({ version: 2, priority: 2 });
    const disabled = await post(`/rules/${id}/disable`, {}, 'admin');
    expect(disabled.json()).toMatchObject({ version: 3, enabled: false });
    const versions = (
      await api.call({ role: 'viewer', method: 'GET', url: `/api/v1/rules/${id}/versions` })
    ).json();
    expect(
      versions.map((v: { version: number; definition: { priority: number; enabled: boolean } }) => [
        v.version,
        v.definition.priority,
        v.definition.enabled,
      ]),
    ).toEqual([
      [1, 1, true],
      [2, 2, true],
      [3, 2, false],
    ]);
    const res = (await post('/events', lost('ev-4', E1, 10))).json();
    expect(res.outcome.matches).toHaveLength(1);
    expect(res.outcome.operations).toEqual([]);
    await post(`/rules/${id}/enable`, {}, 'admin');
  });

  it('makes concurrent changes of one rule consecutive versions or a clear 409, never a 500', async () => {
    const id = ruleIds[auditRule.name]!;
    const before = (await api.call({ role: 'admin', method: 'GET', url: `/api/v1/rules/${id}` })).json()
      .version;
    const results = await Promise.all(
      [3, 4, 5].map((priority) =>
        api.call({ role: 'admin', method: 'PATCH', url: `/api/v1/rules/${id}`, payload: { priority } }),
      ),
    );
    for (const r of results) expect([200, 409]).toContain(r.statusCode);
    const applied = results.filter((r) => r.statusCode === 200).length;
    expect(applied).toBeGreaterThan(0);
    const versions = (
      await api.call({ role: 'admin', method: 'GET', url: `/api/v1/rules/${id}/versions` })
    ).json();
    expect(versions.map((v: { version: number }) => v.version)).toEqual(
      Array.from({ length: before + applied }, (_, i) => i + 1),
    );
    await api.call({ role: 'admin', method: 'PATCH', url: `/api/v1/rules/${id}`, payload: { priority: 1 } });
  });

  it('dry-runs an event against stored or draft rules without writing anything', async () => {
    const before = await counts(db);
    const stored = await post(
      '/rules/dry-run',
      { event: { ...lost('x', E1, 900), eventId: undefined } },
      'viewer',
    );
    expect(stored.statusCode, stored.body).toBe(200);
    expect(stored.json().proposed).toEqual([
      expect.objectContaining({
        type: 'enable',
        params: { iccid: P(2) },
        eid: E1,
        stack: 'sgp02',
        rule: switchRule.name,
      }),
    ]);
    const draft = await post('/rules/dry-run', {
      event: lost('y', E1, 900),
      rules: [{ ...auditRule, name: 'draft', actions: [{ type: 'setFallback', params: { iccid: P(2) } }] }],
    });
    expect(draft.json().proposed).toEqual([expect.objectContaining({ type: 'setFallback', rule: 'draft' })]);
    expect(await counts(db)).toEqual(before);
  });

  it('shows a device with its eUICC, profiles, open operations and a timeline of events and audit', async () => {
    const res = await api.call({
      role: 'viewer',
      method: 'GET',
      url: `/api/v1/devices/${devices.d1}/view?timelineLimit=50`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view.stack).toBe('sgp02');
    expect(view.euicc.eid).toBe(E1);
    expect(view.profiles.map((p: { iccid: string; state: string }) => [p.iccid, p.state])).toEqual([
      [P(1), 'enabled'],
      [P(2), 'disabled'],
    ]);
    expect(view.openOperations.map((o: { type: string }) => o.type).sort()).toEqual([
      'audit',
      'enable',
      'enable',
    ]);
    const kinds = view.timeline.map(
      (t: { kind: string; event?: { eventId: string }; audit?: { action: string } }) =>
        t.kind === 'event' ? `event:${t.event!.eventId}` : `audit:${t.audit!.action}`,
    );
    expect(kinds).toEqual(expect.arrayContaining(['event:ev-1', 'event:ev-2', 'audit:operation.created']));
    const times = view.timeline.map((t: { at: string }) => Date.parse(t.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const missing = await api.call({
      role: 'viewer',
      method: 'GET',
      url: '/api/v1/devices/00000000-0000-4000-8000-000000000000/view',
    });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses bad events and bad rules with a clear 4xx and changes nothing', async () => {
    const before = await counts(db);
    const cases: [string, object, 'admin' | 'operator' | 'viewer', number, string][] = [
      [
        '/events',
        { ...lost('bad-1', '89049032000000000000000000029999', 1) },
        'operator',
        422,
        'unprocessable',
      ],
      ['/events', { ...lost('bad-2', E1, 1), type: 'NotAType' }, 'operator', 400, 'invalid_request'],
      ['/events', { ...lost('bad-3', E1, 1), payload: { ki: '00' } }, 'operator', 422, 'unprocessable'],
      ['/events', { source: 'x', type: 'device.x' }, 'operator', 400, 'invalid_request'],
      ['/events', lost('bad-4', E1, 1), 'viewer', 403, 'forbidden'],
      [
        '/rules',
        {
          ...auditRule,
          name: 'n1',
          conditions: { all: [{ fact: 'country', operator: 'sortOf', value: 1 }] },
        },
        'admin',
        422,
        'unprocessable',
      ],
      [
        '/rules',
        { ...auditRule, name: 'n2', conditions: { fact: 'country', operator: 'equal', value: 'DE' } },
        'admin',
        422,
        'unprocessable',
      ],
      [
        '/rules',
        { ...auditRule, name: 'n3', actions: [{ type: 'enable', params: { iccid: '12' } }] },
        'admin',
        422,
        'unprocessable',
      ],
      [
        '/rules',
        { ...auditRule, name: 'n4', actions: [{ type: 'reboot' }] },
        'admin',
        400,
        'invalid_request',
      ],
      ['/rules', { ...auditRule, name: 'n5', actions: [] }, 'admin', 400, 'invalid_request'],
      ['/rules', { ...auditRule }, 'admin', 409, 'duplicate'],
      ['/rules', { ...auditRule, name: 'n6' }, 'operator', 403, 'forbidden'],
      [
        '/rules/dry-run',
        { event: lost('z', '89049032000000000000000000029999', 1) },
        'viewer',
        422,
        'unprocessable',
      ],
    ];
    for (const [url, payload, role, status, error] of cases) {
      const res = await post(url, payload, role);
      expect({ url, payload, status: res.statusCode, error: res.json().error }).toEqual({
        url,
        payload,
        status,
        error,
      });
    }
    expect(await counts(db)).toEqual(before);
  });

  it('takes events over MQTT (QoS 1), once per (source, eventId), and drops bad ones', async () => {
    const prefix = `esim-test-${randomBytes(4).toString('hex')}/v1/events`;
    const intake = new MqttEventIntake({
      url: testMqttUrl(),
      prefix,
      clientId: `esim-intake-test-${randomBytes(4).toString('hex')}`,
      intake: api.services.intake,
      logger: pino({ level: 'silent' }),
    });
    await intake.start();
    const sender = await mqtt.connectAsync(testMqttUrl());
    try {
      const body = JSON.stringify({
        eventId: 'mq-1',
        eid: E1,
        payload: { durationSeconds: 900, fallbackIccid: P(2) },
      });
      await sender.publishAsync(`${prefix}/iot-platform/device.connectivity_lost`, 'not json', { qos: 1 });
      await sender.publishAsync(
        `${prefix}/iot-platform/device.connectivity_lost`,
        JSON.stringify({ eid: E1 }),
        { qos: 1 },
      );
      await sender.publishAsync(`${prefix}/iot-platform/device.connectivity_lost`, body, { qos: 1 });
      await sender.publishAsync(`${prefix}/iot-platform/device.connectivity_lost`, body, { qos: 1 });
      await sender.publishAsync(
        `${prefix}/app/device.location_changed`,
        JSON.stringify({ eventId: 'mq-2', eid: E2 }),
        { qos: 1 },
      );
      let rows: { event_id: string; outcome: { operations: string[] } }[] = [];
      for (let i = 0; i < 200 && rows.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 25));
        rows = await db.knex('events').whereIn('event_id', ['mq-1', 'mq-2']).orderBy('event_id');
      }
      expect(rows.map((r) => r.event_id)).toEqual(['mq-1', 'mq-2']);
      expect(rows[0]!.outcome.operations).toHaveLength(1);
      const mq1 = await db.knex('events').where({ source: 'iot-platform', event_id: 'mq-1' });
      expect(mq1).toHaveLength(1);
    } finally {
      await sender.endAsync();
      await intake.close();
    }
  });

  it('keeps MQTT events sent while the intake is down (persistent session) and stores them on return', async () => {
    const prefix = `esim-test-${randomBytes(4).toString('hex')}/v1/events`;
    const clientId = `esim-intake-test-${randomBytes(4).toString('hex')}`;
    const open = async () => {
      const intake = new MqttEventIntake({
        url: testMqttUrl(),
        prefix,
        clientId,
        intake: api.services.intake,
        logger: pino({ level: 'silent' }),
      });
      await intake.start();
      return intake;
    };
    await (await open()).close();
    const sender = await mqtt.connectAsync(testMqttUrl());
    await sender.publishAsync(
      `${prefix}/bss/bss.plan_changed`,
      JSON.stringify({ eventId: 'offline-1', eid: E2 }),
      { qos: 1 },
    );
    await sender.endAsync();
    const intake = await open();
    try {
      let row: { type: string } | undefined;
      for (let i = 0; i < 200 && !row; i++) {
        await new Promise((r) => setTimeout(r, 25));
        row = await db.knex('events').where({ source: 'bss', event_id: 'offline-1' }).first();
      }
      expect(row?.type).toBe('bss.plan_changed');
    } finally {
      await intake.close();
    }
  });

  it('stores an event that names no device, without running rules', async () => {
    const res = await post('/events', {
      source: 'bss',
      eventId: 'fleet-1',
      type: 'bss.plan_changed',
      payload: { plan: 'eu' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      event: { deviceId: null },
      outcome: { device: null, matches: [], operations: [] },
    });
    const listed = await api.call({
      role: 'viewer',
      method: 'GET',
      url: '/api/v1/events?source=bss&type=bss.plan_changed',
    });
    expect(listed.json().items.map((e: { eventId: string }) => e.eventId)).toContain('fleet-1');
  });

  it('lists rules by event type and state, and deletes one (its operations keep their history)', async () => {
    const listed = await api.call({
      role: 'viewer',
      method: 'GET',
      url: '/api/v1/rules?eventType=device.connectivity_lost&enabled=true',
    });
    expect(listed.json().items.map((r: { name: string }) => r.name)).toEqual([
      sgp32Rule.name,
      switchRule.name,
      auditRule.name,
    ]);
    const id = ruleIds[switchRule.name]!;
    expect(
      (await api.call({ role: 'operator', method: 'DELETE', url: `/api/v1/rules/${id}` })).statusCode,
    ).toBe(403);
    expect((await api.call({ role: 'admin', method: 'DELETE', url: `/api/v1/rules/${id}` })).statusCode).toBe(
      204,
    );
    expect((await api.call({ role: 'admin', method: 'GET', url: `/api/v1/rules/${id}` })).statusCode).toBe(
      404,
    );
    const ops = await db.knex('operations').where({ requested_by: `rule:${id}` });
    expect(ops.length).toBeGreaterThan(0);
    expect(ops.every((o) => o.rule_id === null)).toBe(true);
    const deleted = await db
      .knex('audit_log')
      .where({ entity_type: 'rule', entity_id: id, action: 'rule.deleted' });
    expect(deleted).toHaveLength(1);
  });
});
