import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openTestDatabase,
  startEsimctl,
  testDatabaseKind,
  testMqttUrl,
  type RunningCli,
  WebhookReceiver,
} from '@esim/orchestrator/testing';
import type { Database } from '@esim/orchestrator';
import { RemotePeer } from './support/remote-peer.js';

const kind = testDatabaseKind();
const E02 = '89049032000000000000000000600002';
const E32 = '89049032000000000000000000600032';
const P = (n: number) => `894450000000000600${n}`;
const SECRET = 'e2e-webhook-secret-0123456789';

/**
 * The product's loop through `esimctl serve`: inventory imported, a rule, one event over REST for
 * an SGP.02 device and one over MQTT for an SGP.32 device; the rule fires, each operation runs on
 * its stack's peer (outside the process; the lead replaces them with the simulators), the
 * inventory and the audit log show the result, and a signed webhook is delivered.
 */
describe(`event -> rule -> operation on both stacks, through esimctl serve on ${kind}`, () => {
  let db: Database | undefined;
  let serve: RunningCli | undefined;
  const peer = new RemotePeer();
  const receiver = new WebhookReceiver();
  const prefix = `esim-e2e-${randomBytes(4).toString('hex')}/v1/events`;

  beforeAll(async () => {
    if (kind === 'postgres') db = await openTestDatabase();
  });
  afterAll(async () => {
    await serve?.stop();
    await peer.stop();
    await receiver.stop();
    await db?.close();
  });

  it('runs an event to an operation on an SGP.02 and an SGP.32 device', { timeout: 120_000 }, async () => {
    const peerUrl = await peer.start();
    const env = {
      ...(kind === 'pglite'
        ? {
            DATA_DIR: mkdtempSync(join(tmpdir(), 'esim-flow-')),
            EMBEDDED_MQTT_PORT: '0',
            DATABASE_URL: '',
            MQTT_URL: '',
          }
        : { DATABASE_URL: db!.url, MQTT_URL: testMqttUrl() }),
      PORT: '0',
      EXTRA_MODULES: ['sgp02', 'sgp32']
        .map((s) => resolve(import.meta.dirname, `support/http-peer-${s}.ts`))
        .join(','),
      PEER_URL: peerUrl,
      EVENTS_MQTT_TOPIC: prefix,
      OPERATION_POLL_MS: '100',
      WEBHOOK_POLL_MS: '100',
    };
    const token = startEsimctl(['token', 'create', '--role', 'admin', '--name', 'e2e'], env);
    expect(await token.exited).toBe(0);
    const headers = { authorization: `Bearer ${token.output().trim().split('\n').at(-1)}` };
    serve = startEsimctl(['serve'], env);
    const [, api] = await serve.waitFor(/API\s+(http:\/\/\S+)/, 60_000);
    const [, mqttUrl] = await serve.waitFor(/MQTT\s+(mqtt:\/\/\S+)/);
    const call = async (method: string, path: string, body?: object | string, type = 'application/json') => {
      const res = await fetch(`${api}/api/v1${path}`, {
        method,
        headers: { ...headers, ...(body ? { 'content-type': type } : {}) },
        body: typeof body === 'string' ? body : body && JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      return { status: res.status, json };
    };

    for (const p of [
      { id: 'smsr-1', kind: 'smsr', name: 'SM-SR' },
      { id: 'eim-1', kind: 'eim', name: 'our eIM' },
    ])
      expect((await call('POST', '/platforms', p)).status).toBe(201);
    const csv = [
      'eid,stack,smsrId,eimId,externalId,iccid,operator,profileState',
      `${E02},sgp02,smsr-1,,meter-02,${P(1)},op-a,enabled`,
      `${E02},sgp02,smsr-1,,meter-02,${P(2)},op-b,disabled`,
      `${E32},sgp32,,eim-1,meter-32,${P(3)},op-a,enabled`,
      `${E32},sgp32,,eim-1,meter-32,${P(4)},op-b,disabled`,
    ].join('\n');
    expect((await call('POST', '/inventory/import', csv, 'text/csv')).json).toMatchObject({ imported: 4 });
    const hook = await call('POST', '/webhooks', {
      url: await receiver.start(),
      secret: SECRET,
      eventTypes: ['operation.succeeded', 'profile.state_changed'],
    });
    expect(hook.status).toBe(201);
    const rule = await call('POST', '/rules', {
      name: 'leave op-a after a long outage',
      eventType: 'device.connectivity_lost',
      conditions: {
        all: [
          { fact: 'operator', operator: 'equal', value: 'op-a' },
          { fact: 'payload', path: '$.durationSeconds', operator: 'greaterThan', value: 300 },
        ],
      },
      actions: [{ type: 'enable', params: { iccid: { fact: 'payload', path: '$.fallbackIccid' } } }],
    });
    expect(rule.status).toBe(201);

    const rest = await call('POST', '/events', {
      source: 'iot-platform',
      eventId: 'e2e-1',
      type: 'device.connectivity_lost',
      externalId: 'meter-02',
      payload: { durationSeconds: 900, fallbackIccid: P(2) },
    });
    expect(rest.status).toBe(201);
    const sender = await mqtt.connectAsync(mqttUrl!);
    await sender.publishAsync(
      `${prefix}/iot-platform/device.connectivity_lost`,
      JSON.stringify({ eventId: 'e2e-2', eid: E32, payload: { durationSeconds: 900, fallbackIccid: P(4) } }),
      { qos: 1 },
    );
    await sender.endAsync();

    const ops = async () =>
      (await call('GET', '/operations?type=enable')).json.items as {
        id: string;
        stack: string;
        state: string;
        ruleId: string;
      }[];
    for (
      let i = 0;
      i < 300 && ((await ops()).length < 2 || (await ops()).some((o) => o.state !== 'succeeded'));
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    const done = await ops();
    expect(done.map((o) => [o.stack, o.state, o.ruleId]).sort()).toEqual([
      ['sgp02', 'succeeded', rule.json.id],
      ['sgp32', 'succeeded', rule.json.id],
    ]);
    expect(peer.dispatches.map((d) => [d.stack, d.eid, d.params.iccid]).sort()).toEqual([
      ['sgp02', E02, P(2)],
      ['sgp32', E32, P(4)],
    ]);

    for (const [eid, on, off] of [
      [E02, P(2), P(1)],
      [E32, P(4), P(3)],
    ] as const) {
      const device = ((await call('GET', `/devices?eid=${eid}`)).json.items as { id: string }[])[0]!;
      const view = (await call('GET', `/devices/${device.id}/view`)).json as {
        profiles: { iccid: string; state: string }[];
        openOperations: unknown[];
        timeline: { kind: string; audit?: { action: string; actor: string } }[];
      };
      expect(Object.fromEntries(view.profiles.map((p) => [p.iccid, p.state]))).toEqual({
        [on]: 'enabled',
        [off]: 'disabled',
      });
      expect(view.openOperations).toEqual([]);
      const actions = view.timeline
        .filter((t) => t.kind === 'audit')
        .map((t) => `${t.audit!.action} by ${t.audit!.actor.split(':')[0]}`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'operation.created by rule',
          'operation.sent by stack',
          'operation.succeeded by platform',
          'profile.state_changed by platform',
        ]),
      );
    }

    const succeeded = () => receiver.ofType('operation.succeeded');
    for (let i = 0; i < 100 && succeeded().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(
      succeeded()
        .map((h) => h.json.eid)
        .sort(),
    ).toEqual([E02, E32]);
    for (const h of succeeded())
      expect(h.headers['x-esim-signature']).toBe(WebhookReceiver.expectedSignature(SECRET, h));
    expect(receiver.ofType('profile.state_changed').length).toBeGreaterThan(0);
  });
});
