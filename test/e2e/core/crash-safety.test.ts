import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
import { RemotePeer } from './support/remote-peer.js';

const kind = testDatabaseKind();
const OPS_PER_EID = 4;
const EIDS = 6;
const eid = (n: number) => `890490320000000000000000400000${String(n).padStart(2, '0')}`;

/**
 * SIGKILL of `esimctl serve` with operations in flight (one of them between the peer executing it
 * and the server learning so), then a restart on the same database: every operation ends exactly
 * once, none is lost, and the peer (outside the process) executed each exactly once.
 */
describe(`crash safety of the operation queue on ${kind}`, () => {
  let db: Database | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'esim-crash-'));
  const peer = new RemotePeer();
  let peerUrl = '';
  let serve: RunningCli | undefined;
  const env = () => ({
    ...(kind === 'pglite'
      ? { DATA_DIR: dataDir, EMBEDDED_MQTT_PORT: '0', DATABASE_URL: '', MQTT_URL: '' }
      : { DATABASE_URL: db!.url, MQTT_URL: testMqttUrl() }),
    PORT: '0',
    EXTRA_MODULES: resolve(import.meta.dirname, 'support/http-peer-sgp02.ts'),
    PEER_URL: peerUrl,
    OPERATION_LEASE_SECONDS: '2',
    OPERATION_POLL_MS: '100',
  });

  async function start(): Promise<string> {
    const started = await startServe(env());
    serve = started.serve;
    return started.api;
  }

  beforeAll(async () => {
    if (kind === 'postgres') db = await openTestDatabase();
    peerUrl = await peer.start();
  });
  afterAll(async () => {
    await serve?.stop('SIGKILL');
    await peer.stop();
    await db?.close();
  });

  it('ends every operation exactly once across a SIGKILL and a restart', { timeout: 180_000 }, async () => {
    const token = startEsimctl(['token', 'create', '--role', 'operator', '--name', 'crash-test'], env());
    expect(await token.exited).toBe(0);
    const auth = {
      authorization: `Bearer ${token.output().trim().split('\n').at(-1)}`,
      'content-type': 'application/json',
    };
    let api = await start();
    const first = serve!;
    const call = async (method: string, path: string, body?: object) => {
      const res = await fetch(`${api}/api/v1${path}`, {
        method,
        headers: auth,
        body: body && JSON.stringify(body),
      });
      return {
        status: res.status,
        json: (await res.json()) as Record<string, unknown> & { items?: unknown[] },
      };
    };

    // Killed while the peer has executed its 7th operation but not answered yet.
    let killedAt: string | undefined;
    peer.onExecute = (n) => {
      if (n === 7) {
        killedAt = peer.executed[6];
        first.child.kill('SIGKILL');
      }
    };
    for (let n = 0; n < EIDS; n++)
      expect((await call('POST', '/euiccs', { eid: eid(n), stack: 'sgp02' })).status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < OPS_PER_EID; i++)
      for (let n = 0; n < EIDS; n++) {
        // The server may be gone already.
        const res = await call('POST', '/operations', {
          eid: eid(n),
          type: 'enable',
          params: { iccid: `89445000000000040${String(n).padStart(2, '0')}` },
        }).catch(() => undefined);
        if (res?.status !== 201) break;
        ids.push(res.json.id as string);
      }
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(killedAt).toBeDefined();
    // A creation cut off by the kill may have committed without its answer: the server's list is the truth.
    api = await start();
    const listed = async () =>
      ((await call('GET', '/operations?limit=500')).json.items as { id: string }[]).map((o) => o.id);
    ids.splice(0, ids.length, ...(await listed()));
    while (ids.length < OPS_PER_EID * EIDS) {
      const n = ids.length % EIDS;
      const res = await call('POST', '/operations', {
        eid: eid(n),
        type: 'enable',
        params: { iccid: `89445000000000040${String(n).padStart(2, '0')}` },
      });
      expect(res.status).toBe(201);
      ids.push(res.json.id as string);
    }
    expect((await listed()).sort()).toEqual([...ids].sort());

    const states = async () =>
      Promise.all(ids.map(async (id) => (await call('GET', `/operations/${id}`)).json.state as string));
    for (let i = 0; i < 600 && (await states()).some((s) => s === 'pending' || s === 'sent'); i++)
      await new Promise((r) => setTimeout(r, 200));

    expect(await states()).toEqual(ids.map(() => 'succeeded'));
    // On the device: each operation executed once; the one cut off was dispatched again and recognised.
    expect([...peer.executed].sort()).toEqual([...ids].sort());
    expect(peer.duplicates.map((d) => d.operationId)).toContain(killedAt);
    for (const id of ids) {
      const audit = (await call('GET', `/operations/${id}/audit`)).json as unknown as {
        toState: string;
        reason: Record<string, unknown>;
      }[];
      expect(
        audit.filter((a) => ['succeeded', 'failed', 'expired', 'cancelled'].includes(a.toState)),
      ).toHaveLength(1);
      if (id === killedAt)
        expect(audit.find((a) => a.toState === 'sent')!.reason).toMatchObject({
          takenOver: true,
          attempt: 1,
        });
    }
  });
});
