/** SGP.32 ProfileInfo of a profile record, restricted to the tags asked for. */
import type { ProfileInfo } from '@esim/asn1';
import { iccidToBytes } from '../pki/iccid.js';
import type { ProfileRecord } from './state.js';
import { parseTagList } from './tag-list.js';

export const PROFILE_CLASS = { test: 0, provisioning: 1, operational: 2 } as const;
export const NOTIFICATION_EVENTS = [
  'notificationInstall',
  'notificationEnable',
  'notificationDisable',
  'notificationDelete',
] as const;

/** The tag of each ProfileInfo component this card fills in. */
const TAG_OF: Record<string, keyof ProfileInfo> = {
  '5A': 'iccid',
  '4F': 'isdpAid',
  '9F70': 'profileState',
  '90': 'profileNickname',
  '91': 'serviceProviderName',
  '92': 'profileName',
  '95': 'profileClass',
  B6: 'notificationConfigurationInfo',
  '9F26': 'fallbackAttribute',
  '9F67': 'fallbackAllowed',
};

export function profileInfo(p: ProfileRecord, tagList?: Uint8Array): ProfileInfo {
  const full: ProfileInfo = {
    iccid: iccidToBytes(p.iccid),
    isdpAid: new Uint8Array(Buffer.from(p.isdpAid, 'hex')),
    profileState: p.state === 'enabled' ? 1 : 0,
    ...(p.profileNickname !== undefined ? { profileNickname: p.profileNickname } : {}),
    serviceProviderName: p.serviceProviderName,
    profileName: p.profileName,
    profileClass: PROFILE_CLASS[p.profileClass],
    notificationConfigurationInfo: [
      { profileManagementOperation: [...NOTIFICATION_EVENTS], notificationAddress: p.notificationAddress },
    ],
    fallbackAttribute: p.fallbackAttribute,
    fallbackAllowed: p.fallbackAllowed,
  };
  if (!tagList) return full;
  const wanted = new Set(parseTagList(tagList).map((t) => TAG_OF[t]));
  const picked: Record<string, unknown> = { fallbackAttribute: false };
  for (const [k, v] of Object.entries(full)) if (wanted.has(k as keyof ProfileInfo)) picked[k] = v;
  return picked as ProfileInfo;
}
