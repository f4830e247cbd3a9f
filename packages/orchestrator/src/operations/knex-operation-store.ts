import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.js';
import { UnprocessableError } from '../errors.js';
import type { NewOperation, Operation, Transition } from './operation.js';
import type { OperationStore } from './operation-store.js';
import type { ReportedOutcome } from './outcomes.js';
import { allowedTransitions, terminalStates, type OperationState, type Stack } from './vocabulary.js';

interface Row {
  id: string;
  eid: string;
  device_id: string | null;
  stack: Stack;
  type: Operation['type'];
  params: Record<string, unknown>;
  state: OperationState;
  priority: number;
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date;
  valid_until: Date | null;
  correlation_id: string | null;
  result: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  rule_id: string | null;
  rule_version: number | null;
  event_id: string | null;
  requested_by: string;
  idempotency_key: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  finished_at: Date | null;
}

export function toOperation(r: Row): Operation {
  return {
    id: r.id,
    eid: r.eid,
    deviceId: r.device_id,
    stack: r.stack,
    type: r.type,
    params: r.params,
    state: r.state,
    priority: r.priority,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    nextAttemptAt: r.next_attempt_at,
    validUntil: r.valid_until,
    correlationId: r.correlation_id,
    result: r.result,
    error: r.error,
    ruleId: r.rule_id,
    ruleVersion: r.rule_version,
    eventId: r.event_id,
    requestedBy: r.requested_by,
    idempotencyKey: r.idempotency_key,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
    finishedAt: r.finished_at,
  };
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export class KnexOperationStore implements OperationStore {
  constructor(private readonly knex: Knex) {}

  private inTransaction<T>(
    trx: Knex.Transaction | undefined,
    fn: (trx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    return trx ? fn(trx) : this.knex.transaction(fn);
  }

  create(op: NewOperation, trx?: Knex.Transaction): Promise<Operation> {
    return this.inTransaction(trx, async (t) => {
      const [row] = await t<Row>('operations')
        .insert({
          eid: op.eid,
          device_id: op.deviceId ?? null,
          stack: op.stack,
          type: op.type,
          params: json(op.params),
          priority: op.priority ?? 0,
          max_attempts: op.maxAttempts ?? 5,
          valid_until: op.validUntil ?? null,
          rule_id: op.ruleId ?? null,
          rule_version: op.ruleVersion ?? null,
          event_id: op.eventId ?? null,
          requested_by: op.requestedBy,
          idempotency_key: op.idempotencyKey ?? null,
        } as never)
        .returning('*');
      const created = toOperation(row as Row);
      await appendAudit(t, {
        actor: op.requestedBy,
        action: 'operation.created',
        entityType: 'operation',
        entityId: created.id,
        toState: created.state,
        reason: op.reason,
        details: { eid: op.eid, stack: op.stack, type: op.type, params: op.params },
      });
      return created;
    });
  }

  async get(id: string, trx?: Knex.Transaction): Promise<Operation | undefined> {
    const row = await (trx ?? this.knex)<Row>('operations').where({ id }).first();
    return row ? toOperation(row as Row) : undefined;
  }

  async findByCorrelation(
    stack: Stack,
    correlationId: string,
    trx?: Knex.Transaction,
  ): Promise<Operation | undefined> {
    const row = await (trx ?? this.knex)<Row>('operations')
      .where({ stack, correlation_id: correlationId })
      .orderBy('created_at', 'desc')
      .first();
    return row ? toOperation(row as Row) : undefined;
  }

  async transition(
    id: string,
    from: readonly OperationState[],
    t: Transition,
    trx?: Knex.Transaction,
  ): Promise<Operation | undefined> {
    const illegal = from.filter((f) => !allowedTransitions[f].includes(t.to));
    if (illegal.length > 0) {
      throw new UnprocessableError(`an operation cannot go from ${illegal.join('/')} to ${t.to}`, {
        from: illegal,
        to: t.to,
      });
    }
    return this.inTransaction(trx, async (tx) => {
      const current = await tx<Row>('operations').where({ id }).whereIn('state', from).forUpdate().first();
      if (!current) return undefined;
      const now = new Date();
      const update: Record<string, unknown> = { state: t.to, updated_at: now };
      if (t.correlationId !== undefined) update.correlation_id = t.correlationId;
      if (t.result !== undefined) update.result = json(t.result);
      if (t.error !== undefined) update.error = json(t.error);
      if (t.countAttempt) update.attempts = current.attempts + 1;
      if (t.to === 'sent') update.sent_at = now;
      if (t.to === 'pending') update.next_attempt_at = t.nextAttemptAt ?? now;
      if (t.to !== 'sent' && t.to !== 'pending') update.finished_at = now;
      if (terminalStates.includes(t.to) || t.to === 'pending') {
        update.lease_owner = null;
        update.lease_expires_at = null;
      }
      const [row] = await tx<Row>('operations')
        .where({ id })
        .update(update as never)
        .returning('*');
      await appendAudit(tx, {
        actor: t.actor,
        action: `operation.${t.to}`,
        entityType: 'operation',
        entityId: id,
        fromState: current.state,
        toState: t.to,
        reason: t.reason,
        details: {
          ...(t.correlationId ? { correlationId: t.correlationId } : {}),
          ...(t.error ? { error: t.error } : {}),
          ...(t.result ? { result: t.result } : {}),
        },
      });
      return toOperation(row as Row);
    });
  }

  /**
   * Both sides of the race (a report arriving while the worker records 'sent') take the same
   * transaction-scoped advisory lock on the correlation id: whichever comes second sees what the
   * first committed, so an early outcome is either found by the worker or finds the operation.
   */
  private lockCorrelation(trx: Knex.Transaction, stack: Stack, correlationId: string) {
    return trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`outcome:${stack}:${correlationId}`]);
  }

  holdEarlyOutcome(outcome: ReportedOutcome, trx?: Knex.Transaction): Promise<Operation | undefined> {
    return this.inTransaction(trx, async (t) => {
      await this.lockCorrelation(t, outcome.stack, outcome.correlationId);
      const op = await this.findByCorrelation(outcome.stack, outcome.correlationId, t);
      if (op) return op;
      await t('early_outcomes')
        .insert({
          stack: outcome.stack,
          correlation_id: outcome.correlationId,
          outcome: JSON.stringify(outcome),
        })
        .onConflict(['stack', 'correlation_id'])
        .ignore();
      return undefined;
    });
  }

  async takeEarlyOutcome(
    stack: Stack,
    correlationId: string,
    trx: Knex.Transaction,
  ): Promise<ReportedOutcome | undefined> {
    await this.lockCorrelation(trx, stack, correlationId);
    const [row] = await trx('early_outcomes')
      .where({ stack, correlation_id: correlationId })
      .del()
      .returning<{ outcome: ReportedOutcome }[]>('outcome');
    return row?.outcome;
  }
}
