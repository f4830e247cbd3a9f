import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../errors.js';
import { newMessageId } from './es-client.js';
import { applyEis, applyFunctionResult, eisScope, profileFact } from './facts.js';
import { parseElementName } from './functions.js';
import { Sgp02Recovery } from './recovery.js';
import type { SentRequest } from './sgp02-store.js';
import { decodeEnvelope, type SoapMessage } from './soap/envelope.js';
import { entityIdOf } from './soap/entity-address.js';
import { child, text } from './soap/xml.js';
import { currentCorrelation, type Sgp02Stack } from './stack.js';
import { failureOf, parseExecutionStatus } from './status.js';

/** Notification name (without interface and suffix) -> the function whose fact it reports. */
const notifiedFunctions: Record<string, string> = {
  handleprofileenabled: 'EnableProfile',
  handleprofiledisabled: 'DisableProfile',
  handleprofiledeleted: 'DeleteProfile',
  handlefallbackattributeset: 'SetFallbackAttribute',
  handlefallbackattributeunset: 'UnsetFallbackAttribute',
  handleemergencyprofileattributeset: 'SetEmergencyProfileAttribute',
  handleemergencyprofileattributeunset: 'UnsetEmergencyProfileAttribute',
  // DESIGN.md's name for the eUICC's own switch to its fallback profile (which is now enabled).
  handleprofilefallback: 'EnableProfile',
};

export type CallbackResult = 'applied' | 'duplicate';

/**
 * What the SM-SR and SM-DP send us: the asynchronous `...Response` callbacks (correlated by
 * wsa:RelatesTo to the request we sent) and the Handle*Notifications. Transport-free: the fastify
 * plugin hands it the XML. A bad message is a typed error and changes nothing; a message whose
 * wsa:MessageID was received before is acknowledged and not applied again.
 */
export class Sgp02CallbackHandler {
  /** How long an answer may wait for the operation worker to record that the request was sent. */
  private readonly sentWaitMs: number;

  private readonly recovery: Sgp02Recovery;

  constructor(
    private readonly s: Sgp02Stack,
    options: { sentWaitMs?: number } = {},
  ) {
    this.sentWaitMs = options.sentWaitMs ?? 5_000;
    this.recovery = new Sgp02Recovery(s);
  }

  async handle(xml: string): Promise<CallbackResult> {
    const parsed = decodeEnvelope(xml);
    if (parsed.kind === 'fault')
      throw new ValidationError(`a SOAP fault is not a callback or notification: ${parsed.fault.reason}`, {
        fault: parsed.fault,
      });
    const m = parsed.message;
    const element = parseElementName(m.bodyName);
    if (!element || (element.iface !== 'ES2' && element.iface !== 'ES4') || element.kind === 'Request')
      throw new ValidationError(`${m.bodyName} is not an ES2/ES4 response or notification we accept`, {
        body: m.bodyName,
      });
    if (!m.addressing.messageId) throw new ValidationError('the message has no wsa:MessageID');
    const from = entityIdOf(m.addressing.from);
    if (!from) throw new UnauthorizedError('wsa:From names no EntityId: the sender is unknown');
    return element.kind === 'Response'
      ? this.onResponse(m, element.iface, element.name, from)
      : this.onNotification(m, element.iface, element.name, from);
  }

