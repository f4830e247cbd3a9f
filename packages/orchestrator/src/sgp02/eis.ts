import { AppError } from '../errors.js';
import type { ProfileSnapshot } from '../inventory/observations.js';
import { child, children, text, type XmlNode } from './soap/xml.js';

/** What the inventory keeps of an EIS (eUICC Information Set): no keys, no AIDs of security domains. */
export interface EisSummary {
  eid: string;
  eumId?: string;
  smsrEntityId?: string;
  platform: { type?: string; version?: string; remainingMemory?: number };
  profiles: (ProfileSnapshot & {
    smdpEntityId?: string;
    pol2: { action: string; qualification: string }[];
  })[];
}

/** An EIS a peer sent that we cannot read: the message is refused, nothing is applied. */
export class EisError extends AppError {
  override readonly name = 'EisError';
  readonly statusCode = 400;
  readonly code = 'sgp02_invalid_eis';
}

const states: Record<string, ProfileSnapshot['state']> = {
  created: 'created',
  disabled: 'disabled',
  enabled: 'enabled',
};

const bool = (v: string | undefined) => v !== undefined && /^(true|1)$/i.test(v);

/** Reads the EIS of a GetEIS / AuditEIS response or an SMSR change notification. */
export function parseEis(eis: XmlNode | undefined): EisSummary {
  const signed = child(eis, 'EumSignedInfo');
  const eid = text(signed, 'Eid')?.toUpperCase();
  if (!eid) throw new EisError('EIS without EumSignedInfo/Eid');
  const profiles = children(eis, 'ProfileInfo').map((p) => {
    const iccid = text(p, 'Iccid')?.toUpperCase();
    const state = states[(text(p, 'State') ?? '').toLowerCase()];
    if (!iccid || !state) throw new EisError(`EIS ProfileInfo without a valid Iccid and State (EID ${eid})`);
    const address = child(p, 'SubscriptionAddress');
    const pol2 = children(child(p, 'pol2'), 'Rule').map((r) => ({
      action: text(r, 'Action') ?? '',
      qualification: text(r, 'Qualification') ?? '',
    }));
    return {
      iccid,
      state,
      fallback: bool(text(p, 'FallbackAttribute')),
      emergency: bool(text(p, 'EmergencyProfileAttribute')),
      isdpAid: text(p, 'Isd-p-aid'),
      operator: text(p, 'Mno-id'),
      profileType: text(p, 'ProfileType'),
      msisdn: text(address, 'Msisdn'),
      imsi: text(address, 'Imsi'),
      smdpEntityId: text(p, 'Smdp-id'),
      pol2,
    };
  });
  const memory = text(eis, 'RemainingMemory');
  return {
    eid,
    eumId: text(signed, 'Eum-id'),
    smsrEntityId: text(eis, 'Smsr-id'),
    platform: {
      type: text(signed, 'PlatformType'),
      version: text(signed, 'PlatformVersion'),
      remainingMemory: memory === undefined ? undefined : Number(memory),
    },
    profiles,
  };
}
