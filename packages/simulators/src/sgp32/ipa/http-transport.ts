/**
 * The HTTP(S) leg of ESipa for both bindings: keep-alive connections shared by all devices of the
 * process, the eIM's TLS certificate checked against the given CA certificates, a timeout and a
 * limit on the answer's size.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export const ESIPA_ADMIN_PROTOCOL = 'gsma/rsp/v2.1.0';
/** Larger answers are refused: a Bound Profile Package is the biggest ESipa message (< 1 MiB). */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export interface HttpEsipaClientOptions {
  timeoutMs?: number;
  /** Default MAX_ANSWER_BYTES. */
  maxAnswerBytes?: number;
  /** PEM CA certificates the eIM's TLS certificate must chain to (default: the system's). */
  ca?: string | string[];
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

export class HttpTransport {
  readonly base: URL;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;

  constructor(eimUrl: string, options: HttpEsipaClientOptions = {}) {
    this.base = new URL(eimUrl);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') {
      throw new TypeError(`eIM URL must be http(s), got ${this.base.protocol}`);
    }
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    this.agent =
      this.base.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, ...(options.ca ? { ca: options.ca } : {}) })
        : new HttpAgent({ keepAlive: true });
  }

  close(): void {
    this.agent.destroy();
  }

  /** The answer's body, or an EsipaProtocolError for a status outside 2xx. */
  async post(url: URL, contentType: string, body: Uint8Array): Promise<{ status: number; body: Uint8Array }> {
    const answer = await this.send(url, contentType, body);
    if (answer.status < 200 || answer.status > 299) {
      throw new EsipaProtocolError(
        `eIM answered HTTP ${answer.status}: ${Buffer.from(answer.body).toString('utf8', 0, 200)}`,
        answer.status,
      );
    }
    return answer;
  }

  private send(
    url: URL,
    contentType: string,
    body: Uint8Array,
  ): Promise<{ status: number; body: Uint8Array }> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: {
            'Content-Type': contentType,
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
