import { afterAll, beforeAll, describe, it } from 'vitest';
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
    await world.expectAuditThenEnable(EID);
  });
});
