/**
 * A DER-level test device for the eIM's tests: an eUICC with the SGP.26 test identity that
 * checks the eIM's signature and counter and signs its results, and the few ESipa messages an
 * IPA sends. Deliberately small and written from the specification, not from the eIM's code:
 * the real simulator lives in packages/simulators.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { webcrypto } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import {
  decode,
  derOf,
  encode,
  EsipaMessageFromIpaToEim,
  EuiccPackageErrorDataSigned,
  EuiccPackageResultDataSigned,
  GetEimPackageResponse,
  NotificationMetadata,
  type EimPackageResult,
  type EuiccPackageRequest,
  type EuiccResultData,
  type IpaEuiccDataRequest,
} from '@esim/asn1';
import { fromHex, importP256PrivateKey, signRS } from '@esim/eim';

export const sgp26 = resolve(import.meta.dirname, '../../../../../../shared/vectors/sgp26');
export const SGP26_EID = '89049032123451234512345678901235';
export const CI_FILE = `${sgp26}/CertificateIssuer/CERT_CI_ECDSA_NIST.der`;
const read = (p: string) => new Uint8Array(readFileSync(`${sgp26}/${p}`));

export interface ExecutedPackage {
  eimTransactionId: Uint8Array;
  counterValue: number;
  signed: EuiccPackageRequest['euiccPackageSigned'];
}

export class TestEuicc {
  readonly eid = SGP26_EID;
  readonly euiccCertificate = read('eUICC/CERT_EUICC_ECDSA_NIST.der');
  readonly eumCertificate = read('EUM/CERT_EUM_ECDSA_NIST.der');
  private key?: webcrypto.CryptoKey;
  lastCounter = 0;
  seq = 0;

  /** `eimCertificate`: what AddInitialEim gave the card; its key checks eimSignature. */
  constructor(private readonly eimCertificate: Uint8Array) {}

  async sign(data: Uint8Array, keyFile = 'eUICC/SK_EUICC_ECDSA_NIST.pem'): Promise<Uint8Array> {
    const key =
      keyFile === 'eUICC/SK_EUICC_ECDSA_NIST.pem'
        ? (this.key ??= await importP256PrivateKey(readFileSync(`${sgp26}/${keyFile}`, 'utf8')))
        : await importP256PrivateKey(readFileSync(`${sgp26}/${keyFile}`, 'utf8'));
    return signRS(key, data);
  }

  /** Checks eimSignature (over the received DER of EuiccPackageSigned) and the counter, as a card does. */
  async verifyPackage(req: EuiccPackageRequest): Promise<ExecutedPackage> {
    const cert = new x509.X509Certificate(this.eimCertificate);
    const key = await cert.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify']);
    const ok = await webcrypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      req.eimSignature,
      derOf(req.euiccPackageSigned)!,
    );
    if (!ok) throw new Error('eimSignature does not verify');
    const s = req.euiccPackageSigned;
    if (s.counterValue <= this.lastCounter)
      throw new Error(`replay: counter ${s.counterValue} <= ${this.lastCounter}`);
    this.lastCounter = s.counterValue;
    return { eimTransactionId: s.eimTransactionId!, counterValue: s.counterValue, signed: s };
  }

  async signedResult(
    p: { eimTransactionId: Uint8Array; counterValue: number; eimId: string },
    euiccResult: EuiccResultData[],
    keyFile?: string,
  ): Promise<EimPackageResult> {
    const data: EuiccPackageResultDataSigned = {
      eimId: p.eimId,
      counterValue: p.counterValue,
      eimTransactionId: p.eimTransactionId,
      seqNumber: ++this.seq,
      euiccResult,
    };
    const euiccSignEPR = await this.sign(encode(EuiccPackageResultDataSigned, data), keyFile);
    return {
      euiccPackageResult: { euiccPackageResultSigned: { euiccPackageResultDataSigned: data, euiccSignEPR } },
    };
  }

  /** A signed EuiccPackageErrorSigned (e.g. replayError 4) for the package. */
  async signedError(
    p: { eimTransactionId: Uint8Array; counterValue: number; eimId: string },
    euiccPackageErrorCode: number,
  ) {
    const data = {
      eimId: p.eimId,
      counterValue: p.counterValue,
      eimTransactionId: p.eimTransactionId,
      euiccPackageErrorCode,
    };
    const euiccSignEPE = await this.sign(encode(EuiccPackageErrorDataSigned, data));
    return { euiccPackageErrorSigned: { euiccPackageErrorDataSigned: data, euiccSignEPE } };
  }

  ipaEuiccData(req: IpaEuiccDataRequest): EimPackageResult {
    return {
      ipaEuiccDataResponse: {
        ipaEuiccData: {
          euiccCertificate: this.euiccCertificate,
          eumCertificate: this.eumCertificate,
          eimTransactionId: req.eimTransactionId!,
        },
      },
    };
  }

  async otherSignedNotification(
    operation: 'notificationEnable' | 'notificationDisable' | 'notificationDelete',
    iccid: Uint8Array,
    seqNumber = ++this.seq,
    keyFile?: string,
  ) {
    const tbs = {
      seqNumber,
      profileManagementOperation: [operation],
      notificationAddress: 'eim.example',
      iccid,
    };
    const sig = await this.sign(encode(NotificationMetadata, tbs), keyFile);
    return {
      otherSignedNotification: {
        tbsOtherNotification: tbs,
        euiccNotificationSignature: sig,
        euiccCertificate: this.euiccCertificate,
        eumCertificate: this.eumCertificate,
      },
    } as const;
  }
}

/** The IPA side of ESipa as DER: what it sends, and reading what it gets. */
export const ipa = {
  getEimPackage: (eid: string) =>
    encode(EsipaMessageFromIpaToEim, { getEimPackageRequest: { eidValue: fromHex(eid) } }),
  provideResult: (eid: string | undefined, eimPackageResult: EimPackageResult) =>
    encode(EsipaMessageFromIpaToEim, {
      provideEimPackageResult: { ...(eid ? { eidValue: fromHex(eid) } : {}), eimPackageResult },
    }),
  readPackage: (der: Uint8Array) => decode(GetEimPackageResponse, der),
};

/** A valid EID (ISO/IEC 7812 check digits) from its first 30 digits. */
export function eidWithCheckDigits(first30: string): string {
  const cd = 98n - ((BigInt(first30) * 100n) % 97n);
  return first30 + String(cd).padStart(2, '0');
}
