/**
 * ESipa over HTTP, ASN.1 binding (SGP.32 6.1): one POST per message to `/gsma/rsp2/asn1`, DER in
 * both directions. The transport knows nothing of the functions; the IPA speaks through
 * `EsipaClient`, whichever binding is behind it.
 */
import { decode, encode, EsipaMessageFromEimToIpa, EsipaMessageFromIpaToEim } from '@esim/asn1';
import { EsipaProtocolError, HttpTransport, type HttpEsipaClientOptions } from './http-transport.js';

export const ESIPA_ASN1_PATH = '/gsma/rsp2/asn1';
export const ESIPA_CONTENT_TYPE = 'application/x-gsma-rsp-asn1';

export interface EsipaClient {
  /**
   * The eIM's answer; `undefined` when it answered with no body (HandleNotification). `eid` is the
   * device speaking: a transport with per-device addresses (MQTT topics) sends from it.
   */
  exchange(message: EsipaMessageFromIpaToEim, eid: string): Promise<EsipaMessageFromEimToIpa | undefined>;
  /** Transports the eIM can reach devices on call `listener` when it asks one to poll now. */
  onWake?(listener: (eid: string) => void): void;
  close(): void;
}

/** Decodes the eIM's DER answer, or says why it is not one. */
export function eimAnswer(body: Uint8Array, status?: number): EsipaMessageFromEimToIpa {
  try {
    return decode(EsipaMessageFromEimToIpa, body);
  } catch (e) {
    throw new EsipaProtocolError(
      `eIM answer is not an EsipaMessageFromEimToIpa: ${(e as Error).message}`,
      status,
    );
  }
}

export class HttpEsipaClient implements EsipaClient {
  readonly url: URL;
  private readonly transport: HttpTransport;

  constructor(eimUrl: string, options: HttpEsipaClientOptions = {}) {
    this.transport = new HttpTransport(eimUrl, options);
    const base = this.transport.base;
    this.url = base.pathname.endsWith(ESIPA_ASN1_PATH) ? base : new URL(ESIPA_ASN1_PATH, base);
  }

  close(): void {
    this.transport.close();
  }

  async exchange(message: EsipaMessageFromIpaToEim): Promise<EsipaMessageFromEimToIpa | undefined> {
    const { status, body } = await this.transport.post(
      this.url,
      ESIPA_CONTENT_TYPE,
      encode(EsipaMessageFromIpaToEim, message),
    );
    return body.length === 0 ? undefined : eimAnswer(body, status);
  }
}
