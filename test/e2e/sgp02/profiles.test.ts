import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esim/orchestrator/testing';
import { World } from './world.js';

/**
 * The SGP.02 profile operations end to end: operation store -> adapter -> ES4 over SOAP to the
 * SM-SR simulator -> callback and Handle*Notifications on our endpoint -> inventory. Each ends
 * with the inventory matching the simulator's EIS.
 */
describe(`SGP.02 profile operations on ${testDatabaseKind()}`, () => {
  let w: World;
  beforeAll(async () => {
    w = await World.start();
  });
  afterAll(() => w?.close());

  it('enables a profile: the operation succeeds and the previously enabled one is disabled', async () => {
    const eid = w.eids()[0]!;
    const [first, second] = w.iccids(eid);
    const { op, dispatched } = await w.run(eid, 'enable', { iccid: second });
    expect(dispatched.status).toBe('sent');
    expect(op.state).toBe('succeeded');
    expect(op.result).toMatchObject({ iccid: second, executionStatus: 'EXECUTED_SUCCESS' });
    await w.expectInventoryMatches(eid);
    const states = Object.fromEntries((await w.inventory(eid)).map((p) => [p.iccid, p.state]));
    expect(states).toEqual({ [first!]: 'disabled', [second!]: 'enabled' });
    // The SM-SR's answer came back as a callback, and its notification after it.
    expect(await w.knex('sgp02_requests').where({ operation_id: op.id }).first()).toMatchObject({
      function: 'EnableProfile',
      correlation_id: op.correlationId,
    });
    expect(await w.received('ES4-HandleProfileEnabledNotification')).toBe(true);
  });

  it('disables a profile: the eUICC falls back to the fallback profile', async () => {
    const eid = w.eids()[1]!;
    const [first, second] = w.iccids(eid);
    expect((await w.run(eid, 'enable', { iccid: second })).op.state).toBe('succeeded');
    const { op } = await w.run(eid, 'disable', { iccid: second });
    expect(op.state).toBe('succeeded');
    await w.expectInventoryMatches(eid);
    expect((await w.inventory(eid)).find((p) => p.iccid === first)?.state).toBe('enabled');
  });

  it('deletes a profile', async () => {
    const eid = w.eids()[2]!;
    const [, second] = w.iccids(eid);
    const { op } = await w.run(eid, 'delete', { iccid: second });
    expect(op.state).toBe('succeeded');
    await w.expectInventoryMatches(eid);
    expect((await w.knex('profiles').where({ iccid: second }).first()).state).toBe('deleted');
  });

  it('sets the fallback attribute: it moves from the other profile', async () => {
    const eid = w.eids()[3]!;
    const [first, second] = w.iccids(eid);
    const { op } = await w.run(eid, 'setFallback', { iccid: second });
    expect(op.state).toBe('succeeded');
    await w.expectInventoryMatches(eid);
    const fallback = Object.fromEntries((await w.inventory(eid)).map((p) => [p.iccid, p.fallback]));
    expect(fallback).toEqual({ [first!]: false, [second!]: true });
  });

  it('sets and unsets the emergency attribute', async () => {
    const eid = w.eids()[3]!;
    const [first] = w.iccids(eid);
    expect((await w.run(eid, 'setEmergency', { iccid: first })).op.state).toBe('succeeded');
    await w.expectInventoryMatches(eid);
    expect((await w.inventory(eid)).find((p) => p.iccid === first)?.emergency).toBe(true);
    expect((await w.run(eid, 'unsetEmergency', { iccid: first })).op.state).toBe('succeeded');
    await w.expectInventoryMatches(eid);
    expect((await w.inventory(eid)).find((p) => p.iccid === first)?.emergency).toBe(false);
  });

  it('updates the subscription address synchronously', async () => {
    const eid = w.eids()[4]!;
    const [first] = w.iccids(eid);
    const { op, dispatched } = await w.run(eid, 'updateSubscriptionAddress', {
      iccid: first,
      msisdn: '491700000042',
      imsi: '262019999999999',
    });
    expect(dispatched.status).toBe('succeeded');
    expect(op.state).toBe('succeeded');
    await w.expectInventoryMatches(eid);
    expect((await w.inventory(eid)).find((p) => p.iccid === first)).toMatchObject({
      msisdn: '491700000042',
      imsi: '262019999999999',
    });
  });

  it('updates POL2 rules, which the SM-SR then enforces', async () => {
    const eid = w.eids()[5]!;
    const [first, second] = w.iccids(eid);
    const { op } = await w.run(eid, 'updatePolicyRules', {
      iccid: first,
      pol2: [{ action: 'DISABLE', qualification: 'Not-Allowed' }],
    });
    expect(op.state).toBe('succeeded');
    expect(w.smsr.fleet.get(eid)!.profiles[0]!.pol2).toEqual([
      { action: 'DISABLE', qualification: 'Not-Allowed' },
    ]);
    // Enabling the second profile would disable the first: POL2 refuses it.
    const refused = await w.run(eid, 'enable', { iccid: second });
    expect(refused.op.state).toBe('failed');
    expect(refused.op.error).toMatchObject({
      code: 'sgp02_failed',
      details: { status: 'FAILED', subject: '8.2.3', reason: '3.8' },
    });
    await w.expectInventoryMatches(eid);
  });

  it('audits the eUICC: the EIS replaces what the inventory believed', async () => {
    const eid = w.eids()[6]!;
    const [, second] = w.iccids(eid);
    // Drift the inventory behind the stack's back.
    await w.knex('profiles').where({ iccid: second }).update({ state: 'deleted' });
    const { op } = await w.run(eid, 'audit', {});
    expect(op.state).toBe('succeeded');
    expect((op.result as { profiles: unknown[] }).profiles).toHaveLength(2);
    await w.expectInventoryMatches(eid);
    const euicc = await w.knex('euiccs').where({ eid }).first();
    expect(euicc.last_audit_at).not.toBeNull();
  });

  it('refuses an eIM change with a reason, without calling anyone', async () => {
    expect(w.adapter.supports('eimChange')).toMatchObject({ supported: false });
    const eid = w.eids()[7]!;
    const { op } = await w.run(eid, 'eimChange', { targetEimId: 'x' });
    expect(op.state).toBe('failed');
    expect(op.error).toMatchObject({ code: 'sgp02_unsupported' });
    expect(await w.knex('sgp02_requests').where({ operation_id: op.id })).toHaveLength(0);
  });

  it('a retry after a lost answer reuses the FunctionCallIdentifier: answered, not executed twice', async () => {
    const eid = w.eids()[8]!;
    const [, second] = w.iccids(eid);
    await w.faults({ dropNextResponse: true });
    const first = await w.run(eid, 'enable', { iccid: second }, { waitMs: 300 });
    expect(first.op.state).toBe('sent');
    // What the worker does on a retry: back to pending, dispatched again (attempt 2), sent again.
    const ops = w.operations;
    await ops.transition(first.op.id, ['sent'], { to: 'pending', actor: 'test-worker' });
    const again = await w.adapter.dispatch({
      operationId: first.op.id,
      eid,
      type: 'enable',
      params: { iccid: second },
      validUntil: null,
      attempt: 2,
    });
    expect(again.status).toBe('sent');
    if (again.status !== 'sent') return;
    expect(again.correlationId).not.toBe(first.op.correlationId);
    await ops.transition(first.op.id, ['pending'], {
      to: 'sent',
      actor: 'test-worker',
      correlationId: again.correlationId,
    });
    const op = await w.waitForEnd(first.op.id);
    expect(op.state).toBe('succeeded');
    const calls = await w.knex('sgp02_requests').where({ operation_id: op.id });
    expect(new Set(calls.map((c) => c.function_call_id))).toEqual(new Set([op.id]));
    expect(w.smsr.fleet.get(eid)!.auditTrail.filter((r) => r.operationType === 'EnableProfile')).toHaveLength(
      1,
    );
    await w.expectInventoryMatches(eid);
  });
});
