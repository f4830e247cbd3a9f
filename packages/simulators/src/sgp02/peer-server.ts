import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  el,
  entityOf,
  readEnvelope,
  SoapFaultError,
  writeEnvelope,
  writeFault,
  type Envelope,
  val,
  type Element,
  type Tree,
  type Wsa,
} from './soap.js';

export const SOAP_TYPE = 'application/soap+xml; charset=utf-8';

export type Status = { status: string; subject?: string; reason?: string; message?: string };
export const SUCCESS: Status = { status: 'EXECUTED_SUCCESS' };

export function statusTree(s: Status): [string, Tree] {
  return [
    'FunctionExecutionStatus',
    [
      ['Status', s.status],
      [
        'StatusCodeData',
        s.subject
          ? [
              ['Subject', s.subject],
              ['Reason', s.reason],
              ['Message', s.message],
            ]
          : undefined,
      ],
    ],
  ];
}

/** The FunctionExecutionStatus of an answer a simulator received from its peer. */
export function readStatus(body: Element | undefined): Status {
  const fes = el(body, 'FunctionExecutionStatus');
  const data = el(fes, 'StatusCodeData');
  return {
    status: val(fes, 'Status') ?? 'FAILED',
    subject: val(data, 'Subject'),
    reason: val(data, 'Reason'),
    message: val(data, 'Message'),
  };
}

/** A request as a provider simulator sees it: the envelope, the caller's EntityId, the function. */
export interface Call {
  env: Envelope;
  requester: string;
  /** e.g. ES4 */
  iface: string;
  /** e.g. EnableProfile */
  fn: string;
}

/** The common shape of the SGP.02 provider simulators: a fastify server speaking SOAP 1.2. */
export function soapServer(log: boolean): FastifyInstance {
  const app = Fastify({
    logger: log ? { level: 'info' } : false,
    bodyLimit: 4 * 1024 * 1024,
    // Unknown fault fields are an error, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  for (const type of ['application/soap+xml', 'text/xml', 'application/xml'])
    app.addContentTypeParser(type, { parseAs: 'string' }, (_r, body, done) => done(null, body));
  return app;
}

/** Reads a request element `<IF>-<Fn>Request` from a caller that names its EntityId. */
export function readCall(xml: string, iface: string): Call {
  const env = readEnvelope(typeof xml === 'string' ? xml : '');
  const m = new RegExp(`^${iface}-(\\w+)Request$`).exec(env.name);
  if (!m) throw new SoapFaultError(400, 'Sender', `${env.name} is not an ${iface} request`);
  if (!env.messageId) throw new SoapFaultError(400, 'Sender', 'wsa:MessageID is missing');
  const requester = entityOf(env.from);
  if (!requester) throw new SoapFaultError(400, 'Sender', 'wsa:From carries no EntityId');
  return { env, requester, iface, fn: m[1]! };
}

export function sendFault(reply: FastifyReply, e: unknown): FastifyReply {
  const f = e instanceof SoapFaultError ? e : new SoapFaultError(500, 'Receiver', (e as Error).message);
  return reply.status(f.httpStatus).type(SOAP_TYPE).send(writeFault(f.faultCode, f.message));
}

/** Headers of an answer (synchronous or callback) to `call`, from `self`. */
export function answerHeaders(call: Call, self: string, callback: boolean): Wsa {
  return {
    from: self,
    to: callback ? (call.env.replyTo ?? call.env.from) : call.env.from,
    messageId: `urn:uuid:${randomUUID()}`,
    action: `http://gsma.com/${call.iface}/ProfileManagement${callback ? 'CallBack' : ''}/${call.iface}-${call.fn}Response`,
    relatesTo: call.env.messageId,
  };
}

export function responseXml(
  call: Call,
  self: string,
  callback: boolean,
  status: Status,
  extra: Tree = [],
): string {
  return writeEnvelope(answerHeaders(call, self, callback), `${call.iface}-${call.fn}Response`, [
    statusTree(status),
    ...extra,
  ]);
}

/** POSTs a SOAP message to a peer; a simulator logs delivery failures and carries on. */
export async function post(url: string, xml: string): Promise<number | undefined> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': SOAP_TYPE },
      body: xml,
      signal: AbortSignal.timeout(10_000),
    });
    await res.text();
    return res.status;
  } catch {
    return undefined;
  }
}
