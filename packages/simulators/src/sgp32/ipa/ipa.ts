/**
 * A simulated IPA (IPAd) in front of its eUICC: polls the eIM with GetEimPackageRequest, hands
 * eUICC packages to the card, returns ProvideEimPackageResult, answers IpaEuiccDataRequest, and
 * delivers the card's notifications with HandleNotification. Its own memory (a result not yet
 * confirmed, the last package) is lost on reboot; the card's is not.
 */
import {
  EimPackageResultErrorCode,
  type EsipaMessageFromEimToIpa,
  type EsipaMessageFromIpaToEim,
  type EuiccPackageRequest,
  type EuiccPackageResult,
  type GetEimPackageResponse,
  type IpaEuiccDataRequest,
  type IpaEuiccDataResponse,
  type ProvideEimPackageResult,
  type DeviceInfo,
  type ProfileDownloadTriggerRequest,
  type ProfileDownloadTriggerResult,
} from '@esim/asn1';
import { Euicc } from '../euicc/euicc.js';
import { eimIdOf, findEim } from '../euicc/eim-configuration.js';
import { requestedTags, IPA_TAGS } from '../euicc/ipa-euicc-data.js';
import type { EsipaClient } from './esipa-client.js';
import {
  DroppedResponseError,
  NO_FAULTS,
  OfflineError,
  RebootedError,
  sleep,
  type Faults,
} from './faults.js';
import { imeiOf, imeiToBytes, tacBytes } from '../pki/imei.js';
import { forgedNotification, forgedResult } from './forge.js';
import type { Limiter } from './limiter.js';
import { downloadProfile, parseActivationCode } from './download.js';
import { Es9PlusClient } from './es9plus-client.js';
import { EsipaRspServer } from './rsp-server.js';

type TriggerResultData = ProfileDownloadTriggerResult['profileDownloadTriggerResultData'];

/** Packages taken in one poll before the IPA waits for its next interval. */
export const MAX_PACKAGES_PER_POLL = 8;

const EIM_PACKAGE_ERRORS: Record<number, string> = {
  2: 'eidNotFound',
  3: 'invalidEid',
  4: 'missingEid',
  127: 'undefinedError',
};

/** The eIM answered GetEimPackage with an error other than "nothing for you". */
export class EimPackageError extends Error {
  constructor(readonly code: number) {
    super(`eIM answered eimPackageError ${EIM_PACKAGE_ERRORS[code] ?? 'unknown'}(${code})`);
  }
}

/**
 * The eIM this IPA polls is no longer in the card's eIM list (an eIM change moved the device
 * elsewhere): an IPA contacts only the eIMs its card names.
 */
export class EimNotConfiguredError extends Error {
  constructor(eimId: string) {
    super(`eIM ${eimId} is no longer configured on the card: not polled`);
  }
}

/** A replay was asked for, but this IPA has received no eUICC package since it booted. */
export class NoPackageToReplayError extends Error {
  constructor() {
    super('no eUICC package received since the last boot');
  }
}

export interface IpaOptions {
  client: EsipaClient;
  /**
   * The eIM behind the client: polled only while the card names it, and its association token goes
   * into IpaEuiccData. Without it, the card's first eIM, polled whatever the card holds.
   */
  eimId?: string;
  intervalMs?: number;
  jitterMs?: number;
  limiter?: Limiter;
  faults?: Partial<Faults>;
  onError?: (error: Error) => void;
  /**
   * Send the card's pending notifications with the package result (`ePRAndNotifications`), one
   * exchange fewer; those the eIM does not acknowledge still go out with HandleNotification.
   */
  bundleNotifications?: boolean;
  /** After every poll cycle, however it ended: the card may have changed. */
  afterCycle?: (ipa: Ipa) => void;
  /**
   * How a ProfileDownloadTriggerRequest is run: `indirect` (default) through the eIM's ESipa
   * download functions, `direct` over ES9+ to the SM-DP+ of the activation code.
   */
  download?: 'direct' | 'indirect';
  /** Scheme of direct ES9+ calls (default https; a simulated SM-DP+ may serve http). */
  smdpScheme?: 'http' | 'https';
}

