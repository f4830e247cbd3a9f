import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esim/orchestrator/testing';
import { World } from './world.js';

/** A fleet at once: operations on many eUICCs in parallel, answers and notifications interleaved. */
describe(`SGP.02 fleet in parallel on ${testDatabaseKind()}`, () => {
  let w: World;
  beforeAll(async () => {
    w = await World.start(16);
  });
  afterAll(() => w?.close());

  const allMatch = async () => {
    for (const eid of w.eids())
      if (JSON.stringify(await w.inventory(eid)) !== JSON.stringify(await w.simulated(eid))) return false;
    return true;
  };

  it('enables, then sets the fallback, on every eUICC at once', async () => {
    const eids = w.eids();
    const enabled = await Promise.all(eids.map((eid) => w.run(eid, 'enable', { iccid: w.iccids(eid)[1] })));
    expect(enabled.map((r) => r.op.state)).toEqual(eids.map(() => 'succeeded'));
    const fallback = await Promise.all(
      eids.map((eid) => w.run(eid, 'setFallback', { iccid: w.iccids(eid)[1] })),
    );
    expect(fallback.map((r) => r.op.state)).toEqual(eids.map(() => 'succeeded'));
    expect(await w.until(allMatch, 10_000)).toBe(true);
    // Each operation answered once, each notification applied once.
    const answered = await w
      .knex('sgp02_requests')
      .whereNotNull('answered_at')
      .count<{ c: string }[]>('* as c');
    expect(Number(answered[0]!.c)).toBe(eids.length * 2);
  });

  it('audits every eUICC at once, with the inventory unchanged', async () => {
    const max = (await w.knex('audit_log').max<{ max: string }[]>('id as max'))[0]!.max;
    const audits = await Promise.all(w.eids().map((eid) => w.run(eid, 'audit', {})));
    expect(audits.every((r) => r.op.state === 'succeeded')).toBe(true);
    expect(await allMatch()).toBe(true);
    // Only the operations' own lifecycle is audited: the EIS confirmed every profile as it was.
    const profileChanges = await w
      .knex('audit_log')
      .where('id', '>', max)
      .andWhere({ entity_type: 'profile' });
    expect(profileChanges).toEqual([]);
    expect(
      await w.knex('audit_log').where('id', '>', max).andWhere({ entity_type: 'operation' }),
    ).not.toEqual([]);
  });
});
