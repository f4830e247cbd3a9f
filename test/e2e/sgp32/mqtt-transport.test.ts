import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabaseKind, testMqttUrl } from '@esim/orchestrator/testing';
import { esipaTransport } from './support/esipa-transport.js';
import { Sgp32World } from './support/sgp32-world.js';

const EID = '89049032123451234512345678901235';

/**
 * The device on MQTT v5 through the real broker (Mosquitto, TEST_MQTT_URL) on both databases; the
 * eIM behind its shared subscription.
 */
describe(`SGP.32 eIM over ESipa MQTT on ${testDatabaseKind()}`, () => {
  const transport = esipaTransport('mqtt');
  const topic = transport.config.ESIPA_MQTT_TOPIC!;
  const world = new Sgp32World('eim.mqtt.test', transport);
  beforeAll(async () => {
    await world.start();
    await world.app.db.knex('euiccs').insert({ eid: EID, stack: 'sgp32' });
  }, 120_000);
  afterAll(() => world.stop());

  it('audits, then enables a profile, with certificates learned on the way', async () => {
    expect(world.app.urls.esipaMqtt).toBe(`${testMqttUrl()}/${topic}`);
    await world.expectAuditThenEnable(EID);
  });

  it('wakes the device when a package is queued: it polls at once, not at its next interval', async () => {
    const [device] = await world.devices();
    const enabled = device!.profiles.find((p) => p.state === 'enabled')!;
    const other = device!.profiles.find((p) => p.state === 'disabled' && !p.fallbackAttribute)!;
    // The simulator polls every hour: only the wake-up on <topic>/<EID>/wake makes this complete.
    const enable = await world.run(EID, 'enable', { iccid: other.iccid });
    await vi.waitFor(async () => expect(await world.state(enable)).toBe('succeeded'), {
      timeout: 15_000,
      interval: 100,
    });
    const now = (await world.devices())[0]!;
    expect(now.profiles.find((p) => p.iccid === other.iccid)?.state).toBe('enabled');
    expect(now.profiles.find((p) => p.iccid === enabled.iccid)?.state).toBe('disabled');
  });
});
