import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KnexOperationStore,
  loadConfig,
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

const kind = testDatabaseKind();
const EIM_ID = 'eim.fleet.test';

/**
 * A fleet of simulated devices with a generated CI -> EUM -> eUICC chain, kept where the eIM
 * looks for the simulators' CI by default (DATA_DIR/simulators/pki): the eIM trusts it without
 * configuration, although the simulator creates it after the eIM started.
 */
describe(`SGP.32 eIM with a generated fleet on ${kind}`, () => {
  let db: Database | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'esim-sgp32-fleet-'));
  let app: App;
  let sim: RunningCli;
  let admin: string;

  beforeAll(async () => {
    if (kind === 'postgres') db = await openTestDatabase();
    app = await startApp(
      loadConfig({
        DATA_DIR: dataDir,
        PORT: '0',
        EIM_ID,
        LOG_LEVEL: 'silent',
        ...(kind === 'pglite'
          ? { EMBEDDED_MQTT_PORT: '0' }
          : { DATABASE_URL: db!.url, MQTT_URL: testMqttUrl() }),
      }),
    );
    sim = startEsimctl([
      'sim',
      'ipa',
      '--eim',
      app.urls.api,
      '--count',
      '3',
      '--pki-dir',
      join(dataDir, 'simulators', 'pki'),
      '--eim-id',
      EIM_ID,
      '--eim-public-key',
      join(dataDir, 'eim', 'eim-cert.pem'),
      '--interval',
      '3600000',
      '--jitter',
      '0',
    ]);
    [, admin] = (await sim.waitFor(/admin (http:\/\/\S+)/, 60_000)) as unknown as [string, string];
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
    await app?.close();
    await db?.close();
  });

  it('audits every device of the fleet, each chain verified against the generated CI', async () => {
    const devices = (
      (await (await fetch(`${admin}/sim/fleet`)).json()) as {
        devices: { eid: string; profiles: { iccid: string; state: string }[] }[];
      }
    ).devices;
    expect(devices).toHaveLength(3);
    const operations = new KnexOperationStore(app.db.knex);
    const adapter = app.adapters.get('sgp32') as Sgp32StackAdapter;
    const ids: string[] = [];
    for (const d of devices) {
      await app.db.knex('euiccs').insert({ eid: d.eid, stack: 'sgp32' });
      const op = await operations.create({
        eid: d.eid,
        stack: 'sgp32',
        type: 'audit',
        params: {},
        requestedBy: 'e2e',
      });
      const out = await adapter.dispatch({
        operationId: op.id,
        eid: d.eid,
        type: 'audit',
        params: {},
        validUntil: null,
        attempt: 1,
      });
      if (out.status !== 'sent') throw new Error('not sent');
      await operations.transition(op.id, ['pending'], {
        to: 'sent',
        actor: 'e2e',
        correlationId: out.correlationId,
      });
      ids.push(op.id);
    }
    const polled = (await (
      await fetch(`${admin}/sim/poll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as {
      devices: { ok: boolean }[];
    };
    expect(polled.devices.map((d) => d.ok)).toEqual([true, true, true]);
    for (const id of ids) expect((await operations.get(id))?.state).toBe('succeeded');
    for (const d of devices) {
      const rows = (await app.db
        .knex('profiles')
        .where({ eid: d.eid })
        .orderBy('iccid')
        .select('iccid', 'state')) as { iccid: string; state: string }[];
      expect(rows).toEqual(
        d.profiles
          .map((p) => ({ iccid: p.iccid, state: p.state }))
          .sort((a, b) => a.iccid.localeCompare(b.iccid)),
      );
    }
    expect(await app.db.knex('eim_rejected_results').select('reason')).toEqual([]);
  });
});
