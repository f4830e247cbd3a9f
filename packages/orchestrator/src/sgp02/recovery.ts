import type { Knex } from 'knex';
import { newMessageId } from './es-client.js';
import type { EisSummary } from './eis.js';
import type { SentRequest } from './sgp02-store.js';
import { currentCorrelation, type Sgp02Stack } from './stack.js';

/** Whether the EIS shows that the request's function took effect. */
function tookEffect(req: SentRequest, eis: EisSummary): boolean {
  const iccid = typeof req.params.iccid === 'string' ? req.params.iccid.toUpperCase() : undefined;
  const p = eis.profiles.find((x) => x.iccid === iccid);
  switch (req.fn) {
    case 'AuditEIS':
      return true;
    case 'EnableProfile':
      return p?.state === 'enabled';
    case 'DisableProfile':
      return p?.state === 'disabled';
    case 'DeleteProfile':
      return iccid !== undefined && !p;
    case 'DownloadProfile':
      return p !== undefined && (req.params.enable !== true || p.state === 'enabled');
    case 'SetFallbackAttribute':
    case 'UnsetFallbackAttribute':
      return p !== undefined && p.fallback === req.fn.startsWith('Set');
    case 'SetEmergencyProfileAttribute':
    case 'UnsetEmergencyProfileAttribute':
      return p !== undefined && p.emergency === req.fn.startsWith('Set');
    default:
      // An SM-SR change cannot be read from the current SM-SR's EIS.
      return false;
  }
}

/**
 * Recovers operations whose answer was lost: an AuditEIS of the eUICC (no operation of its
 * own) whose EIS shows the effect of an unanswered request ends that request's operation as
 * succeeded. What the EIS does not show is left to its answer or to its validity period.
 */
export class Sgp02Recovery {
  constructor(private readonly s: Sgp02Stack) {}

  /** Sends AuditEIS for every eUICC with a request unanswered for `afterSeconds`. */
  async sweep(afterSeconds: number, limit = 50): Promise<string[]> {
    const eids = await this.s.store.staleEids(new Date(Date.now() - afterSeconds * 1000), limit);
    for (const eid of eids) await this.audit(eid);
    return eids;
  }

  /**
   * To the SM-SR over ES4, or, when the SM-SR's route is ES2, through the SM-DP an unanswered
   * request went to (its EIS then shows only that SM-DP's profiles: `conclude` keeps to them).
   */
  async audit(eid: string): Promise<void> {
    const euicc = await this.s.directory.euicc(eid);
    const smsr = euicc?.smsrId ? await this.s.directory.byId(euicc.smsrId) : undefined;
    if (!smsr) return;
    const viaEs2 =
      smsr.route === 'ES2'
        ? (await this.s.store.unanswered(eid)).find((r) => r.iface === 'ES2')?.platformId
        : undefined;
    const smdp = viaEs2 ? await this.s.directory.byId(viaEs2) : undefined;
    const messageId = newMessageId(this.s.requester.entityId);
    await this.s.store.recordRequest({
      messageId,
      operationId: null,
      correlationId: messageId,
      iface: smdp ? 'ES2' : 'ES4',
      fn: 'AuditEIS',
      functionCallId: messageId,
      eid,
      platformId: (smdp ?? smsr).id,
      params: { recovery: true },
    });
    const o = { functionCallId: messageId, messageId };
    try {
      if (smdp) await this.s.es2.AuditEIS(smdp, { eid, smsrId: smsr.entityId }, o);
      else await this.s.es4.AuditEIS(smsr, { eid }, o);
    } catch (e) {
      this.s.logger.warn({ err: e, eid }, 'recovery AuditEIS not sent');
    }
  }

  /** Called with the EIS of a recovery audit, in the transaction that applied it. */
  async conclude(audit: SentRequest, eis: EisSummary, actor: string, trx: Knex.Transaction): Promise<void> {
    for (const req of await this.s.store.unanswered(audit.eid, trx)) {
      if (!audit.sentAt || !req.sentAt || req.sentAt > audit.sentAt || !tookEffect(req, eis)) continue;
      // An EIS read through an SM-DP says nothing of the profiles it does not show.
      if (audit.iface === 'ES2' && (req.iface !== 'ES2' || req.platformId !== audit.platformId)) continue;
      await this.s.store.markAnswered(req.messageId, { recoveredBy: audit.messageId }, trx);
      await this.s.outcomes.report(
        {
          stack: 'sgp02',
          correlationId: await currentCorrelation(this.s, req, trx),
          outcome: 'succeeded',
          result: { recoveredBy: 'AuditEIS', iccid: req.params.iccid },
          actor,
          reason: { recoveredBy: 'AuditEIS', messageId: audit.messageId },
        },
        trx,
      );
    }
  }
}
