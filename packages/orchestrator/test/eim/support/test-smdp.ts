import { readFileSync } from 'node:fs';
import {
  type AuthenticateClientRequestEsipa,
  type BoundProfilePackage,
  type CancelSessionRequestEsipa,
  type InitiateAuthenticationRequestEsipa,
} from '@esim/asn1';
import { fromHex, type Es9PlusClient } from '@esim/eim';
import { sgp26 } from './test-euicc.js';

export const TXID = Uint8Array.of(0xa1, 0xb2, 0xc3, 0xd4);

/**
 * A test SM-DP+ peer: records the calls it gets and answers as an SM-DP+ would. Without `bpp`,
 * GetBoundProfilePackage ends the session with downloadOrderExpired; with it, hands it out.
 */
export class TestSmdp implements Es9PlusClient {
  calls: { fn: string; address: string }[] = [];

  constructor(private readonly bpp?: BoundProfilePackage) {}

  async initiateAuthentication(
    address: string,
    req: InitiateAuthenticationRequestEsipa & { smdpAddress: string },
  ) {
    this.calls.push({ fn: 'initiateAuthentication', address });
    return {
      initiateAuthenticationOkEsipa: {
        transactionId: TXID,
        serverSigned1: {
          transactionId: TXID,
          euiccChallenge: req.euiccChallenge,
          serverAddress: address,
          serverChallenge: new Uint8Array(16).fill(7),
        },
        serverSignature1: new Uint8Array(64),
        euiccCiPKIdentifierToBeUsed: fromHex('F54172BDF98A95D65CBEB88A38A1C11D800A85C3'),
        serverCertificate: new Uint8Array(readFileSync(`${sgp26}/DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der`)),
      },
    };
  }
  async authenticateClient(address: string, req: AuthenticateClientRequestEsipa) {
    this.calls.push({ fn: 'authenticateClient', address });
    return { authenticateClientOkDSEsipa: { transactionId: req.transactionId } };
  }
  async getBoundProfilePackage(address: string) {
    this.calls.push({ fn: 'getBoundProfilePackage', address });
    if (this.bpp)
      return { getBoundProfilePackageOkEsipa: { transactionId: TXID, boundProfilePackage: this.bpp } };
    return { getBoundProfilePackageErrorEsipa: 6 }; // downloadOrderExpired: enough to see the relay pass it on
  }
  async cancelSession(address: string, _req: CancelSessionRequestEsipa) {
    this.calls.push({ fn: 'cancelSession', address });
    return { cancelSessionOk: {} };
  }
  async handleNotification(address: string) {
    this.calls.push({ fn: 'handleNotification', address });
  }
}