  private async onResponse(m: SoapMessage, iface: string, fn: string, from: string): Promise<CallbackResult> {
    const relatesTo = m.addressing.relatesTo;
    if (!relatesTo) throw new ValidationError(`${m.bodyName} without wsa:RelatesTo cannot be correlated`);
    const req = await this.s.store.findRequest(relatesTo);
    const callId = text(m.body, 'FunctionCallIdentifier');
    if (!req || req.iface !== iface || req.fn.toLowerCase() !== fn.toLowerCase())
      throw new NotFoundError(`${m.bodyName} relates to no ${iface}.${fn} request of ours`, { relatesTo });
    if (callId && callId !== req.functionCallId)
      throw new NotFoundError(
        `FunctionCallIdentifier ${callId} is unknown: ${relatesTo} was ${req.functionCallId}`,
        {
          relatesTo,
          functionCallIdentifier: callId,
        },
      );
    const platform = await this.s.directory.byId(req.platformId);
    if (platform?.entityId !== from)
      throw new ForbiddenError(
        `${m.bodyName} must come from ${platform?.entityId ?? 'the platform called'}, not ${from}`,
        {
          from,
        },
      );
    const status = parseExecutionStatus(m.body);
    if (!status) throw new ValidationError(`${m.bodyName} without a valid FunctionExecutionStatus/Status`);
    if (req.operationId) await this.untilSent(req.operationId);
    const actor = `platform:${platform.id}`;
    const reason = { messageId: m.addressing.messageId, relatesTo };
    let next: SentRequest | undefined;
    const result = await this.s.knex.transaction(async (trx): Promise<CallbackResult> => {
      // An answer and a notification about one eUICC may arrive together (an SM-DP forwards the
      // SM-SR's notification while it answers): both take the eUICC's row lock first, so they
      // run one after the other instead of deadlocking on the profile rows.
      await this.s.directory.euicc(req.eid, trx, { lock: true });
      if (await this.received(m, from, trx)) return 'duplicate';
      if (!(await this.s.store.markAnswered(req.messageId, { ...status }, trx))) return 'duplicate';
      const failure = failureOf(`${iface}.${req.fn}`, status);
      if (failure) {
        await this.s.outcomes.report(
          {
            stack: 'sgp02',
            correlationId: await currentCorrelation(this.s, req, trx),
            ...failure,
            actor,
            reason,
          },
          trx,
        );
        return 'applied';
      }
      if (req.fn === 'PrepareSMSRChange') {
        next = { ...req, fn: 'SMSRChange', messageId: '' };
        return 'applied';
      }
      if (!req.operationId && req.fn === 'AuditEIS') {
        const eis = await applyEis(
          this.s.observations,
          this.s.directory,
          child(m.body, 'Eis'),
          { actor, reason },
          trx,
          eisScope(req),
        );
        await this.recovery.conclude(req, eis, actor, trx);
        return 'applied';
      }
      const res = await applyFunctionResult(
        this.s.observations,
        this.s.directory,
        req,
        m.body,
        { actor, reason },
        trx,
      );
      if (req.operationId)
        await this.s.outcomes.report(
          {
            stack: 'sgp02',
            correlationId: await currentCorrelation(this.s, req, trx),
            outcome: 'succeeded',
            result: { ...res, executionStatus: status.status },
            actor,
            reason,
          },
          trx,
        );
      return 'applied';
    });
    if (next) await this.smsrChange(next, actor);
    if (
      result === 'applied' &&
      req.fn === 'DownloadProfile' &&
      status.status !== 'FAILED' &&
      status.status !== 'EXPIRED'
    )
      await this.readEis(req.eid, reason);
    return result;
  }

  /**
   * After a download, ES4.GetEIS on the eUICC's SM-SR completes what the SM-DP's answer does not
   * carry (ISD-P AID, subscription address, POL2). Best effort: the operation has already ended.
   */
  private async readEis(eid: string, reason: Record<string, unknown>): Promise<void> {
    try {
      const euicc = await this.s.directory.euicc(eid);
      const smsr = euicc?.smsrId ? await this.s.directory.byId(euicc.smsrId) : undefined;
      if (!smsr) return;
      const reply = await this.s.es4.GetEIS(smsr, { eid }, { functionCallId: randomUUID() });
      if (reply.kind !== 'answered' || !reply.status.status.startsWith('EXECUTED')) return;
      await this.s.knex.transaction((trx) =>
        applyEis(
          this.s.observations,
          this.s.directory,
          child(reply.body, 'Eis'),
          { actor: `platform:${smsr.id}`, reason },
          trx,
        ),
      );
    } catch (e) {
      this.s.logger.warn(
        { err: e, eid },
        'GetEIS after a download failed; the next audit completes the inventory',
      );
    }
  }

  /** Second step of the SM-SR change: ES4.SMSRChange to the current SM-SR, same correlation. */
  private async smsrChange(step: SentRequest, actor: string): Promise<void> {
    const current = await this.s.directory.byId(String(step.params.currentPlatformId));
    const target = await this.s.directory.byId(String(step.params.targetPlatformId));
    const fail = (message: string) =>
      this.s.outcomes.report({
        stack: 'sgp02',
        correlationId: step.correlationId,
        outcome: 'failed',
        error: { code: 'sgp02_smsr_change', message },
        actor,
      });
    if (!current || !target) return void (await fail('an SM-SR of the change is no longer configured'));
    const messageId = newMessageId(this.s.requester.entityId);
    await this.s.store.recordRequest({ ...step, messageId, platformId: current.id });
    try {
      const reply = await this.s.es4.SMSRChange(
        current,
        { eid: step.eid, targetSmsrId: target.entityId },
        { functionCallId: step.functionCallId, messageId },
      );
      if (
        reply.kind === 'answered' &&
        reply.status.status !== 'EXECUTED_SUCCESS' &&
        reply.status.status !== 'EXECUTED_WITHWARNING'
      )
        await fail(
          `ES4.SMSRChange: ${reply.status.status}${reply.status.message ? `: ${reply.status.message}` : ''}`,
        );
    } catch (e) {
      await fail(`ES4.SMSRChange: ${(e as Error).message}`);
    }
  }

