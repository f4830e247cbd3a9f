/**
 * ES9+' over HTTP: the eIM's `Es9PlusClient` speaking SGP.22's ES9+ ASN.1 binding to the SM-DP+
 * (`POST https://<smdpAddress>/gsma/rsp2/asn1`, `application/x-gsma-rsp-asn1`, body a DER
 * RemoteProfileProvisioningRequest `A2 { <request> }`, answer a RemoteProfileProvisioningResponse).
 * The ESipa requests the IPA sent have the DER of their ES9+ counterparts except
 * InitiateAuthentication, which is rebuilt; answers are read as ES9+ and mapped by value, as their
 * error alternatives carry other tags than in ESipa (AuthenticateClient: [1] in ES9+, [2] in ESipa).
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
  type InitiateAuthenticationRequestEsipa,
  type InitiateAuthenticationResponseEsipa,
  type ProfileInstallationResult,
  type ValueOf,
} from '@esim/asn1';
import type { Es9PlusClient } from './es9plus-client.js';

export const ES9PLUS_ASN1_PATH = '/gsma/rsp2/asn1';
export const ES9PLUS_CONTENT_TYPE = 'application/x-gsma-rsp-asn1';
/** X-Admin-Protocol of SGP.22 6.5.1 (the version of the RSP specification spoken). */
const ADMIN_PROTOCOL = 'gsma/rsp/v2.5.0';
/** `[2]` constructed: the RemoteProfileProvisioningRequest/Response CHOICE around the message. */
const ENVELOPE = 0xa2;

/** Why an ES9+ call failed before a usable answer came back. */
export class Es9PlusCallError extends Error {
  constructor(
    message: string,
    readonly reason: 'unreachable' | 'timeout' | 'httpStatus' | 'malformed' | 'tooLarge',
    readonly smdpAddress: string,
  ) {
    super(`ES9+ to ${smdpAddress}: ${message}`);
    this.name = 'Es9PlusCallError';
  }
}

export interface HttpEs9PlusClientOptions {
  /** Per call, connection included (default 30 s). */
  timeoutMs?: number;
  /** `https` (default, SGP.22) or `http` for a simulated SM-DP+. */
  scheme?: 'https' | 'http';
  /** Larger answers are refused (default 4 MiB; a BPP is typically 10-500 kB). */
  maxAnswerBytes?: number;
}

/** `A2 L <message>`. */
function envelope(inner: Uint8Array): Uint8Array {
  const n = inner.length;
  const length =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return new Uint8Array(Buffer.concat([Buffer.from([ENVELOPE, ...length]), inner]));
}

export class HttpEs9PlusClient implements Es9PlusClient {
  private readonly timeoutMs: number;
  private readonly scheme: 'https' | 'http';
  private readonly maxAnswerBytes: number;

  constructor(options: HttpEs9PlusClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.scheme = options.scheme ?? 'https';
    this.maxAnswerBytes = options.maxAnswerBytes ?? 4 * 1024 * 1024;
  }

  private url(smdpAddress: string): URL {
    try {
      const url = new URL(`${this.scheme}://${smdpAddress}${ES9PLUS_ASN1_PATH}`);
      if (url.host !== smdpAddress.toLowerCase()) throw new TypeError('not a host[:port]');
      return url;
    } catch {
      throw new Es9PlusCallError('the SM-DP+ address is not a host[:port]', 'malformed', smdpAddress);
    }
  }