export interface IpaStats {
  polls: number;
  packages: number;
  notificationsSent: number;
  errors: number;
  lastError?: string;
  lastPollAt?: string;
}

export class Ipa {
  faults: Faults;
  stats: IpaStats = { polls: 0, packages: 0, notificationsSent: 0, errors: 0 };
  private unconfirmedResult: ProvideEimPackageResult | undefined;
  private lastPackage: EuiccPackageRequest | undefined;
  private epoch = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private polling: Promise<void> | undefined;
  private previousCycle: Promise<void> = Promise.resolve();

  constructor(
    public euicc: Euicc,
    private readonly options: IpaOptions,
  ) {
    this.faults = { ...NO_FAULTS, ...options.faults };
  }

  get eid(): string {
    return this.euicc.eid;
  }

  get imei(): string {
    return imeiOf(this.euicc.eid);
  }

  /** Polls now, then every interval plus a random jitter, until `stop()`. */
  start(firstDelayMs = 0): void {
    this.running = true;
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.polling;
  }

  /** Power cycle: the IPA forgets everything, the card keeps its state; polling resumes if it ran. */
  async reboot(): Promise<void> {
    const wasRunning = this.running;
    this.epoch++;
    this.running = false;
    clearTimeout(this.timer);
    this.unconfirmedResult = undefined;
    this.lastPackage = undefined;
    this.euicc = new Euicc(this.euicc.credentials, this.euicc.snapshot(), { clock: this.euicc.clock });
    if (wasRunning) this.start();
  }

  /** The eIM asked for a poll now (a wake-up): a running device polls, a stopped one does not. */
  wake(): void {
    if (this.running) this.pollOnce().catch(() => undefined);
  }

  /** A timer from before a reboot or stop neither polls nor schedules again. */
  private schedule(delayMs: number): void {
    if (!this.running) return;
    const epoch = this.epoch;
    this.timer = setTimeout(() => {
      if (epoch !== this.epoch) return;
      this.polling = this.pollOnce()
        .catch(() => undefined)
        .finally(() => {
          this.polling = undefined;
          const { intervalMs = 10_000, jitterMs = 0 } = this.options;
          if (epoch === this.epoch) this.schedule(intervalMs + Math.random() * jitterMs);
        });
    }, delayMs);
  }

  /**
   * One poll cycle; rejects with the error that ended it (also counted in `stats`). Cycles of one
   * device never overlap (a timer poll and an admin poll run one after the other), as one IPA
   * talks to its eUICC and eIM one exchange at a time.
   */
  pollOnce(): Promise<void> {
    const run = this.previousCycle.then(() => this.cycle());
    this.previousCycle = run.catch(() => undefined);
    return run;
  }

  private async cycle(): Promise<void> {
    const cycle = async () => {
      const { eimId } = this.options;
      if (eimId !== undefined && !findEim(this.euicc, eimId)) throw new EimNotConfiguredError(eimId);
      this.stats.polls++;
      this.stats.lastPollAt = new Date().toISOString();
      if (this.unconfirmedResult) await this.provideResult(this.unconfirmedResult);
      for (let i = 0; i < MAX_PACKAGES_PER_POLL; i++) {
        const cause = this.euicc.state.unreportedStateChange;
        const request = {
          eidValue: this.euicc.eidValue,
          ...(cause !== undefined ? { notifyStateChange: null, stateChangeCause: cause } : {}),
        };
        const answer = await this.send({ getEimPackageRequest: request });
        if (cause !== undefined) this.euicc.stateChangeReported(cause);
        const response = answer?.getEimPackageResponse;
        if (!response)
          throw new Error(
            `expected GetEimPackageResponse, got ${Object.keys(answer ?? {}).join() || 'no body'}`,
          );
        if (response.eimPackageError === 1) break;
        if (response.eimPackageError !== undefined) throw new EimPackageError(response.eimPackageError);
        this.stats.packages++;
        await this.provideResult(await this.execute(response));
      }
      await this.sendNotifications();
    };
    try {
      await (this.options.limiter ? this.options.limiter.run(cycle) : cycle());
    } catch (e) {
      const error = e as Error;
      this.stats.errors++;
      this.stats.lastError = error.message;
      this.options.onError?.(error);
      throw error;
    } finally {
      this.options.afterCycle?.(this);
    }
  }

