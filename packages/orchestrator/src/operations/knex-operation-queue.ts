import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.js';
import { toOperation } from './knex-operation-store.js';
import type { Operation } from './operation.js';
import type { Stack } from './vocabulary.js';

export interface Claimed {
  operation: Operation;
  /** The attempt number this dispatch is (the same again when a crashed worker's claim is taken over). */
  attempt: number;
  /** True when an earlier dispatch of this attempt may have reached the stack before a crash. */
  takenOver: boolean;
}

// An eUICC is busy while one of its operations is sent or held by a live lease.
const busy = `exists (select 1 from operations b where b.eid = o.eid and b.id <> o.id
  and (b.state = 'sent' or (b.state = 'pending' and b.lease_expires_at > now())))`;

/**
 * The durable queue over the operations table: `FOR UPDATE SKIP LOCKED` lets any number of
 * workers (in any number of processes) claim due operations without waiting on each other, and a
 * lease makes a claim of a crashed worker available again. The same SQL runs on PostgreSQL and PGlite.
 */
export class KnexOperationQueue {
  constructor(
    private readonly knex: Knex,
    private readonly owner: string,
  ) {}

  /**
   * Claims up to `limit` due operations of `stacks`, at most one per eUICC and none of an eUICC
   * that has one in flight. The eUICC row is locked while deciding, so two workers cannot both
   * start an operation on the same card.
   */
  claim(stacks: readonly Stack[], limit: number, leaseSeconds: number): Promise<Claimed[]> {
    if (stacks.length === 0) return Promise.resolve([]);
    return this.knex.transaction(async (trx) => {
      const { rows } = await trx.raw<{
        rows: (Parameters<typeof toOperation>[0] & { lease_owner: string | null })[];
      }>(
        `select o.* from operations o
          where o.state = 'pending' and o.next_attempt_at <= now()
            and (o.lease_expires_at is null or o.lease_expires_at < now())
            and (o.valid_until is null or o.valid_until > now())
            and o.stack = any(?) and not ${busy}
          order by o.priority desc, o.next_attempt_at, o.created_at
          limit ? for update of o skip locked`,
        [stacks as unknown as string[], limit * 4],
      );
      const claimed: Claimed[] = [];
      const seen = new Set<string>();
      for (const row of rows) {
        if (claimed.length >= limit || seen.has(row.eid)) continue;
        seen.add(row.eid);
        const card = await trx.raw<{ rows: unknown[] }>(
          `select eid from euiccs where eid = ? for update skip locked`,
          [row.eid],
        );
        if (card.rows.length === 0) continue;
        // Under the card lock, see what other workers committed since the first read.
        const recheck = await trx.raw<{ rows: unknown[] }>(
          `select 1 from operations o where o.id = ? and ${busy}`,
          [row.id],
        );
        if (recheck.rows.length > 0) continue;
        const takenOver = row.lease_owner !== null;
        const attempt = takenOver ? row.attempts : row.attempts + 1;
        const [updated] = await trx('operations')
          .where({ id: row.id })
          .update({
            lease_owner: this.owner,
            lease_expires_at: trx.raw(`now() + make_interval(secs => ?)`, [leaseSeconds]),
            attempts: attempt,
            updated_at: trx.fn.now(),
          })
          .returning('*');
        await trx('operation_attempts')
          .insert({ operation_id: row.id, attempt })
          .onConflict(['operation_id', 'attempt'])
          .ignore();
        claimed.push({ operation: toOperation(updated), attempt, takenOver });
      }
      return claimed;
    });
  }

  /** Records how one attempt ended (operation_attempts is the per-attempt history). */
  async attemptEnded(
    operationId: string,
    attempt: number,
    outcome: string,
    detail: Record<string, unknown>,
    trx?: Knex.Transaction,
  ): Promise<void> {
    await (trx ?? this.knex)('operation_attempts')
      .where({ operation_id: operationId, attempt })
      .update({ finished_at: this.knex.fn.now(), outcome, detail: JSON.stringify(detail) });
  }

  /** Operations whose validity period ended while waiting or in flight (not while a live lease holds them). */
  async dueToExpire(
    limit: number,
  ): Promise<Pick<Operation, 'id' | 'state' | 'validUntil' | 'requestedBy' | 'ruleId' | 'eventId'>[]> {
    return this.knex('operations')
      .whereIn('state', ['pending', 'sent'])
      .where('valid_until', '<', this.knex.fn.now())
      .where((q) =>
        q
          .whereNull('lease_expires_at')
          .orWhere('lease_expires_at', '<', this.knex.fn.now())
          .orWhere('state', 'sent'),
      )
      .limit(limit)
      .select(
        'id',
        'state',
        'valid_until as validUntil',
        'requested_by as requestedBy',
        'rule_id as ruleId',
        'event_id as eventId',
      );
  }

  /** Early outcomes nobody claimed within a day were for operations we never had. */
  async purgeEarlyOutcomes(): Promise<void> {
    await this.knex('early_outcomes')
      .where('received_at', '<', this.knex.raw("now() - interval '1 day'"))
      .del();
  }

  /**
   * Keeps the claim of an operation whose dispatch got no answer, and lets it lapse after
   * `delayMs`: the next claim is then a takeover, which dispatches the same attempt again.
   */
  retrySameAttempt(
    op: Operation,
    attempt: number,
    delayMs: number,
    error: Record<string, unknown>,
  ): Promise<void> {
    return this.knex.transaction(async (trx) => {
      const updated = await trx('operations')
        .where({ id: op.id, state: 'pending', lease_owner: this.owner })
        .update({
          lease_expires_at: trx.raw(`now() + make_interval(secs => ?)`, [delayMs / 1000]),
          error: JSON.stringify(error),
          updated_at: trx.fn.now(),
        });
      if (updated === 0) return;
      await this.attemptEnded(op.id, attempt, 'unanswered', error, trx);
      await appendAudit(trx, {
        actor: `stack:${op.stack}`,
        action: 'operation.dispatch_unanswered',
        entityType: 'operation',
        entityId: op.id,
        fromState: 'pending',
        toState: 'pending',
        reason: {
          operationId: op.id,
          attempt,
          requestedBy: op.requestedBy,
          ruleId: op.ruleId,
          eventId: op.eventId,
        },
        details: error,
      });
    });
  }
}
