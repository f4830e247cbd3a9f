import type { Knex } from 'knex';
import type { StackError } from '../stacks/stack-adapter.js';
import type { OperationStore } from './operation-store.js';
import { terminalStates, type Stack } from './vocabulary.js';

export interface ReportedOutcome {
  stack: Stack;
  /** What the adapter returned with status 'sent' (SGP.02 MessageID, SGP.32 eimTransactionId). */
  correlationId: string;
  outcome: 'succeeded' | 'failed' | 'expired';
  result?: Record<string, unknown>;
  error?: StackError;
  /** Who reported it: "platform:<id>", "stack:sgp32"... */
  actor: string;
  reason?: Record<string, unknown>;
}

/**
 * How a stack reports the end of an operation it acknowledged earlier. Idempotent: the same
 * outcome delivered twice ends the operation once ('duplicate' the second time). 'unknown' when no
 * operation has the correlation id; the outcome is kept, and applied if the worker records that
 * correlation id just after (a peer that answered before the worker stored its 'sent').
 */
export interface OperationOutcomes {
  report(input: ReportedOutcome, trx?: Knex.Transaction): Promise<'applied' | 'duplicate' | 'unknown'>;
}

export class StoreOperationOutcomes implements OperationOutcomes {
  constructor(private readonly operations: OperationStore) {}

  async report(input: ReportedOutcome, trx?: Knex.Transaction): Promise<'applied' | 'duplicate' | 'unknown'> {
    const op =
      (await this.operations.findByCorrelation(input.stack, input.correlationId, trx)) ??
      // Perhaps the worker has not recorded 'sent' yet: then it applies this outcome when it does.
      (await this.operations.holdEarlyOutcome(input, trx));
    if (!op) return 'unknown';
    if (terminalStates.includes(op.state)) return 'duplicate';
    const moved = await this.operations.transition(
      op.id,
      ['sent'],
      {
        to: input.outcome,
        actor: input.actor,
        reason: input.reason,
        result: input.result,
        error: input.error ? { ...input.error } : undefined,
      },
      trx,
    );
    // Not in 'sent' any more: another delivery of the same outcome won the race.
    return moved ? 'applied' : 'duplicate';
  }
}
