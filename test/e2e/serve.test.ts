import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, startEsimctl, testDatabaseKind, testMqttUrl } from '@esim/orchestrator/testing';
import type { Database } from '@esim/orchestrator';

const kind = testDatabaseKind();

/**
 * `esimctl serve` as a user runs it: on PGlite with nothing configured (the embedded default,
 * in-process broker), on PostgreSQL with DATABASE_URL and a real broker (Mosquitto).
 */
describe(`esimctl serve on ${kind}`, () => {
  let db: Database | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'esim-serve-'));
  const env = () =>
    kind === 'pglite'
      ? { DATA_DIR: dataDir, PORT: '0', EMBEDDED_MQTT_PORT: '0', DATABASE_URL: '', MQTT_URL: '' }
      : { DATABASE_URL: db!.url, MQTT_URL: testMqttUrl(), PORT: '0' };

  beforeAll(async () => {
    if (kind === 'postgres') db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  it('starts, prints what it serves, is ready, and stops cleanly on SIGTERM', async () => {
    const serve = startEsimctl(['serve'], env());
    try {
      const [, api] = await serve.waitFor(/API\s+(http:\/\/\S+)/);
      await serve.waitFor(/MQTT\s+mqtt:\/\/\S+/);
      await serve.waitFor(kind === 'pglite' ? /Database\s+embedded PGlite/ : /Database\s+postgres:\/\//);
      const ready = await fetch(`${api}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'ready',
        checks: { database: { status: 'ok' }, broker: { status: 'ok' } },
      });
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });

  it('left the database migrated: `esimctl migrate` finds nothing to do', async () => {
    const migrate = startEsimctl(['migrate'], env());
    expect(await migrate.exited).toBe(0);
    expect(migrate.output()).toContain('database is up to date');
    const status = startEsimctl(['migrate', '--status'], env());
    expect(await status.exited).toBe(0);
    expect(status.output()).toMatch(/^applied {2}20261125_0001_core_model$/m);
    expect(status.output()).not.toMatch(/^pending/m);
  });

  it('stops at start-up on a bad setting with one line naming it, exit code 2', async () => {
    const serve = startEsimctl(['serve'], { ...env(), PORT: 'eighty' });
    expect(await serve.exited).toBe(2);
    expect(serve.output().trim()).toBe(
      'configuration: PORT is "eighty": expected an integer from 0 to 65535',
    );
  });
});
