import type { Knex } from 'knex';

export type ObservedProfileState = 'created' | 'disabled' | 'enabled' | 'deleted';

/** A profile as a stack reports it (an EIS ProfileInfo, an SGP.32 ProfileInfo). */
export interface ProfileSnapshot {
  iccid: string;
  state: Exclude<ObservedProfileState, 'deleted'>;
  fallback?: boolean;
  emergency?: boolean;
  isdpAid?: string;
  operator?: string;
  platformId?: string;
  profileType?: string;
  profileClass?: 'test' | 'provisioning' | 'operational';
  msisdn?: string;
  imsi?: string;
}

interface Observed {
  /** Who learned it: "platform:<id>", "stack:sgp32"... */
  actor: string;
  /** Why we believe it: notification id, operation id, audit... */
  reason?: Record<string, unknown>;
}

export type ObservationResult = 'applied' | 'unchanged';

/**
 * Facts a stack learned about an eUICC, applied to the inventory. Each is idempotent (a fact
 * delivered twice changes the inventory once and says 'unchanged' the second time) and every
 * change is written to the audit log in the same transaction. The inventory holds no secrets:
 * these are states, identifiers and addresses only.
 */
export interface InventoryObservations {
  /** Enabling a profile disables the one that was enabled before on the same eUICC. */
  profileStateChanged(
    o: Observed & { eid: string; iccid: string; state: ObservedProfileState },
    trx?: Knex.Transaction,
  ): Promise<ObservationResult>;
  /** A profile now exists on the eUICC (download completed); creates or completes its row. */
  profileInstalled(
    o: Observed & { eid: string } & ProfileSnapshot,
    trx?: Knex.Transaction,
  ): Promise<ObservationResult>;
  /** Setting the fallback attribute on one profile removes it from the others of the eUICC. */
  fallbackChanged(
    o: Observed & { eid: string; iccid: string; fallback: boolean },
    trx?: Knex.Transaction,
  ): Promise<ObservationResult>;
  emergencyChanged(
    o: Observed & { eid: string; iccid: string; emergency: boolean },
    trx?: Knex.Transaction,
  ): Promise<ObservationResult>;
  subscriptionAddressChanged(
    o: Observed & { iccid: string; msisdn?: string; imsi?: string },
    trx?: Knex.Transaction,
  ): Promise<ObservationResult>;
  smsrChanged(
    o: Observed & { eid: string; smsrId: string },
    trx?: Knex.Transaction,
  ): Promise<ObservationResult>;
  /**
   * A full read of the eUICC (SGP.02 EIS, SGP.32 profile list): the snapshot is the truth, so
   * profiles of the eUICC absent from it are deleted and the others take its states. With a
   * `scope`, the read showed only the profiles of that platform (an SGP.02 EIS read through an
   * SM-DP): the eUICC's other profiles stay, giving up only the enabled state or the fallback
   * attribute when the snapshot gives it to one of its own.
   */
  euiccAudited(
    o: Observed & {
      eid: string;
      profiles: ProfileSnapshot[];
      info?: Record<string, unknown>;
      scope?: { platformId: string };
    },
    trx?: Knex.Transaction,
  ): Promise<ObservationResult>;
}
