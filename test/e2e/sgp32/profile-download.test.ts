import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esim/orchestrator/testing';
import { esipaTransport, type EsipaTransportName } from './support/esipa-transport.js';
import { Sgp32World } from './support/sgp32-world.js';
import { SmdppSimulator } from './support/smdpp-simulator.js';

const EID = '89049032123451234512345678901235';
const MATCHING_ID = 'TS48_V7.0_eSIM_GTP_SAIP2.3_NoBERTLV';
/** The ICCID in the ProfileHeader of that TS.48 package. */
const ICCID = '89000123456789012341';

const WAYS: { way: string; transport: EsipaTransportName; direct: boolean }[] = [
  { way: 'indirect, ESipa over HTTP', transport: 'http', direct: false },
  { way: 'direct, the IPA on ES9+', transport: 'http', direct: true },
  { way: 'indirect, ESipa over CoAP', transport: 'coap', direct: false },
  { way: 'indirect, ESipa over MQTT', transport: 'mqtt', direct: false },
];

/**
 * A real profile download: the orchestrator's download operation becomes a
 * ProfileDownloadTriggerRequest; the simulated IPA runs ES9+ with the SM-DP+ simulator (`esimctl sim
 * smdpp`, its own process), through the eIM's ESipa relay (indirect) or itself (`--download direct`:
 * the eIM sees only the trigger and its result); the card deciphers and installs the Bound Profile
 * Package; the signed ProfileInstallationResult ends the operation and reaches the inventory.
 */
describe.each(WAYS)(`SGP.32 profile download ($way) on ${testDatabaseKind()}`, ({ transport, direct }) => {
  const esipa = esipaTransport(transport);
  const world = new Sgp32World('eim.download.test', {
    ...esipa,
    config: { ...esipa.config, ES9PLUS_SCHEME: 'http', ES9PLUS_TIMEOUT_MS: '20000' },
    simArgs: [...esipa.simArgs, ...(direct ? ['--download', 'direct', '--smdp-scheme', 'http'] : [])],
  });
  const smdpp = new SmdppSimulator();

  beforeAll(async () => {
    await smdpp.start();
    await world.start();
    await world.app.db.knex('euiccs').insert({ eid: EID, stack: 'sgp32' });
  }, 120_000);
  afterAll(async () => {
    await world.stop();
    await smdpp.stop();
  });

  it('installs the TS.48 profile on the card, Disabled, and in the inventory', async () => {
    const id = await world.run(EID, 'download', { activationCode: smdpp.activationCode(MATCHING_ID) });
    expect(await world.poll()).toEqual([{ eid: EID, ok: true }]);
    expect(await world.operations.get(id)).toMatchObject({ state: 'succeeded' });
    const device = (await world.devices())[0]!;
    expect(device.profiles.find((p) => p.iccid === ICCID)).toMatchObject({ state: 'disabled' });
    expect(await world.app.db.knex('profiles').where({ iccid: ICCID }).first('eid', 'state')).toMatchObject({
      eid: EID,
    });
    const smdp = await smdpp.status();
    expect(smdp.downloads).toEqual([expect.objectContaining({ eid: EID, iccid: ICCID })]);
    // The installation result reached the SM-DP+ once: from the IPA (direct) or forwarded by the
    // eIM (ES9+' HandleNotification).
    expect(smdp.notifications).toBe(1);
    const relayed = await world.app.db.knex('eim_relay_sessions').where({ eid: EID }).select('state');
    expect(relayed).toEqual(direct ? [] : [{ state: 'done' }]);
  });

  it('a matching ID the SM-DP+ does not know: the operation fails, nothing is installed', async () => {
    const before = (await world.devices())[0]!.profiles.length;
    const id = await world.run(EID, 'download', { activationCode: smdpp.activationCode('NO-SUCH-PROFILE') });
    expect(await world.poll()).toEqual([{ eid: EID, ok: true }]);
    expect(await world.operations.get(id)).toMatchObject({
      state: 'failed',
      error: { code: 'profileDownloadErrorReason=127' },
    });
    expect((await world.devices())[0]!.profiles).toHaveLength(before);
  });
});
