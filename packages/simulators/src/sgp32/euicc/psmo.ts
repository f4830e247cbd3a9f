/**
 * Profile State Management Operations (SGP.32 5.9.x), each with the result codes its ES10b
 * function names. At most one profile is enabled at any time.
 */
import {
  DeleteProfileResult,
  DisableProfileResult,
  EnableProfileResult,
  ProfileInfoListError,
  ConfigureImmediateEnableResult,
  SetFallbackAttributeResult,
  UnsetFallbackAttributeResult,
  type EuiccResultData,
  type Psmo,
} from '@esim/asn1';
import { iccidFromBytes } from '../pki/iccid.js';
import type { Card } from './card.js';
import { UNKNOWN_OR_DAMAGED_COMMAND } from './operation-status.js';
import { switchTo } from './profile-switch.js';
import { PROFILE_CLASS, profileInfo } from './profile-info.js';
import type { ProfileRecord } from './state.js';
import { TagListError } from './tag-list.js';

const Enable = EnableProfileResult.values;
const Disable = DisableProfileResult.values;
const Delete = DeleteProfileResult.values;
const SetFallback = SetFallbackAttributeResult.values;
const UnsetFallback = UnsetFallbackAttributeResult.values;
/** SetDefaultDpAddressResponse.setDefaultDpAddressResult ok. */
const SET_DEFAULT_DP_ADDRESS_OK = 0;

const find = (card: Card, iccid: Uint8Array) => {
  const wanted = iccidFromBytes(iccid);
  return card.state.profiles.find((p) => p.iccid === wanted);
};
const enabledProfile = (card: Card) => card.state.profiles.find((p) => p.state === 'enabled');
const fallbackProfile = (card: Card) => card.state.profiles.find((p) => p.fallbackAttribute);

/** With rollbackFlag, there must be a profile to go back to. */
function enable(card: Card, iccid: Uint8Array, rollbackFlag: boolean): EuiccResultData {
  const target = find(card, iccid);
  if (!target) return { enableResult: Enable.iccidOrAidNotFound };
  if (target.state !== 'disabled') return { enableResult: Enable.profileNotInDisabledState };
  if (rollbackFlag && !enabledProfile(card)) return { enableResult: Enable.rollbackNotAvailable };
  switchTo(card, target);
  return { enableResult: Enable.ok };
}

function disable(card: Card, iccid: Uint8Array): EuiccResultData {
  const target = find(card, iccid);
  if (!target) return { disableResult: Disable.iccidOrAidNotFound };
  if (target.state !== 'enabled') return { disableResult: Disable.profileNotInEnabledState };
  target.state = 'disabled';
  card.notify('notificationDisable', target);
  return { disableResult: Disable.ok };
}

function remove(card: Card, iccid: Uint8Array): EuiccResultData {
  const target = find(card, iccid);
  if (!target) return { deleteResult: Delete.iccidOrAidNotFound };
  if (target.state !== 'disabled') return { deleteResult: Delete.profileNotInDisabledState };
  card.state.profiles = card.state.profiles.filter((p) => p !== target);
  card.notify('notificationDelete', target);
  return { deleteResult: Delete.ok };
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
    if (e instanceof TagListError)
      return {
        listProfileInfoResult: { profileInfoListError: ProfileInfoListError.values.incorrectInputValues },
      };
    throw e;
  }
}

/** The fallback attribute cannot move while the fallback profile is the one in use. */
function setFallbackAttribute(card: Card, iccid: Uint8Array): EuiccResultData {
  const target = find(card, iccid);
  if (!target) return { setFallbackAttributeResult: SetFallback.iccidOrAidNotFound };
  if (!target.fallbackAllowed) return { setFallbackAttributeResult: SetFallback.fallbackNotAllowed };
  const current = fallbackProfile(card);
  if (current && current !== target && current.state === 'enabled')
    return { setFallbackAttributeResult: SetFallback.fallbackProfileEnabled };
  if (current) current.fallbackAttribute = false;
  target.fallbackAttribute = true;
  return { setFallbackAttributeResult: SetFallback.ok };
}

function unsetFallbackAttribute(card: Card): EuiccResultData {
  const current = fallbackProfile(card);
  if (!current) return { unsetFallbackAttributeResult: UnsetFallback.noFallbackAttribute };
  if (current.state === 'enabled')
    return { unsetFallbackAttributeResult: UnsetFallback.fallbackProfileEnabled };
  current.fallbackAttribute = false;
  return { unsetFallbackAttributeResult: UnsetFallback.ok };
}

export function executePsmo(card: Card, psmo: Psmo): EuiccResultData {
  if (psmo.enable) return enable(card, psmo.enable.iccid, psmo.enable.rollbackFlag !== undefined);
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
    return { configureImmediateEnableResult: ConfigureImmediateEnableResult.values.ok };
  }
  if (psmo.setFallbackAttribute) return setFallbackAttribute(card, psmo.setFallbackAttribute.iccid);
  if (psmo.unsetFallbackAttribute) return unsetFallbackAttribute(card);
  if (psmo.setDefaultDpAddress) {
    card.state.defaultDpAddress = psmo.setDefaultDpAddress.defaultDpAddress;
    return { setDefaultDpAddressResult: { setDefaultDpAddressResult: SET_DEFAULT_DP_ADDRESS_OK } };
  }
  // An alternative from a later version of the module: this card does not know it.
  return { processingTerminated: UNKNOWN_OR_DAMAGED_COMMAND };
}
