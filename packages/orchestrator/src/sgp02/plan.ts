import type { OperationType } from '../operations/vocabulary.js';
import type { CallOptions, Es2Client, Es4Client, FunctionReply, Provider } from './es-client.js';
import type { EsInterface } from './functions.js';
import type { Platform } from './platform-directory.js';

/** The ES2/ES4 function an operation becomes, the platform it goes to and what we record of it. */
export interface CallPlan {
  iface: EsInterface;
  fn: string;
  platform: Platform;
  params: Record<string, unknown>;
  send(clients: { es2: Es2Client; es4: Es4Client }, o: CallOptions): Promise<FunctionReply>;
}

export interface PlanContext {
  eid: string;
  params: Record<string, unknown>;
  smsr: Platform;
  /** The SM-DP of a download, the target SM-SR of an SM-SR change. */
  other?: Platform;
  /** The SM-DP an operation routed over ES2 goes through (profile-route.ts); absent: ES4. */
  smdp?: Platform;
}

type Planner = (c: PlanContext) => Omit<CallPlan, 'platform'> & { platform?: Platform };

/** The operations an SM-SR's route may send over ES2 through the SM-DP. */
export const routedTypes: ReadonlySet<OperationType> = new Set([
  'enable',
  'disable',
  'delete',
  'audit',
  'updatePolicyRules',
  'updateSubscriptionAddress',
]);

/** Functions of the same name on ES4 and ES2, where ES2 also names the eUICC's SM-SR. */
type Routed =
  | 'EnableProfile'
  | 'DisableProfile'
  | 'DeleteProfile'
  | 'AuditEIS'
  | 'UpdatePolicyRules'
  | 'UpdateSubscriptionAddress';
type Send<A> = (p: Provider, a: A, o: CallOptions) => Promise<FunctionReply>;

/** `fn` to the SM-SR over ES4, or, routed over ES2, to the SM-DP with the SM-SR named. */
function routed<F extends Routed>(
  c: PlanContext,
  fn: F,
  args: Parameters<Es4Client[F]>[1],
  params: Record<string, unknown>,
): ReturnType<Planner> {
  const smdp = c.smdp;
  if (!smdp)
    return {
      iface: 'ES4',
      fn,
      params,
      send: ({ es4 }, o) => (es4[fn] as unknown as Send<typeof args>).call(es4, c.smsr, args, o),
    };
  return {
    iface: 'ES2',
    fn,
    platform: smdp,
    params,
    send: ({ es2 }, o) =>
      (es2[fn] as unknown as Send<typeof args & { smsrId: string }>).call(
        es2,
        smdp,
        { ...args, smsrId: c.smsr.entityId },
        o,
      ),
  };
}

const onProfile =
  (fn: 'EnableProfile' | 'DisableProfile' | 'DeleteProfile'): Planner =>
  (c) =>
    routed(c, fn, { eid: c.eid, iccid: String(c.params.iccid) }, { iccid: c.params.iccid });

const onAttribute =
  (fn: `${'Set' | 'Unset'}${'FallbackAttribute' | 'EmergencyProfileAttribute'}`): Planner =>
  (c) => ({
    iface: 'ES4',
    fn,
    params: { iccid: c.params.iccid },
    send: ({ es4 }, o) => es4[fn](c.smsr, { eid: c.eid, iccid: String(c.params.iccid) }, o),
  });

/**
 * The vocabulary mapped onto SGP.02: a download goes to the SM-DP over ES2; everything else to the
 * eUICC's SM-SR over ES4, or, on an SM-SR whose route is ES2, the routed types through the
 * profile's SM-DP over ES2. An eIM change has no SGP.02 function.
 */
export const planners: Partial<Record<OperationType, Planner>> = {
  enable: onProfile('EnableProfile'),
  disable: onProfile('DisableProfile'),
  delete: onProfile('DeleteProfile'),
  setFallback: onAttribute('SetFallbackAttribute'),
  unsetFallback: onAttribute('UnsetFallbackAttribute'),
  setEmergency: onAttribute('SetEmergencyProfileAttribute'),
  unsetEmergency: onAttribute('UnsetEmergencyProfileAttribute'),
  audit: (c) =>
    routed(
      c,
      'AuditEIS',
      { eid: c.eid, iccids: c.params.iccids as string[] | undefined },
      { iccids: c.params.iccids ?? [] },
    ),
  updateSubscriptionAddress: (c) =>
    routed(
      c,
      'UpdateSubscriptionAddress',
      {
        eid: c.eid,
        iccid: String(c.params.iccid),
        address: {
          msisdn: c.params.msisdn as string | undefined,
          imsi: c.params.imsi as string | undefined,
        },
      },
      c.params,
    ),
  updatePolicyRules: (c) =>
    routed(
      c,
      'UpdatePolicyRules',
      {
        eid: c.eid,
        iccid: String(c.params.iccid),
        pol2: c.params.pol2 as { action: string; qualification: string }[],
      },
      c.params,
    ),
  download: (c) => ({
    iface: 'ES2',
    fn: 'DownloadProfile',
    platform: c.other,
    params: { ...c.params, enable: c.params.enable === true },
    send: ({ es2 }, o) =>
      es2.DownloadProfile(
        c.other!,
        {
          eid: c.eid,
          smsrId: c.smsr.entityId,
          iccid: c.params.iccid as string | undefined,
          profileType: c.params.profileType as string | undefined,
          enable: c.params.enable === true,
        },
        o,
      ),
  }),
  // First step of the SM-SR change; the second (SMSRChange to the current SM-SR) follows its answer.
  smsrChange: (c) => ({
    iface: 'ES4',
    fn: 'PrepareSMSRChange',
    platform: c.other,
    params: { targetPlatformId: c.other!.id, currentPlatformId: c.smsr.id },
    send: ({ es4 }, o) => es4.PrepareSMSRChange(c.other!, { eid: c.eid, currentSmsrId: c.smsr.entityId }, o),
  }),
};
