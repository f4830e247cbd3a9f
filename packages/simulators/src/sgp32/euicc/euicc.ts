/**
 * A simulated SGP.32 eUICC at the ES10b level: it executes eIM-signed eUICC packages, keeps its
 * eIM configuration and notification list, and signs what it returns with its own key. All of
 * its memory is `state`, a plain object: `new Euicc(credentials, euicc.snapshot())` is a reboot.
 */
import type { AddInitialEimRequest, PendingNotification } from '@esim/asn1';
import {
  derOf,
  encode,
  EuiccPackageErrorCode,
  EuiccPackageErrorDataSigned,
  EuiccPackageResult,
  EuiccPackageResultDataSigned,
  EuiccPackageSigned,
  ProfileDownloadTriggerRequest,
  ProfileInstallationResult,
  RollbackProfileResult,
  schema,
  StateChangeCause,
  toJson,
  decode,
  type AddInitialEimResponse,
  type EuiccPackageRequest,
  type EuiccResultData,
  type IpaEuiccDataRequest,
  type IpaEuiccDataResponse,
  type ProfileRollbackResponse,
} from '@esim/asn1';
import type { EuiccCredentials } from '../pki/credentials.js';
import type { Card, NotificationEventName } from './card.js';
import { executeEco } from './eco.js';
import { addEim, eimPublicKey, findEim, MAX_COUNTER_VALUE } from './eim-configuration.js';
import { ipaEuiccData } from './ipa-euicc-data.js';
import { otherSignedNotification, signedNotificationRecord } from './notifications.js';
import { operationFailed, UNKNOWN_OR_DAMAGED_COMMAND } from './operation-status.js';
import { ProfileDownload } from './profile-download.js';
import { switchTo } from './profile-switch.js';
import { executePsmo } from './psmo.js';
import { signPlain, verifyPlain } from './signing.js';
import type { EimRecord, EuiccState, ProfileRecord } from './state.js';

const ASSOCIATION_TOKEN = schema.tag(4, schema.integer());
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

const PackageError = EuiccPackageErrorCode.values;
/** ProfileRollbackResponse.cmdResult ok / rollbackNotAllowed. */
const ROLLBACK_OK = 0;
const ROLLBACK_NOT_ALLOWED = 1;

export interface PendingNotificationEntry {
  seqNumber: number;
  notification: PendingNotification;
}

export interface EuiccOptions {
  /**
   * "Now" of the card's certificate validity checks (SM-DP+ certificates); default the system
   * clock. A real card may have no reliable time; the simulated one has this clock.
   */
  clock?: () => Date;
}

export class Euicc implements Card {
  readonly state: EuiccState;
  readonly clock: () => Date;
  /** ES10b profile download (GetEUICCChallenge ... LoadBoundProfilePackage); its session is volatile. */
  readonly download: ProfileDownload;

  constructor(
    readonly credentials: EuiccCredentials,
    state: EuiccState,
    options: EuiccOptions = {},
  ) {
    if (state.eid !== credentials.eid) {
      throw new Error(`state of EID ${state.eid} given to the eUICC ${credentials.eid}`);
    }
    this.state = structuredClone(state);
    this.clock = options.clock ?? (() => new Date());
    this.download = new ProfileDownload(this, this.clock);
  }

  get eid(): string {
    return this.state.eid;
  }

  get eidValue(): Uint8Array {
    return new Uint8Array(Buffer.from(this.state.eid, 'hex'));
  }

  /** A deep copy of the card's memory (what survives a reboot). */
  snapshot(): EuiccState {
    return structuredClone(this.state);
  }

  notify(event: NotificationEventName, profile: ProfileRecord): void {
    this.state.pending.push(
      signedNotificationRecord(this.credentials, this.state.nextSeqNumber++, event, profile),
    );
  }

