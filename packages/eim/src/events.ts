import type { EuiccResultData, IpaEuiccData } from '@esim/asn1';
import type { EimPackage } from './store/eim-store.js';

export type NotifiedOperation = 'install' | 'enable' | 'disable' | 'delete';

/** What the eIM learned from a device, after verification. Only verified facts become events. */
export type EimEvent =
  | {
      type: 'packageCompleted';
      eid: string;
      package: EimPackage;
      outcome: 'succeeded' | 'failed';
      error?: { code: string; message: string };
      /** eUICC package: the eUICC's signed results, one per PSMO / eCO. */
      results?: EuiccResultData[];
      /** IpaEuiccDataRequest: what the IPA returned (certificates already checked and stored). */
      euiccData?: IpaEuiccData;
      /** ProfileDownloadTriggerRequest: the ICCID of the profile the eUICC installed. */
      installedIccid?: string;
    }
  | { type: 'packageExpired'; eid: string; package: EimPackage }
  | { type: 'notification'; eid: string; seqNumber: number; operation: NotifiedOperation; iccid?: string }
  /** The IPA said the eUICC's state changed on its own (GetEimPackageRequest.notifyStateChange). */
  | { type: 'stateChanged'; eid: string; cause?: number };

/**
 * Where verified outcomes go (the orchestrator's adapter). Must be idempotent: an event can be
 * delivered again when the device repeats a message whose answer it lost.
 */
export interface EimListener {
  onEvent(event: EimEvent): Promise<void>;
}
