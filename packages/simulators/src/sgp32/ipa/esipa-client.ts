/**
 * ESipa over HTTP, ASN.1 binding (SGP.32 6.1): one POST per message, DER in both directions.
 * The transport knows nothing of the functions; the IPA speaks through `EsipaClient`.
 */
import { decode, encode, EsipaMessageFromEimToIpa, EsipaMessageFromIpaToEim } from '@esim/asn1';

export const ESIPA_ASN1_PATH = '/gsma/rsp2/asn1';
export const ESIPA_CONTENT_TYPE = 'application/x-gsma-rsp-asn1';
export const ESIPA_ADMIN_PROTOCOL = 'gsma/rsp/v2.1.0';

export interface EsipaClient {
  /** The eIM's answer; `undefined` when it answered with no body (HandleNotification). */
  exchange(message: EsipaMessageFromIpaToEim): Promise<EsipaMessageFromEimToIpa | undefined>;
}

/** The eIM answered, but not with something the IPA can use. */
export class EsipaProtocolError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export class HttpEsipaClient implements EsipaClient {
  readonly url: string;

  constructor(
    eimUrl: string,
    private readonly timeoutMs = 10_000,
  ) {
    const base = new URL(eimUrl);
    this.url = base.pathname.endsWith(ESIPA_ASN1_PATH) ? base.href : new URL(ESIPA_ASN1_PATH, base).href;
  }

  async exchange(message: EsipaMessageFromIpaToEim): Promise<EsipaMessageFromEimToIpa | undefined> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'Content-Type': ESIPA_CONTENT_TYPE, 'X-Admin-Protocol': ESIPA_ADMIN_PROTOCOL },
      body: encode(EsipaMessageFromIpaToEim, message),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = new Uint8Array(await response.arrayBuffer());
    if (!response.ok) {
      throw new EsipaProtocolError(
        `eIM answered HTTP ${response.status}: ${Buffer.from(body).toString('utf8', 0, 200)}`,
        response.status,
      );
    }
    if (body.length === 0) return undefined;
    try {
      return decode(EsipaMessageFromEimToIpa, body);
    } catch (e) {
      throw new EsipaProtocolError(
        `eIM answer is not an EsipaMessageFromEimToIpa: ${(e as Error).message}`,
        response.status,
      );
    }
  }
}
