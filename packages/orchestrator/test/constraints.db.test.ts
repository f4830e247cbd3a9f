import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { fromDatabaseError } from '../src/db/errors.js';
import { ConflictError, UnprocessableError, type AppError } from '../src/errors.js';
import { openTestDatabase, testDatabaseKind } from './support/database.js';

const EID = '89049032123451234512345678901235';
const EID2 = '89049032123451234512345678901236';

/** Runs a write that must fail and returns the API error the failure maps to. */
async function rejection(write: Promise<unknown>): Promise<AppError> {
  try {
    await write;
  } catch (e) {
    const mapped = fromDatabaseError(e);
    if (!mapped) throw e;
    return mapped;
  }
  throw new Error('the write was expected to be rejected');
}

describe(`integrity constraints on ${testDatabaseKind()}`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    const k = db.knex;
    await k('platforms').insert([
      { id: 'smsr-1', kind: 'smsr', name: 'SM-SR 1', entity_id: '1.3.6.1.4.1.1' },
      { id: 'eim-1', kind: 'eim', name: 'our eIM', entity_id: 'eim.example' },
    ]);
    await k('euiccs').insert([
      { eid: EID, stack: 'sgp32', eim_id: 'eim-1' },
      { eid: EID2, stack: 'sgp02', smsr_id: 'smsr-1' },
    ]);
    await k('devices').insert({ external_id: 'dev-1', eid: EID });
    await k('profiles').insert({ iccid: '8944000000000000001', eid: EID, state: 'enabled' });
  });
  afterAll(() => db?.close());

  it('rejects a duplicate EID as a duplicate euicc', async () => {
    const err = await rejection(db.knex('euiccs').insert({ eid: EID, stack: 'sgp02' }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.toJSON()).toEqual({
      error: 'duplicate',
      message: 'a euicc with the same eid already exists',
      details: { entity: 'euicc', fields: ['eid'], values: { eid: EID }, constraint: 'euiccs_pkey' },
    });
    expect(err.statusCode).toBe(409);
  });

  it('rejects a second device on the same eUICC and a duplicate external id', async () => {
    expect((await rejection(db.knex('devices').insert({ eid: EID }))).details).toMatchObject({
      entity: 'device',
      fields: ['eid'],
    });
    expect((await rejection(db.knex('devices').insert({ external_id: 'dev-1' }))).details).toMatchObject({
      entity: 'device',
      fields: ['externalId'],
      values: { external_id: 'dev-1' },
    });
  });

  it('rejects a duplicate ICCID', async () => {
    const err = await rejection(db.knex('profiles').insert({ iccid: '8944000000000000001', eid: EID2 }));
    expect(err.message).toBe('a profile with the same iccid already exists');
  });

  it('allows one enabled profile per eUICC', async () => {
    const err = await rejection(
      db.knex('profiles').insert({ iccid: '8944000000000000002', eid: EID, state: 'enabled' }),
    );
    expect(err.details).toMatchObject({ entity: 'profile', fields: ['eid', 'state'] });
  });

  it('deduplicates events by source and event id', async () => {
    await db.knex('events').insert({ source: 'bss', event_id: 'e-1', type: 'bss.plan_changed' });
    const err = await rejection(
      db.knex('events').insert({ source: 'bss', event_id: 'e-1', type: 'bss.plan_changed' }),
    );
    expect(err.details).toMatchObject({ entity: 'event', fields: ['source', 'eventId'] });
    await db
      .knex('events')
      .insert({ source: 'iot-platform', event_id: 'e-1', type: 'device.connectivity_lost' });
  });

  it('keeps at most one operation in flight per eUICC', async () => {
    await db
      .knex('operations')
      .insert({ eid: EID, stack: 'sgp32', type: 'enable', state: 'sent', requested_by: 'test' });
    await db
      .knex('operations')
      .insert({ eid: EID, stack: 'sgp32', type: 'disable', state: 'pending', requested_by: 'test' });
    const err = await rejection(
      db
        .knex('operations')
        .insert({ eid: EID, stack: 'sgp32', type: 'delete', state: 'sent', requested_by: 'test' }),
    );
    expect(err.details).toMatchObject({ entity: 'operation', fields: ['eid'] });
  });

  it('rejects a reused idempotency key and a duplicate rule name', async () => {
    const op = { eid: EID2, stack: 'sgp02', type: 'audit', requested_by: 'test', idempotency_key: 'k-1' };
    await db.knex('operations').insert(op);
    expect((await rejection(db.knex('operations').insert(op))).details).toMatchObject({
      fields: ['idempotencyKey'],
    });
    const rule = { name: 'r', event_type: 'x', conditions: '{}', actions: '[]' };
    await db.knex('rules').insert(rule);
    expect((await rejection(db.knex('rules').insert(rule))).details).toMatchObject({
      entity: 'rule',
      fields: ['name'],
    });
  });

  it('reports a reference to an unknown eUICC as unprocessable', async () => {
    const err = await rejection(
      db.knex('profiles').insert({ iccid: '8944000000000000009', eid: '89049032123451234512345678909999' }),
    );
    expect(err).toBeInstanceOf(UnprocessableError);
    expect(err.message).toBe('refers to an unknown eid: 89049032123451234512345678909999');
  });

  it('refuses to delete an eUICC that still has a device', async () => {
    const err = await rejection(db.knex('euiccs').where({ eid: EID }).delete());
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.code).toBe('in_use');
  });

  it('checks formats: an EID is 32 digits', async () => {
    const err = await rejection(db.knex('euiccs').insert({ eid: '1234', stack: 'sgp32' }));
    expect(err.message).toBe('violates euiccs_eid_format');
  });

  it('leaves other errors alone', () => {
    expect(fromDatabaseError(new Error('boom'))).toBeUndefined();
    expect(fromDatabaseError({ code: '42P01' })).toBeUndefined();
  });
});
