import type { TransferEimPackageRequest } from '@esim/asn1';
import {
  Asn1DecodeError,
  decode,
  decodeEsipaFromIpa,
  encode,
  EsipaMessageFromEimToIpa,
  GetEimPackageResponse,
  type EimPackageResult,
  type EsipaMessageFromIpaToEim,
  type GetEimPackageRequest,
  type HandleNotificationEsipa,
  type ProvideEimPackageResult,
  type ProvideEimPackageResultResponse,
  type TransferEimPackageResponse,
} from '@esim/asn1';
import type { Eim } from '../eim.js';
import { EimRejection, rejectionRecord } from '../errors.js';
import { eidFromBytes, toHex } from '../identifiers.js';
import { ResultProcessor } from '../results/result-processor.js';
import type { Es9PlusRelay } from './es9plus-relay.js';

export type EsipaFunction =
  | 'InitiateAuthentication'
  | 'AuthenticateClient'
  | 'GetBoundProfilePackage'
  | 'CancelSession'
  | 'HandleNotification'
  | 'TransferEimPackage'
  | 'GetEimPackage'
  | 'ProvideEimPackageResult';

/** The EsipaMessageFromIpaToEim alternative of each function. */
export const esipaFunctionOf = {
  initiateAuthenticationRequestEsipa: 'InitiateAuthentication',
  authenticateClientRequestEsipa: 'AuthenticateClient',
  getBoundProfilePackageRequestEsipa: 'GetBoundProfilePackage',
  cancelSessionRequestEsipa: 'CancelSession',
  handleNotificationEsipa: 'HandleNotification',
  transferEimPackageResponse: 'TransferEimPackage',
  getEimPackageRequest: 'GetEimPackage',
  provideEimPackageResult: 'ProvideEimPackageResult',
} as const satisfies Record<string, EsipaFunction>;

/** A request the handler cannot read at all (not DER, not an ESipa message): no function ran, nothing changed. */
export class EsipaRequestError extends Error {
  constructor(
    message: string,
    readonly reason: 'malformed' | 'unsupportedVersion' | 'notServed' | 'eidMismatch',
  ) {
    super(message);
    this.name = 'EsipaRequestError';
  }
}

export interface EsipaReply {
  function: EsipaFunction;
  /** DER EsipaMessageFromEimToIpa; null for the functions without a response message (HandleNotification, TransferEimPackage). */
  body: Uint8Array | null;
}

/** The EID a message names, where its type carries one (hex, as read: not checked for validity). */
function eidNamedIn(msg: EsipaMessageFromIpaToEim): string | undefined {
  const eidValue =
    msg.getEimPackageRequest?.eidValue ??
    msg.provideEimPackageResult?.eidValue ??
    msg.handleNotificationEsipa?.provideEimPackageResult?.eidValue;
  return eidValue && toHex(eidValue);
}

const noPackage = encode(GetEimPackageResponse, { eimPackageError: 1 });
const eidNotFound = encode(GetEimPackageResponse, { eimPackageError: 2 });
const invalidEid = encode(GetEimPackageResponse, { eimPackageError: 3 });

/**
 * The eight ESipa functions of SGP.32 v1.2, transport-free: DER EsipaMessageFromIpaToEim in,
 * DER EsipaMessageFromEimToIpa out (`handle`), or the same functions on typed values. Transports
 * (HTTP ASN.1 and JSON bindings, others later) are thin endpoints over one handler.
 */
export class EsipaHandler {
  private readonly results: ResultProcessor;

  constructor(
    private readonly eim: Eim,
    private readonly relay?: Es9PlusRelay,
  ) {
    this.results = new ResultProcessor(eim);
  }

