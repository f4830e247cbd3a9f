/**
 * The persistent state of a simulated eUICC, as a plain JSON-serialisable object: everything a
 * card keeps across a power cycle. Bytes are upper-case hex, ASN.1 values their `toJson` form.
 */
import type { Json } from '@esim/asn1';

export type ProfileClassName = 'test' | 'provisioning' | 'operational';

export interface ProfileRecord {
  /** Digits as printed on the card (19-20 digits), not the swapped BCD. */
  iccid: string;
  isdpAid: string;
  state: 'enabled' | 'disabled';
  fallbackAttribute: boolean;
  /** SGP.32 ProfileInfo.fallbackAllowed: false refuses setFallbackAttribute. */
  fallbackAllowed: boolean;
  profileName: string;
  serviceProviderName: string;
  profileNickname?: string;
  profileClass: ProfileClassName;
  /** Where notifications about this profile go (NotificationConfigurationInformation). */
  notificationAddress: string;
}

export interface EimRecord {
  /** EimConfigurationData as `toJson` gives it; `counterValue` there is the initial one. */
  configuration: Json;
  /** The last counterValue accepted from this eIM: the next package must carry a higher one. */
  counterValue: number;
  associationToken?: number;
}

/**
 * A signed notification or EuiccPackageResult kept until the eIM acknowledges its seqNumber.
 * A notification keeps only what it signed: the certificates are added when it is handed out.
 */
export type PendingRecord =
  | {
      seqNumber: number;
      kind: 'notification';
      tbsOtherNotification: string;
      euiccNotificationSignature: string;
    }
  | { seqNumber: number; kind: 'euiccPackageResult'; der: string }
  /** A signed ProfileInstallationResult (DER), a notification of its own form. */
  | { seqNumber: number; kind: 'profileInstallationResult'; der: string };

export interface DownloadTriggerRecord {
  receivedAt: string;
  /** ProfileDownloadTriggerRequest as `toJson` gives it. */
  request: Json;
}

export interface EuiccState {
  eid: string;
  profiles: ProfileRecord[];
  eims: EimRecord[];
  pending: PendingRecord[];
  nextSeqNumber: number;
  nextAssociationToken: number;
  defaultDpAddress?: string;
  rootSmdsAddress: string;
  immediateEnable: { enabled: boolean; defaultSmdpOid?: string; defaultSmdpAddress?: string };
  downloadTriggers: DownloadTriggerRecord[];
  /**
   * A profile state change the eIM did not ask for (SGP.32 StateChangeCause), for the IPA to report
   * with notifyStateChange on its next GetEimPackageRequest.
   */
  unreportedStateChange?: number;
  /**
   * Open while the eIM has not acknowledged the result of an enable it sent with rollbackFlag:
   * ES10b.ProfileRollback may go back to `previousIccid` and amend that result.
   */
  rollback?: { previousIccid: string; seqNumber: number };
}

export function initialEuiccState(eid: string, profiles: ProfileRecord[] = []): EuiccState {
  return {
    eid,
    profiles,
    eims: [],
    pending: [],
    nextSeqNumber: 1,
    nextAssociationToken: 1,
    rootSmdsAddress: 'lpa.ds.gsma.com',
    immediateEnable: { enabled: false },
    downloadTriggers: [],
  };
}
