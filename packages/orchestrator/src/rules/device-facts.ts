import type { Knex } from 'knex';
import type { Stack } from '../operations/vocabulary.js';

export interface ProfileFact {
  iccid: string;
  operator: string | null;
  state: string;
  fallback: boolean;
  profileType: string | null;
}

/** What rules know about a device: its own fields, its eUICC's stack, its profiles and current operator. */
export interface DeviceFacts {
  id: string;
  externalId: string | null;
  eid: string;
  stack: Stack;
  imei: string | null;
  country: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  /** Operator of the enabled profile, if any. */
  operator: string | null;
  enabledIccid: string | null;
  profiles: ProfileFact[];
}

export type DeviceRef = { deviceId?: string; eid?: string; externalId?: string };

/** The device an event or a dry-run names (by id, EID or external id), with its facts; undefined if none matches. */
export async function loadDeviceFacts(
  k: Knex | Knex.Transaction,
  ref: DeviceRef,
): Promise<DeviceFacts | undefined> {
  // One round trip: the device, its eUICC's stack and its profiles (aggregated) together.
  const q = k('devices as d')
    .join('euiccs as e', 'e.eid', 'd.eid')
    .select(
      'd.*',
      'e.stack',
      k.raw(
        `coalesce((select json_agg(json_build_object('iccid', p.iccid, 'operator', p.operator, 'state', p.state,
           'fallback', p.fallback, 'profileType', p.profile_type) order by p.iccid)
           from profiles p where p.eid = d.eid and p.state <> 'deleted'), '[]') as profiles`,
      ),
    );
  if (ref.deviceId !== undefined) q.where('d.id', ref.deviceId);
  if (ref.eid !== undefined) q.where('d.eid', ref.eid);
  if (ref.externalId !== undefined) q.where('d.external_id', ref.externalId);
  const d = await q.first();
  if (!d) return undefined;
  const profiles = d.profiles as ProfileFact[];
  const enabled = profiles.find((p) => p.state === 'enabled');
  return {
    id: d.id,
    externalId: d.external_id,
    eid: d.eid,
    stack: d.stack,
    imei: d.imei,
    country: d.country,
    tags: d.tags,
    attributes: d.attributes,
    operator: enabled?.operator ?? null,
    enabledIccid: enabled?.iccid ?? null,
    profiles,
  };
}
