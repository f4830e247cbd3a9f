import type { OperationOutcomes } from '../../src/operations/outcomes.js';
import type { OperationType, Stack } from '../../src/operations/vocabulary.js';
import type {
  DispatchOutcome,
  DispatchRequest,
  StackAdapter,
  Support,
} from '../../src/stacks/stack-adapter.js';

/** What the remote peer does with a request for one eUICC. */
export type PeerBehaviour =
  /** Accepts, then reports success later (like an SM-SR's Handle*Notification). */
  | 'async-success'
  /** Reports success before its answer to the dispatch is even returned (a very fast peer). */
  | 'report-first'
  /** Runs it, but its first answer is lost on the way back (the adapter throws). */
  | 'lose-first-answer'
  | 'sync-success'
  | 'refuse'
  /** Busy for the first `n` attempts (retryable), then accepts synchronously. */
  | { busyFor: number };

/**
 * A peer double of a stack: it behaves like a remote platform (answers at once, reports the end
 * later through OperationOutcomes, fails, refuses) and records every execution, keyed by
 * (operation, attempt) as a real peer keys by FunctionCallIdentifier, so a repeated dispatch of the
 * same attempt is recognised and not executed twice.
 */
export class PeerAdapter implements StackAdapter {
  readonly executions: DispatchRequest[] = [];
  readonly duplicates: DispatchRequest[] = [];
  /** Most concurrent dispatches seen for one eUICC. */
  maxConcurrentPerEid = 0;
  /** What OperationOutcomes answered the last report made before the dispatch returned. */
  lastEarlyReport: string | undefined;
  private readonly active = new Map<string, number>();
  private readonly answers = new Map<string, DispatchOutcome>();

  constructor(
    readonly stack: Stack,
    private readonly outcomes: OperationOutcomes,
    private readonly behaviour: (eid: string) => PeerBehaviour = () => 'async-success',
    private readonly unsupported: readonly OperationType[] = [],
    private readonly reportDelayMs = 20,
  ) {}

  supports(type: OperationType): Support {
    return this.unsupported.includes(type)
      ? { supported: false, reason: `the ${this.stack} peer has no ${type}` }
      : { supported: true };
  }

  async dispatch(request: DispatchRequest): Promise<DispatchOutcome> {
    const key = `${request.operationId}/${request.attempt}`;
    const seen = this.answers.get(key);
    if (seen) {
      this.duplicates.push(request);
      return seen;
    }
    const now = (this.active.get(request.eid) ?? 0) + 1;
    this.active.set(request.eid, now);
    this.maxConcurrentPerEid = Math.max(this.maxConcurrentPerEid, now);
    await new Promise((r) => setTimeout(r, 2));
    this.active.set(request.eid, now - 1);
    const answer = this.answer(request);
    if (answer.status !== 'failed') this.executions.push(request);
    this.answers.set(key, answer);
    const b = this.behaviour(request.eid);
    if (answer.status === 'sent' && b === 'report-first')
      this.lastEarlyReport = await this.outcomes.report({
        stack: this.stack,
        correlationId: answer.correlationId,
        outcome: 'succeeded',
        result: { reportedBy: 'peer' },
        actor: `platform:peer-${this.stack}`,
      });
    else if (answer.status === 'sent') this.reportLater(answer.correlationId);
    // Done on the card, but the answer never reaches the orchestrator.
    if (b === 'lose-first-answer') throw new Error('socket hang up');
    return answer;
  }

  private answer(request: DispatchRequest): DispatchOutcome {
    const b = this.behaviour(request.eid);
    if (b === 'refuse')
      return {
        status: 'failed',
        retryable: false,
        error: { code: 'refused', message: 'profile not allowed' },
      };
    if (typeof b === 'object' && request.attempt <= b.busyFor)
      return { status: 'failed', retryable: true, error: { code: 'busy', message: 'try later' } };
    if (b === 'async-success' || b === 'report-first' || b === 'lose-first-answer')
      return { status: 'sent', correlationId: `peer-${request.operationId}` };
    return { status: 'succeeded', result: { done: request.type } };
  }

  /** Reports until the orchestrator knows the operation as sent (its answer may not be stored yet). */
  private reportLater(correlationId: string): void {
    const attempt = async (left: number): Promise<void> => {
      await new Promise((r) => setTimeout(r, this.reportDelayMs));
      const r = await this.outcomes.report({
        stack: this.stack,
        correlationId,
        outcome: 'succeeded',
        result: { reportedBy: 'peer' },
        actor: `platform:peer-${this.stack}`,
      });
      if (r === 'unknown' && left > 0) return attempt(left - 1);
    };
    void attempt(50).catch(() => undefined);
  }
}
