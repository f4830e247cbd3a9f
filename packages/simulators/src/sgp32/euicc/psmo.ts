/**
 * Profile State Management Operations (SGP.32 5.9.x), each with the result codes its ES10b
 * function names. At most one profile is enabled at any time.
 */
import type { EuiccResultData, Psmo } from '@esim/asn1';
import { iccidFromBytes } from '../pki/iccid.js';
import type { Card } from './card.js';
import { PROFILE_CLASS, profileInfo } from './profile-info.js';
import type { ProfileRecord } from './state.js';
import { TagListError } from './tag-list.js';

const find = (card: Card, iccid: Uint8Array) => {
  const wanted = iccidFromBytes(iccid);
  return card.state.profiles.find((p) => p.iccid === wanted);
};
const enabledProfile = (card: Card) => card.state.profiles.find((p) => p.state === 'enabled');
const fallbackProfile = (card: Card) => card.state.profiles.find((p) => p.fallbackAttribute);

function enable(card: Card, iccid: Uint8Array): EuiccResultData {
  const target = find(card, iccid);
  if (!target) return { enableResult: 1 };
  if (target.state !== 'disabled') return { enableResult: 2 };
  const previous = enabledProfile(card);
  if (previous) {
    previous.state = 'disabled';
    card.notify('notificationDisable', previous);
  }
  target.state = 'enabled';
  card.notify('notificationEnable', target);
  return { enableResult: 0 };
}

function disable(card: Card, iccid: Uint8Array): EuiccResultData {
  const target = find(card, iccid);
  if (!target) return { disableResult: 1 };
  if (target.state !== 'enabled') return { disableResult: 2 };
  target.state = 'disabled';
  card.notify('notificationDisable', target);
  return { disableResult: 0 };
}

function remove(card: Card, iccid: Uint8Array): EuiccResultData {
  const target = find(card, iccid);
  if (!target) return { deleteResult: 1 };
  if (target.state !== 'disabled') return { deleteResult: 2 };
  card.state.profiles = card.state.profiles.filter((p) => p !== target);
  card.notify('notificationDelete', target);
  return { deleteResult: 0 };
}

type ListProfileInfo = NonNullable<Psmo['listProfileInfo']>;

function matches(p: ProfileRecord, criteria: NonNullable<ListProfileInfo['searchCriteria']>) {
  if (criteria.iccid) return p.iccid === iccidFromBytes(criteria.iccid);
  if (criteria.isdpAid) return p.isdpAid === Buffer.from(criteria.isdpAid).toString('hex').toUpperCase();
  if (criteria.profileClass !== undefined) return PROFILE_CLASS[p.profileClass] === criteria.profileClass;
  return false;
}

function listProfileInfo(card: Card, request: ListProfileInfo): EuiccResultData {
  try {
    const profiles = card.state.profiles.filter(
      (p) => !request.searchCriteria || matches(p, request.searchCriteria),
    );
    return {
      listProfileInfoResult: { profileInfoListOk: profiles.map((p) => profileInfo(p, request.tagList)) },
    };
  } catch (e) {
    if (e instanceof TagListError) return { listProfileInfoResult: { profileInfoListError: 1 } };
    throw e;
  }
}

/** The fallback attribute cannot move while the fallback profile is the one in use. */
function setFallbackAttribute(card: Card, iccid: Uint8Array): EuiccResultData {
  const target = find(card, iccid);
  if (!target) return { setFallbackAttributeResult: 1 };
  if (!target.fallbackAllowed) return { setFallbackAttributeResult: 2 };
  const current = fallbackProfile(card);
  if (current && current !== target && current.state === 'enabled') return { setFallbackAttributeResult: 3 };
  if (current) current.fallbackAttribute = false;
  target.fallbackAttribute = true;
  return { setFallbackAttributeResult: 0 };
}

function unsetFallbackAttribute(card: Card): EuiccResultData {
  const current = fallbackProfile(card);
  if (!current) return { unsetFallbackAttributeResult: 2 };
  if (current.state === 'enabled') return { unsetFallbackAttributeResult: 3 };
  current.fallbackAttribute = false;
  return { unsetFallbackAttributeResult: 0 };
}

export function executePsmo(card: Card, psmo: Psmo): EuiccResultData {
  if (psmo.enable) return enable(card, psmo.enable.iccid);
  if (psmo.disable) return disable(card, psmo.disable.iccid);
  if (psmo.delete) return remove(card, psmo.delete.iccid);
  if (psmo.listProfileInfo) return listProfileInfo(card, psmo.listProfileInfo);
  // The simulated card carries no Profile Policy Rules, so its RAT is empty.
  if (psmo.getRAT) return { getRATResult: [] };
  if (psmo.configureImmediateEnable) {
    const c = psmo.configureImmediateEnable;
    card.state.immediateEnable = {
      enabled: c.immediateEnableFlag !== undefined,
      ...(c.defaultSmdpOid !== undefined ? { defaultSmdpOid: c.defaultSmdpOid } : {}),
      ...(c.defaultSmdpAddress !== undefined ? { defaultSmdpAddress: c.defaultSmdpAddress } : {}),
    };
    return { configureImmediateEnableResult: 0 };
  }
  if (psmo.setFallbackAttribute) return setFallbackAttribute(card, psmo.setFallbackAttribute.iccid);
  if (psmo.unsetFallbackAttribute) return unsetFallbackAttribute(card);
  if (psmo.setDefaultDpAddress) {
    card.state.defaultDpAddress = psmo.setDefaultDpAddress.defaultDpAddress;
    return { setDefaultDpAddressResult: { setDefaultDpAddressResult: 0 } };
  }
  // An alternative from a later version of the module: this card does not know it.
  return { processingTerminated: 2 };
}
