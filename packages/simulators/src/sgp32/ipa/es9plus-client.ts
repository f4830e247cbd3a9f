/**
 * ES9+ over HTTP, SGP.22's ASN.1 binding, for the IPA's direct downloads: one POST per call to
 * `/gsma/rsp2/asn1` of the SM-DP+ address, the body a DER RemoteProfileProvisioningRequest
 * (`A2 { <request> }`), the answer a RemoteProfileProvisioningResponse. Requests are the ESipa
 * forms, whose DER equals the ES9+ one except for InitiateAuthentication; answers are read as ES9+
 * and mapped by value, as their error alternatives carry other tags than in ESipa
 * (AuthenticateClient: [1] in ES9+, [2] in ESipa).
 */
import {
  AuthenticateClientRequestEsipa,
  CancelSessionRequestEsipa,
  decode,
  encode,
  GetBoundProfilePackageRequestEsipa,
  InitiateAuthenticationRequest,
  RSPDefinitions,
  type AnySchema,
  type AuthenticateClientResponseEsipa,
  type CancelSessionResponseEsipa,
  type GetBoundProfilePackageResponseEsipa,
  type InitiateAuthenticationResponseEsipa,
  type InitiateAuthenticationRequestEsipa,
  type ProfileInstallationResult,
  type ValueOf,
} from '@esim/asn1';
import { readTlv, tlv } from '../bsp/tlv.js';
import { ESIPA_ASN1_PATH, ESIPA_CONTENT_TYPE } from './esipa-client.js';
import { EsipaProtocolError, HttpTransport, type HttpEsipaClientOptions } from './http-transport.js';
import type { RspServer } from './rsp-server.js';

/** RemoteProfileProvisioningRequest/Response ::= [2] CHOICE: an explicit A2 around the message. */
const ENVELOPE = 0xa2;

export interface Es9PlusClientOptions extends HttpEsipaClientOptions {
  /** `http` for a simulator without TLS; SGP.22 says https. */
  scheme?: 'http' | 'https';
}

export class Es9PlusClient implements RspServer {
  readonly url: URL;
  private readonly transport: HttpTransport;

  /** `smdpAddress`: FQDN[:port], as in an activation code. */
  constructor(smdpAddress: string, options: Es9PlusClientOptions = {}) {
    this.transport = new HttpTransport(`${options.scheme ?? 'https'}://${smdpAddress}`, options);
    this.url = new URL(ESIPA_ASN1_PATH, this.transport.base);
  }

  close(): void {
    this.transport.close();
  }

  private async post(request: Uint8Array): Promise<Uint8Array> {
    const { body } = await this.transport.post(this.url, ESIPA_CONTENT_TYPE, tlv([ENVELOPE], request));
    return body;
  }

  private async call<S extends AnySchema>(request: Uint8Array, answer: S): Promise<ValueOf<S>> {
    const body = await this.post(request);
    try {
      const envelope = readTlv(body);
      if (envelope.tag[0] !== ENVELOPE || envelope.end !== body.length) throw new Error('not A2 { ... }');
      return decode(answer, envelope.value);
    } catch (e) {
      throw new EsipaProtocolError(
        `SM-DP+ answer is not the expected RemoteProfileProvisioningResponse: ${(e as Error).message}`,
      );
    }
  }

  async initiateAuthentication(
    req: InitiateAuthenticationRequestEsipa,
  ): Promise<InitiateAuthenticationResponseEsipa> {
    if (!req.smdpAddress || !req.euiccInfo1)
      throw new TypeError('ES9+ InitiateAuthentication needs smdpAddress and euiccInfo1');
    const es9 = encode(InitiateAuthenticationRequest, {
      euiccChallenge: req.euiccChallenge,
      smdpAddress: req.smdpAddress,
      euiccInfo1: req.euiccInfo1,
    });
    const r = await this.call(es9, RSPDefinitions.InitiateAuthenticationResponse);
    if (!r.initiateAuthenticationOk)
      return { initiateAuthenticationErrorEsipa: r.initiateAuthenticationError! };
    const { euiccCiPKIdToBeUsed, ...ok } = r.initiateAuthenticationOk;
    return { initiateAuthenticationOkEsipa: { ...ok, euiccCiPKIdentifierToBeUsed: euiccCiPKIdToBeUsed } };
  }

  async authenticateClient(req: AuthenticateClientRequestEsipa): Promise<AuthenticateClientResponseEsipa> {
    const r = await this.call(
      encode(AuthenticateClientRequestEsipa, req),
      RSPDefinitions.AuthenticateClientResponseEs9,
    );
    return r.authenticateClientOk
      ? { authenticateClientOkDPEsipa: r.authenticateClientOk }
      : { authenticateClientErrorEsipa: r.authenticateClientError! };
  }

  async getBoundProfilePackage(
    req: GetBoundProfilePackageRequestEsipa,
  ): Promise<GetBoundProfilePackageResponseEsipa> {
    const r = await this.call(
      encode(GetBoundProfilePackageRequestEsipa, req),
      RSPDefinitions.GetBoundProfilePackageResponse,
    );
    return r.getBoundProfilePackageOk
      ? { getBoundProfilePackageOkEsipa: r.getBoundProfilePackageOk }
      : { getBoundProfilePackageErrorEsipa: r.getBoundProfilePackageError! };
  }

  async cancelSession(req: CancelSessionRequestEsipa): Promise<CancelSessionResponseEsipa> {
    return this.call(encode(CancelSessionRequestEsipa, req), RSPDefinitions.CancelSessionResponseEs9);
  }

  async handleNotification(result: ProfileInstallationResult): Promise<void> {
    await this.post(
      encode(RSPDefinitions.HandleNotification, {
        pendingNotification: { profileInstallationResult: result },
      }),
    );
  }
}
