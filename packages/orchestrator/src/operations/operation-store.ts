import type { Knex } from 'knex';
import type { ReportedOutcome } from './outcomes.js';
import type { NewOperation, Operation, Transition } from './operation.js';
import type { OperationState, Stack } from './vocabulary.js';

/**
 * Where operations live and how they change state. Every transition is checked against the
 * state machine, made only from the expected state (so two workers or a duplicated notification
 * cannot both win) and recorded in the audit log in the same transaction.
 */
export interface OperationStore {
  create(op: NewOperation, trx?: Knex.Transaction): Promise<Operation>;
  get(id: string, trx?: Knex.Transaction): Promise<Operation | undefined>;
  findByCorrelation(
    stack: Stack,
    correlationId: string,
    trx?: Knex.Transaction,
  ): Promise<Operation | undefined>;
  /**
   * Moves the operation from one of `from` to `transition.to`. Resolves with the updated
   * operation, or undefined when it was not in one of `from` any more (someone else moved it).
   */
  transition(
    id: string,
    from: readonly OperationState[],
    transition: Transition,
    trx?: Knex.Transaction,
  ): Promise<Operation | undefined>;
  /**
   * For an outcome whose correlation id no operation has (yet): resolves with the operation if
   * the worker recorded it meanwhile, else keeps the outcome for `takeEarlyOutcome`.
   */
  holdEarlyOutcome(outcome: ReportedOutcome, trx?: Knex.Transaction): Promise<Operation | undefined>;
  /** In the worker's transaction that records 'sent': removes and returns an outcome held for it. */
  takeEarlyOutcome(
    stack: Stack,
    correlationId: string,
    trx: Knex.Transaction,
  ): Promise<ReportedOutcome | undefined>;
}
