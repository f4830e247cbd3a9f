/**
 * ESipa over HTTP, ASN.1 binding (SGP.32 6.1): one POST per message, DER in both directions, over
 * HTTP or HTTPS (the eIM's TLS certificate checked against the given CA certificates), with
 * keep-alive connections shared by all devices of the process.
 * The transport knows nothing of the functions; the IPA speaks through `EsipaClient`.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { decode, encode, EsipaMessageFromEimToIpa, EsipaMessageFromIpaToEim } from '@esim/asn1';

export const ESIPA_ASN1_PATH = '/gsma/rsp2/asn1';
export const ESIPA_CONTENT_TYPE = 'application/x-gsma-rsp-asn1';
export const ESIPA_ADMIN_PROTOCOL = 'gsma/rsp/v2.1.0';
/** Larger answers are refused: a Bound Profile Package is the biggest ESipa message (< 1 MiB). */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

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

export interface HttpEsipaClientOptions {
  timeoutMs?: number;
  /** Default MAX_ANSWER_BYTES. */
  maxAnswerBytes?: number;
  /** PEM CA certificates the eIM's TLS certificate must chain to (default: the system's). */
  ca?: string | string[];
}

export class HttpEsipaClient implements EsipaClient {
  readonly url: URL;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;

  constructor(eimUrl: string, options: HttpEsipaClientOptions = {}) {
    const base = new URL(eimUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new TypeError(`eIM URL must be http(s), got ${base.protocol}`);
    }
    this.url = base.pathname.endsWith(ESIPA_ASN1_PATH) ? base : new URL(ESIPA_ASN1_PATH, base);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    this.agent =
      base.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, ...(options.ca ? { ca: options.ca } : {}) })
        : new HttpAgent({ keepAlive: true });
  }

  close(): void {
    this.agent.destroy();
  }

  async exchange(message: EsipaMessageFromIpaToEim): Promise<EsipaMessageFromEimToIpa | undefined> {
    const { status, body } = await this.post(encode(EsipaMessageFromIpaToEim, message));
    if (status < 200 || status > 299) {
      throw new EsipaProtocolError(
        `eIM answered HTTP ${status}: ${Buffer.from(body).toString('utf8', 0, 200)}`,
        status,
      );
    }
    if (body.length === 0) return undefined;
    try {
      return decode(EsipaMessageFromEimToIpa, body);
    } catch (e) {
      throw new EsipaProtocolError(
        `eIM answer is not an EsipaMessageFromEimToIpa: ${(e as Error).message}`,
        status,
      );
    }
  }

  private post(body: Uint8Array): Promise<{ status: number; body: Uint8Array }> {
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: {
            'Content-Type': ESIPA_CONTENT_TYPE,
            'X-Admin-Protocol': ESIPA_ADMIN_PROTOCOL,
            'Content-Length': body.length,
          },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > this.maxAnswerBytes) {
              res.destroy(
                new EsipaProtocolError(`eIM answer larger than ${this.maxAnswerBytes} bytes`, res.statusCode),
              );
            } else chunks.push(c);
          });
          res.on('error', reject);
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: new Uint8Array(Buffer.concat(chunks)) }),
          );
        },
      );
      req.on('timeout', () =>
        req.destroy(new EsipaProtocolError(`no answer from the eIM within ${this.timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
