import Value from 'typebox/value';
import { AppError } from '../errors.js';
import { OperationParams, type OperationType } from '../operations/vocabulary.js';
import type { DispatchOutcome, DispatchRequest, StackAdapter, Support } from '../stacks/stack-adapter.js';
import { newMessageId } from './es-client.js';
import { applyFunctionResult } from './facts.js';
import { planners, routedTypes } from './plan.js';
import type { Platform } from './platform-directory.js';
import { PeerProtocolError, PeerUnreachableError } from './soap/soap-client.js';
import type { Sgp02Stack } from './stack.js';
import { failureOf, isRetryable } from './status.js';

const refuse = (code: string, message: string, details?: Record<string, unknown>): DispatchOutcome => ({
  status: 'failed',
  error: { code, message, ...(details ? { details } : {}) },
  retryable: false,
});

/**
 * The SGP.02 stack as the operation queue sees it. Synchronous functions end within dispatch;
 * asynchronous ones are 'sent' with the request's wsa:MessageID as correlation id, and end when
 * the provider's callback arrives at the Sgp02CallbackHandler. The FunctionCallIdentifier is the
 * operation id, the same across retries (docs/INTERPRETATION.md).
 */
export class Sgp02StackAdapter implements StackAdapter {
  readonly stack = 'sgp02' as const;
  constructor(private readonly s: Sgp02Stack) {}

  supports(type: OperationType): Support {
    if (planners[type]) return { supported: true };
    return {
      supported: false,
      reason:
        type === 'eimChange'
          ? 'SGP.02 has no eIM: an SGP.02 eUICC is managed by its SM-SR (use smsrChange)'
          : `SGP.02 has no function for ${type}`,
    };
  }

  /**
   * The SM-DP an operation routed over ES2 goes through: the profile's; for an audit, the one that
   * holds the eUICC's profiles, or the only SM-DP when they name none.
   */
  private async routeSmdp(req: DispatchRequest): Promise<Platform | undefined> {
    const iccid = req.type === 'audit' ? undefined : String(req.params.iccid);
    const ids = await this.s.directory.smdpIdsOf(req.eid, iccid);
    const p =
      ids.length === 1
        ? await this.s.directory.byId(ids[0]!)
        : ids.length === 0 && !iccid
          ? await this.s.directory.defaultSmdp()
          : undefined;
    return p?.kind === 'smdp' ? p : undefined;
  }