  /** What the card (or the IPA itself) makes of one GetEimPackageResponse. */
  private async execute(response: GetEimPackageResponse): Promise<ProvideEimPackageResult> {
    const eidValue = this.euicc.eidValue;
    if (response.euiccPackageRequest) {
      this.lastPackage = response.euiccPackageRequest;
      const euiccPackageResult = this.switchSurvived(
        this.euicc.enabledIccid(),
        this.euicc.loadEuiccPackage(response.euiccPackageRequest),
      );
      const notificationList = this.options.bundleNotifications
        ? this.euicc.pendingNotifications().map((n) => n.notification)
        : [];
      return {
        eidValue,
        eimPackageResult: notificationList.length
          ? { ePRAndNotifications: { euiccPackageResult, notificationList } }
          : { euiccPackageResult },
      };
    }
    if (response.ipaEuiccDataRequest) {
      return {
        eidValue,
        eimPackageResult: { ipaEuiccDataResponse: this.ipaEuiccData(response.ipaEuiccDataRequest) },
      };
    }
    if (response.profileDownloadTriggerRequest) {
      const trigger = response.profileDownloadTriggerRequest;
      this.euicc.recordProfileDownloadTrigger(trigger);
      return {
        eidValue,
        eimPackageResult: {
          profileDownloadTriggerResult: {
            ...(trigger.eimTransactionId ? { eimTransactionId: trigger.eimTransactionId } : {}),
            profileDownloadTriggerResultData: await this.download(trigger),
          },
        },
      };
    }
    // A package kind from a later version of the module.
    return {
      eidValue,
      eimPackageResult: {
        eimPackageResultResponseError: {
          eimPackageResultErrorCode: EimPackageResultErrorCode.values.unknownPackage,
        },
      },
    };
  }

  /**
   * Runs the download a trigger asks for: the SM-DP+ of its activation code (or the card's default
   * SM-DP+ address), directly or through the eIM. A trigger the IPA cannot act on, or a direct
   * SM-DP+ it cannot reach, ends in profileDownloadError undefinedError.
   */
  private async download(trigger: ProfileDownloadTriggerRequest): Promise<TriggerResultData> {
    const data = trigger.profileDownloadData;
    const code = data?.activationCode
      ? parseActivationCode(data.activationCode)
      : this.euicc.state.defaultDpAddress && data?.contactDefaultSmdp !== undefined
        ? { smdpAddress: this.euicc.state.defaultDpAddress, matchingId: '' }
        : undefined;
    const undefinedError = { profileDownloadError: { profileDownloadErrorReason: 127 } };
    if (!code) return undefinedError;
    if (this.options.download !== 'direct') {
      const viaEim = new EsipaRspServer((m) => this.send(m));
      return downloadProfile(this.euicc, viaEim, code, this.deviceInfo(), trigger.eimTransactionId);
    }
    const smdp = new Es9PlusClient(code.smdpAddress, { scheme: this.options.smdpScheme ?? 'https' });
    try {
      return await downloadProfile(this.euicc, smdp, code, this.deviceInfo());
    } catch (e) {
      this.options.onError?.(e as Error);
      return undefinedError;
    } finally {
      smdp.close();
    }
  }

  /**
   * Under the `switchFails` fault, a package that changed the enabled profile leaves the device
   * unreachable: with rollback allowed, the card goes back and amends the result; without, the
   * device is offline until told otherwise (the result waits, unconfirmed).
   */
  private switchSurvived(before: string | undefined, result: EuiccPackageResult): EuiccPackageResult {
    if (this.faults.switchFails <= 0 || this.euicc.enabledIccid() === before) return result;
    this.faults.switchFails--;
    const rollback = this.euicc.profileRollback();
    if (rollback.eUICCPackageResult) return rollback.eUICCPackageResult;
    this.faults.offline = true;
    return result;
  }

