import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esim/orchestrator/testing';
import { SMDP, World } from './world.js';

/**
 * Profile management routed over ES2, as an MNO does: operation -> adapter -> ES2 to the SM-DP
 * simulator -> ES3 to the SM-SR simulator -> the card; answers and notifications back over ES3
 * and ES2 to our endpoint -> inventory. Each ends with the inventory matching the SM-SR's EIS.
 */
describe(`SGP.02 profile management through the SM-DP (ES2) on ${testDatabaseKind()}`, () => {
  let w: World;
  beforeAll(async () => {
    w = await World.start(9, { route: 'ES2', recoveryAfterSeconds: 1 });
  });
  afterAll(() => w?.close());

  const requestOf = (operationId: string) =>
    w.knex('sgp02_requests').where({ operation_id: operationId }).first();
  const es3Trail = (eid: string) =>
    w.smsr.fleet
      .get(eid)!
      .auditTrail.filter((r) => r.requesterId === SMDP)
      .map((r) => r.operationType);

  it('enables a profile through the SM-DP: ES2, relayed as ES3, notified back over ES2', async () => {
    const eid = w.eids()[0]!;
    const [first, second] = w.iccids(eid);
    const { op, dispatched } = await w.run(eid, 'enable', { iccid: second });
    expect(dispatched.status).toBe('sent');
    expect(op.state).toBe('succeeded');
    expect(op.result).toMatchObject({ iccid: second, executionStatus: 'EXECUTED_SUCCESS' });
    expect(await requestOf(op.id)).toMatchObject({
      interface: 'ES2',
      function: 'EnableProfile',
      platform_id: 'smdp-1',
    });
    expect(es3Trail(eid)).toEqual(['ES3-EnableProfile']);
    await w.expectInventoryMatches(eid);
    const states = Object.fromEntries((await w.inventory(eid)).map((p) => [p.iccid, p.state]));
    expect(states).toEqual({ [first!]: 'disabled', [second!]: 'enabled' });
    expect(await w.received('ES2-HandleProfileEnabledNotification')).toBe(true);
  });

  it('disables a profile through the SM-DP: the eUICC falls back', async () => {
    const eid = w.eids()[1]!;
    const [first, second] = w.iccids(eid);
    expect((await w.run(eid, 'enable', { iccid: second })).op.state).toBe('succeeded');
    const { op } = await w.run(eid, 'disable', { iccid: second });
    expect(op.state).toBe('succeeded');
    expect(await requestOf(op.id)).toMatchObject({ interface: 'ES2', function: 'DisableProfile' });
    await w.expectInventoryMatches(eid);
    expect((await w.inventory(eid)).find((p) => p.iccid === first)?.state).toBe('enabled');
  });

  it('deletes a profile through the SM-DP (ES3 DeleteISDP)', async () => {
    const eid = w.eids()[2]!;
    const [, second] = w.iccids(eid);
    const { op } = await w.run(eid, 'delete', { iccid: second });
    expect(op.state).toBe('succeeded');
    expect(es3Trail(eid)).toEqual(['ES3-DeleteISDP']);
    await w.expectInventoryMatches(eid);
    expect((await w.knex('profiles').where({ iccid: second }).first()).state).toBe('deleted');
  });

  it('updates the subscription address through the SM-DP, synchronously', async () => {
    const eid = w.eids()[3]!;
    const [first] = w.iccids(eid);
    const { op, dispatched } = await w.run(eid, 'updateSubscriptionAddress', {
      iccid: first,
      msisdn: '491700000043',
      imsi: '262019999999998',
    });
    expect(dispatched.status).toBe('succeeded');
    expect(op.state).toBe('succeeded');
    expect(es3Trail(eid)).toEqual(['ES3-UpdateSubscriptionAddress']);
    await w.expectInventoryMatches(eid);
    expect((await w.inventory(eid)).find((p) => p.iccid === first)).toMatchObject({
      msisdn: '491700000043',
      imsi: '262019999999998',
    });
  });

  it('a POL2 refusal of the SM-SR arrives through the SM-DP as a failed operation with its reason', async () => {
    const eid = w.eids()[4]!;
    const [first, second] = w.iccids(eid);
    const rules = await w.run(eid, 'updatePolicyRules', {
      iccid: first,
      pol2: [{ action: 'DISABLE', qualification: 'Not-Allowed' }],
    });
    expect(rules.op.state).toBe('succeeded');
    expect(w.smsr.fleet.get(eid)!.profiles[0]!.pol2).toEqual([
      { action: 'DISABLE', qualification: 'Not-Allowed' },
    ]);
    const before = await w.inventory(eid);
    const refused = await w.run(eid, 'enable', { iccid: second });
    expect(refused.op.state).toBe('failed');
    expect(refused.op.error).toMatchObject({
      code: 'sgp02_failed',
      details: { status: 'FAILED', subject: '8.2.3', reason: '3.8' },
    });
    expect(await w.inventory(eid)).toEqual(before);
    await w.expectInventoryMatches(eid);
  });

  it('audits through the SM-DP: its profiles take the EIS, a profile it does not hold is left alone', async () => {
    const eid = w.eids()[5]!;
    const [first, second] = w.iccids(eid);
    // The first profile was loaded at manufacture: the SM-DP neither holds nor sees it.
    w.smsr.fleet.get(eid)!.profiles[0]!.smdpId = undefined;
    await w.knex('profiles').where({ iccid: first }).update({ platform_id: null });
    // Drift the inventory behind the stack's back.
    await w.knex('profiles').where({ iccid: second }).update({ state: 'deleted' });
    const { op } = await w.run(eid, 'audit', {});
    expect(op.state).toBe('succeeded');
    expect(await requestOf(op.id)).toMatchObject({ interface: 'ES2', function: 'AuditEIS' });
    expect((op.result as { profiles: { iccid: string }[] }).profiles.map((p) => p.iccid)).toEqual([second]);
    await w.expectInventoryMatches(eid);
    expect((await w.inventory(eid)).find((p) => p.iccid === first)).toMatchObject({
      state: 'enabled',
      fallback: true,
    });
  });

  it('keeps the attribute functions, which ES2 lacks, on ES4', async () => {
    const eid = w.eids()[6]!;
    const [, second] = w.iccids(eid);
    const { op } = await w.run(eid, 'setFallback', { iccid: second });
    expect(op.state).toBe('succeeded');
    expect(await requestOf(op.id)).toMatchObject({ interface: 'ES4', platform_id: 'smsr-1' });
    await w.expectInventoryMatches(eid);
  });

  it('refuses a profile with no SM-DP to route through, without calling anyone', async () => {
    const eid = w.eids()[7]!;
    const [, second] = w.iccids(eid);
    await w.knex('profiles').where({ iccid: second }).update({ platform_id: null });
    const { op } = await w.run(eid, 'delete', { iccid: second });
    expect(op.state).toBe('failed');
    expect(op.error).toMatchObject({ code: 'no_smdp' });
    expect(await w.knex('sgp02_requests').where({ operation_id: op.id })).toHaveLength(0);
    expect(w.smsr.fleet.get(eid)!.profiles).toHaveLength(2);
  });

  it('refuses the operations of an SM-SR whose route is misconfigured, sending nothing', async () => {
    const route = (value: string) =>
      w
        .knex('platforms')
        .where({ id: 'smsr-1' })
        .update({ metadata: JSON.stringify({ profileManagementRoute: value }) });
    await route('ES3');
    try {
      const { op } = await w.run(w.eids()[7]!, 'audit', {});
      expect(op.state).toBe('failed');
      expect(op.error).toMatchObject({ code: 'platform_config', details: { platformId: 'smsr-1' } });
      expect(await w.knex('sgp02_requests').where({ operation_id: op.id })).toHaveLength(0);
    } finally {
      await route('ES2');
    }
  });

  it('a lost answer is recovered by an AuditEIS through the SM-DP once its EIS shows the effect', async () => {
    const eid = w.eids()[8]!;
    const [, second] = w.iccids(eid);
    await w.faults({ dropNextResponse: true, dropNotifications: 1 }, w.smdp.url);
    const lost = await w.run(eid, 'enable', { iccid: second }, { waitMs: 300 });
    expect(lost.op.state).toBe('sent');
    const op = await w.waitForEnd(lost.op.id, 10_000);
    expect(op.state).toBe('succeeded');
    expect(op.result).toMatchObject({ recoveredBy: 'AuditEIS', iccid: second });
    expect(
      await w.knex('sgp02_requests').where({ eid, function: 'AuditEIS' }).whereNull('operation_id').first(),
    ).toMatchObject({ interface: 'ES2', platform_id: 'smdp-1' });
    await w.expectInventoryMatches(eid);
  });
});
