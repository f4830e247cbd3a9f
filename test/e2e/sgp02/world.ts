import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { loadConfig, sgp02Module, startApp, type App, type Database } from '@esim/orchestrator';
import { openTestDatabase, testDatabaseKind, testMqttUrl } from '@esim/orchestrator/testing';
import { KnexOperationStore } from '../../../packages/orchestrator/src/operations/knex-operation-store.js';
import type { Operation } from '../../../packages/orchestrator/src/operations/operation.js';
import type { OperationType } from '../../../packages/orchestrator/src/operations/vocabulary.js';
import type {
  DispatchOutcome,
  StackAdapter,
} from '../../../packages/orchestrator/src/stacks/stack-adapter.js';
import { startSmdp, type RunningSmdp } from '../../../packages/simulators/src/sgp02/smdp.js';
import { startSmsr, type RunningSmsr } from '../../../packages/simulators/src/sgp02/smsr.js';

export const OPERATOR = '1.3.6.1.4.1.99999.10';
export const SMSR1 = '1.3.6.1.4.1.99999.21';
export const SMSR2 = '1.3.6.1.4.1.99999.22';
export const SMDP = '1.3.6.1.4.1.99999.30';

export interface SimProfileView {
  iccid: string;
  state: string;
  fallback: boolean;
  emergency: boolean;
  msisdn: string | null;
  imsi: string | null;
}

/**
 * The product (started as `esimctl serve` starts it, with its SGP.02 module) next to two SM-SR
 * simulators and an SM-DP simulator on 127.0.0.1, the simulated fleet registered in the
 * inventory from the SM-SR's `GET /sim/fleet`, as `serve --with-simulators` will.
 */
export class World {
  private constructor(
    readonly app: App,
    readonly smsr: RunningSmsr,
    readonly smsr2: RunningSmsr,
    readonly smdp: RunningSmdp,
    private readonly db: Database | undefined,
  ) {}

  get knex() {
    return this.app.db.knex;
  }
  get adapter(): StackAdapter {
    return this.app.adapters.get('sgp02')!;
  }
  get operations() {
    return new KnexOperationStore(this.knex);
  }

