/**
 * ESipa over HTTP, JSON binding: `POST /gsma/rsp2/esipa/<function>` with one member named after
 * the EsipaMessageFromIpaToEim alternative, holding the base64 DER of that message; the answer
 * names the EsipaMessageFromEimToIpa alternative the same way (docs/INTERPRETATION.md, "ESipa
 * over HTTP: errors and the JSON binding"). The message's DER is the TLV the ASN.1 binding sends.
 */
import { encode, EsipaMessageFromIpaToEim, type EsipaMessageFromEimToIpa } from '@esim/asn1';
import { eimAnswer, type EsipaClient } from './esipa-client.js';
import { EsipaProtocolError, HttpTransport, type HttpEsipaClientOptions } from './http-transport.js';

export const ESIPA_JSON_PATH = '/gsma/rsp2/esipa/';

/** The function of each message the IPA sends, as the path names it. */
const FUNCTION_OF: Record<keyof EsipaMessageFromIpaToEim & string, string> = {
  initiateAuthenticationRequestEsipa: 'initiateAuthentication',
  authenticateClientRequestEsipa: 'authenticateClient',
  getBoundProfilePackageRequestEsipa: 'getBoundProfilePackage',
  cancelSessionRequestEsipa: 'cancelSession',
  handleNotificationEsipa: 'handleNotification',
  transferEimPackageResponse: 'transferEimPackage',
  getEimPackageRequest: 'getEimPackage',
  provideEimPackageResult: 'provideEimPackageResult',
};

export class JsonEsipaClient implements EsipaClient {
  private readonly transport: HttpTransport;

  constructor(eimUrl: string, options: HttpEsipaClientOptions = {}) {
    this.transport = new HttpTransport(eimUrl, options);
  }

  close(): void {
    this.transport.close();
  }

  async exchange(message: EsipaMessageFromIpaToEim): Promise<EsipaMessageFromEimToIpa | undefined> {
    const [alternative] = Object.keys(message) as (keyof typeof FUNCTION_OF)[];
    const url = new URL(`${ESIPA_JSON_PATH}${FUNCTION_OF[alternative!]}`, this.transport.base);
    const request = {
      [alternative!]: Buffer.from(encode(EsipaMessageFromIpaToEim, message)).toString('base64'),
    };
    const { status, body } = await this.transport.post(
      url,
      'application/json',
      Buffer.from(JSON.stringify(request)),
    );
    if (body.length === 0) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body).toString('utf8'));
    } catch (e) {
      throw new EsipaProtocolError(`eIM answer is not JSON: ${(e as Error).message}`, status);
    }
    const entries = json && typeof json === 'object' ? Object.entries(json) : [];
    if (entries.length !== 1 || typeof entries[0]![1] !== 'string') {
      throw new EsipaProtocolError('eIM answer must have exactly one member holding base64 DER', status);
    }
    const [name, base64] = entries[0] as [string, string];
    const answer = eimAnswer(new Uint8Array(Buffer.from(base64, 'base64')), status);
    if (!(name in answer)) {
      throw new EsipaProtocolError(
        `eIM answer member "${name}" holds a ${Object.keys(answer).join()}`,
        status,
      );
    }
    return answer;
  }
}
