import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { KnexOperationStore } from '../../src/operations/knex-operation-store.js';
import { KnexSgp02Store } from '../../src/sgp02/knex-sgp02-store.js';
import type { SentRequest } from '../../src/sgp02/sgp02-store.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';

const EID = '89049032000010000000001000000000';

/** The SGP.02 message store's contract, on each database. */
describe(`SGP.02 message store on ${testDatabaseKind()}`, () => {
  let db: Database;
  let store: KnexSgp02Store;
  let ops: KnexOperationStore;
  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    store = new KnexSgp02Store(db.knex);
    ops = new KnexOperationStore(db.knex);
    await db
      .knex('platforms')
      .insert({ id: 'smsr-1', kind: 'smsr', name: 'SM-SR', entity_id: '1.2', endpoint_url: 'http://x' });
    await db.knex('euiccs').insert({ eid: EID, stack: 'sgp02', smsr_id: 'smsr-1' });
  });
  afterAll(() => db?.close());

  const request = async (messageId: string, state?: 'sent'): Promise<SentRequest> => {
    const op = await ops.create({
      eid: EID,
      stack: 'sgp02',
      type: 'enable',
      params: { iccid: '8988247000000000011' },
      requestedBy: 't',
    });
    if (state) await ops.transition(op.id, ['pending'], { to: 'sent', actor: 't', correlationId: messageId });
    const r: SentRequest = {
      messageId,
      operationId: op.id,
      correlationId: messageId,
      iface: 'ES4',
      fn: 'EnableProfile',
      functionCallId: op.id,
      eid: EID,
      platformId: 'smsr-1',
      params: { iccid: '8988247000000000011' },
    };
    await store.recordRequest(r);
    return r;
  };

  it('records a request and finds it by MessageID', async () => {
    const r = await request('m-1');
    expect(await store.findRequest('m-1')).toMatchObject({
      ...r,
      answeredAt: null,
      sentAt: expect.any(Date),
    });
    expect(await store.findRequest('m-unknown')).toBeUndefined();
  });

  it('refuses a second request with the same MessageID', async () => {
    await request('m-2');
    await expect(request('m-2')).rejects.toThrow();
  });

  it('marks a request answered once', async () => {
    await request('m-3');
    expect(await store.markAnswered('m-3', { status: 'EXECUTED_SUCCESS' })).toBe(true);
    expect(await store.markAnswered('m-3', { status: 'FAILED' })).toBe(false);
    expect((await db.knex('sgp02_requests').where({ message_id: 'm-3' }).first()).answer).toEqual({
      status: 'EXECUTED_SUCCESS',
    });
  });

  it('records a received MessageID once, also inside a rolled-back transaction', async () => {
    expect(await store.markReceived({ messageId: 'n-1', fromEntityId: '1.2', body: 'ES4-X' })).toBe('new');
    expect(await store.markReceived({ messageId: 'n-1', body: 'ES4-X' })).toBe('duplicate');
    await db.knex
      .transaction(async (trx) => {
        expect(await store.markReceived({ messageId: 'n-2', body: 'ES4-X' }, trx)).toBe('new');
        throw new Error('rollback');
      })
      .catch(() => undefined);
    expect(await store.markReceived({ messageId: 'n-2', body: 'ES4-X' })).toBe('new');
  });

  it('lists unanswered requests of operations and the eUICCs whose operations wait too long', async () => {
    await db.knex('sgp02_requests').delete();
    await request('u-1', 'sent');
    const answered = await request('u-2');
    await store.markAnswered(answered.messageId, {});
    await request('u-3');
    expect((await store.unanswered(EID)).map((r) => r.messageId)).toEqual(['u-1', 'u-3']);
    const later = new Date(Date.now() + 60_000);
    // u-3's operation is still pending (not sent): only u-1 waits for an answer.
    expect(await store.staleEids(later, 10)).toEqual([EID]);
    expect(await store.staleEids(new Date(Date.now() - 60_000), 10)).toEqual([]);
    const u1 = (await store.findRequest('u-1'))!;
    await ops.transition(u1.operationId!, ['sent'], { to: 'cancelled', actor: 't' });
    expect(await store.staleEids(later, 10)).toEqual([]);
  });
});
