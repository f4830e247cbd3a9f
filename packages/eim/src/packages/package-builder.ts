import { webcrypto } from 'node:crypto';
import type { IpaEuiccDataRequest, ProfileDownloadTriggerRequest } from '@esim/asn1';
import { encode, EuiccPackageSigned, GetEimPackageResponse, type EuiccPackage } from '@esim/asn1';
import type { EimCredentials } from '../crypto/eim-credentials.js';
import { fromHex } from '../identifiers.js';

/** A fresh eimTransactionId: 16 random octets (the maximum TransactionId size), so ids never collide across instances. */
export function newEimTransactionId(): Uint8Array {
  return webcrypto.getRandomValues(new Uint8Array(16));
}

/**
 * Tags of the IpaEuiccData components, for IpaEuiccDataRequest.tagList (SGP.32 5.14.x: the
 * tags of the data objects requested).
 */
export const IpaEuiccDataTags = {
  notificationsList: [0xa0],
  defaultSmdpAddress: [0x81],
  euiccPackageResultList: [0xa2],
  euiccInfo1: [0xbf, 0x20],
  euiccInfo2: [0xbf, 0x22],
  rootSmdsAddress: [0x83],
  associationToken: [0x84],
  eumCertificate: [0xa5],
  euiccCertificate: [0xa6],
  ipaCapabilities: [0xa8],
  deviceInfo: [0xa9],
} as const;
export type IpaEuiccDataItem = keyof typeof IpaEuiccDataTags;

export function tagList(items: readonly IpaEuiccDataItem[]): Uint8Array {
  return Uint8Array.from(items.flatMap((i) => IpaEuiccDataTags[i]));
}

/**
 * Builds what the eIM hands to an IPA, each as the DER of the GetEimPackageResponse that carries
 * it. eUICC packages are signed: eimSignature is ECDSA-SHA256 over the DER of
 * EuiccPackageSigned, r || s (docs/INTERPRETATION.md, "eimSignature input").
 */
export class PackageBuilder {
  constructor(
    readonly eimId: string,
    private readonly credentials: EimCredentials,
  ) {}

  async euiccPackage(
    eid: string,
    counterValue: number,
    eimTransactionId: Uint8Array,
    euiccPackage: EuiccPackage,
  ): Promise<Uint8Array> {
    const signed: EuiccPackageSigned = {
      eimId: this.eimId,
      eidValue: fromHex(eid),
      counterValue,
      eimTransactionId,
      euiccPackage,
    };
    const eimSignature = await this.credentials.sign(encode(EuiccPackageSigned, signed));
    return encode(GetEimPackageResponse, {
      euiccPackageRequest: { euiccPackageSigned: signed, eimSignature },
    });
  }

  ipaEuiccDataRequest(
    eimTransactionId: Uint8Array,
    request: Omit<IpaEuiccDataRequest, 'eimTransactionId'>,
  ): Uint8Array {
    return encode(GetEimPackageResponse, { ipaEuiccDataRequest: { ...request, eimTransactionId } });
  }

  profileDownloadTrigger(
    eimTransactionId: Uint8Array,
    request: Omit<ProfileDownloadTriggerRequest, 'eimTransactionId'>,
  ): Uint8Array {
    return encode(GetEimPackageResponse, { profileDownloadTriggerRequest: { ...request, eimTransactionId } });
  }
}