  /** The answer's body; an Es9PlusCallError for anything but a 2xx answer in time. */
  private async post(smdpAddress: string, request: Uint8Array): Promise<Uint8Array> {
    const url = this.url(smdpAddress);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': ES9PLUS_CONTENT_TYPE, 'x-admin-protocol': ADMIN_PROTOCOL },
        body: envelope(request),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const timedOut = (e as Error).name === 'TimeoutError';
      throw new Es9PlusCallError(
        timedOut
          ? `no answer within ${this.timeoutMs} ms`
          : `cannot reach ${url.origin}: ${(e as Error).message}`,
        timedOut ? 'timeout' : 'unreachable',
        smdpAddress,
      );
    }
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > this.maxAnswerBytes) {
      await res.body?.cancel();
      throw new Es9PlusCallError(`answer of ${declared} bytes`, 'tooLarge', smdpAddress);
    }
    const body = new Uint8Array(await res.arrayBuffer());
    if (!res.ok)
      throw new Es9PlusCallError(
        `HTTP ${res.status}: ${Buffer.from(body).toString('utf8', 0, 200)}`,
        'httpStatus',
        smdpAddress,
      );
    if (body.length > this.maxAnswerBytes)
      throw new Es9PlusCallError(`answer of ${body.length} bytes`, 'tooLarge', smdpAddress);
    return body;
  }

  private async call<S extends AnySchema>(
    smdpAddress: string,
    request: Uint8Array,
    answer: S,
  ): Promise<ValueOf<S>> {
    const body = await this.post(smdpAddress, request);
    try {
      return decode(answer, unwrap(body));
    } catch (e) {
      throw new Es9PlusCallError(
        `not the expected RemoteProfileProvisioningResponse: ${(e as Error).message}`,
        'malformed',
        smdpAddress,
      );
    }
  }

  async initiateAuthentication(
    smdpAddress: string,
    req: InitiateAuthenticationRequestEsipa & { smdpAddress: string },
  ): Promise<InitiateAuthenticationResponseEsipa> {
    if (!req.euiccInfo1)
      // ES9+ requires euiccInfo1; the IPA left it out, so the SM-DP+ could only refuse.
      return { initiateAuthenticationErrorEsipa: 127 };
    const es9 = encode(InitiateAuthenticationRequest, {
      euiccChallenge: req.euiccChallenge,
      smdpAddress: req.smdpAddress,
      euiccInfo1: req.euiccInfo1,
    });
    const r = await this.call(smdpAddress, es9, RSPDefinitions.InitiateAuthenticationResponse);
    if (!r.initiateAuthenticationOk)
      return { initiateAuthenticationErrorEsipa: r.initiateAuthenticationError! };
    const { euiccCiPKIdToBeUsed, ...ok } = r.initiateAuthenticationOk;
    return { initiateAuthenticationOkEsipa: { ...ok, euiccCiPKIdentifierToBeUsed: euiccCiPKIdToBeUsed } };
  }

  async authenticateClient(
    smdpAddress: string,
    req: AuthenticateClientRequestEsipa,
  ): Promise<AuthenticateClientResponseEsipa> {
    const r = await this.call(
      smdpAddress,
      encode(AuthenticateClientRequestEsipa, req),
      RSPDefinitions.AuthenticateClientResponseEs9,
    );
    return r.authenticateClientOk
      ? { authenticateClientOkDPEsipa: r.authenticateClientOk }
      : { authenticateClientErrorEsipa: r.authenticateClientError! };
  }

  async getBoundProfilePackage(
    smdpAddress: string,
    req: GetBoundProfilePackageRequestEsipa,
  ): Promise<GetBoundProfilePackageResponseEsipa> {
    const r = await this.call(
      smdpAddress,
      encode(GetBoundProfilePackageRequestEsipa, req),
      RSPDefinitions.GetBoundProfilePackageResponse,
    );
    return r.getBoundProfilePackageOk
      ? { getBoundProfilePackageOkEsipa: r.getBoundProfilePackageOk }
      : { getBoundProfilePackageErrorEsipa: r.getBoundProfilePackageError! };
  }

  /** HandleNotification has no response message: any 2xx answer will do. */
  async handleNotification(smdpAddress: string, result: ProfileInstallationResult): Promise<void> {
    await this.post(
      smdpAddress,
      encode(RSPDefinitions.HandleNotification, {
        pendingNotification: { profileInstallationResult: result },
      }),
    );
  }

  cancelSession(smdpAddress: string, req: CancelSessionRequestEsipa): Promise<CancelSessionResponseEsipa> {
    return this.call(
      smdpAddress,
      encode(CancelSessionRequestEsipa, req),
      RSPDefinitions.CancelSessionResponseEs9,
    );
  }
}

/** The message inside `A2 L <message>`, which must fill the body. */
function unwrap(body: Uint8Array): Uint8Array {
  if (body[0] !== ENVELOPE) throw new Error('the body does not start with A2');
  let offset = 2;
  let length = body[1] ?? 0;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n < 1 || n > 3) throw new Error('unsupported length form');
    length = 0;
    for (let i = 0; i < n; i++) length = (length << 8) | (body[2 + i] ?? 0);
    offset += n;
  }
  if (offset + length !== body.length) throw new Error('the envelope length does not match the body');
  return body.subarray(offset);
}
