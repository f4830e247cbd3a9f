import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { KnexOperationStore } from '../../src/operations/knex-operation-store.js';
import { StoreOperationOutcomes } from '../../src/operations/outcomes.js';
import { UnprocessableError } from '../../src/errors.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';

const EID = '89049032123451234512345678901235';

describe(`operation store on ${testDatabaseKind()}`, () => {
  let db: Database;
  let store: KnexOperationStore;
  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    await db.knex('euiccs').insert({ eid: EID, stack: 'sgp32' });
    store = new KnexOperationStore(db.knex);
  });
  afterAll(() => db?.close());

  const audit = (id: string) =>
    db
      .knex('audit_log')
      .where({ entity_type: 'operation', entity_id: id })
      .orderBy('id')
      .select('action', 'actor', 'from_state', 'to_state', 'reason');

  it('creates a pending operation and audits who asked and why', async () => {
    const op = await store.create({
      eid: EID,
      stack: 'sgp32',
      type: 'enable',
      params: { iccid: '8944000000000000001' },
      requestedBy: 'rule:r1',
      reason: { ruleId: 'r1', eventId: 'e1' },
    });
    expect(op).toMatchObject({
      state: 'pending',
      attempts: 0,
      type: 'enable',
      params: { iccid: '8944000000000000001' },
    });
    expect(await audit(op.id)).toEqual([
      {
        action: 'operation.created',
        actor: 'rule:r1',
        from_state: null,
        to_state: 'pending',
        reason: { ruleId: 'r1', eventId: 'e1' },
      },
    ]);
  });

  it('moves pending -> sent -> succeeded, once, recording each step', async () => {
    const op = await store.create({
      eid: EID,
      stack: 'sgp32',
      type: 'disable',
      params: { iccid: '8944000000000000001' },
      requestedBy: 'api:alice',
    });
    const sent = await store.transition(op.id, ['pending'], {
      to: 'sent',
      actor: 'system',
      correlationId: 'tx-1',
      countAttempt: true,
    });
    expect(sent).toMatchObject({ state: 'sent', correlationId: 'tx-1', attempts: 1 });
    expect(sent!.sentAt).toBeInstanceOf(Date);
    // A second worker that also saw it pending loses.
    expect(await store.transition(op.id, ['pending'], { to: 'sent', actor: 'system' })).toBeUndefined();

    const outcomes = new StoreOperationOutcomes(store);
    const report = {
      stack: 'sgp32' as const,
      correlationId: 'tx-1',
      outcome: 'succeeded' as const,
      result: { ok: true },
      actor: 'stack:sgp32',
    };
    expect(await outcomes.report(report)).toBe('applied');
    expect(await outcomes.report(report)).toBe('duplicate');
    expect(await outcomes.report({ ...report, correlationId: 'tx-unknown' })).toBe('unknown');
    expect(await outcomes.report({ ...report, stack: 'sgp02' })).toBe('unknown');

    const done = await store.get(op.id);
    expect(done).toMatchObject({ state: 'succeeded', result: { ok: true } });
    expect(done!.finishedAt).toBeInstanceOf(Date);
    expect((await audit(op.id)).map((a) => `${a.from_state ?? ''}->${a.to_state}`)).toEqual([
      '->pending',
      'pending->sent',
      'sent->succeeded',
    ]);
  });

  it('goes back to pending for a retry with its next attempt time', async () => {
    const op = await store.create({
      eid: EID,
      stack: 'sgp32',
      type: 'audit',
      params: {},
      requestedBy: 'system',
    });
    const later = new Date(Date.now() + 60_000);
    const retry = await store.transition(op.id, ['pending'], {
      to: 'pending',
      actor: 'system',
      countAttempt: true,
      error: { code: 'busy', message: 'SM-SR busy' },
      nextAttemptAt: later,
    });
    expect(retry).toMatchObject({ state: 'pending', attempts: 1, error: { code: 'busy' } });
    expect(retry!.nextAttemptAt.getTime()).toBe(later.getTime());
  });

  it('refuses transitions the state machine does not have', async () => {
    const op = await store.create({
      eid: EID,
      stack: 'sgp32',
      type: 'audit',
      params: {},
      requestedBy: 'system',
    });
    await store.transition(op.id, ['pending'], { to: 'cancelled', actor: 'api:alice' });
    await expect(
      store.transition(op.id, ['cancelled'], { to: 'pending', actor: 'system' }),
    ).rejects.toBeInstanceOf(UnprocessableError);
    expect((await store.get(op.id))!.state).toBe('cancelled');
  });

  it('writes nothing when the transaction around a transition fails', async () => {
    const op = await store.create({
      eid: EID,
      stack: 'sgp32',
      type: 'audit',
      params: {},
      requestedBy: 'system',
    });
    await expect(
      db.knex.transaction(async (trx) => {
        await store.transition(op.id, ['pending'], { to: 'failed', actor: 'system' }, trx);
        throw new Error('crash after the transition');
      }),
    ).rejects.toThrow('crash after the transition');
    expect((await store.get(op.id))!.state).toBe('pending');
    expect(await audit(op.id)).toHaveLength(1);
  });
});
