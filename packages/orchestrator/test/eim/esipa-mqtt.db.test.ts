import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decode, EsipaMessageFromEimToIpa } from '@esim/asn1';
import { ESIPA_MQTT_ERROR_PROPERTY, EsipaMqttEndpoint } from '@esim/eim';
import type { Database } from '../../src/db/database.js';
import { testMqttUrl } from '../support/broker.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { EIM_ID, startEim, type EimFixture } from './support/eim-fixture.js';
import { eidWithCheckDigits, ipa, SGP26_EID } from './support/test-euicc.js';

const EID = SGP26_EID;
const OTHER = eidWithCheckDigits('890490321234512345123456789999');

interface Received {
  topic: string;
  payload: Buffer;
  correlation?: string;
  error?: unknown;
}

const connect = (protocolVersion: 4 | 5): Promise<MqttClient> =>
  mqtt.connectAsync(testMqttUrl(), { protocolVersion, reconnectPeriod: 0 });

/** Against the real broker (Mosquitto): MQTT v5 with shared subscriptions, and 3.1.1 devices. */
describe(`ESipa over MQTT on ${testDatabaseKind()}`, () => {
  // One prefix per run: test files of both database kinds share the broker.
  const prefix = `esipa-test/${randomBytes(4).toString('hex')}`;
  let db: Database;
  let f: EimFixture & { dataDir: string };
  let handlers: EimFixture['handler'][];
  let eimClients: MqttClient[];
  let endpoints: EsipaMqttEndpoint[];
  let device: MqttClient;
  let legacy: MqttClient;
  const received: Received[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    f = await startEim(db.knex);
    await f.store.associate(EIM_ID, EID);
    await f.store.associate(EIM_ID, OTHER);
    eimClients = [await connect(5), await connect(5)];
    // Two instances of the eIM on one database, as two orchestrators would be.
    handlers = [f.handler, (await startEim(db.knex, { dataDir: f.dataDir })).handler];
    endpoints = eimClients.map(
      (client, i) =>
        new EsipaMqttEndpoint({
          handler: handlers[i]!,
          client,
          prefix,
          shareGroup: 'eim',
          bodyLimit: 4096,
          onError: (e) => errors.push(e),
        }),
    );
    for (const e of endpoints) await e.start();
    device = await connect(5);
    legacy = await connect(4);
    for (const c of [device, legacy]) {
      await c.subscribeAsync(`${prefix}/+/+`, { qos: 1 });
      c.on('message', (topic, payload, packet) => {
        if (topic.endsWith('/up')) return;
        const correlation = packet.properties?.correlationData?.toString('hex');
        const error = packet.properties?.userProperties?.[ESIPA_MQTT_ERROR_PROPERTY];
        received.push({
          topic,
          payload,
          ...(correlation ? { correlation } : {}),
          ...(error ? { error } : {}),
        });
      });
    }
  });
  afterAll(async () => {
    for (const e of endpoints ?? []) await e.close();
    for (const c of [...(eimClients ?? []), device, legacy]) await c?.endAsync();
    await db?.close();
  });

  /** Publishes as the device of `eid` and waits for the answer to this request. */
  const exchange = async (eid: string, payload: Uint8Array, client = device): Promise<Received> => {
    const correlation = randomBytes(8);
    const v5 = client === device;
    const at = received.length;
    await client.publishAsync(`${prefix}/${eid}/up`, Buffer.from(payload), {
      qos: 1,
      ...(v5
        ? { properties: { responseTopic: `${prefix}/${eid}/answer`, correlationData: correlation } }
        : {}),
    });
    await vi.waitFor(
      () => {
        const hit = received
          .slice(at)
          .find((r) => (v5 ? r.correlation === correlation.toString('hex') : !r.topic.endsWith('/answer')));
        if (!hit) throw new Error('no answer yet');
      },
      { timeout: 5000, interval: 20 },
    );
    return received.slice(at).find((r) => (v5 ? r.correlation === correlation.toString('hex') : true))!;
  };
  const decodeAnswer = (r: Received) => decode(EsipaMessageFromEimToIpa, new Uint8Array(r.payload));

  it('answers an MQTT v5 request on its response topic, with its correlation data', async () => {
    const r = await exchange(EID, ipa.getEimPackage(EID));
    expect(r.topic).toBe(`${prefix}/${EID}/answer`);
    expect(r.error).toBeUndefined();
    expect(decodeAnswer(r)).toEqual({ getEimPackageResponse: { eimPackageError: 1 } });
  });

  it('answers an MQTT 3.1.1 request on <prefix>/<EID>/down, and its errors on .../error', async () => {
    const r = await exchange(EID, ipa.getEimPackage(EID), legacy);
    expect(r.topic).toBe(`${prefix}/${EID}/down`);
    expect(decodeAnswer(r)).toEqual({ getEimPackageResponse: { eimPackageError: 1 } });
    const bad = await exchange(EID, Uint8Array.of(1, 2, 3), legacy);
    expect(bad.topic).toBe(`${prefix}/${EID}/error`);
    expect(bad.payload.toString()).toMatch(/^malformed: /);
  });

  it('refuses a message that names another EID than its topic, changing nothing', async () => {
    const events = f.events.length;
    const r = await exchange(EID, ipa.getEimPackage(OTHER));
    expect(r.error).toBe('eidMismatch');
    expect(r.payload.toString()).toMatch(new RegExp(`names EID ${OTHER}, not its sender ${EID}`));
    // A package result for another device is refused before it is read.
    const result = await exchange(
      EID,
      ipa.provideResult(OTHER, { eimPackageResultResponseError: { eimPackageResultErrorCode: 2 } }),
    );
    expect(result.error).toBe('eidMismatch');
    expect(f.events).toHaveLength(events);
    expect(await f.store.listRejections()).toHaveLength(0);
  });

  it('refuses bad bytes, a topic without an EID and an oversized request with typed errors', async () => {
    expect((await exchange(EID, Uint8Array.of(0xbf, 0x4f, 0x05, 0x01))).error).toBe('malformed');
    expect((await exchange('not-an-eid', ipa.getEimPackage(EID))).error).toBe('malformed');
    expect((await exchange(EID, new Uint8Array(5000))).error).toBe('tooLarge');
    expect(errors).toEqual([]);
  });

  it('answers only under the device topic: another response topic gets nothing', async () => {
    const at = received.length;
    await device.publishAsync(`${prefix}/${EID}/up`, Buffer.from(ipa.getEimPackage(EID)), {
      qos: 1,
      properties: { responseTopic: `${prefix}/${OTHER}/answer`, correlationData: randomBytes(8) },
    });
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5000, interval: 20 });
    expect(received.slice(at)).toEqual([]);
    errors.length = 0;
  });

  it('splits the requests among the instances of the share group, each answered once', async () => {
    const spies = handlers.map((h) => vi.spyOn(h, 'handle'));
    const answers = await Promise.all(Array.from({ length: 8 }, () => exchange(EID, ipa.getEimPackage(EID))));
    expect(answers.every((a) => a.error === undefined)).toBe(true);
    const calls = spies.map((s) => s.mock.calls.length);
    for (const s of spies) s.mockRestore();
    expect(calls[0]! + calls[1]!).toBe(8);
    expect(calls.every((n) => n > 0)).toBe(true);
    expect(new Set(answers.map((a) => a.correlation)).size).toBe(8);
  });

  it('wakes a device with an empty message on <prefix>/<EID>/wake', async () => {
    const at = received.length;
    await endpoints[0]!.wake(EID);
    await vi.waitFor(
      () => expect(received.slice(at).map((r) => r.topic)).toContain(`${prefix}/${EID}/wake`),
      {
        timeout: 5000,
        interval: 20,
      },
    );
  });
});
