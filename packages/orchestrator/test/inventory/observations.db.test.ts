import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { KnexInventoryObservations } from '../../src/inventory/knex-observations.js';
import { NotFoundError } from '../../src/errors.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';

const EID = '89049032123451234512345678901235';
const A = '8944000000000000001';
const B = '8944000000000000002';
const C = '8944000000000000003';
const who = { actor: 'platform:smsr-1' };

describe(`inventory observations on ${testDatabaseKind()}`, () => {
  let db: Database;
  let obs: KnexInventoryObservations;
  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    await db.knex('platforms').insert([
      { id: 'smsr-1', kind: 'smsr', name: 'SM-SR 1' },
      { id: 'smsr-2', kind: 'smsr', name: 'SM-SR 2' },
      { id: 'smdp-1', kind: 'smdp', name: 'SM-DP 1' },
    ]);
    obs = new KnexInventoryObservations(db.knex);
  });
  beforeEach(async () => {
    await db.knex('profiles').delete();
    await db.knex('audit_log').delete();
    await db.knex('euiccs').delete();
    await db.knex('euiccs').insert({ eid: EID, stack: 'sgp02', smsr_id: 'smsr-1' });
    await db.knex('profiles').insert([
      { iccid: A, eid: EID, state: 'enabled', fallback: true },
      { iccid: B, eid: EID, state: 'disabled' },
    ]);
  });
  afterAll(() => db?.close());

  const states = async () =>
    Object.fromEntries(
      (
        await db.knex('profiles').where({ eid: EID }).orderBy('iccid').select('iccid', 'state', 'fallback')
      ).map((r) => [r.iccid, `${r.state}${r.fallback ? '+fallback' : ''}`]),
    );

  it('enabling a profile disables the previous one, and a repeat changes nothing', async () => {
    expect(await obs.profileStateChanged({ ...who, eid: EID, iccid: B, state: 'enabled' })).toBe('applied');
    expect(await states()).toEqual({ [A]: 'disabled+fallback', [B]: 'enabled' });
    const audits = await db.knex('audit_log').count<{ count: string }[]>('* as count');
    expect(await obs.profileStateChanged({ ...who, eid: EID, iccid: B, state: 'enabled' })).toBe('unchanged');
    expect(await db.knex('audit_log').count<{ count: string }[]>('* as count')).toEqual(audits);
  });

  it('audits every change with who and from/to states', async () => {
    await obs.profileStateChanged({
      ...who,
      eid: EID,
      iccid: B,
      state: 'enabled',
      reason: { notification: 'n-1' },
    });
    const rows = await db
      .knex('audit_log')
      .orderBy('id')
      .select('actor', 'action', 'entity_id', 'from_state', 'to_state', 'reason');
    expect(rows).toEqual([
      {
        actor: 'platform:smsr-1',
        action: 'profile.state_changed',
        entity_id: A,
        from_state: 'enabled',
        to_state: 'disabled',
        reason: { notification: 'n-1' },
      },
      {
        actor: 'platform:smsr-1',
        action: 'profile.state_changed',
        entity_id: B,
        from_state: 'disabled',
        to_state: 'enabled',
        reason: { notification: 'n-1' },
      },
    ]);
  });

  it('a deleted profile loses its fallback attribute', async () => {
    await obs.profileStateChanged({ ...who, eid: EID, iccid: A, state: 'deleted' });
    expect(await states()).toEqual({ [A]: 'deleted', [B]: 'disabled' });
  });

  it('moves the fallback attribute', async () => {
    await obs.fallbackChanged({ ...who, eid: EID, iccid: B, fallback: true });
    expect(await states()).toEqual({ [A]: 'enabled', [B]: 'disabled+fallback' });
  });

  it('installs a new profile, enabled, in place of the old one', async () => {
    await obs.profileInstalled({
      ...who,
      eid: EID,
      iccid: C,
      state: 'enabled',
      operator: 'mno-x',
      isdpAid: 'A0000005591010FFFFFFFF8900001200',
    });
    expect(await states()).toEqual({ [A]: 'disabled+fallback', [B]: 'disabled', [C]: 'enabled' });
    expect(await db.knex('profiles').where({ iccid: C }).first()).toMatchObject({
      operator: 'mno-x',
      isdp_aid: 'A0000005591010FFFFFFFF8900001200',
    });
  });

  it('reconciles an audit: the snapshot is the truth', async () => {
    const result = await obs.euiccAudited({
      ...who,
      eid: EID,
      profiles: [
        { iccid: B, state: 'enabled', fallback: true },
        { iccid: C, state: 'disabled', msisdn: '4912345678' },
      ],
      info: { remainingMemory: 1000 },
    });
    expect(result).toBe('applied');
    expect(await states()).toEqual({ [A]: 'deleted', [B]: 'enabled+fallback', [C]: 'disabled' });
    const euicc = await db.knex('euiccs').where({ eid: EID }).first();
    expect(euicc.last_audit_at).toBeInstanceOf(Date);
    expect(euicc.last_audit.info).toEqual({ remainingMemory: 1000 });
    // The same audit again changes no profile.
    expect(
      await obs.euiccAudited({
        ...who,
        eid: EID,
        profiles: [
          { iccid: B, state: 'enabled', fallback: true },
          { iccid: C, state: 'disabled', msisdn: '4912345678' },
        ],
      }),
    ).toBe('unchanged');
  });

  it("reconciles an audit scoped to an SM-DP: only that SM-DP's profiles take the snapshot", async () => {
    await db.knex('profiles').where({ iccid: B }).update({ platform_id: 'smdp-1' });
    await db.knex('profiles').insert({ iccid: C, eid: EID, state: 'disabled', platform_id: 'smdp-1' });
    // A (no SM-DP) is outside the read: it stays, but gives up the enabled state B now has.
    expect(
      await obs.euiccAudited({
        ...who,
        eid: EID,
        profiles: [{ iccid: B, state: 'enabled' }],
        scope: { platformId: 'smdp-1' },
      }),
    ).toBe('applied');
    expect(await states()).toEqual({ [A]: 'disabled+fallback', [B]: 'enabled', [C]: 'deleted' });
    expect((await db.knex('euiccs').where({ eid: EID }).first()).last_audit.scope).toEqual({
      platformId: 'smdp-1',
    });
  });

  it('records an SM-SR change once', async () => {
    expect(await obs.smsrChanged({ ...who, eid: EID, smsrId: 'smsr-2' })).toBe('applied');
    expect(await obs.smsrChanged({ ...who, eid: EID, smsrId: 'smsr-2' })).toBe('unchanged');
    expect((await db.knex('euiccs').where({ eid: EID }).first()).smsr_id).toBe('smsr-2');
  });

  it('updates a subscription address and refuses an unknown profile or eUICC', async () => {
    await obs.subscriptionAddressChanged({ ...who, iccid: A, msisdn: '4915550000' });
    expect((await db.knex('profiles').where({ iccid: A }).first()).msisdn).toBe('4915550000');
    await expect(
      obs.subscriptionAddressChanged({ ...who, iccid: '8944000000000000099', msisdn: '1' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      obs.euiccAudited({ ...who, eid: '89049032123451234512345678900000', profiles: [] }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      obs.smsrChanged({ ...who, eid: '89049032123451234512345678900000', smsrId: 'smsr-2' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
