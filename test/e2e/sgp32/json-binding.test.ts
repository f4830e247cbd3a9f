import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esim/orchestrator/testing';
import { Sgp32World } from './support/sgp32-world.js';

const EID = '89049032123451234512345678901235';

/** The same device over the JSON binding (`--binding json`): base64 DER in, base64 DER out. */
describe(`SGP.32 eIM over the ESipa JSON binding on ${testDatabaseKind()}`, () => {
  const world = new Sgp32World('eim.json.test');
  beforeAll(async () => {
    await world.start(['--binding', 'json']);
    await world.app.db.knex('euiccs').insert({ eid: EID, stack: 'sgp32' });
  }, 120_000);
  afterAll(() => world.stop());

  it('audits, then enables a profile, with certificates learned on the way', async () => {
    const [device] = await world.devices();
    const audit = await world.run(EID, 'audit', {});
    expect(await world.poll()).toEqual([{ eid: EID, ok: true }]);
    expect(await world.state(audit)).toBe('succeeded');
    const disabled = device!.profiles.find((p) => p.state === 'disabled' && !p.fallbackAttribute)!;
    const enable = await world.run(EID, 'enable', { iccid: disabled.iccid });
    expect(await world.poll()).toEqual([{ eid: EID, ok: true }]);
    expect(await world.state(enable)).toBe('succeeded');
    const after = (await world.devices())[0]!.profiles.find((p) => p.iccid === disabled.iccid);
    expect(after?.state).toBe('enabled');
    expect(await world.app.db.knex('profiles').where({ iccid: disabled.iccid }).first('state')).toEqual({
      state: 'enabled',
    });
  });
});
