import type { Rejection } from './store/eim-store.js';

/** Why the eIM refused something a device sent; recorded with the rejection. */
export type RejectionReason =
  | 'malformed'
  | 'unknownEid'
  | 'unknownEuiccCertificate'
  | 'badCertificate'
  | 'badSignature'
  | 'unknownTransaction'
  | 'replayed'
  | 'mismatch';

/**
 * A result, notification or certificate the eIM does not accept: forged, replayed, for another
 * package, or unverifiable. The handler records it and answers the device with the spec's error.
 */
export class EimRejection extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
    readonly context: { eid?: string; eimTransactionId?: string } = {},
  ) {
    super(message);
    this.name = 'EimRejection';
  }
}

/** What is recorded of a rejection: its reason, where it came from, and the bytes received. */
export function rejectionRecord(
  fn: string,
  e: EimRejection,
  eid: string | undefined,
  body: Uint8Array | undefined,
): Rejection {
  return {
    eid: e.context.eid ?? eid ?? null,
    eimTransactionId: e.context.eimTransactionId ?? null,
    function: fn,
    reason: e.reason,
    message: e.message,
    body: body ?? null,
  };
}