  /**
   * Hands the last eUICC package to the card again (a replay attack through this device); with
   * `send`, the card's answer goes to the eIM as a ProvideEimPackageResult.
   */
  async replayLastPackage(send: boolean): Promise<EuiccPackageResult> {
    if (!this.lastPackage) throw new NoPackageToReplayError();
    const result = this.euicc.loadEuiccPackage(this.lastPackage);
    if (send)
      await this.provideResult({
        eidValue: this.euicc.eidValue,
        eimPackageResult: { euiccPackageResult: result },
      });
    return result;
  }

  private ipaEuiccData(request: IpaEuiccDataRequest): IpaEuiccDataResponse {
    const response = this.euicc.getIpaEuiccData(request, this.eimId());
    const tags = requestedTags(request);
    if (!response.ipaEuiccData || !tags) return response;
    return {
      ipaEuiccData: {
        ...response.ipaEuiccData,
        ...(tags.has(IPA_TAGS.ipaCapabilities)
          ? {
              ipaCapabilities: {
                ipaFeatures: ['directRspServerCommunication', 'indirectRspServerCommunication'],
                ipaSupportedProtocols: ['ipaRetrieveHttps'],
              },
            }
          : {}),
        ...(tags.has(IPA_TAGS.deviceInfo) ? { deviceInfo: this.deviceInfo() } : {}),
      },
    };
  }

  private deviceInfo(): DeviceInfo {
    return {
      tac: tacBytes(this.imei),
      deviceCapabilities: { eutranEpcSupportedRelease: new Uint8Array([15, 0, 0]) },
      imei: imeiToBytes(this.imei),
    };
  }

  private eimId(): string | undefined {
    if (this.options.eimId) return this.options.eimId;
    const first = this.euicc.state.eims[0];
    return first ? eimIdOf(first) : undefined;
  }

  /** Kept until the eIM has answered: a lost answer means sending it again on the next poll. */
  private async provideResult(result: ProvideEimPackageResult): Promise<void> {
    this.unconfirmedResult = result;
    const answer = await this.send({ provideEimPackageResult: this.forge(result, forgedResult) });
    this.unconfirmedResult = undefined;
    const response = answer?.provideEimPackageResultResponse;
    if (!response) return;
    for (const seqNumber of response.eimAcknowledgements ?? [])
      this.euicc.removeNotificationFromList(seqNumber);
    if (response.provideEimPackageResultError !== undefined) {
      throw new Error(
        `eIM refused the package result: provideEimPackageResultError ${response.provideEimPackageResultError}`,
      );
    }
  }

  private async sendNotifications(): Promise<void> {
    for (const { seqNumber, notification } of this.euicc.pendingNotifications()) {
      await this.send({
        handleNotificationEsipa: { pendingNotification: this.forge(notification, forgedNotification) },
      });
      this.euicc.removeNotificationFromList(seqNumber);
      this.stats.notificationsSent++;
    }
  }

  /** The forged form while the `forgeSignatures` fault lasts and there is a signature to forge. */
  private forge<T>(value: T, forged: (v: T) => T | undefined): T {
    if (this.faults.forgeSignatures <= 0) return value;
    const tampered = forged(value);
    if (!tampered) return value;
    this.faults.forgeSignatures--;
    return tampered;
  }

  /** One exchange through the injected faults. */
  private async send(message: EsipaMessageFromIpaToEim): Promise<EsipaMessageFromEimToIpa | undefined> {
    const epoch = this.epoch;
    const { offline, latencyMs } = this.faults;
    if (offline) throw new OfflineError();
    if (latencyMs > 0) await sleep(latencyMs);
    const answer = await this.options.client.exchange(message, this.eid);
    if (this.faults.dropResponses > 0) {
      this.faults.dropResponses--;
      throw new DroppedResponseError();
    }
    if (latencyMs > 0) await sleep(latencyMs);
    if (epoch !== this.epoch) throw new RebootedError();
    return answer;
  }
}
