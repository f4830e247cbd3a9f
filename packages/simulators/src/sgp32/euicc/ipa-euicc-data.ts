/**
 * The card's answer to an IpaEuiccDataRequest (SGP.32 2.11.1.2): the components named in the tag
 * list. `ipaCapabilities` (A8) and `deviceInfo` (A9) are the IPA's to add.
 */
import {
  decode,
  EuiccPackageResult,
  IpaEuiccDataErrorCode,
  type IpaEuiccData,
  type IpaEuiccDataRequest,
  type IpaEuiccDataResponse,
} from '@esim/asn1';
import type { Card } from './card.js';
import { findEim } from './eim-configuration.js';
import { euiccInfo1, euiccInfo2 } from './euicc-info.js';
import { parseTagList, TagListError } from './tag-list.js';

export const IPA_TAGS = { ipaCapabilities: 'A8', deviceInfo: 'A9' } as const;
const KNOWN_TAGS = new Set(['A0', '81', 'A2', 'BF20', 'BF22', '83', '84', 'A5', 'A6', 'A8', 'A9']);

function notifications(card: Card, criteria: IpaEuiccDataRequest['searchCriteriaNotification']) {
  return card
    .pendingNotifications()
    .filter(({ seqNumber, notification }) => {
      if (criteria?.seqNumber !== undefined) return seqNumber === criteria.seqNumber;
      if (criteria?.profileManagementOperation) {
        const metadata =
          notification.otherSignedNotification?.tbsOtherNotification ??
          notification.profileInstallationResult?.profileInstallationResultData.notificationMetadata;
        const events = metadata?.profileManagementOperation ?? [];
        return criteria.profileManagementOperation.some((e) => events.includes(e));
      }
      return true;
    })
    .map(({ notification }) => notification);
}

function packageResults(card: Card, criteria: IpaEuiccDataRequest['searchCriteriaEuiccPackageResult']) {
  return card.state.pending.flatMap((r) =>
    r.kind === 'euiccPackageResult' &&
    (criteria?.seqNumber === undefined || r.seqNumber === criteria.seqNumber)
      ? [decode(EuiccPackageResult, Buffer.from(r.der, 'hex'))]
      : [],
  );
}

export function requestedTags(request: IpaEuiccDataRequest): Set<string> | undefined {
  try {
    const tags = parseTagList(request.tagList);
    return tags.length > 0 && tags.every((t) => KNOWN_TAGS.has(t)) ? new Set(tags) : undefined;
  } catch (e) {
    if (e instanceof TagListError) return undefined;
    throw e;
  }
}

export function ipaEuiccData(card: Card, request: IpaEuiccDataRequest, eimId?: string): IpaEuiccDataResponse {
  const transaction = request.eimTransactionId ? { eimTransactionId: request.eimTransactionId } : {};
  const error = (ipaEuiccDataErrorCode: number): IpaEuiccDataResponse => ({
    ipaEuiccDataResponseError: { ...transaction, ipaEuiccDataErrorCode },
  });
  const tags = requestedTags(request);
  if (!tags) return error(IpaEuiccDataErrorCode.values.incorrectTagList);
  const { credentials, state } = card;
  if (
    request.euiccCiPKIdentifierToBeUsed &&
    Buffer.compare(request.euiccCiPKIdentifierToBeUsed, credentials.ciPkId) !== 0
  ) {
    return error(IpaEuiccDataErrorCode.values.euiccCiPKIdNotFound);
  }
  const token = eimId !== undefined ? findEim(card, eimId)?.associationToken : undefined;
  const data: IpaEuiccData = {
    ...(tags.has('A0') ? { notificationsList: notifications(card, request.searchCriteriaNotification) } : {}),
    ...(tags.has('81') && state.defaultDpAddress !== undefined
      ? { defaultSmdpAddress: state.defaultDpAddress }
      : {}),
    ...(tags.has('A2')
      ? { euiccPackageResultList: packageResults(card, request.searchCriteriaEuiccPackageResult) }
      : {}),
    ...(tags.has('BF20') ? { euiccInfo1: euiccInfo1(credentials.ciPkId) } : {}),
    ...(tags.has('BF22') ? { euiccInfo2: euiccInfo2(credentials.ciPkId, state.profiles.length) } : {}),
    ...(tags.has('83') ? { rootSmdsAddress: state.rootSmdsAddress } : {}),
    ...(tags.has('84') && token !== undefined ? { associationToken: token } : {}),
    ...(tags.has('A5') ? { eumCertificate: credentials.eumCertificate } : {}),
    ...(tags.has('A6') ? { euiccCertificate: credentials.euiccCertificate } : {}),
    ...transaction,
  };
  return { ipaEuiccData: data };
}