  /**
   * `sender`: the EID the transport knows the message comes from (an MQTT topic); a message that
   * names another EID is refused, as a device must not act for another.
   */
  async handle(body: Uint8Array, sender?: { eid: string }): Promise<EsipaReply> {
    let decoded;
    try {
      decoded = decodeEsipaFromIpa(body, { version: 'auto' });
    } catch (e) {
      if (e instanceof Asn1DecodeError)
        throw new EsipaRequestError(`not an EsipaMessageFromIpaToEim: ${e.message}`, 'malformed');
      throw e;
    }
    if (decoded.version !== 'v1.2')
      throw new EsipaRequestError(
        'an SGP.32 v1.0.1 message: this eIM serves SGP.32 v1.2 devices',
        'unsupportedVersion',
      );
    const msg = decoded.message;
    const key = Object.keys(msg)[0] as keyof typeof esipaFunctionOf | undefined;
    const fn = key ? esipaFunctionOf[key] : undefined;
    if (!key || !fn) throw new EsipaRequestError('unknown EsipaMessageFromIpaToEim alternative', 'malformed');
    const named = eidNamedIn(msg);
    if (sender && named !== undefined && named !== sender.eid)
      throw new EsipaRequestError(
        `the message names EID ${named}, not its sender ${sender.eid}`,
        'eidMismatch',
      );
    const wrap = (value: EsipaMessageFromEimToIpa): EsipaReply => ({
      function: fn,
      body: encode(EsipaMessageFromEimToIpa, value),
    });
    switch (key) {
      case 'getEimPackageRequest':
        // The stored package is already the exact DER of the response: no re-encoding on the hot path.
        return { function: fn, body: await this.getEimPackageDer(msg.getEimPackageRequest!) };
      case 'provideEimPackageResult':
        return wrap({
          provideEimPackageResultResponse: await this.provideEimPackageResult(
            msg.provideEimPackageResult!,
            body,
          ),
        });
      case 'handleNotificationEsipa':
        await this.handleNotification(msg.handleNotificationEsipa!, body);
        return { function: fn, body: null };
      case 'transferEimPackageResponse':
        await this.transferEimPackageResponse(msg.transferEimPackageResponse!, body);
        return { function: fn, body: null };
      default: {
        if (!this.relay)
          throw new EsipaRequestError(`${fn} is not served: this eIM has no ES9+' client`, 'notServed');
        if (msg.initiateAuthenticationRequestEsipa)
          return wrap({
            initiateAuthenticationResponseEsipa: await this.relay.initiateAuthentication(
              msg.initiateAuthenticationRequestEsipa,
            ),
          });
        if (msg.authenticateClientRequestEsipa)
          return wrap({
            authenticateClientResponseEsipa: await this.relay.authenticateClient(
              msg.authenticateClientRequestEsipa,
            ),
          });
        if (msg.getBoundProfilePackageRequestEsipa)
          return wrap({
            getBoundProfilePackageResponseEsipa: await this.relay.getBoundProfilePackage(
              msg.getBoundProfilePackageRequestEsipa,
            ),
          });
        return wrap({
          cancelSessionResponseEsipa: await this.relay.cancelSession(msg.cancelSessionRequestEsipa!),
        });
      }
    }
  }

  /** GetEimPackage (SGP.32 6.3.2.x): the package in flight again, or the next one, or eimPackageError. */
  async getEimPackage(req: GetEimPackageRequest): Promise<GetEimPackageResponse> {
    return decode(GetEimPackageResponse, await this.getEimPackageDer(req));
  }

  private async getEimPackageDer(req: GetEimPackageRequest): Promise<Uint8Array> {
    const eid = eidFromBytes(req.eidValue);
    if (!eid) return invalidEid;
    const state = await this.eim.store.pollState(this.eim.eimId, eid);
    if (state === 'unknown') return eidNotFound;
    // Reported before the queue is read: what the listener queues in answer goes out in this poll.
    const changed = req.notifyStateChange !== undefined || req.stateChangeCause !== undefined;
    if (changed)
      await this.eim.emit({
        type: 'stateChanged',
        eid,
        ...(req.stateChangeCause !== undefined ? { cause: req.stateChangeCause } : {}),
      });
    if (state === 'idle' && !changed) return noPackage;
    const { delivered, expired } = await this.eim.store.nextForDelivery(eid);
    for (const p of expired) await this.eim.emit({ type: 'packageExpired', eid, package: p });
    return delivered ? (delivered.handout ?? delivered.body) : noPackage;
  }

