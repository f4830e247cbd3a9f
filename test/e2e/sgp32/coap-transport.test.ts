import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esim/orchestrator/testing';
import { esipaTransport } from './support/esipa-transport.js';
import { Sgp32World } from './support/sgp32-world.js';

const EID = '89049032123451234512345678901235';

/** The device polls over CoAP (`--eim coap://...`): the same DER, in Block1/Block2 blocks where large. */
describe(`SGP.32 eIM over ESipa CoAP on ${testDatabaseKind()}`, () => {
  const world = new Sgp32World('eim.coap.test', esipaTransport('coap'));
  beforeAll(async () => {
    await world.start();
    await world.app.db.knex('euiccs').insert({ eid: EID, stack: 'sgp32' });
  }, 120_000);
  afterAll(() => world.stop());

  it('audits, then enables a profile, with the certificates (over one block) learned on the way', async () => {
    await world.expectAuditThenEnable(EID);
    // The IpaEuiccDataResponse with both certificates went out block-wise and was verified.
    const stored = await world.app.db
      .knex('eim_euicc_certificates')
      .where({ eid: EID })
      .first('euicc_certificate', 'eum_certificate');
    expect(stored.euicc_certificate.length + stored.eum_certificate.length).toBeGreaterThan(1024);
  });
});
