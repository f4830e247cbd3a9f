import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { request as coapRequest } from 'coap';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, encode, EsipaMessageFromEimToIpa, EsipaMessageFromIpaToEim } from '@esim/asn1';
import { fromHex } from '@esim/eim';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import type { Database } from '../../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { testMqttUrl } from '../support/broker.js';
import { writeTlsTestPki } from './support/tls-pki.js';

const kind = testDatabaseKind();
const headers = { 'content-type': 'application/x-gsma-rsp-asn1', 'x-admin-protocol': 'gsma/rsp/v2.1.0' };
const poll = encode(EsipaMessageFromIpaToEim, {
  getEimPackageRequest: { eidValue: fromHex('89049032123451234512345678901235') },
});

/** The sgp32 module inside the product: where ESipa is served, and the configuration it refuses. */
describe(`sgp32 module on ${kind}`, () => {
  let db: Database | undefined;
  beforeAll(async () => {
    if (kind === 'postgres') db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  const env = (extra: Record<string, string> = {}) => ({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'esim-sgp32-module-')),
    PORT: '0',
    LOG_LEVEL: 'info',
    ...(kind === 'pglite' ? { EMBEDDED_MQTT_PORT: '0' } : { DATABASE_URL: db!.url, MQTT_URL: testMqttUrl() }),
    ...extra,
  });
  /** A logger whose lines the test can read. */
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _e, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    return { lines, logger: pino({ level: 'info' }, stream) };
  };

  it('serves ESipa on the API port by default', async () => {
    const app = await startApp(loadConfig(env()), pino({ level: 'silent' }));
    try {
      const res = await fetch(`${app.urls.api}/gsma/rsp2/asn1`, { method: 'POST', headers, body: poll });
      expect(res.status).toBe(200);
      expect(decode(EsipaMessageFromEimToIpa, new Uint8Array(await res.arrayBuffer()))).toEqual({
        getEimPackageResponse: { eimPackageError: 2 },
      });
    } finally {
      await app.close();
    }
  });

  it('serves ESipa over CoAP and over MQTT when configured, and says where', async () => {
    const topic = `esipa-module/${randomBytes(4).toString('hex')}`;
    const { lines, logger } = capture();
    const app = await startApp(
      loadConfig(env({ ESIPA_COAP_PORT: '0', ESIPA_MQTT: 'true', ESIPA_MQTT_TOPIC: topic })),
      logger,
    );
    const device = await mqtt.connectAsync(app.urls.mqtt, { protocolVersion: 4, reconnectPeriod: 0 });
    try {
      expect(app.urls.esipaCoap).toMatch(/^coap:\/\/127\.0\.0\.1:\d+\/gsma\/rsp2\/asn1$/);
      expect(app.urls.esipaMqtt).toBe(`${app.urls.mqtt}/${topic}`);
      expect(lines.find((l) => l.msg === 'eIM serving ESipa')).toMatchObject({
        esipaCoap: app.urls.esipaCoap,
        esipaMqtt: app.urls.esipaMqtt,
      });
      const coap = new URL(app.urls.esipaCoap!);
      const overCoap = await new Promise<Buffer>((resolve, reject) => {
        const req = coapRequest({
          hostname: coap.hostname,
          port: Number(coap.port),
          pathname: coap.pathname,
          method: 'POST',
          contentFormat: 42,
        });
        req.on('response', (res) => resolve(res.payload));
        req.on('error', reject);
        req.end(Buffer.from(poll));
      });
      const eid = '89049032123451234512345678901235';
      await device.subscribeAsync(`${topic}/${eid}/down`, { qos: 1 });
      const down = new Promise<Buffer>((resolve) =>
        device.once('message', (_t, payload) => resolve(payload)),
      );
      await device.publishAsync(`${topic}/${eid}/up`, Buffer.from(poll), { qos: 1 });
      for (const answer of [overCoap, await down])
        expect(decode(EsipaMessageFromEimToIpa, new Uint8Array(answer))).toEqual({
          getEimPackageResponse: { eimPackageError: 2 },
        });
    } finally {
      await device.endAsync();
      await app.close();
    }
  });

  it('serves ESipa on ESIPA_PORT over TLS, and not on the API port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esim-sgp32-tls-'));
    const pki = await writeTlsTestPki(dir);
    const { lines, logger } = capture();
    const app = await startApp(
      loadConfig(
        env({ ESIPA_PORT: '0', ESIPA_TLS_CERT_FILE: pki.certFile, ESIPA_TLS_KEY_FILE: pki.keyFile }),
      ),
      logger,
    );
    try {
      const esipa = lines.find((l) => l.msg === 'eIM serving ESipa')?.esipa as string;
      expect(esipa).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/gsma\/rsp2\/asn1$/);
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(esipa, { method: 'POST', headers, ca: pki.caPem }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end(Buffer.from(poll));
      });
      expect(status).toBe(200);
      expect(
        (await fetch(`${app.urls.api}/gsma/rsp2/asn1`, { method: 'POST', headers, body: poll })).status,
      ).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('refuses TLS files without ESIPA_PORT, and one TLS file without the other', async () => {
    await expect(
      startApp(
        loadConfig(env({ ESIPA_TLS_CERT_FILE: 'a.pem', ESIPA_TLS_KEY_FILE: 'b.pem' })),
        pino({ level: 'silent' }),
      ),
    ).rejects.toThrow(/needs ESIPA_PORT/);
    await expect(
      startApp(loadConfig(env({ ESIPA_PORT: '0', ESIPA_TLS_CERT_FILE: 'a.pem' })), pino({ level: 'silent' })),
    ).rejects.toThrow(/ESIPA_TLS_KEY_FILE and ESIPA_TLS_CERT_FILE must be set together/);
  });
});
