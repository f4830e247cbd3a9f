import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esim/orchestrator/testing';
import { World } from './world.js';

/** FAILED and EXPIRED answers, an unreachable card, lost and duplicated notifications. */
describe(`SGP.02 faults on ${testDatabaseKind()}`, () => {
  let w: World;
  let eids: string[];
  beforeAll(async () => {
    w = await World.start(8, { recoveryAfterSeconds: 1 });
    eids = w.eids();
  });
  afterAll(() => w?.close());

  const same = async (eid: string) =>
    JSON.stringify(await w.inventory(eid)) === JSON.stringify(await w.simulated(eid));

  it('a FAILED answer fails the operation with its status codes and changes nothing', async () => {
    const eid = eids[0]!;
    const [, second] = w.iccids(eid);
    const before = await w.inventory(eid);
    await w.faults({ failNext: { status: 'FAILED', subject: '1.2', reason: '4.2', message: 'card busy' } });
    const { op } = await w.run(eid, 'enable', { iccid: second });
    expect(op.state).toBe('failed');
    expect(op.error).toMatchObject({
      code: 'sgp02_failed',
      details: { status: 'FAILED', subject: '1.2', reason: '4.2', message: 'card busy' },
    });
    expect(await w.inventory(eid)).toEqual(before);
    expect(await same(eid)).toBe(true);
  });

  it('an EXPIRED answer expires the operation', async () => {
    const eid = eids[0]!;
    const [, second] = w.iccids(eid);
    await w.faults({ failNext: { status: 'EXPIRED' } });
    const { op } = await w.run(eid, 'enable', { iccid: second });
    expect(op.state).toBe('expired');
    expect(op.error).toMatchObject({ code: 'sgp02_expired' });
    expect(await same(eid)).toBe(true);
  });

  it('an unreachable card is waited for within the ValidityPeriod, then EXPIRED', async () => {
    const eid = eids[1]!;
    const [, second] = w.iccids(eid);
    const before = await w.inventory(eid);
    await w.faults({ offline: [eid] });
    const { op } = await w.run(
      eid,
      'enable',
      { iccid: second },
      { validUntil: new Date(Date.now() + 1_900) },
    );
    expect(op.state).toBe('expired');
    expect(op.error).toMatchObject({ details: { subject: '1.6', reason: '5.3' } });
    expect(await w.inventory(eid)).toEqual(before);
    await w.faults({ online: [eid] });
    expect((await w.run(eid, 'enable', { iccid: second })).op.state).toBe('succeeded');
    expect(await w.until(() => same(eid))).toBe(true);
  });

  it('an operation past its validity is not sent at all', async () => {
    const eid = eids[2]!;
    const { op } = await w.run(
      eid,
      'enable',
      { iccid: w.iccids(eid)[1] },
      { validUntil: new Date(Date.now() - 1000) },
    );
    expect(op.state).toBe('failed');
    expect(op.error).toMatchObject({ code: 'expired' });
    expect(await w.knex('sgp02_requests').where({ operation_id: op.id })).toHaveLength(0);
  });

  it('lost notifications of a fallback are recovered by AuditEIS', async () => {
    const eid = eids[3]!;
    const [first, second] = w.iccids(eid);
    expect((await w.run(eid, 'setFallback', { iccid: second })).op.state).toBe('succeeded');
    expect(await w.until(() => same(eid))).toBe(true);
    // The enabled profile loses its network; the card falls back by itself and both
    // notifications (first disabled, second enabled) are lost on the way.
    await w.faults({ dropNotifications: 2 });
    expect((await w.faults({ loseNetwork: eid })).status).toBe(200);
    expect(w.smsr.fleet.get(eid)!.profiles.find((p) => p.iccid === second)!.state).toBe('Enabled');
    expect(await w.until(() => same(eid), 300)).toBe(false);
    expect((await w.inventory(eid)).find((p) => p.iccid === first)?.state).toBe('enabled');
    const { op } = await w.run(eid, 'audit', {});
    expect(op.state).toBe('succeeded');
    expect(await same(eid)).toBe(true);
    expect((await w.inventory(eid)).find((p) => p.iccid === second)?.state).toBe('enabled');
  });

  it('a notification delivered twice is applied once', async () => {
    const eid = eids[4]!;
    const [first, second] = w.iccids(eid);
    expect((await w.run(eid, 'setFallback', { iccid: second })).op.state).toBe('succeeded');
    expect(await w.until(() => same(eid))).toBe(true);
    const received = async (body: string) =>
      Number((await w.knex('sgp02_received').where({ body }).count<{ c: string }[]>('* as c'))[0]!.c);
    const disabled = await received('ES4-HandleProfileDisabledNotification');
    const enabled = await received('ES4-HandleProfileEnabledNotification');
    // The first notification (first disabled) arrives twice with the same MessageID, before the second.
    await w.faults({ duplicateNextNotification: true });
    await w.faults({ loseNetwork: eid });
    expect(
      await w.until(async () => (await received('ES4-HandleProfileEnabledNotification')) === enabled + 1),
    ).toBe(true);
    expect(await same(eid)).toBe(true);
    expect(await received('ES4-HandleProfileDisabledNotification')).toBe(disabled + 1);
    const changes = await w
      .knex('audit_log')
      .where({ entity_type: 'profile', entity_id: first, action: 'profile.state_changed' })
      .whereRaw(`reason->>'notification' = 'ES4-HandleProfileDisabledNotification'`);
    expect(changes).toHaveLength(1);
  });

  it('a lost answer is recovered by AuditEIS once the EIS shows the effect', async () => {
    const eid = eids[5]!;
    const [, second] = w.iccids(eid);
    await w.faults({ dropNextResponse: true, dropNotifications: 1 });
    const lost = await w.run(eid, 'enable', { iccid: second }, { waitMs: 300 });
    expect(lost.op.state).toBe('sent');
    // Not guessed: it ends only when an AuditEIS (about a second later) shows the profile enabled.
    const { op } = { op: await w.waitForEnd(lost.op.id, 10_000) };
    expect(op.state).toBe('succeeded');
    expect(op.result).toMatchObject({ recoveredBy: 'AuditEIS', iccid: second });
    expect(await same(eid)).toBe(true);
    const audits = await w
      .knex('sgp02_requests')
      .where({ eid, function: 'AuditEIS' })
      .whereNull('operation_id');
    expect(audits.length).toBeGreaterThanOrEqual(1);
  });

  it('a lost answer whose effect the EIS does not show stays sent', async () => {
    const eid = eids[6]!;
    const [, second] = w.iccids(eid);
    // The card refuses (POL2), and that answer is lost: the EIS shows nothing enabled.
    w.smsr.fleet.get(eid)!.profiles[0]!.pol2 = [{ action: 'DISABLE', qualification: 'Not-Allowed' }];
    await w.faults({ dropNextResponse: true });
    const { op } = await w.run(eid, 'enable', { iccid: second }, { waitMs: 2_500 });
    expect(op.state).toBe('sent');
    expect(
      await w.knex('sgp02_requests').where({ eid, function: 'AuditEIS' }).whereNull('operation_id'),
    ).not.toHaveLength(0);
  });
});
