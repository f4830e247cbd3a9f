import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBroker, type Broker } from '../src/broker/broker.js';
import type { Database } from '../src/db/database.js';
import { buildServer } from '../src/http/server.js';
import { openTestDatabase, testDatabaseKind } from './support/database.js';
import { testMqttUrl } from './support/broker.js';

const logger = pino({ level: 'silent' });

describe(`health and readiness on ${testDatabaseKind()}`, () => {
  let db: Database;
  let broker: Broker;
  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    broker = await openBroker({ url: testMqttUrl() }, `esim-health-test-${process.pid}`);
    await broker.ready(5000);
  });
  afterAll(async () => {
    await broker?.close();
    await db?.close();
  });

  it('is live and ready when database and broker answer', async () => {
    const app = await buildServer({ db, broker, logger });
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { database: { status: 'ok' }, broker: { status: 'ok' } },
    });
    await app.close();
  });

  it('is not ready, and says why, when the broker is unreachable', async () => {
    const dead = await openBroker({ url: 'mqtt://127.0.0.1:1' }, `esim-health-dead-${process.pid}`);
    const app = await buildServer({ db, broker: dead, logger });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: 'not_ready',
      checks: {
        database: { status: 'ok' },
        broker: { status: 'failing', error: 'MQTT broker mqtt://127.0.0.1:1 not reachable' },
      },
    });
    // Liveness does not depend on the dependencies.
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    await app.close();
    await dead.close();
  });

  it('is not ready when the database is gone', async () => {
    const gone = await openTestDatabase();
    await gone.close();
    const app = await buildServer({ db: gone, broker, logger });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.database.status).toBe('failing');
    expect(ready.json().checks.broker.status).toBe('ok');
    await app.close();
  });

  it('answers unknown routes with the common error shape', async () => {
    const app = await buildServer({ db, broker, logger });
    const res = await app.inject('/nope?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route GET /nope' });
    await app.close();
  });
});

describe('embedded MQTT broker', () => {
  it('starts on a free port and accepts our connection', async () => {
    const broker = await openBroker(
      { embedded: { host: '127.0.0.1', port: 0 } },
      `esim-embedded-test-${process.pid}`,
    );
    expect(broker.embedded).toBe(true);
    expect(broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    await broker.ready(5000);
    const got = new Promise<string>((resolve) =>
      broker.client.once('message', (_t, payload) => resolve(payload.toString())),
    );
    await broker.client.subscribeAsync('esim/test');
    await broker.client.publishAsync('esim/test', 'hello');
    expect(await got).toBe('hello');
    await broker.close();
  });
});
