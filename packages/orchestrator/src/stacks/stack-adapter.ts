import type { OperationType, Stack } from '../operations/vocabulary.js';

export interface DispatchRequest {
  readonly operationId: string;
  readonly eid: string;
  readonly type: OperationType;
  /** Validated against OperationParams[type]. */
  readonly params: Record<string, unknown>;
  /** After this instant the operation must not run any more; stacks pass it on (SGP.02 ValidityPeriod). */
  readonly validUntil: Date | null;
  /** 1 for the first try. */
  readonly attempt: number;
}

export interface StackError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type DispatchOutcome =
  /** Accepted; the outcome arrives later and is reported through OperationOutcomes with this id. */
  | { status: 'sent'; correlationId: string }
  /** Done within the call. */
  | { status: 'succeeded'; result?: Record<string, unknown> }
  /** Not done; `retryable` says whether trying again later may succeed (busy, unreachable) or not (refused). */
  | { status: 'failed'; error: StackError; retryable: boolean };

export type Support = { supported: true } | { supported: false; reason: string };

/**
 * One stack (SGP.02 or SGP.32) as the operation queue sees it: it maps the shared vocabulary to
 * the stack's own functions, or refuses with a reason when the standard has no such function.
 */
export interface StackAdapter {
  readonly stack: Stack;
  supports(type: OperationType): Support;
  dispatch(request: DispatchRequest): Promise<DispatchOutcome>;
}
