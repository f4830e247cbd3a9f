import type { OperationType } from '../operations/vocabulary.js';
import type { CallOptions, Es2Client, Es4Client, FunctionReply } from './es-client.js';
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
}

type Planner = (c: PlanContext) => Omit<CallPlan, 'platform'> & { platform?: Platform };

const onProfile =
  (
    fn:
      | 'EnableProfile'
      | 'DisableProfile'
      | 'DeleteProfile'
      | `${'Set' | 'Unset'}${'FallbackAttribute' | 'EmergencyProfileAttribute'}`,
  ): Planner =>
  (c) => ({
    iface: 'ES4',
    fn,
    params: { iccid: c.params.iccid },
    send: ({ es4 }, o) => es4[fn](c.smsr, { eid: c.eid, iccid: String(c.params.iccid) }, o),
  });

/**
 * The vocabulary mapped onto SGP.02: a download goes to the SM-DP over ES2, everything else to the
 * eUICC's SM-SR over ES4. An eIM change has no SGP.02 function.
 */
export const planners: Partial<Record<OperationType, Planner>> = {
  enable: onProfile('EnableProfile'),
  disable: onProfile('DisableProfile'),
  delete: onProfile('DeleteProfile'),
  setFallback: onProfile('SetFallbackAttribute'),
  unsetFallback: onProfile('UnsetFallbackAttribute'),
  setEmergency: onProfile('SetEmergencyProfileAttribute'),
  unsetEmergency: onProfile('UnsetEmergencyProfileAttribute'),
  audit: (c) => ({
    iface: 'ES4',
    fn: 'AuditEIS',
    params: { iccids: c.params.iccids ?? [] },
    send: ({ es4 }, o) =>
      es4.AuditEIS(c.smsr, { eid: c.eid, iccids: c.params.iccids as string[] | undefined }, o),
  }),
  updateSubscriptionAddress: (c) => ({
    iface: 'ES4',
    fn: 'UpdateSubscriptionAddress',
    params: c.params,
    send: ({ es4 }, o) =>
      es4.UpdateSubscriptionAddress(
        c.smsr,
        {
          eid: c.eid,
          iccid: String(c.params.iccid),
          address: {
            msisdn: c.params.msisdn as string | undefined,
            imsi: c.params.imsi as string | undefined,
          },
        },
        o,
      ),
  }),
  updatePolicyRules: (c) => ({
    iface: 'ES4',
    fn: 'UpdatePolicyRules',
    params: c.params,
    send: ({ es4 }, o) =>
      es4.UpdatePolicyRules(
        c.smsr,
        {
          eid: c.eid,
          iccid: String(c.params.iccid),
          pol2: c.params.pol2 as { action: string; qualification: string }[],
        },
        o,
      ),
  }),
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
