import type { Knex } from 'knex';
import type { InventoryObservations, ProfileSnapshot } from '../inventory/observations.js';
import { parseEis, type EisSummary } from './eis.js';
import type { PlatformDirectory } from './platform-directory.js';
import type { SentRequest } from './sgp02-store.js';
import { child, text, type XmlNode } from './soap/xml.js';

interface Who {
  actor: string;
  reason: Record<string, unknown>;
}

type OnProfile = Who & { eid: string; iccid: string };

/**
 * The inventory fact each profile function establishes once it is done, whether we learn it from
 * the function's answer or from a Handle*Notification (both are applied; the observations are
 * idempotent, so whichever arrives second changes nothing).
 */
export function profileFact(
  obs: InventoryObservations,
  fn: string,
): ((o: OnProfile, trx: Knex.Transaction) => Promise<unknown>) | undefined {
  switch (fn) {
    case 'EnableProfile':
      return (o, t) => obs.profileStateChanged({ ...o, state: 'enabled' }, t);
    case 'DisableProfile':
      return (o, t) => obs.profileStateChanged({ ...o, state: 'disabled' }, t);
    case 'DeleteProfile':
      return (o, t) => obs.profileStateChanged({ ...o, state: 'deleted' }, t);
    case 'SetFallbackAttribute':
    case 'UnsetFallbackAttribute':
      return (o, t) => obs.fallbackChanged({ ...o, fallback: fn.startsWith('Set') }, t);
    case 'SetEmergencyProfileAttribute':
    case 'UnsetEmergencyProfileAttribute':
      return (o, t) => obs.emergencyChanged({ ...o, emergency: fn.startsWith('Set') }, t);
    default:
      return undefined;
  }
}

/** EIS profiles as inventory snapshots; an SM-DP is kept only when it is one of our platforms. */
export async function snapshotsOf(
  eis: EisSummary,
  directory: PlatformDirectory,
  trx?: Knex.Transaction,
): Promise<ProfileSnapshot[]> {
  const out: ProfileSnapshot[] = [];
  for (const { smdpEntityId, pol2: _pol2, ...p } of eis.profiles) {
    const smdp = smdpEntityId
      ? (await directory.byEntityId(smdpEntityId, trx)).find((x) => x.kind === 'smdp')
      : undefined;
    out.push({ ...p, ...(smdp ? { platformId: smdp.id } : {}) });
  }
  return out;
}

/** What an EIS answering `req` covers: all the eUICC's profiles, or over ES2 the SM-DP's only. */
export const eisScope = (req: SentRequest): { platformId: string } | undefined =>
  req.iface === 'ES2' ? { platformId: req.platformId } : undefined;

/**
 * An EIS read (GetEIS, AuditEIS, SM-SR change) is the truth about the eUICC's profiles; read
 * through an SM-DP (ES2), only about that SM-DP's profiles (`scope`).
 */
export async function applyEis(
  obs: InventoryObservations,
  directory: PlatformDirectory,
  eisNode: XmlNode | undefined,
  who: Who,
  trx: Knex.Transaction,
  scope?: { platformId: string },
): Promise<EisSummary> {
  const eis = parseEis(eisNode);
  await obs.euiccAudited(
    {
      ...who,
      eid: eis.eid,
      profiles: await snapshotsOf(eis, directory, trx),
      info: {
        eumId: eis.eumId,
        smsrEntityId: eis.smsrEntityId,
        platform: eis.platform,
        pol2: Object.fromEntries(eis.profiles.map((p) => [p.iccid, p.pol2])),
      },
      ...(scope ? { scope } : {}),
    },
    trx,
  );
  return eis;
}

/** Applies what a successful function established; returns the operation's result. */
export async function applyFunctionResult(
  obs: InventoryObservations,
  directory: PlatformDirectory,
  req: SentRequest,
  response: XmlNode,
  who: Who,
  trx: Knex.Transaction,
): Promise<Record<string, unknown>> {
  const p = req.params as Record<string, string | boolean | undefined>;
  const fact = profileFact(obs, req.fn);
  if (fact) {
    await fact({ ...who, eid: req.eid, iccid: String(p.iccid) }, trx);
    return { iccid: p.iccid };
  }
  switch (req.fn) {
    case 'GetEIS':
    case 'AuditEIS': {
      const eis = await applyEis(obs, directory, child(response, 'Eis'), who, trx, eisScope(req));
      return {
        profiles: eis.profiles.map((x) => ({ iccid: x.iccid, state: x.state, fallback: x.fallback })),
      };
    }
    case 'DownloadProfile': {
      const iccid = text(response, 'Iccid')?.toUpperCase() ?? (p.iccid as string | undefined);
      if (iccid)
        await obs.profileInstalled(
          {
            ...who,
            eid: req.eid,
            iccid,
            state: p.enable ? 'enabled' : 'disabled',
            platformId: req.platformId,
            ...(p.profileType ? { profileType: String(p.profileType) } : {}),
          },
          trx,
        );
      return { iccid };
    }
    case 'UpdateSubscriptionAddress':
      await obs.subscriptionAddressChanged(
        {
          ...who,
          iccid: String(p.iccid),
          ...(p.msisdn ? { msisdn: String(p.msisdn) } : {}),
          ...(p.imsi ? { imsi: String(p.imsi) } : {}),
        },
        trx,
      );
      return { iccid: p.iccid, msisdn: p.msisdn, imsi: p.imsi };
    case 'UpdatePolicyRules':
      return { iccid: p.iccid, pol2: req.params.pol2 };
    case 'SMSRChange':
      await obs.smsrChanged({ ...who, eid: req.eid, smsrId: String(p.targetPlatformId) }, trx);
      return { smsrId: p.targetPlatformId };
    default:
      return {};
  }
}
