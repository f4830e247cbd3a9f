import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openTestDatabase,
  startEsimctl,
  startServe,
  testDatabaseKind,
  testMqttUrl,
  type RunningCli,
} from '@esim/orchestrator/testing';
import type { Database } from '@esim/orchestrator';

const kind = testDatabaseKind();
const OPERATOR = '1.3.6.1.4.1.99999.10';
const EIDS = 4;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

interface SimFleet {
  euiccs: {
    eid: string;
    profiles: { iccid: string; state: string }[];
    auditTrail: { operationType: string; status: string; iccid?: string }[];
  }[];
}

/**
 * The crash test against a real peer: the SM-SR simulator runs as a process of its own with a slow
 * link to its cards, `esimctl serve` is SIGKILLed while enables are in flight and restarted on the
 * same database and port. Every operation ends exactly once, and each card executed its
 * EnableProfile exactly once (the SM-SR's audit trail), whatever was lost with the process.
 */
describe(`crash safety against the SM-SR simulator on ${kind}`, () => {
  let db: Database | undefined;
  let smsr: RunningCli | undefined;
  let serve: RunningCli | undefined;

  beforeAll(async () => {
    if (kind === 'postgres') db = await openTestDatabase();
  });
  afterAll(async () => {
    await serve?.stop();
    await smsr?.stop();
    await db?.close();
  });

  it(
    'ends every operation once and runs each on its card once, across a SIGKILL',
    { timeout: 240_000 },
    async () => {
      const port = await freePort();
      const env = {
        ...(kind === 'pglite'
          ? {
              DATA_DIR: mkdtempSync(join(tmpdir(), 'esim-crash-sim-')),
              EMBEDDED_MQTT_PORT: '0',
              DATABASE_URL: '',
              MQTT_URL: '',
            }
          : {
              DATA_DIR: mkdtempSync(join(tmpdir(), 'esim-crash-sim-')),
              DATABASE_URL: db!.url,
              MQTT_URL: testMqttUrl(),
            }),
        PORT: String(port),
        SGP02_ENTITY_ID: OPERATOR,
        OPERATION_POLL_MS: '100',
        OPERATION_LEASE_SECONDS: '2',
        // Answers and notifications sent while the server is down are lost: AuditEIS finds them.
        SGP02_RECOVERY_AFTER_SECONDS: '2',
      };
      smsr = startEsimctl([
        'sim',
        'smsr',
        '--count',
        String(EIDS),
        '--operator',
        OPERATOR,
        '--latency',
        '400',
      ]);
      const [, entityId, es4, smsrUrl] = await smsr.waitFor(
        /SM-SR (\S+) ready: ES4 (\S+) ES3 \S+ ES7 \S+ fleet (\S+)\/sim\/fleet/,
        60_000,
      );
      const fleet = async () => (await (await fetch(`${smsrUrl}/sim/fleet`)).json()) as SimFleet;

      const token = startEsimctl(['token', 'create', '--role', 'admin', '--name', 'crash'], env);
      expect(await token.exited).toBe(0);
      const headers = {
        authorization: `Bearer ${token.output().trim().split('\n').at(-1)}`,
        'content-type': 'application/json',
      };
      const api = `http://127.0.0.1:${port}/api/v1`;
      const call = async (
        method: string,
        path: string,
        body?: object | string,
        type = 'application/json',
      ) => {
        const res = await fetch(`${api}${path}`, {
          method,
          headers: { ...headers, 'content-type': type },
          body: typeof body === 'string' ? body : body && JSON.stringify(body),
        });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };
      const start = async () => {
        serve = (await startServe(env)).serve;
      };

      await start();
      expect(
        (
          await call('POST', '/platforms', {
            id: 'smsr-1',
            kind: 'smsr',
            name: 'SM-SR',
            entityId,
            endpointUrl: es4,
          })
        ).status,
      ).toBe(201);
      const cards = (await fleet()).euiccs;
      const rows = cards.flatMap((e) =>
        e.profiles.map((p) => ({
          eid: e.eid,
          stack: 'sgp02',
          smsrId: 'smsr-1',
          iccid: p.iccid,
          profileState: p.state.toLowerCase(),
        })),
      );
      const ndjson = rows.map((r) => JSON.stringify(r)).join('\n');
      expect((await call('POST', '/inventory/import', ndjson, 'application/x-ndjson')).json).toMatchObject({
        committed: true,
      });

      // One enable of the disabled profile per card, all at once.
      const wanted = new Map(
        cards.map((e) => [e.eid, e.profiles.find((p) => p.state === 'Disabled')!.iccid]),
      );
      for (const [eid, iccid] of wanted)
        expect((await call('POST', '/operations', { eid, type: 'enable', params: { iccid } })).status).toBe(
          201,
        );

      // Kill the server as soon as some operation is in flight on the SM-SR.
      const ops = async () =>
        (await call('GET', '/operations?type=enable&limit=100')).json.items as {
          id: string;
          state: string;
        }[];
      for (let i = 0; i < 200 && !(await ops()).some((o) => o.state === 'sent'); i++)
        await new Promise((r) => setTimeout(r, 25));
      const before = await ops();
      expect(before.some((o) => o.state === 'sent')).toBe(true);
      serve!.child.kill('SIGKILL');
      await serve!.exited;

      await start();
      for (let i = 0; i < 600 && (await ops()).some((o) => ['pending', 'sent'].includes(o.state)); i++)
        await new Promise((r) => setTimeout(r, 100));
      const after = await ops();
      expect(after.map((o) => o.state)).toEqual(after.map(() => 'succeeded'));

      // Each operation ended once: one terminal transition in its audit.
      for (const o of after) {
        const audit = (await call('GET', `/operations/${o.id}/audit`)).json as unknown as {
          action: string;
        }[];
        expect(audit.filter((a) => a.action === 'operation.succeeded')).toHaveLength(1);
      }
      // Each card executed its enable once, and the inventory holds what the cards hold.
      const inventory = (await call('GET', '/profiles?limit=100')).json.items as {
        eid: string;
        iccid: string;
        state: string;
      }[];
      for (const card of (await fleet()).euiccs) {
        const enables = card.auditTrail.filter(
          (a) => a.operationType.includes('EnableProfile') && a.status.startsWith('EXECUTED'),
        );
        expect(enables.map((a) => a.iccid)).toEqual([wanted.get(card.eid)]);
        expect(
          inventory
            .filter((p) => p.eid === card.eid)
            .map((p) => [p.iccid, p.state])
            .sort(),
        ).toEqual(card.profiles.map((p) => [p.iccid, p.state.toLowerCase()]).sort());
      }
    },
  );
});
