import type { PendingNotification } from '@esim/asn1';
import type { EuiccCredentials } from '../pki/credentials.js';
import type { NOTIFICATION_EVENTS } from './profile-info.js';
import type { EuiccState, ProfileRecord } from './state.js';

export type NotificationEventName = (typeof NOTIFICATION_EVENTS)[number];

/** What a PSMO or eCO may touch: the card's state, and its notification list. */
export interface Card {
  readonly state: EuiccState;
  readonly credentials: EuiccCredentials;
  notify(event: NotificationEventName, profile: ProfileRecord): void;
  pendingNotifications(): { seqNumber: number; notification: PendingNotification }[];
}