  /**
   * `recoveryAfterSeconds`: when a lost answer is looked for with AuditEIS (default: not within a
   * test). `route: 'ES2'`: the fleet's profiles come from the SM-DP, and SM-SR 1 is configured to
   * have them managed through it over ES2, as an MNO would.
   */
  static async start(
    count = 12,
    opts: { recoveryAfterSeconds?: number; route?: 'ES4' | 'ES2' } = {},
  ): Promise<World> {
    const kind = testDatabaseKind();
    const db = kind === 'postgres' ? await openTestDatabase() : undefined;
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      EMBEDDED_MQTT_PORT: '0',
      // WORLD_LOG=info shows the orchestrator's log when a test needs explaining.
      LOG_LEVEL: process.env.WORLD_LOG ?? 'silent',
      SGP02_ENTITY_ID: OPERATOR,
      SGP02_RECOVERY_AFTER_SECONDS: String(opts.recoveryAfterSeconds ?? 3600),
      ...(db ? { DATABASE_URL: db.url, MQTT_URL: testMqttUrl() } : { DATA_DIR: 'memory://' }),
    });
    // The SGP.02 module alone: the test plays the operation worker (run() below), so the core's
    // worker must not dispatch the same operations behind its back.
    const app = await startApp(config, undefined, [sgp02Module]);
    const smsr = await startSmsr({
      entityId: SMSR1,
      count,
      operators: [OPERATOR],
      latencyMs: 5,
      smdpId: opts.route === 'ES2' ? SMDP : undefined,
    });
    const smsr2 = await startSmsr({
      entityId: SMSR2,
      count: 1,
      seed: 2,
      operators: [OPERATOR],
      latencyMs: 5,
    });
    smsr.peers[SMSR2] = smsr2.es7;
    smsr2.peers[SMSR1] = smsr.es7;
    const smdp = await startSmdp({ smsr: smsr.es3, entityId: SMDP, operators: [OPERATOR], latencyMs: 5 });
    const w = new World(app, smsr, smsr2, smdp, db);
    await w.knex('platforms').insert([
      {
        id: 'smsr-1',
        kind: 'smsr',
        name: 'SM-SR 1',
        entity_id: SMSR1,
        endpoint_url: smsr.es4,
        metadata: JSON.stringify({ profileManagementRoute: opts.route ?? 'ES4' }),
      },
      { id: 'smsr-2', kind: 'smsr', name: 'SM-SR 2', entity_id: SMSR2, endpoint_url: smsr2.es4 },
      { id: 'smdp-1', kind: 'smdp', name: 'SM-DP 1', entity_id: SMDP, endpoint_url: smdp.es2 },
    ]);
    await w.register(smsr, 'smsr-1');
    await w.register(smsr2, 'smsr-2');
    return w;
  }

  /** Registers a simulator's fleet in the inventory, as it is. */
  private async register(sim: RunningSmsr, platformId: string): Promise<void> {
    const fleet = (await (await fetch(`${sim.url}/sim/fleet`)).json()) as {
      euiccs: {
        eid: string;
        eumId: string;
        profiles: (SimProfileView & { mnoId: string; isdpAid: string; smdpId: string | null })[];
      }[];
    };
    for (const e of fleet.euiccs) {
      await this.knex('euiccs').insert({ eid: e.eid, stack: 'sgp02', smsr_id: platformId, eum_id: e.eumId });
      for (const p of e.profiles)
        await this.knex('profiles').insert({
          iccid: p.iccid,
          eid: e.eid,
          state: p.state.toLowerCase(),
          fallback: p.fallback,
          operator: p.mnoId,
          platform_id: p.smdpId === SMDP ? 'smdp-1' : null,
          isdp_aid: p.isdpAid,
          msisdn: p.msisdn,
          imsi: p.imsi,
        });
    }
  }

  eids(): string[] {
    return [...this.smsr.fleet.keys()];
  }

  iccids(eid: string): string[] {
    return this.smsr.fleet.get(eid)!.profiles.map((p) => p.iccid);
  }

  /** The inventory's view of the eUICC's profiles on the card. */
  async inventory(eid: string): Promise<SimProfileView[]> {
    const rows = await this.knex('profiles')
      .where({ eid })
      .whereNot({ state: 'deleted' })
      .orderBy('iccid')
      .select('iccid', 'state', 'fallback', 'emergency', 'msisdn', 'imsi');
    return rows as SimProfileView[];
  }

  /** The simulator's EIS of the eUICC, in the same shape. */
  async simulated(eid: string, sim: RunningSmsr = this.smsr): Promise<SimProfileView[]> {
    const fleet = (await (await fetch(`${sim.url}/sim/fleet`)).json()) as {
      euiccs: { eid: string; profiles: SimProfileView[] }[];
    };
    const e = fleet.euiccs.find((x) => x.eid === eid);
    if (!e) return [];
    return e.profiles
      .map((p) => ({
        iccid: p.iccid,
        state: p.state.toLowerCase(),
        fallback: p.fallback,
        emergency: p.emergency,
        msisdn: p.msisdn,
        imsi: p.imsi,
      }))
      .sort((a, b) => a.iccid.localeCompare(b.iccid));
  }

  async faults(body: Record<string, unknown>, url = this.smsr.url): Promise<Response> {
    return fetch(`${url}/sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /**
   * One operation as the worker will run it: created in the store, dispatched to the adapter,
   * moved to what the adapter answered, then waited for until it ends (bounded).
   */
  async run(
    eid: string,
    type: OperationType,
    params: Record<string, unknown>,
    opts: { validUntil?: Date; waitMs?: number } = {},
  ): Promise<{ op: Operation; dispatched: DispatchOutcome }> {
    const ops = this.operations;
    const op = await ops.create({
      eid,
      stack: 'sgp02',
      type,
      params,
      requestedBy: 'test',
      validUntil: opts.validUntil,
    });
    const dispatched = await this.adapter.dispatch({
      operationId: op.id,
      eid,
      type,
      params,
      validUntil: opts.validUntil ?? null,
      attempt: 1,
    });
    if (dispatched.status === 'sent')
      await ops.transition(op.id, ['pending'], {
        to: 'sent',
        actor: 'test-worker',
        correlationId: dispatched.correlationId,
        countAttempt: true,
      });
    else
      await ops.transition(op.id, ['pending'], {
        to: dispatched.status,
        actor: 'test-worker',
        ...(dispatched.status === 'succeeded'
          ? { result: dispatched.result ?? {} }
          : { error: { ...dispatched.error } }),
        countAttempt: true,
      });
    return { op: await this.waitForEnd(op.id, opts.waitMs), dispatched };
  }

  async waitForEnd(id: string, waitMs = 10_000): Promise<Operation> {
    for (let waited = 0; ; waited += 20) {
      const op = (await this.operations.get(id))!;
      if (op.state !== 'sent' && op.state !== 'pending') return op;
      if (waited >= waitMs) return op;
      await sleep(20);
    }
  }

  /** Waits until `check` holds (bounded), e.g. until a notification was applied. */
  async until(check: () => Promise<boolean>, waitMs = 5_000): Promise<boolean> {
    for (let waited = 0; waited < waitMs; waited += 20) {
      if (await check()) return true;
      await sleep(20);
    }
    return check();
  }

  /** Waits (bounded) until the inventory of `eid` is what the simulated SM-SR shows, then asserts it. */
  async expectInventoryMatches(eid: string, sim: RunningSmsr = this.smsr): Promise<void> {
    await this.until(
      async () =>
        JSON.stringify(await this.inventory(eid)) === JSON.stringify(await this.simulated(eid, sim)),
    );
    expect(await this.inventory(eid)).toEqual(await this.simulated(eid, sim));
  }

  /** Waits (bounded) until a message whose body is `body` (e.g. ES2-HandleProfileEnabledNotification) was received. */
  received(body: string): Promise<boolean> {
    return this.until(async () => Boolean(await this.knex('sgp02_received').where({ body }).first()));
  }

  async auditCount(): Promise<number> {
    const [row] = await this.knex('audit_log').count<{ count: string }[]>('* as count');
    return Number(row!.count);
  }

  async close(): Promise<void> {
    await this.smdp.close();
    await this.smsr.close();
    await this.smsr2.close();
    await this.app.close();
    await this.db?.close();
  }
}
