/** Faults an IPA can be told to suffer (CLI flags, `POST /sim/faults`). */

export interface Faults {
  /** No request leaves the device. */
  offline: boolean;
  /** The next N requests reach the eIM but their answers are lost on the way back. */
  dropResponses: number;
  /** Added before each request and before each answer is read: a slow link. */
  latencyMs: number;
  /**
   * The next N signed things the IPA sends (package results, notifications) go out with a
   * corrupted eUICC signature: a tampered device, for the eIM to reject.
   */
  forgeSignatures: number;
  /**
   * The next N profile switches leave the device without connectivity: the IPA rolls back
   * (ES10b.ProfileRollback) when the eIM allowed it, and otherwise stays offline.
   */
  switchFails: number;
}

export const NO_FAULTS: Faults = {
  offline: false,
  dropResponses: 0,
  latencyMs: 0,
  forgeSignatures: 0,
  switchFails: 0,
};

export class OfflineError extends Error {
  constructor() {
    super('device is offline (fault injected)');
  }
}

export class DroppedResponseError extends Error {
  constructor() {
    super('response dropped (fault injected)');
  }
}

/** The device rebooted while this exchange was under way; its outcome belongs to nobody. */
export class RebootedError extends Error {
  constructor() {
    super('device rebooted during the exchange');
  }
}

export const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));
