/**
 * ESipa over CoAP (docs/INTERPRETATION.md, "ESipa over CoAP"): one confirmable POST per message to
 * `/gsma/rsp2/asn1`, DER in both directions with Content-Format 42. Requests over one block go
 * out in Block1 blocks; node-coap fetches the Block2 blocks of a large answer by itself.
 */
import { Agent, request } from 'coap';
import { encode, EsipaMessageFromIpaToEim, type EsipaMessageFromEimToIpa } from '@esim/asn1';
import { eimAnswer, ESIPA_ASN1_PATH, type EsipaClient } from './esipa-client.js';
import { EsipaProtocolError, MAX_ANSWER_BYTES } from './http-transport.js';

const OCTET_STREAM = 'application/octet-stream';
/** RFC 7959 block size 1024 bytes (SZX 6), the largest. */
const BLOCK_BYTES = 1024;
const SZX_1024 = 6;

export interface CoapEsipaClientOptions {
  timeoutMs?: number;
  maxAnswerBytes?: number;
}

export class CoapEsipaClient implements EsipaClient {
  readonly url: URL;
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;

  constructor(eimUrl: string, options: CoapEsipaClientOptions = {}) {
    this.url = new URL(eimUrl);
    if (this.url.protocol !== 'coap:')
      throw new TypeError(`eIM URL must be coap://, got ${this.url.protocol}`);
    if (this.url.pathname === '' || this.url.pathname === '/') this.url.pathname = ESIPA_ASN1_PATH;
    this.agent = new Agent({ type: this.url.hostname.startsWith('[') ? 'udp6' : 'udp4' });
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  }

  close(): void {
    this.agent.close();
  }

  exchange(message: EsipaMessageFromIpaToEim): Promise<EsipaMessageFromEimToIpa | undefined> {
    const body = Buffer.from(encode(EsipaMessageFromIpaToEim, message));
    return new Promise((resolve, reject) => {
      const req = request({
        hostname: this.url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: Number(this.url.port || 5683),
        pathname: this.url.pathname,
        method: 'POST',
        contentFormat: OCTET_STREAM,
        agent: this.agent,
      });
      if (body.length > BLOCK_BYTES) req.setOption('Block1', Buffer.of(SZX_1024));
      const timer = setTimeout(() => {
        this.agent.abort(req);
        reject(new EsipaProtocolError(`no answer from the eIM within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      req.on('response', (res) => {
        clearTimeout(timer);
        const code = res.code;
        if (!code.startsWith('2.'))
          return reject(
            new EsipaProtocolError(`eIM answered CoAP ${code}: ${res.payload.toString('utf8', 0, 200)}`),
          );
        if (res.payload.length > this.maxAnswerBytes)
          return reject(new EsipaProtocolError(`eIM answer larger than ${this.maxAnswerBytes} bytes`));
        try {
          resolve(res.payload.length === 0 ? undefined : eimAnswer(new Uint8Array(res.payload)));
        } catch (e) {
          reject(e as Error);
        }
      });
      req.on('error', (err: Error) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }
}
