import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.js';
import { NotFoundError } from '../errors.js';
import type {
  InventoryObservations,
  ObservationResult,
  ObservedProfileState,
  ProfileSnapshot,
} from './observations.js';

interface ProfileRow {
  iccid: string;
  eid: string | null;
  state: string;
  fallback: boolean;
  emergency: boolean;
  isdp_aid: string | null;
  operator: string | null;
  platform_id: string | null;
  profile_type: string | null;
  profile_class: string | null;
  msisdn: string | null;
  imsi: string | null;
}

/** Snapshot fields as profile columns; only what the snapshot says, so unknowns keep their value. */
function columnsOf(s: Partial<ProfileSnapshot>): Partial<ProfileRow> {
  const c: Partial<ProfileRow> = {};
  if (s.state !== undefined) c.state = s.state;
  if (s.fallback !== undefined) c.fallback = s.fallback;
  if (s.emergency !== undefined) c.emergency = s.emergency;
  if (s.isdpAid !== undefined) c.isdp_aid = s.isdpAid;
  if (s.operator !== undefined) c.operator = s.operator;
  if (s.platformId !== undefined) c.platform_id = s.platformId;
  if (s.profileType !== undefined) c.profile_type = s.profileType;
  if (s.profileClass !== undefined) c.profile_class = s.profileClass;
  if (s.msisdn !== undefined) c.msisdn = s.msisdn;
  if (s.imsi !== undefined) c.imsi = s.imsi;
  return c;
}

function changed(row: ProfileRow | undefined, cols: Partial<ProfileRow>): Partial<ProfileRow> {
  if (!row) return cols;
  return Object.fromEntries(
    Object.entries(cols).filter(([k, v]) => row[k as keyof ProfileRow] !== v),
  ) as Partial<ProfileRow>;
}

type Actor = { actor: string; reason?: Record<string, unknown> };

export class KnexInventoryObservations implements InventoryObservations {
  constructor(private readonly knex: Knex) {}