  private async onNotification(
    m: SoapMessage,
    iface: string,
    name: string,
    from: string,
  ): Promise<CallbackResult> {
    const key = name.toLowerCase().replace(/notification$/, '');
    const isSmsrChange = key === 'handlesmsrchange';
    const eis = isSmsrChange ? child(m.body, 'Eis') : undefined;
    const eid = (
      isSmsrChange ? text(child(eis, 'EumSignedInfo'), 'Eid') : text(m.body, 'Eid')
    )?.toUpperCase();
    if (!eid) throw new ValidationError(`${m.bodyName} names no Eid`);
    const iccid = text(m.body, 'Iccid')?.toUpperCase();
    const fact = profileFact(this.s.observations, notifiedFunctions[key] ?? '');
    const downloaded = key === 'handleprofiledownloaded';
    if (!isSmsrChange && !((fact || downloaded) && iccid))
      throw new ValidationError(`${m.bodyName} is not a notification we know, or names no Iccid`);
    return this.s.knex.transaction(async (trx): Promise<CallbackResult> => {
      // Locking the eUICC orders this with an SM-SR change answer that moves it to another SM-SR.
      const euicc = await this.s.directory.euicc(eid, trx, { lock: true });
      if (!euicc || euicc.stack !== 'sgp02')
        throw new NotFoundError(`no SGP.02 eUICC with EID ${eid}`, { eid });
      const platforms = await this.s.directory.byEntityId(from, trx);
      // The new SM-SR of a change we asked for may notify it too.
      const targets = isSmsrChange
        ? (await this.s.store.unanswered(eid, trx))
            .map((r) => r.params.targetPlatformId)
            .filter((t) => typeof t === 'string')
        : [];
      const sender = platforms.find((p) =>
        iface === 'ES2'
          ? p.kind === 'smdp'
          : p.kind === 'smsr' && (p.id === euicc.smsrId || targets.includes(p.id)),
      );
      if (!sender)
        throw new ForbiddenError(`${from} may not notify ${m.bodyName} for eUICC ${eid}`, { from, eid });
      const who = {
        actor: `platform:${sender.id}`,
        reason: { messageId: m.addressing.messageId, notification: m.bodyName },
      };
      if (await this.received(m, from, trx)) return 'duplicate';
      if (isSmsrChange) {
        await this.s.observations.smsrChanged({ ...who, eid, smsrId: sender.id }, trx);
        await applyEis(this.s.observations, this.s.directory, eis, who, trx);
      } else if (fact) await fact({ ...who, eid, iccid: iccid! }, trx);
      // A download tells us the profile exists; its state comes with the enable that may follow.
      else if (!(await this.s.directory.hasProfile(eid, iccid!, trx)))
        await this.s.observations.profileInstalled(
          {
            ...who,
            eid,
            iccid: iccid!,
            state: 'disabled',
            ...(sender.kind === 'smdp' ? { platformId: sender.id } : {}),
          },
          trx,
        );
      return 'applied';
    });
  }

  /** True when this MessageID was received before (then nothing is applied again). */
  private async received(
    m: SoapMessage,
    from: string,
    trx: Parameters<Sgp02Stack['store']['markReceived']>[1],
  ) {
    return (
      (await this.s.store.markReceived(
        { messageId: m.addressing.messageId!, fromEntityId: from, body: m.bodyName },
        trx,
      )) === 'duplicate'
    );
  }

  /** An answer can overtake the worker's record of 'sent'; wait for it, boundedly. */
  private async untilSent(operationId: string): Promise<void> {
    for (let waited = 0; waited < this.sentWaitMs; waited += 5) {
      const op = await this.s.operations.get(operationId);
      if (!op || op.state !== 'pending') return;
      await sleep(5);
    }
  }
}
