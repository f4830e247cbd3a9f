import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const kind = testDatabaseKind();
const SECRET = 'demo-webhook-secret-0123456789';

interface Profile {
  eid: string;
  iccid: string;
  state: string;
}

/**
 * The README's main job, `esimctl serve --with-simulators`: the SM-SR, SM-DP and IPA simulators
 * run as processes of their own and their fleets are registered. An event over REST (SGP.02
 * device) and one over MQTT (SGP.32 device) drive a rule to an operation on each stack: ES4 over
 * SOAP to the SM-SR, a signed PSMO the IPA fetches over ESipa. Each ends with the inventory equal
 * to what the simulated card holds, the device's timeline showing who did what, and a signed
 * webhook delivered per operation.
 */
describe(`esimctl serve --with-simulators on ${kind}`, () => {
  let db: Database | undefined;
  let serve: RunningCli | undefined;
  const receiver = new WebhookReceiver();
  const prefix = `esim-demo-${randomBytes(4).toString('hex')}/v1/events`;

  beforeAll(async () => {
    if (kind === 'postgres') db = await openTestDatabase();
  });
  afterAll(async () => {
    await serve?.stop();
    await receiver.stop();
    await db?.close();
  });

  it(
    'runs events (REST and MQTT) through a rule to an enable on a simulated device of each stack, and a profile download from the SM-DP+',
    { timeout: 180_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'esim-demo-'));
      serve = startEsimctl(['serve', '--with-simulators', '2'], {
        DATA_DIR: dataDir,
        PORT: '0',
        OPERATION_POLL_MS: '100',
        WEBHOOK_POLL_MS: '100',
        EVENTS_MQTT_TOPIC: prefix,
        ...(kind === 'pglite'
          ? { EMBEDDED_MQTT_PORT: '0', DATABASE_URL: '', MQTT_URL: '' }
          : { DATABASE_URL: db!.url, MQTT_URL: testMqttUrl() }),
      });
      const [, api] = await serve.waitFor(/API\s+(http:\/\/\S+)/, 90_000);
      const [, mqttUrl] = await serve.waitFor(/MQTT\s+(mqtt:\/\/\S+)/, 90_000);
      const [, smsr] = await serve.waitFor(/SM-SR\s+(http:\/\/\S+)/, 90_000);
      const [, ipas] = await serve.waitFor(/IPAs\s+(http:\/\/\S+)/, 90_000);
      const [, token] = await serve.waitFor(/Token\s+(\S+)/, 90_000);
      // The dashboard link carries the same token, in the fragment only.
      const [, dashboard] = await serve.waitFor(/Dashboard\s+(http:\/\/\S+)/, 90_000);
      expect(dashboard).toBe(`${api}/ui/#token=${token}`);
      expect((await fetch(dashboard!)).status).toBe(200);
      const call = async (method: string, path: string, body?: object) => {
        const res = await fetch(`${api}/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          body: body && JSON.stringify(body),
        });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };

      // The fleets as registered: two devices per stack, each with one enabled profile.
      const euiccs = (await call('GET', '/euiccs?limit=100')).json.items as { eid: string; stack: string }[];
      expect(euiccs.filter((e) => e.stack === 'sgp02')).toHaveLength(2);
      expect(euiccs.filter((e) => e.stack === 'sgp32')).toHaveLength(2);
      const profiles = async () => (await call('GET', '/profiles?limit=100')).json.items as Profile[];
      const targets = euiccs
        .filter((e, i, all) => all.findIndex((o) => o.stack === e.stack) === i)
        .map((e) => ({ ...e, iccid: '' }));
      for (const t of targets)
        t.iccid = (await profiles()).find((p) => p.eid === t.eid && p.state === 'disabled')!.iccid;

      const rule = await call('POST', '/rules', {
        name: 'switch on a long outage',
        eventType: 'device.connectivity_lost',
        conditions: {
          all: [{ fact: 'payload', path: '$.durationSeconds', operator: 'greaterThan', value: 300 }],
        },
        actions: [{ type: 'enable', params: { iccid: { fact: 'payload', path: '$.fallbackIccid' } } }],
      });
      expect(rule.status).toBe(201);
      const hook = await call('POST', '/webhooks', {
        url: await receiver.start(),
        secret: SECRET,
        eventTypes: ['operation.succeeded'],
      });
      expect(hook.status).toBe(201);
      const event = (t: { eid: string; iccid: string }) => ({
        eventId: `outage-${t.eid}`,
        eid: t.eid,
        payload: { durationSeconds: 900, fallbackIccid: t.iccid },
      });
      const [sgp02, sgp32] = [
        targets.find((t) => t.stack === 'sgp02')!,
        targets.find((t) => t.stack === 'sgp32')!,
      ];
      expect(
        (
          await call('POST', '/events', {
            source: 'iot-platform',
            type: 'device.connectivity_lost',
            ...event(sgp02),
          })
        ).status,
      ).toBe(201);
      const sender = await mqtt.connectAsync(mqttUrl!);
      await sender.publishAsync(
        `${prefix}/iot-platform/device.connectivity_lost`,
        JSON.stringify(event(sgp32)),
        {
          qos: 1,
        },
      );
      await sender.endAsync();

      const operations = async () =>
        (await call('GET', '/operations?type=enable')).json.items as { stack: string; state: string }[];
      // The IPAs poll every 5 s: bounded wait for both operations to end.
      for (let i = 0; i < 600; i++) {
        const ops = await operations();
        if (ops.length === 2 && ops.every((o) => !['pending', 'sent'].includes(o.state))) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await operations()).map((o) => [o.stack, o.state]).sort()).toEqual([
        ['sgp02', 'succeeded'],
        ['sgp32', 'succeeded'],
      ]);

      // The inventory holds what each simulated card holds.
      const smsrFleet = (await (await fetch(`${smsr}/sim/fleet`)).json()) as {
        euiccs: { eid: string; profiles: { iccid: string; state: string }[] }[];
      };
      const ipaFleet = (await (await fetch(`${ipas}/sim/fleet`)).json()) as {
        devices: { eid: string; profiles: { iccid: string; state: string }[] }[];
      };
      const onCards = [...smsrFleet.euiccs, ...ipaFleet.devices];
      const inventory = await profiles();
      for (const t of targets) {
        const card = onCards.find((c) => c.eid === t.eid)!;
        const enabledOnCard = card.profiles
          .filter((p) => p.state.toLowerCase() === 'enabled')
          .map((p) => p.iccid);
        expect(enabledOnCard).toEqual([t.iccid]);
        expect(
          inventory
            .filter((p) => p.eid === t.eid)
            .map((p) => [p.iccid, p.state])
            .sort(),
        ).toEqual(card.profiles.map((p) => [p.iccid, p.state.toLowerCase()]).sort());
        // The device's timeline says who did what: the rule, the stack, the platform.
        const device = ((await call('GET', `/devices?eid=${t.eid}`)).json.items as { id: string }[])[0]!;
        const view = (await call('GET', `/devices/${device.id}/view`)).json as {
          timeline: { kind: string; audit?: { action: string; actor: string } }[];
        };
        const actions = view.timeline.filter((e) => e.kind === 'audit').map((e) => e.audit!.action);
        expect(actions).toEqual(
          expect.arrayContaining(['operation.created', 'operation.sent', 'operation.succeeded']),
        );
      }

      // A profile downloaded from the SM-DP+ through the eIM lands, deciphered, on the card and in the inventory.
      const [, activationCode] = await serve.waitFor(/activation code for a download: (\S+)\)/, 1000);
      const download = await call('POST', '/operations', {
        eid: sgp32.eid,
        type: 'download',
        params: { activationCode },
      });
      expect(download.status).toBe(201);
      const downloadState = async () =>
        (await call('GET', `/operations/${download.json.id as string}`)).json.state as string;
      for (let i = 0; i < 600 && ['pending', 'sent'].includes(await downloadState()); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await downloadState()).toBe('succeeded');
      const card = (
        (await (await fetch(`${ipas}/sim/fleet`)).json()) as {
          devices: { eid: string; profiles: { iccid: string; state: string }[] }[];
        }
      ).devices.find((d) => d.eid === sgp32.eid)!;
      const before = ipaFleet.devices.find((d) => d.eid === sgp32.eid)!.profiles.map((p) => p.iccid);
      const installed = card.profiles.filter((p) => !before.includes(p.iccid));
      expect(installed.map((p) => p.state.toLowerCase())).toEqual(['disabled']);
      expect((await profiles()).find((p) => p.iccid === installed[0]!.iccid)).toMatchObject({
        eid: sgp32.eid,
        state: 'disabled',
      });

      // One signed webhook per operation.
      const succeeded = () => receiver.ofType('operation.succeeded');
      for (let i = 0; i < 100 && succeeded().length < 3; i++) await new Promise((r) => setTimeout(r, 100));
      expect(
        succeeded()
          .map((h) => h.json.eid)
          .sort(),
      ).toEqual([...targets.map((t) => t.eid), sgp32.eid].sort());
      for (const h of succeeded())
        expect(h.headers['x-esim-signature']).toBe(WebhookReceiver.expectedSignature(SECRET, h));
    },
  );
});
