/** Signed notifications (SGP.22 OtherSignedNotification, the form SGP.32 PendingNotification keeps). */
import { decode, encode, NotificationMetadata, type PendingNotification } from '@esim/asn1';
import type { EuiccCredentials } from '../pki/credentials.js';
import { iccidToBytes } from '../pki/iccid.js';
import type { NotificationEventName } from './card.js';
import { signPlain } from './signing.js';
import type { PendingRecord, ProfileRecord } from './state.js';

type NotificationRecord = Extract<PendingRecord, { kind: 'notification' }>;
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const bytesOf = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

/** euiccNotificationSignature is over the DER of tbsOtherNotification (SGP.22 5.7.11). */
export function signedNotificationRecord(
  credentials: EuiccCredentials,
  seqNumber: number,
  event: NotificationEventName,
  profile: ProfileRecord,
): NotificationRecord {
  const tbs = encode(NotificationMetadata, {
    seqNumber,
    profileManagementOperation: [event],
    notificationAddress: profile.notificationAddress,
    iccid: iccidToBytes(profile.iccid),
  });
  return {
    seqNumber,
    kind: 'notification',
    tbsOtherNotification: hexOf(tbs),
    euiccNotificationSignature: hexOf(signPlain(credentials.privateKey, tbs)),
  };
}

/** The notification as the IPA sends it, with the eUICC and EUM certificates. */
export function otherSignedNotification(
  credentials: EuiccCredentials,
  record: NotificationRecord,
): PendingNotification {
  return {
    otherSignedNotification: {
      tbsOtherNotification: decode(NotificationMetadata, bytesOf(record.tbsOtherNotification)),
      euiccNotificationSignature: bytesOf(record.euiccNotificationSignature),
      euiccCertificate: credentials.euiccCertificate,
      eumCertificate: credentials.eumCertificate,
    },
  };
}