  /**
   * ES10b.LoadEuiccPackage. Checks, in order: eIM known (else an unsigned error: nothing proves the
   * sender), eimSignature, EID, counterValue; then runs the operations until one fails.
   */
  loadEuiccPackage(request: EuiccPackageRequest): EuiccPackageResult {
    const signed = request.euiccPackageSigned;
    const transaction = signed.eimTransactionId ? { eimTransactionId: signed.eimTransactionId } : {};
    const eim = findEim(this, signed.eimId);
    // Verify over the bytes received; a package built in this process has none, so re-encode.
    const signedBytes = derOf(signed) ?? encode(EuiccPackageSigned, signed);
    if (!eim || !verifyPlain(eimPublicKey(eim), signedBytes, request.eimSignature)) {
      return { euiccPackageErrorUnsigned: { eimId: signed.eimId, ...transaction } };
    }
    const refuse = (euiccPackageErrorCode: number) =>
      this.signedError(eim, {
        eimId: signed.eimId,
        counterValue: signed.counterValue,
        ...transaction,
        euiccPackageErrorCode,
      });
    if (Buffer.compare(signed.eidValue, this.eidValue) !== 0) return refuse(PackageError.invalidEid);
    if (signed.counterValue <= eim.counterValue) return refuse(PackageError.replayError);
    if (signed.counterValue > MAX_COUNTER_VALUE) return refuse(PackageError.counterValueOutOfRange);
    eim.counterValue = signed.counterValue;
    // A new package closes the rollback window of the previous one.
    delete this.state.rollback;
    const before = this.enabledIccid();
    const results = this.execute(signed.euiccPackage);
    const seqNumber = this.state.nextSeqNumber++;
    const rollbackGranted = (signed.euiccPackage.psmoList ?? []).some(
      (p) => p.enable?.rollbackFlag !== undefined,
    );
    if (rollbackGranted && before !== undefined && this.enabledIccid() !== before) {
      this.state.rollback = { previousIccid: before, seqNumber };
    }
    return this.storeResult(
      {
        eimId: signed.eimId,
        counterValue: signed.counterValue,
        ...transaction,
        seqNumber,
        euiccResult: results,
      },
      eim.associationToken,
    );
  }

  enabledIccid(): string | undefined {
    return this.state.profiles.find((p) => p.state === 'enabled')?.iccid;
  }

  /** Signs the result and keeps it (replacing one with the same seqNumber) until acknowledged. */
  private storeResult(data: EuiccPackageResultDataSigned, token: number | undefined): EuiccPackageResult {
    const tbs = encode(EuiccPackageResultDataSigned, data);
    const result: EuiccPackageResult = {
      euiccPackageResultSigned: {
        euiccPackageResultDataSigned: data,
        euiccSignEPR: signPlain(this.credentials.privateKey, this.withToken(tbs, token)),
      },
    };
    this.state.pending = this.state.pending.filter((r) => r.seqNumber !== data.seqNumber);
    this.state.pending.push({
      seqNumber: data.seqNumber,
      kind: 'euiccPackageResult',
      der: hexOf(encode(EuiccPackageResult, result)),
    });
    return result;
  }

  /**
   * ES10b.ProfileRollback: back to the profile enabled before the last enable the eIM allowed to
   * be rolled back, its result amended with rollbackResult and signed again. rollbackNotAllowed
   * when no such enable is open (none, or its result already acknowledged).
   */
  profileRollback(): ProfileRollbackResponse {
    const open = this.state.rollback;
    const stored = open && this.state.pending.find((r) => r.seqNumber === open.seqNumber);
    const previous = open && this.state.profiles.find((p) => p.iccid === open.previousIccid);
    if (!open || !stored || stored.kind !== 'euiccPackageResult' || !previous) {
      return { cmdResult: ROLLBACK_NOT_ALLOWED };
    }
    switchTo(this, previous);
    delete this.state.rollback;
    const data = decode(EuiccPackageResult, Buffer.from(stored.der, 'hex')).euiccPackageResultSigned!
      .euiccPackageResultDataSigned;
    const amended = {
      ...data,
      euiccResult: [...data.euiccResult, { rollbackResult: RollbackProfileResult.values.ok }],
    };
    const token = findEim(this, data.eimId)?.associationToken;
    return { cmdResult: ROLLBACK_OK, eUICCPackageResult: this.storeResult(amended, token) };
  }

  private execute(euiccPackage: EuiccPackageSigned['euiccPackage']): EuiccResultData[] {
    const results: EuiccResultData[] = [];
    const run = (result: EuiccResultData) => {
      results.push(result);
      return !operationFailed(result);
    };
    if (euiccPackage.psmoList) euiccPackage.psmoList.every((psmo) => run(executePsmo(this, psmo)));
    else if (euiccPackage.ecoList) euiccPackage.ecoList.every((eco) => run(executeEco(this, eco)));
    // A package kind from a later version of the module.
    else results.push({ processingTerminated: UNKNOWN_OR_DAMAGED_COMMAND });
    return results;
  }

