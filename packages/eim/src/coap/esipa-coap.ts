import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type OutgoingMessage } from 'coap';
import { EsipaRequestError, type EsipaHandler } from '../esipa/esipa-handler.js';

/** The resource an IPA POSTs to: the same path as the HTTP ASN.1 binding. */
export const ESIPA_COAP_PATH = '/gsma/rsp2/asn1';
/** Content-Format of both bodies: application/octet-stream (42); CoAP registers no ASN.1 RSP format. */
export const ESIPA_COAP_CONTENT_FORMAT = 42;
const OCTET_STREAM = 'application/octet-stream';

export interface EsipaCoapOptions {
  handler: EsipaHandler;
  host?: string;
  /** UDP port; 0 picks a free one. */
  port?: number;
  /**
   * Largest request accepted (a Block1 transfer is refused at its first block past it); requests
   * are small, answers are not.
   */
  bodyLimit?: number;
  /** Where failures the IPA only sees as 5.00 are told. */
  onError?: (err: unknown) => void;
}

export interface EsipaCoapServer {
  /** `coap://host:port/gsma/rsp2/asn1` */
  readonly url: string;
  close(): Promise<void>;
}

type ParsedRequest = { packet?: { options?: { name: string | number; value: unknown }[]; payload: Buffer } };

/**
 * Stops a Block1 transfer that would pass `bodyLimit` at its first block over it: node-coap would
 * otherwise buffer it all (and allocate up to NUM x SZX at the last block) before the listener runs.
 * The block reaches the listener as a lone oversized body, which it answers 4.13.
 */
function limitBlock1(bodyLimit: number) {
  return (request: ParsedRequest, next: (err: Error | null) => void) => {
    const options = request.packet?.options ?? [];
    const i = options.findIndex((o) => o.name === 'Block1' || o.name === 27);
    const value = options[i]?.value;
    if (value instanceof Buffer && value.length > 0 && value.length <= 3) {
      const block = value.readUIntBE(0, value.length);
      const end = (block >> 4) * 2 ** ((block & 7) + 4) + request.packet!.payload.length;
      if (end > bodyLimit) {
        options.splice(i, 1);
        request.packet!.payload = Buffer.alloc(bodyLimit + 1);
      }
    }
    next(null);
  };
}

function answer(res: OutgoingMessage, code: string, diagnostic?: string): void {
  res.code = code;
  res.end(diagnostic);
}

/**
 * ESipa over CoAP (RFC 7252; docs/INTERPRETATION.md, "ESipa over CoAP"): POST to
 * `/gsma/rsp2/asn1` with a DER EsipaMessageFromIpaToEim, answered 2.04 Changed with the DER
 * EsipaMessageFromEimToIpa, or an empty 2.04 for the functions that have none. node-coap
 * reassembles Block1 requests and splits answers over 1024 bytes into Block2 blocks. A thin
 * endpoint over one EsipaHandler, as the HTTP one.
 */
export async function startEsipaCoap(o: EsipaCoapOptions): Promise<EsipaCoapServer> {
  const bodyLimit = o.bodyLimit ?? 64 * 1024;
  const serve = async (req: IncomingMessage, res: OutgoingMessage) => {
    if (req.url.split('?')[0] !== ESIPA_COAP_PATH) return answer(res, '4.04', `no resource ${req.url}`);
    if (req.method !== 'POST') return answer(res, '4.05', 'ESipa takes POST');
    const format = req.headers['Content-Format'];
    if (format !== OCTET_STREAM && format !== ESIPA_COAP_CONTENT_FORMAT)
      return answer(res, '4.15', `ESipa takes Content-Format ${ESIPA_COAP_CONTENT_FORMAT} (${OCTET_STREAM})`);
    if (req.payload.length > bodyLimit) {
      // RFC 7959 2.9.3: Size1 tells the largest body this server takes.
      res.setOption('Size1', bodyLimit);
      return answer(res, '4.13', `request larger than ${bodyLimit} bytes`);
    }
    try {
      const r = await o.handler.handle(new Uint8Array(req.payload));
      res.code = '2.04';
      if (!r.body) return res.end();
      res.setOption('Content-Format', OCTET_STREAM);
      res.end(Buffer.from(r.body));
    } catch (e) {
      if (e instanceof EsipaRequestError) return answer(res, '4.00', `${e.reason}: ${e.message}`);
      o.onError?.(e);
      answer(res, '5.00', 'internal error');
    }
  };
  const server = createServer({ type: 'udp4' }, (req, res) => void serve(req, res));
  // Before node-coap's own handling, the last of its middlewares.
  server._middlewares.splice(server._middlewares.length - 1, 0, limitBlock1(bodyLimit));
  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, (err) => (err ? reject(err) : resolve()));
  });
  const { port } = (server._sock as { address(): AddressInfo }).address();
  return {
    url: `coap://${host}:${port}${ESIPA_COAP_PATH}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