  /** ProvideEimPackageResult: verified, reported, acknowledged; anything else is recorded and refused. */
  async provideEimPackageResult(
    req: ProvideEimPackageResult,
    raw?: Uint8Array,
  ): Promise<ProvideEimPackageResultResponse> {
    let eid: string | undefined;
    if (req.eidValue) {
      eid = eidFromBytes(req.eidValue);
      if (!eid) return { provideEimPackageResultError: 3 };
      if ((await this.eim.store.pollState(this.eim.eimId, eid)) === 'unknown')
        return { provideEimPackageResultError: 2 };
    }
    const acks = await this.refusing('ProvideEimPackageResult', eid, raw, () =>
      this.results.eimPackageResult(req.eimPackageResult, eid),
    );
    if (!acks) return { provideEimPackageResultError: 127 };
    const installed =
      req.eimPackageResult.profileDownloadTriggerResult?.profileDownloadTriggerResultData
        .profileInstallationResult;
    if (installed) await this.relay?.forwardInstallationResult(installed);
    return acks.length ? { eimAcknowledgements: acks } : { emptyResponse: {} };
  }

  /** HandleNotification: a notification or a result sent on its own; no response message. */
  async handleNotification(req: HandleNotificationEsipa, raw?: Uint8Array): Promise<void> {
    if (req.provideEimPackageResult) {
      await this.provideEimPackageResult(req.provideEimPackageResult, raw);
      return;
    }
    const acks = await this.refusing('HandleNotification', undefined, raw, () =>
      this.results.notification(req.pendingNotification!),
    );
    const installed = req.pendingNotification!.profileInstallationResult;
    if (acks && installed) await this.relay?.forwardInstallationResult(installed);
  }

  /**
   * TransferEimPackage, eIM-initiated (SGP.32 3.x "eIM Package injection"): the request to push
   * to the device at `eid` (its next package, now in flight), or undefined when none waits.
   */
  async transferEimPackageRequest(eid: string): Promise<Uint8Array | undefined> {
    const { delivered } = await this.eim.store.nextForDelivery(eid);
    if (!delivered) return undefined;
    const response = decode(GetEimPackageResponse, delivered.handout ?? delivered.body);
    const { eimPackageError: _none, ...request } = response;
    return encode(EsipaMessageFromEimToIpa, {
      transferEimPackageRequest: request as TransferEimPackageRequest,
    });
  }

  /** The IPA's answer to a pushed package. */
  async transferEimPackageResponse(res: TransferEimPackageResponse, raw?: Uint8Array): Promise<void> {
    if (res.eimPackageReceived !== undefined) return;
    const result: EimPackageResult | undefined = res.euiccPackageResult
      ? { euiccPackageResult: res.euiccPackageResult }
      : res.ePRAndNotifications
        ? { ePRAndNotifications: res.ePRAndNotifications }
        : res.ipaEuiccDataResponse
          ? { ipaEuiccDataResponse: res.ipaEuiccDataResponse }
          : undefined;
    if (!result) {
      await this.record(
        'TransferEimPackage',
        new EimRejection(
          'unknownTransaction',
          `the IPA refused a pushed package (eimPackageError ${res.eimPackageError})`,
        ),
        undefined,
        raw,
      );
      return;
    }
    await this.refusing('TransferEimPackage', undefined, raw, () => this.results.eimPackageResult(result));
  }

  private async refusing<T>(
    fn: EsipaFunction,
    eid: string | undefined,
    raw: Uint8Array | undefined,
    f: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof EimRejection)) throw e;
      await this.record(fn, e, eid, raw);
      return undefined;
    }
  }

  private async record(
    fn: EsipaFunction,
    e: EimRejection,
    eid: string | undefined,
    raw: Uint8Array | undefined,
  ) {
    await this.eim.store.recordRejection(rejectionRecord(fn, e, eid, raw));
  }
}
