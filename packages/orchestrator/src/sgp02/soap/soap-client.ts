import { AppError } from '../../errors.js';
import {
  decodeEnvelope,
  encodeEnvelope,
  type Addressing,
  type SoapFault,
  type SoapMessage,
} from './envelope.js';
import { SOAP_CONTENT_TYPE } from './namespaces.js';
import type { XmlField } from './xml.js';

/** The peer could not be reached or did not answer in time: trying again later may work. */
export class PeerUnreachableError extends AppError {
  override readonly name = 'PeerUnreachableError';
  readonly statusCode = 502;
  readonly code = 'sgp02_peer_unreachable';
}

/** The peer answered, but not with what the binding allows (a fault, a wrong or unreadable reply). */
export class PeerProtocolError extends AppError {
  override readonly name = 'PeerProtocolError';
  readonly statusCode = 502;
  readonly code = 'sgp02_peer_protocol';
  constructor(
    message: string,
    details: Record<string, unknown> = {},
    readonly fault?: SoapFault,
  ) {
    super(message, details);
  }
}

export type SoapReply = { kind: 'accepted' } | { kind: 'message'; message: SoapMessage };

export interface SoapRequest {
  endpoint: string;
  addressing: Addressing & { messageId: string; action: string };
  bodyName: string;
  body: readonly XmlField[];
  timeoutMs?: number;
  authorization?: string;
}

/**
 * One SOAP 1.2 exchange over HTTP POST: 202 with an empty body is an acknowledgement (the
 * asynchronous pattern), 200 carries the synchronous answer, which must relate to our MessageID.
 */
export async function postSoap(req: SoapRequest): Promise<SoapReply> {
  const xml = encodeEnvelope(req.addressing, req.bodyName, req.body);
  let res: Response;
  try {
    res = await fetch(req.endpoint, {
      method: 'POST',
      headers: {
        'content-type': `${SOAP_CONTENT_TYPE}; charset=utf-8; action="${req.addressing.action}"`,
        ...(req.authorization ? { authorization: req.authorization } : {}),
      },
      body: xml,
      signal: AbortSignal.timeout(req.timeoutMs ?? 15_000),
    });
  } catch (e) {
    throw new PeerUnreachableError(`${req.endpoint} unreachable: ${(e as Error).message}`, {
      endpoint: req.endpoint,
    });
  }
  const answer = await res.text();
  if (res.status === 202 && answer.trim() === '') return { kind: 'accepted' };
  if (answer.trim() === '')
    throw new PeerProtocolError(`${req.endpoint} answered HTTP ${res.status} without a body`, {
      status: res.status,
    });
  let parsed;
  try {
    parsed = decodeEnvelope(answer);
  } catch (e) {
    throw new PeerProtocolError(`${req.endpoint} answered HTTP ${res.status}: ${(e as Error).message}`, {
      status: res.status,
    });
  }
  if (parsed.kind === 'fault')
    throw new PeerProtocolError(
      `${req.endpoint} answered a SOAP fault (${parsed.fault.code}${parsed.fault.subcode ? `/${parsed.fault.subcode}` : ''}): ${parsed.fault.reason}`,
      { status: res.status, fault: parsed.fault },
      parsed.fault,
    );
  const { message } = parsed;
  const relatesTo = message.addressing.relatesTo;
  if (relatesTo !== undefined && relatesTo !== req.addressing.messageId)
    throw new PeerProtocolError(`${req.endpoint} answered a reply to another message (${relatesTo})`, {
      relatesTo,
    });
  return { kind: 'message', message };
}