  private signedError(eim: EimRecord, data: EuiccPackageErrorDataSigned): EuiccPackageResult {
    const tbs = encode(EuiccPackageErrorDataSigned, data);
    return {
      euiccPackageErrorSigned: {
        euiccPackageErrorDataSigned: data,
        euiccSignEPE: signPlain(this.credentials.privateKey, this.withToken(tbs, eim.associationToken)),
      },
    };
  }

  /** What euiccSignEPR/EPE cover: the data, then the association token TLV if there is one. */
  private withToken(tbs: Uint8Array, token: number | undefined): Uint8Array {
    return token === undefined ? tbs : Buffer.concat([tbs, encode(ASSOCIATION_TOKEN, token)]);
  }

  /** ES10b.AddInitialEim (onboarding): all of the list or nothing. */
  addInitialEim(request: AddInitialEimRequest): AddInitialEimResponse {
    const before = structuredClone(this.state);
    const ok: NonNullable<AddInitialEimResponse['addInitialEimOk']> = [];
    for (const data of request.eimConfigurationDataList) {
      const outcome = addEim(this, data);
      if ('error' in outcome) {
        Object.assign(this.state, before);
        return { addInitialEimError: outcome.error };
      }
      ok.push(outcome.token !== undefined ? { associationToken: outcome.token } : { addOk: null });
    }
    return { addInitialEimOk: ok };
  }

  getIpaEuiccData(request: IpaEuiccDataRequest, eimId?: string): IpaEuiccDataResponse {
    return ipaEuiccData(this, request, eimId);
  }

  /**
   * The fallback mechanism (SGP.32 3.x): the device lost connectivity on the enabled profile and
   * the card enables the profile holding the fallback attribute. Returns false when there is no
   * fallback profile or it is already enabled.
   */
  activateFallback(): boolean {
    const fallback = this.state.profiles.find((p) => p.fallbackAttribute);
    if (!fallback || fallback.state === 'enabled') return false;
    switchTo(this, fallback);
    this.state.unreportedStateChange = StateChangeCause.values.fallback;
    return true;
  }

  /**
   * A switch the eIM did not order, made on the device itself (user interface, device
   * application): StateChangeCause local(3). Returns false for an unknown or already enabled ICCID.
   */
  enableLocally(iccid: string): boolean {
    const target = this.state.profiles.find((p) => p.iccid === iccid);
    if (!target || target.state === 'enabled') return false;
    switchTo(this, target);
    this.state.unreportedStateChange = StateChangeCause.values.local;
    return true;
  }

  /** The IPA has told the eIM (notifyStateChange) about the last unrequested change. */
  stateChangeReported(cause: number): void {
    if (this.state.unreportedStateChange === cause) delete this.state.unreportedStateChange;
  }

  /** Kept in the card's history of triggers (the IPA runs the download). */
  recordProfileDownloadTrigger(request: ProfileDownloadTriggerRequest): void {
    this.state.downloadTriggers.push({
      receivedAt: new Date().toISOString(),
      request: toJson(ProfileDownloadTriggerRequest, request),
    });
  }

  /** ES10b.RetrieveNotificationsList without search criteria: the profile notifications. */
  pendingNotifications(): PendingNotificationEntry[] {
    return this.state.pending.flatMap((r): PendingNotificationEntry[] => {
      if (r.kind === 'notification')
        return [{ seqNumber: r.seqNumber, notification: otherSignedNotification(this.credentials, r) }];
      if (r.kind === 'profileInstallationResult')
        return [
          {
            seqNumber: r.seqNumber,
            notification: {
              profileInstallationResult: decode(ProfileInstallationResult, Buffer.from(r.der, 'hex')),
            },
          },
        ];
      return [];
    });
  }

  /** ES10b.RemoveNotificationFromList (also how an eIM acknowledgement removes a package result). */
  removeNotificationFromList(seqNumber: number): boolean {
    const before = this.state.pending.length;
    this.state.pending = this.state.pending.filter((r) => r.seqNumber !== seqNumber);
    // The eIM has the result of the enable: the new profile works, no rollback any more.
    if (this.state.rollback?.seqNumber === seqNumber) delete this.state.rollback;
    return this.state.pending.length < before;
  }

  /** The eUICC package results not yet acknowledged by the eIM. */
  pendingPackageResults(): EuiccPackageResult[] {
    return this.state.pending.flatMap((r) =>
      r.kind === 'euiccPackageResult' ? [decode(EuiccPackageResult, Buffer.from(r.der, 'hex'))] : [],
    );
  }
}
