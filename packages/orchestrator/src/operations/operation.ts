import type { OperationState, OperationType, Stack } from './vocabulary.js';

/** An operation as the product sees it (one row of `operations`). */
export interface Operation {
  id: string;
  eid: string;
  deviceId: string | null;
  stack: Stack;
  type: OperationType;
  params: Record<string, unknown>;
  state: OperationState;
  priority: number;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: Date;
  validUntil: Date | null;
  correlationId: string | null;
  result: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  ruleId: string | null;
  ruleVersion: number | null;
  eventId: string | null;
  requestedBy: string;
  idempotencyKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  finishedAt: Date | null;
}

export interface NewOperation {
  eid: string;
  deviceId?: string | null;
  stack: Stack;
  type: OperationType;
  params: Record<string, unknown>;
  priority?: number;
  maxAttempts?: number;
  validUntil?: Date | null;
  ruleId?: string | null;
  ruleVersion?: number | null;
  eventId?: string | null;
  /** The actor who asked: "api:<token>", "rule:<id>", "system". */
  requestedBy: string;
  idempotencyKey?: string | null;
  /** Why, for the audit log (rule id + event id, API request...). */
  reason?: Record<string, unknown>;
}

export interface Transition {
  to: OperationState;
  actor: string;
  reason?: Record<string, unknown>;
  correlationId?: string | null;
  result?: Record<string, unknown> | null;
  error?: Record<string, unknown> | null;
  /** For a move back to pending: when to try again. */
  nextAttemptAt?: Date;
  /** Count this as one more attempt (a dispatch). */
  countAttempt?: boolean;
}
