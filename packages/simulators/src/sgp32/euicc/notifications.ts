/** Signed notifications (SGP.22 OtherSignedNotification, the form SGP.32 PendingNotification keeps). */
import { encode, NotificationMetadata, type PendingNotification } from '@esim/asn1';
import type { EuiccCredentials } from '../pki/credentials.js';
import { iccidToBytes } from '../pki/iccid.js';
import type { NotificationEventName } from './card.js';
import { signPlain } from './signing.js';
import type { ProfileRecord } from './state.js';

/** euiccNotificationSignature is over the DER of tbsOtherNotification (SGP.22 5.7.11). */
export function otherSignedNotification(
  credentials: EuiccCredentials,
  seqNumber: number,
  event: NotificationEventName,
  profile: ProfileRecord,
): PendingNotification {
  const tbsOtherNotification: NotificationMetadata = {
    seqNumber,
    profileManagementOperation: [event],
    notificationAddress: profile.notificationAddress,
    iccid: iccidToBytes(profile.iccid),
  };
  return {
    otherSignedNotification: {
      tbsOtherNotification,
      euiccNotificationSignature: signPlain(
        credentials.privateKey,
        encode(NotificationMetadata, tbsOtherNotification),
      ),
      euiccCertificate: credentials.euiccCertificate,
      eumCertificate: credentials.eumCertificate,
    },
  };
}