  private inTransaction<T>(
    trx: Knex.Transaction | undefined,
    fn: (trx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    return trx ? fn(trx) : this.knex.transaction(fn);
  }

  /** Writes the columns that differ from the stored row (or inserts it) and audits the change. */
  private async applyProfile(
    trx: Knex.Transaction,
    eid: string | null,
    iccid: string,
    cols: Partial<ProfileRow>,
    who: Actor,
    action: string,
  ): Promise<ObservationResult> {
    const row = await trx<ProfileRow>('profiles').where({ iccid }).forUpdate().first();
    const diff = changed(row, { ...cols, ...(eid && row?.eid !== eid ? { eid } : {}) });
    if (row && Object.keys(diff).length === 0) return 'unchanged';
    if (row)
      await trx('profiles')
        .where({ iccid })
        .update({ ...diff, updated_at: trx.fn.now() });
    else await trx('profiles').insert({ iccid, eid, ...diff });
    await appendAudit(trx, {
      actor: who.actor,
      action,
      entityType: 'profile',
      entityId: iccid,
      fromState: row?.state ?? null,
      toState: (diff.state as string | undefined) ?? row?.state ?? null,
      reason: who.reason,
      details: { eid, changes: diff },
    });
    return 'applied';
  }

  /** Clears a flag (enabled state, fallback) on the other profiles of the eUICC before it moves to `iccid`. */
  private async clearOthers(
    trx: Knex.Transaction,
    eid: string,
    iccid: string,
    others: Partial<ProfileRow>,
    current: Partial<ProfileRow>,
    who: Actor,
    action: string,
  ): Promise<void> {
    const rows = await trx<ProfileRow>('profiles')
      .where({ eid, ...current })
      .whereNot({ iccid })
      .forUpdate();
    for (const r of rows) await this.applyProfile(trx, eid, r.iccid, others, who, action);
  }

  profileStateChanged(
    o: Actor & { eid: string; iccid: string; state: ObservedProfileState },
    trx?: Knex.Transaction,
  ) {
    return this.inTransaction(trx, async (t) => {
      if (o.state === 'enabled') {
        await this.clearOthers(
          t,
          o.eid,
          o.iccid,
          { state: 'disabled' },
          { state: 'enabled' },
          o,
          'profile.state_changed',
        );
      }
      // A deleted profile keeps its row (history) but no attribute that only makes sense on a card.
      const cols: Partial<ProfileRow> =
        o.state === 'deleted' ? { state: 'deleted', fallback: false, emergency: false } : { state: o.state };
      return this.applyProfile(t, o.eid, o.iccid, cols, o, 'profile.state_changed');
    });
  }

  profileInstalled(o: Actor & { eid: string } & ProfileSnapshot, trx?: Knex.Transaction) {
    return this.inTransaction(trx, async (t) => {
      if (o.state === 'enabled') {
        await this.clearOthers(
          t,
          o.eid,
          o.iccid,
          { state: 'disabled' },
          { state: 'enabled' },
          o,
          'profile.state_changed',
        );
      }
      if (o.fallback)
        await this.clearOthers(
          t,
          o.eid,
          o.iccid,
          { fallback: false },
          { fallback: true },
          o,
          'profile.fallback_changed',
        );
      return this.applyProfile(t, o.eid, o.iccid, columnsOf(o), o, 'profile.installed');
    });
  }

  fallbackChanged(o: Actor & { eid: string; iccid: string; fallback: boolean }, trx?: Knex.Transaction) {
    return this.inTransaction(trx, async (t) => {
      if (o.fallback)
        await this.clearOthers(
          t,
          o.eid,
          o.iccid,
          { fallback: false },
          { fallback: true },
          o,
          'profile.fallback_changed',
        );
      return this.applyProfile(t, o.eid, o.iccid, { fallback: o.fallback }, o, 'profile.fallback_changed');
    });
  }

  emergencyChanged(o: Actor & { eid: string; iccid: string; emergency: boolean }, trx?: Knex.Transaction) {
    return this.inTransaction(trx, (t) =>
      this.applyProfile(t, o.eid, o.iccid, { emergency: o.emergency }, o, 'profile.emergency_changed'),
    );
  }

  subscriptionAddressChanged(
    o: Actor & { iccid: string; msisdn?: string; imsi?: string },
    trx?: Knex.Transaction,
  ) {
    return this.inTransaction(trx, async (t) => {
      const exists = await t('profiles').where({ iccid: o.iccid }).first('iccid');
      if (!exists) throw new NotFoundError(`no profile with ICCID ${o.iccid}`, { iccid: o.iccid });
      return this.applyProfile(
        t,
        null,
        o.iccid,
        columnsOf({ msisdn: o.msisdn, imsi: o.imsi }),
        o,
        'profile.subscription_address_changed',
      );
    });
  }

  smsrChanged(o: Actor & { eid: string; smsrId: string }, trx?: Knex.Transaction) {
    return this.inTransaction(trx, async (t) => {
      const row = await t('euiccs')
        .where({ eid: o.eid })
        .forUpdate()
        .first<{ smsr_id: string | null } | undefined>('smsr_id');
      if (!row) throw new NotFoundError(`no eUICC with EID ${o.eid}`, { eid: o.eid });
      if (row.smsr_id === o.smsrId) return 'unchanged' as const;
      await t('euiccs').where({ eid: o.eid }).update({ smsr_id: o.smsrId, updated_at: t.fn.now() });
      await appendAudit(t, {
        actor: o.actor,
        action: 'euicc.smsr_changed',
        entityType: 'euicc',
        entityId: o.eid,
        fromState: row.smsr_id,
        toState: o.smsrId,
        reason: o.reason,
      });
      return 'applied' as const;
    });
  }

  euiccAudited(
    o: Actor & {
      eid: string;
      profiles: ProfileSnapshot[];
      info?: Record<string, unknown>;
      scope?: { platformId: string };
    },
    trx?: Knex.Transaction,
  ) {
    return this.inTransaction(trx, async (t) => {
      const updated = await t('euiccs')
        .where({ eid: o.eid })
        .update({
          last_audit_at: t.fn.now(),
          last_audit: JSON.stringify({
            profiles: o.profiles,
            info: o.info ?? {},
            ...(o.scope ? { scope: o.scope } : {}),
          }),
          updated_at: t.fn.now(),
        });
      if (updated === 0) throw new NotFoundError(`no eUICC with EID ${o.eid}`, { eid: o.eid });
      const target = new Map(o.profiles.map((p) => [p.iccid, p]));
      const takesEnabled = o.profiles.some((p) => p.state === 'enabled');
      const takesFallback = o.profiles.some((p) => p.fallback);
      const known = await t<ProfileRow>('profiles')
        .where({ eid: o.eid })
        .whereNotIn('state', ['deleted', 'available'])
        .forUpdate();
      let result: ObservationResult = 'unchanged';
      const note = (r: ObservationResult) => {
        if (r === 'applied') result = 'applied';
      };
      // First what leaves: profiles gone from the card, and the unique flags (one enabled, one
      // fallback per eUICC) that a profile loses, so that another profile can take them next.
      for (const r of known) {
        const p = target.get(r.iccid);
        const unseen = !p && o.scope !== undefined && r.platform_id !== o.scope.platformId;
        const release: Partial<ProfileRow> = p
          ? {
              ...(r.state === 'enabled' && p.state !== 'enabled' ? { state: p.state } : {}),
              ...(r.fallback && !p.fallback ? { fallback: false } : {}),
            }
          : unseen
            ? {
                ...(r.state === 'enabled' && takesEnabled ? { state: 'disabled' } : {}),
                ...(r.fallback && takesFallback ? { fallback: false } : {}),
              }
            : { state: 'deleted', fallback: false, emergency: false };
        if (Object.keys(release).length > 0)
          note(await this.applyProfile(t, o.eid, r.iccid, release, o, 'profile.audited'));
      }
      for (const p of o.profiles) {
        const cols = columnsOf({ ...p, fallback: p.fallback ?? false, emergency: p.emergency ?? false });
        note(await this.applyProfile(t, o.eid, p.iccid, cols, o, 'profile.audited'));
      }
      return result;
    });
  }
}
