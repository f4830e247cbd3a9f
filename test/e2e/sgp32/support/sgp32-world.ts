import { mkdtempSync } from 'node:fs';
import { expect } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KnexOperationStore,
  loadConfig,
  sgp32Module,
  startApp,
  type App,
  type Database,
  type Sgp32StackAdapter,
} from '@esim/orchestrator';
import {
  openTestDatabase,
  startEsimctl,
  testDatabaseKind,
  testMqttUrl,
  type RunningCli,
} from '@esim/orchestrator/testing';
import type { EsipaTransport } from './esipa-transport.js';

export interface SimDevice {
  eid: string;
  profiles: { iccid: string; state: string; fallbackAttribute: boolean }[];
  eims: { eimId: string; eimFqdn?: string; counterValue: number; associationToken?: number }[];
  downloadTriggers: unknown[];
}

export type WorkerOperation = 'enable' | 'disable' | 'delete' | 'audit' | 'setFallback' | 'download';

/**
 * The product (in-process, real HTTP on 127.0.0.1, the test run's database kind) and the IPA
 * simulator (`esimctl sim ipa` in its own process) onboarded with our eIM's certificate. Devices
 * poll only when told (`poll`), so every step of a test is deterministic.
 */
export class Sgp32World {
  readonly kind = testDatabaseKind();
  readonly dataDir = mkdtempSync(join(tmpdir(), 'esim-sgp32-'));
  app!: App;
  admin!: string;
  private sim?: RunningCli;
  private db?: Database;
  private port = '0';

  /**
   * `config`: settings of the product on top of the world's; `eimUrl`: what the simulator is given
   * as `--eim` (default the API URL: ESipa over HTTP); `simArgs`: added to the simulator's command
   * line. An `EsipaTransport` is such options.
   */
  constructor(
    readonly eimId: string,
    private readonly o: Partial<EsipaTransport> = {},
  ) {}

  /** Starts the product, then the simulator with the world's `simArgs` and `simArgs` added to its command line. */
  async start(simArgs: string[] = []): Promise<void> {
    if (this.kind === 'postgres') this.db = await openTestDatabase();
    await this.startApp();
    const eim = this.o.eimUrl?.(this.app) ?? this.app.urls.api;
    this.sim = startEsimctl([
      ...['sim', 'ipa', '--eim', eim, '--eim-id', this.eimId],
      ...['--eim-public-key', join(this.dataDir, 'eim', 'eim-cert.pem')],
      ...['--interval', '3600000', '--jitter', '0', ...(this.o.simArgs ?? []), ...simArgs],
    ]);
    [, this.admin] = (await this.sim.waitFor(/admin (http:\/\/\S+)/, 60_000)) as unknown as [string, string];
  }

  /** The product again, on the same port and database (a restart). */
  async startApp(): Promise<void> {
    // The SGP.32 module alone: the test plays the operation worker (dispatch below), so the
    // core's worker must not dispatch the same operations behind its back.
    this.app = await startApp(
      loadConfig({
        DATA_DIR: this.dataDir,
        PORT: this.port,
        EIM_ID: this.eimId,
        LOG_LEVEL: 'silent',
        ...(this.kind === 'pglite'
          ? { EMBEDDED_MQTT_PORT: '0' }
          : { DATABASE_URL: this.db!.url, MQTT_URL: testMqttUrl() }),
        ...this.o.config,
      }),
      undefined,
      [sgp32Module],
    );
    this.port = new URL(this.app.urls.api).port;
  }

  async stop(): Promise<void> {
    await this.sim?.stop();
    await this.app?.close();
    await this.db?.close();
  }

  get adapter(): Sgp32StackAdapter {
    return this.app.adapters.get('sgp32') as Sgp32StackAdapter;
  }

  get operations(): KnexOperationStore {
    return new KnexOperationStore(this.app.db.knex);
  }

  async devices(): Promise<SimDevice[]> {
    return ((await (await fetch(`${this.admin}/sim/fleet`)).json()) as { devices: SimDevice[] }).devices;
  }

  /** One poll cycle of every device (or of `eid`), as the simulator reports it. */
  async poll(eid?: string): Promise<{ eid: string; ok: boolean; error?: string }[]> {
    const res = await fetch(`${this.admin}/sim/poll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(eid ? { eid } : {}),
    });
    return ((await res.json()) as { devices: { eid: string; ok: boolean; error?: string }[] }).devices;
  }

  async faults(faults: Record<string, unknown>): Promise<void> {
    await fetch(`${this.admin}/sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
  }

  /** An operation as the worker would run it: created, dispatched to the sgp32 adapter, marked sent. */
  async run(eid: string, type: WorkerOperation, params: Record<string, unknown>): Promise<string> {
    const op = await this.operations.create({ eid, stack: 'sgp32', type, params, requestedBy: 'e2e' });
    const out = await this.adapter.dispatch({
      operationId: op.id,
      eid,
      type,
      params,
      validUntil: null,
      attempt: 1,
    });
    if (out.status !== 'sent') throw new Error(`not sent: ${JSON.stringify(out)}`);
    await this.operations.transition(op.id, ['pending'], {
      to: 'sent',
      actor: 'e2e',
      correlationId: out.correlationId,
    });
    return op.id;
  }

  async state(operationId: string): Promise<string | undefined> {
    return (await this.operations.get(operationId))?.state;
  }

  /**
   * The first contact of a device (the only one of the fleet): an audit, which also makes the eIM
   * learn the eUICC's certificates, then the enable of a disabled profile, each ended by one poll,
   * with the card and the inventory agreeing after it.
   */
  async expectAuditThenEnable(eid: string): Promise<void> {
    const [device] = await this.devices();
    const audit = await this.run(eid, 'audit', {});
    expect(await this.poll()).toEqual([{ eid, ok: true }]);
    expect(await this.state(audit)).toBe('succeeded');
    const disabled = device!.profiles.find((p) => p.state === 'disabled' && !p.fallbackAttribute)!;
    const enable = await this.run(eid, 'enable', { iccid: disabled.iccid });
    expect(await this.poll()).toEqual([{ eid, ok: true }]);
    expect(await this.state(enable)).toBe('succeeded');
    const after = (await this.devices())[0]!.profiles.find((p) => p.iccid === disabled.iccid);
    expect(after?.state).toBe('enabled');
    expect(await this.app.db.knex('profiles').where({ iccid: disabled.iccid }).first('state')).toEqual({
      state: 'enabled',
    });
  }
}