  async dispatch(req: DispatchRequest): Promise<DispatchOutcome> {
    const support = this.supports(req.type);
    const planner = planners[req.type];
    if (!support.supported || !planner)
      return refuse('sgp02_unsupported', support.supported ? '' : support.reason);
    const schema = OperationParams[req.type];
    const invalid = [...Value.Errors(schema, req.params)];
    if (invalid.length > 0)
      return refuse('invalid_params', `invalid ${req.type} parameters`, {
        errors: invalid.map((e) => `${e.instancePath || '/'} ${e.message}`),
      });
    const euicc = await this.s.directory.euicc(req.eid);
    if (!euicc) return refuse('unknown_euicc', `no eUICC with EID ${req.eid}`);
    if (euicc.stack !== 'sgp02')
      return refuse('wrong_stack', `eUICC ${req.eid} is ${euicc.stack}, not sgp02`);
    const smsr = euicc.smsrId ? await this.s.directory.byId(euicc.smsrId) : undefined;
    if (!smsr)
      return refuse('no_smsr', `eUICC ${req.eid} has no SM-SR with an EntityId and endpoint URL`, {
        smsrId: euicc.smsrId,
      });
    if (smsr.routeProblem)
      return refuse('platform_config', `SM-SR ${smsr.id} is misconfigured: ${smsr.routeProblem}`, {
        platformId: smsr.id,
      });
    let smdp: Platform | undefined;
    if (smsr.route === 'ES2' && routedTypes.has(req.type)) {
      smdp = await this.routeSmdp(req);
      if (!smdp)
        return refuse(
          'no_smdp',
          req.type === 'audit'
            ? `SM-SR ${smsr.id} routes over ES2, but no single SM-DP with an endpoint holds the profiles of eUICC ${req.eid}`
            : `SM-SR ${smsr.id} routes over ES2, but profile ${String(req.params.iccid)} has no SM-DP with an endpoint`,
        );
    }
    let other: Platform | undefined;
    if (req.type === 'download') {
      const id = req.params.platformId as string | undefined;
      other = id ? await this.s.directory.byId(id) : await this.s.directory.defaultSmdp();
      if (other?.kind !== 'smdp')
        return refuse(
          'no_smdp',
          id
            ? `platform ${id} is not an SM-DP with an endpoint`
            : 'no SM-DP to download from: name one with platformId',
        );
    }
    if (req.type === 'smsrChange') {
      other = await this.s.directory.byId(String(req.params.targetSmsrId));
      if (other?.kind !== 'smsr')
        return refuse(
          'no_smsr',
          `platform ${String(req.params.targetSmsrId)} is not an SM-SR with an endpoint`,
        );
      if (other.id === smsr.id) return refuse('same_smsr', `eUICC ${req.eid} is already on SM-SR ${smsr.id}`);
    }
    let validityPeriod: number | undefined;
    if (req.validUntil) {
      validityPeriod = Math.floor((req.validUntil.getTime() - Date.now()) / 1000);
      if (validityPeriod <= 0) return refuse('expired', 'the operation is past its validity period');
    }
    const plan = planner({ eid: req.eid, params: req.params, smsr, other, smdp });
    const platform = plan.platform ?? smsr;
    if (platform.authProblem)
      return refuse(
        'platform_auth',
        `cannot authenticate to platform ${platform.id}: ${platform.authProblem}`,
      );
    const messageId = newMessageId(this.s.requester.entityId);
    const sent = {
      messageId,
      operationId: req.operationId,
      correlationId: messageId,
      iface: plan.iface,
      fn: plan.fn,
      functionCallId: req.operationId,
      eid: req.eid,
      platformId: platform.id,
      params: plan.params,
    };
    await this.s.store.recordRequest(sent);
    let reply;
    try {
      reply = await plan.send(this.s, { functionCallId: req.operationId, validityPeriod, messageId });
    } catch (e) {
      if (e instanceof PeerUnreachableError)
        return { status: 'failed', error: { code: e.code, message: e.message }, retryable: true };
      if (e instanceof PeerProtocolError)
        return {
          status: 'failed',
          error: { code: e.code, message: e.message, details: e.details },
          // A Sender fault refuses our message itself; the provider's own trouble may pass.
          retryable: e.fault === undefined || e.fault.code === 'Receiver',
        };
      throw e;
    }
    if (reply.kind === 'accepted') return { status: 'sent', correlationId: messageId };
    const { status } = reply;
    const actor = `platform:${platform.id}`;
    return this.s.knex
      .transaction(async (trx): Promise<DispatchOutcome> => {
        await this.s.store.markAnswered(messageId, { ...status }, trx);
        const failure = failureOf(`${plan.iface}.${plan.fn}`, status);
        if (failure)
          return {
            status: 'failed',
            error: failure.error,
            retryable: isRetryable(status),
          };
        const result = await applyFunctionResult(
          this.s.observations,
          this.s.directory,
          sent,
          reply.body,
          { actor, reason: { operationId: req.operationId, messageId } },
          trx,
        );
        return { status: 'succeeded', result: { ...result, executionStatus: status.status } };
      })
      .catch((e: unknown) => {
        // The provider's answer could not be applied (an unreadable EIS, an unknown profile).
        if (e instanceof AppError)
          return refuse(e.code, `${plan.iface}.${plan.fn} answer not applied: ${e.message}`, e.details);
        throw e;
      });
  }
}
