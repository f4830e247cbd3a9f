import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esim/orchestrator/testing';
import { Sgp32World } from './support/sgp32-world.js';

const EIM_ID = 'eim.fleet.test';

/**
 * A fleet of simulated devices with a generated CI -> EUM -> eUICC chain, kept where the eIM
 * looks for the simulators' CI by default (DATA_DIR/simulators/pki): the eIM trusts it without
 * configuration, although the simulator creates it after the eIM started.
 */
describe(`SGP.32 eIM with a generated fleet on ${testDatabaseKind()}`, () => {
  const world = new Sgp32World(EIM_ID);
  beforeAll(
    () => world.start(['--count', '3', '--pki-dir', join(world.dataDir, 'simulators', 'pki')]),
    120_000,
  );
  afterAll(() => world.stop());

  it('audits every device of the fleet, each chain verified against the generated CI', async () => {
    const devices = await world.devices();
    expect(devices).toHaveLength(3);
    const ids: string[] = [];
    for (const d of devices) {
      await world.app.db.knex('euiccs').insert({ eid: d.eid, stack: 'sgp32' });
      ids.push(await world.run(d.eid, 'audit', {}));
    }
    expect((await world.poll()).map((d) => d.ok)).toEqual([true, true, true]);
    for (const id of ids) expect(await world.state(id)).toBe('succeeded');
    for (const d of devices) {
      const rows = (await world.app.db
        .knex('profiles')
        .where({ eid: d.eid })
        .orderBy('iccid')
        .select('iccid', 'state')) as { iccid: string; state: string }[];
      const expected = d.profiles.map((p) => ({ iccid: p.iccid, state: p.state }));
      expect(rows).toEqual(expected.sort((a, b) => a.iccid.localeCompare(b.iccid)));
    }
    expect(await world.app.db.knex('eim_rejected_results').select('reason')).toEqual([]);
  });
});
