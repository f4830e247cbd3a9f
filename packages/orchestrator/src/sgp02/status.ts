import type { StackError } from '../stacks/stack-adapter.js';
import { child, text, type XmlNode } from './soap/xml.js';

export const executionStatuses = ['EXECUTED_SUCCESS', 'EXECUTED_WITHWARNING', 'FAILED', 'EXPIRED'] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

/** FunctionExecutionStatus of a response: Status and, unless a plain success, StatusCodeData. */
export interface FunctionExecutionStatus {
  status: ExecutionStatus;
  /** Subject code, e.g. `8.2.1` (Profile ICCID). */
  subject?: string;
  /** Reason code, e.g. `3.9` (Unknown). */
  reason?: string;
  subjectIdentifier?: string;
  message?: string;
}

/** The statuses as the prose writes them (`Executed-Success`) are read too (docs/INTERPRETATION.md). */
export function parseExecutionStatus(response: XmlNode): FunctionExecutionStatus | undefined {
  const fes = child(response, 'FunctionExecutionStatus');
  const raw = text(fes, 'Status');
  if (!raw) return undefined;
  const status = raw.toUpperCase().replace(/-/g, '_');
  if (!(executionStatuses as readonly string[]).includes(status)) return undefined;
  const data = child(fes, 'StatusCodeData');
  return {
    status: status as ExecutionStatus,
    subject: text(data, 'Subject'),
    reason: text(data, 'Reason'),
    subjectIdentifier: text(data, 'SubjectIdentifier'),
    message: text(data, 'Message'),
  };
}

/** Subject 1.2 (function provider) reason 4.4 (busy) and 1.6 / 5.4 (no response): worth trying again. */
export function isRetryable(s: FunctionExecutionStatus): boolean {
  return (s.subject === '1.2' && s.reason === '4.4') || (s.subject === '1.6' && s.reason === '5.4');
}

/** How a FAILED or EXPIRED answer ends an operation; undefined for the two executed statuses. */
export function failureOf(
  fn: string,
  s: FunctionExecutionStatus,
): { outcome: 'failed' | 'expired'; error: StackError } | undefined {
  if (s.status !== 'FAILED' && s.status !== 'EXPIRED') return undefined;
  return {
    outcome: s.status === 'FAILED' ? 'failed' : 'expired',
    error: {
      code: s.status === 'FAILED' ? 'sgp02_failed' : 'sgp02_expired',
      message: `${fn}: ${s.status}${s.message ? `: ${s.message}` : ''}`,
      details: { ...s },
    },
  };
}
