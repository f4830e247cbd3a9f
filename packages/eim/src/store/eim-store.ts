/**
 * Storage of the eIM, behind one interface (Leshan style): the engine never sees SQL. The knex
 * implementation runs on PostgreSQL and PGlite; one conformance suite tests both.
 */

export type EimPackageKind = 'euiccPackage' | 'ipaEuiccData' | 'profileDownloadTrigger';
export type EimPackageState = 'pending' | 'delivered' | 'done' | 'failed' | 'expired';

export interface NewEimPackage {
  eid: string;
  eimId: string;
  kind: EimPackageKind;
  /** Hex of the eimTransactionId carried in the package. */
  eimTransactionId: string;
  /** The counterValue signed into an eUICC package; null for the other kinds. */
  counterValue: number | null;
  /** DER of the GetEimPackageResponse handed to the IPA, exactly as sent. */
  body: Uint8Array;
  /** Who asked for it (an operation id), so the result finds its way back. */
  requestedBy: string | null;
  validUntil: Date | null;
}

export interface EimPackage extends NewEimPackage {
  id: string;
  /** Handed out instead of `body` while the eIM recovers the package's result from the eUICC. */
  handout: Uint8Array | null;
  state: EimPackageState;
  deliveries: number;
  deliveredAt: Date | null;
  completedAt: Date | null;
  result: Record<string, unknown> | null;
  createdAt: Date;
}

export interface EimAssociation {
  eimId: string;
  eid: string;
  /** The last counterValue allocated to a package for this eUICC. */
  counterValue: number;
  associationToken: number | null;
}

export interface EuiccCertificates {
  euiccCertificate: Uint8Array;
  eumCertificate: Uint8Array;
}

export interface Rejection {
  eid: string | null;
  eimTransactionId: string | null;
  /** The ESipa function that carried it (ProvideEimPackageResult, HandleNotification...). */
  function: string;
  /** Stable code: badSignature, replayed, unknownTransaction, counterMismatch, ... */
  reason: string;
  message: string;
  body: Uint8Array | null;
}

export interface RecordedRejection extends Rejection {
  id: string;
  receivedAt: Date;
}

export type RelaySessionState = 'initiated' | 'authenticated' | 'downloading' | 'cancelled' | 'done';

export interface RelaySession {
  /** Hex of the SM-DP+'s TransactionId. */
  transactionId: string;
  eid: string | null;
  smdpAddress: string;
  eimTransactionId: string | null;
  state: RelaySessionState;
}

export interface DeliveryResult {
  /** The package to hand to the device now: the one in flight again, or the oldest pending one. */
  delivered?: EimPackage;
  /** Packages that passed their validity while waiting, now 'expired'. */
  expired: EimPackage[];
}

export interface EimStore {
  /** Associates the eUICC with our eimId if it is not yet; returns the association either way. */
  associate(eimId: string, eid: string, associationToken?: number | null): Promise<EimAssociation>;
  getAssociation(eimId: string, eid: string): Promise<EimAssociation | undefined>;
  /** The association token the eUICC created for us (it then signs results over it too). */
  setAssociationToken(eimId: string, eid: string, associationToken: number): Promise<void>;
  /**
   * The next counterValue for a package to the eUICC: strictly increasing, allocated by the
   * database (one atomic statement), so never reused across crashes or instances. Associates the
   * eUICC on first use.
   */
  allocateCounter(eimId: string, eid: string): Promise<number>;

  enqueue(pkg: NewEimPackage): Promise<EimPackage>;
  /**
   * Allocates the eUICC's next counterValue, builds (signs) the package with it and queues it, as
   * one unit: while it runs no other instance allocates for that eUICC, so queue order is counter
   * order and the eUICC never sees a lower counter after a higher one. A counter whose package
   * was not stored is not spent.
   */
  enqueueWithCounter(
    eimId: string,
    eid: string,
    build: (counterValue: number) => Promise<NewEimPackage>,
  ): Promise<EimPackage>;
  /** Expires what is due for the EID, then hands out the package in flight or marks the oldest pending one delivered. */
  nextForDelivery(eid: string): Promise<DeliveryResult>;
  /**
   * What a poll finds, in one round trip (the hot path of a fleet polling with nothing to do):
   * 'unknown' (the EID is not associated with `eimId`), 'idle' (nothing waits), 'waiting'.
   */
  pollState(eimId: string, eid: string): Promise<'unknown' | 'idle' | 'waiting'>;
  findByTransaction(eimTransactionId: string): Promise<EimPackage | undefined>;
  /**
   * Ends a package with its verified result, only from one of `from`; false when it was not in
   * one of them any more (another instance or a duplicate result got there first).
   */
  complete(
    id: string,
    from: readonly EimPackageState[],
    to: 'done' | 'failed',
    result: Record<string, unknown>,
  ): Promise<EimPackage | undefined>;
  /**
   * Hands out `handout` instead of the package in flight from now on, only while it is 'delivered'
   * and not already recovering; false otherwise. Used to ask the eUICC for a result it already produced.
   */
  recoverInFlight(id: string, handout: Uint8Array): Promise<boolean>;
  /** Expires every package past its validity (a background sweep for devices that stopped polling). */
  expireDue(): Promise<EimPackage[]>;
  listPackages(eid: string): Promise<EimPackage[]>;

  saveCertificates(eid: string, certificates: EuiccCertificates): Promise<void>;
  getCertificates(eid: string): Promise<EuiccCertificates | undefined>;

  /** Records a notification's sequence number; false when it was seen before (a replay). */
  recordNotification(
    eid: string,
    seqNumber: number,
    operation: string,
    iccid: string | null,
  ): Promise<boolean>;

  recordRejection(rejection: Rejection): Promise<void>;
  listRejections(eid?: string): Promise<RecordedRejection[]>;

  createRelaySession(session: RelaySession): Promise<void>;
  getRelaySession(transactionId: string): Promise<RelaySession | undefined>;
  /** Moves a session to `to` only from one of `from`; false when it was elsewhere. */
  moveRelaySession(
    transactionId: string,
    from: readonly RelaySessionState[],
    to: RelaySessionState,
  ): Promise<boolean>;
  deleteRelaySession(transactionId: string): Promise<boolean>;
}
