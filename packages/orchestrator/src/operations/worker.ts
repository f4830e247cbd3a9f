import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { DispatchOutcome, StackAdapter } from '../stacks/stack-adapter.js';
import { RoundLoop } from '../scheduling/round-loop.js';
import { backoffMs } from './backoff.js';
import { KnexOperationQueue, type Claimed } from './knex-operation-queue.js';
import type { Transition } from './operation.js';
import type { OperationStore } from './operation-store.js';
import { stacks, type Stack } from './vocabulary.js';

export interface WorkerOptions {
  knex: Knex;
  store: OperationStore;
  /** Read at every round: a stack that starts later is served from then on. */
  adapters: ReadonlyMap<string, StackAdapter>;
  logger: Logger;
  pollMs: number;
  leaseSeconds: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Operations handed to stacks at once. */
  batch?: number;
}

/**
 * Runs the operation state machine: claims due operations from the queue, hands each to the
 * adapter of its stack, records the answer (sent / succeeded / failed, or pending again with a
 * backoff when the failure is retryable), and expires what outlived its validity period.
 * Every move goes through the OperationStore, so each is checked and audited with its origin.
 */
export class OperationWorker {
  readonly owner = `worker:${randomUUID()}`;
  private readonly queue: KnexOperationQueue;
  private readonly loop: RoundLoop;

  constructor(private readonly o: WorkerOptions) {
    this.queue = new KnexOperationQueue(o.knex, this.owner);
    this.loop = new RoundLoop(() => this.round(), o.pollMs, o.logger, 'operation worker');
  }

  start(): void {
    this.loop.start();
  }

  /** Runs a round now (or right after the current one). */
  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass: expire, then claim and dispatch until nothing is due. Returns the operations dispatched. */
  async round(): Promise<number> {
    await this.expire();
    let total = 0;
    for (;;) {
      const served = stacks.filter((s) => this.o.adapters.has(s));
      const claimed = await this.queue.claim(served, this.o.batch ?? 16, this.o.leaseSeconds);
      if (claimed.length === 0) return total;
      await Promise.all(claimed.map((c) => this.dispatch(c)));
      total += claimed.length;
      if (this.loop.isStopped) return total;
    }
  }

  private async expire(): Promise<void> {
    await this.queue.purgeEarlyOutcomes();
    for (const op of await this.queue.dueToExpire(100)) {
      await this.o.store.transition(op.id, [op.state], {
        to: 'expired',
        actor: 'system:worker',
        reason: {
          why: 'validity period ended',
          validUntil: op.validUntil,
          requestedBy: op.requestedBy,
          ruleId: op.ruleId,
          eventId: op.eventId,
        },
      });
    }
  }

  private async dispatch({ operation: op, attempt, takenOver }: Claimed): Promise<void> {
    const adapter = this.o.adapters.get(op.stack)!;
    const origin = {
      operationId: op.id,
      attempt,
      requestedBy: op.requestedBy,
      ruleId: op.ruleId,
      eventId: op.eventId,
    };
    const actor = `stack:${op.stack}`;
    const support = adapter.supports(op.type);
    let outcome: DispatchOutcome;
    if (!support.supported) {
      outcome = {
        status: 'failed',
        retryable: false,
        error: { code: 'unsupported_operation', message: support.reason },
      };
    } else {
      try {
        outcome = await adapter.dispatch({
          operationId: op.id,
          eid: op.eid,
          type: op.type,
          params: op.params,
          validUntil: op.validUntil,
          attempt,
        });
      } catch (e) {
        // No answer (timeout, connection lost): the stack may have run it. Try the same attempt
        // again later, which the peer recognises, never a new one (INTERPRETATION.md).
        const unanswered = Number(op.error?.unanswered ?? 0) + 1;
        await this.queue.retrySameAttempt(
          op,
          attempt,
          backoffMs(unanswered, this.o.retryBaseMs, this.o.retryMaxMs),
          {
            code: 'dispatch_unanswered',
            message: (e as Error).message,
            stack: op.stack,
            unanswered,
          },
        );
        return;
      }
    }
    const t = this.transitionFor(op.stack, outcome, attempt, op.maxAttempts, op.validUntil);
    await this.o.knex.transaction(async (trx) => {
      const early =
        t.to === 'sent' ? await this.o.store.takeEarlyOutcome(op.stack, t.correlationId!, trx) : undefined;
      const moved = await this.o.store.transition(
        op.id,
        ['pending'],
        { ...t, actor, reason: { ...origin, ...(takenOver ? { takenOver } : {}), ...t.reason } },
        trx,
      );
      await this.queue.attemptEnded(
        op.id,
        attempt,
        outcome.status,
        { ...outcome, moved: moved !== undefined },
        trx,
      );
      if (early && moved?.state === 'sent')
        await this.o.store.transition(
          op.id,
          ['sent'],
          {
            to: early.outcome,
            actor: early.actor,
            reason: { ...early.reason, reportedBeforeSent: true },
            result: early.result,
            error: early.error ? { ...early.error } : undefined,
          },
          trx,
        );
    });
  }

  private transitionFor(
    stack: Stack,
    outcome: DispatchOutcome,
    attempt: number,
    maxAttempts: number,
    validUntil: Date | null,
  ): Omit<Transition, 'actor'> {
    switch (outcome.status) {
      case 'sent':
        return { to: 'sent', correlationId: outcome.correlationId };
      case 'succeeded':
        return { to: 'succeeded', result: outcome.result ?? {} };
      case 'failed': {
        const error = { ...outcome.error, stack };
        const next = new Date(Date.now() + backoffMs(attempt, this.o.retryBaseMs, this.o.retryMaxMs));
        const canRetry = outcome.retryable && attempt < maxAttempts && (!validUntil || next < validUntil);
        if (canRetry)
          return { to: 'pending', error, nextAttemptAt: next, reason: { retryAt: next.toISOString() } };
        return {
          to: 'failed',
          error,
          reason: { why: outcome.retryable ? 'no attempt or validity left' : 'refused by the stack' },
        };
      }
    }
  }
}
