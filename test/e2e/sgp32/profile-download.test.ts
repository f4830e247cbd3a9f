import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEsimctl, testDatabaseKind, type RunningCli } from '@esim/orchestrator/testing';
import { Sgp32World } from './support/sgp32-world.js';

const EID = '89049032123451234512345678901235';
const MATCHING_ID = 'TS48_V7.0_eSIM_GTP_SAIP2.3_NoBERTLV';
/** The ICCID in the ProfileHeader of that TS.48 package. */
const ICCID = '89000123456789012341';

/**
 * A real indirect profile download: the orchestrator's download operation becomes a
 * ProfileDownloadTriggerRequest; the simulated IPA runs ES9+ through the eIM's ESipa relay to the
 * SM-DP+ simulator (`esimctl sim smdpp`, its own process), whose Bound Profile Package the card
 * deciphers and installs; the signed ProfileInstallationResult ends the operation and reaches the
 * inventory.
 */
describe(`SGP.32 indirect profile download from the SM-DP+ simulator on ${testDatabaseKind()}`, () => {
  const world = new Sgp32World('eim.download.test', {
    config: { ES9PLUS_SCHEME: 'http', ES9PLUS_TIMEOUT_MS: '20000' },
  });
  let smdpp: RunningCli;
  let address: string;
  let admin: string;

  beforeAll(async () => {
    smdpp = startEsimctl(['sim', 'smdpp', '--port', '0']);
    const ready = await smdpp.waitFor(/ES9\+ (http:\/\/\S+)\/gsma\S* address (\S+);/, 60_000);
    [admin, address] = [ready[1]!, ready[2]!];
    await world.start();
    await world.app.db.knex('euiccs').insert({ eid: EID, stack: 'sgp32' });
  }, 120_000);
  afterAll(async () => {
    await world.stop();
    await smdpp?.stop();
  });

  it('installs the TS.48 profile on the card, Disabled, and in the inventory', async () => {
    const id = await world.run(EID, 'download', { activationCode: `1$${address}$${MATCHING_ID}` });
    expect(await world.poll()).toEqual([{ eid: EID, ok: true }]);
    expect(await world.operations.get(id)).toMatchObject({ state: 'succeeded' });
    const device = (await world.devices())[0]!;
    expect(device.profiles.find((p) => p.iccid === ICCID)).toMatchObject({ state: 'disabled' });
    expect(await world.app.db.knex('profiles').where({ iccid: ICCID }).first('eid', 'state')).toMatchObject({
      eid: EID,
    });
    const smdp = (await (await fetch(`${admin}/sim/smdpp`)).json()) as {
      downloads: { eid: string; iccid: string }[];
      notifications: number;
    };
    expect(smdp.downloads).toEqual([expect.objectContaining({ eid: EID, iccid: ICCID })]);
    // The eIM forwarded the card's installation result to the SM-DP+ (ES9+' HandleNotification).
    expect(smdp.notifications).toBe(1);
  });

  it('a matching ID the SM-DP+ does not know: the operation fails, nothing is installed', async () => {
    const before = (await world.devices())[0]!.profiles.length;
    const id = await world.run(EID, 'download', { activationCode: `1$${address}$NO-SUCH-PROFILE` });
    expect(await world.poll()).toEqual([{ eid: EID, ok: true }]);
    expect(await world.operations.get(id)).toMatchObject({
      state: 'failed',
      error: { code: 'profileDownloadErrorReason=127' },
    });
    expect((await world.devices())[0]!.profiles).toHaveLength(before);
  });
});
