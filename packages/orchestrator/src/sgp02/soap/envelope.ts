import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../errors.js';
import { RPS_NS, SOAP12_NS, WSA_NS } from './namespaces.js';
import { child, text, textOf, type XmlField, type XmlNode } from './xml.js';

/** The WS-Addressing headers SGP.02 folds its RPS header into (../shared/SGP02.md section 2). */
export interface Addressing {
  /** wsa:From/wsa:Address: the sender's endpoint with `?EntityId=<OID>`. */
  from?: string;
  to?: string;
  messageId?: string;
  action?: string;
  /** wsa:ReplyTo/wsa:Address: where an asynchronous answer goes. */
  replyTo?: string;
  /** On answers: the MessageID of the request. */
  relatesTo?: string;
}

export interface SoapMessage {
  addressing: Addressing;
  /** Local name of the single Body element, e.g. `ES4-EnableProfileRequest`. */
  bodyName: string;
  body: XmlNode;
}

export interface SoapFault {
  /** env:Code/env:Value: Sender or Receiver (prefix dropped). */
  code: string;
  /** Our error code from env:Detail, when the peer is us or speaks like us. */
  subcode?: string;
  reason: string;
}

export type ParsedEnvelope = { kind: 'message'; message: SoapMessage } | { kind: 'fault'; fault: SoapFault };

/** Bad XML or not a SOAP envelope with one Body element: a client error, nothing is applied. */
export class SoapDecodeError extends AppError {
  override readonly name = 'SoapDecodeError';
  readonly statusCode = 400;
  readonly code = 'sgp02_malformed_message';
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  // No DOCTYPE entity expansion from peers.
  htmlEntities: false,
});

const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, suppressEmptyNode: false });

type Ordered = Record<string, unknown>;

function ordered(prefix: string, list: readonly XmlField[]): Ordered[] {
  return list.map(([name, value]) => ({
    [`${prefix}:${name}`]: typeof value === 'string' ? [{ '#text': value }] : ordered(prefix, value),
  }));
}

function header(a: Addressing): Ordered[] {
  const h: Ordered[] = [];
  const el = (name: string, value: string) => ({ [`wsa:${name}`]: [{ '#text': value }] });
  const address = (name: string, value: string) => ({
    [`wsa:${name}`]: [{ 'wsa:Address': [{ '#text': value }] }],
  });
  if (a.from) h.push(address('From', a.from));
  if (a.to) h.push(el('To', a.to));
  if (a.messageId) h.push(el('MessageID', a.messageId));
  if (a.action) h.push(el('Action', a.action));
  if (a.replyTo) h.push(address('ReplyTo', a.replyTo));
  if (a.relatesTo) h.push(el('RelatesTo', a.relatesTo));
  return h;
}

function document(body: Ordered[], a: Addressing): string {
  return builder.build([
    { '?xml': [{ '#text': '' }], ':@': { '@_version': '1.0', '@_encoding': 'UTF-8' } },
    {
      'env:Envelope': [{ 'env:Header': header(a) }, { 'env:Body': body }],
      ':@': { '@_xmlns:env': SOAP12_NS, '@_xmlns:wsa': WSA_NS, '@_xmlns:rps': RPS_NS },
    },
  ]) as string;
}

/** A SOAP 1.2 document/literal envelope whose Body is the ES element `bodyName`. */
export function encodeEnvelope(addressing: Addressing, bodyName: string, body: readonly XmlField[]): string {
  return document([{ [`rps:${bodyName}`]: ordered('rps', body) }], addressing);
}

/** A SOAP 1.2 Fault; `subcode` is our stable error code, repeated in env:Detail for machines. */
export function encodeFault(addressing: Addressing, fault: SoapFault): string {
  const t = (v: string) => [{ '#text': v }];
  return document(
    [
      {
        'env:Fault': [
          { 'env:Code': [{ 'env:Value': t(`env:${fault.code}`) }] },
          { 'env:Reason': [{ 'env:Text': t(fault.reason), ':@': { '@_xml:lang': 'en' } }] },
          ...(fault.subcode ? [{ 'env:Detail': [{ 'rps:ErrorCode': t(fault.subcode) }] }] : []),
        ],
      },
    ],
    addressing,
  );
}

/**
 * Reads a SOAP envelope leniently: any namespace prefix, SOAP 1.1 or 1.2, addressing headers in
 * any order, element names in any casing. What it cannot read is a SoapDecodeError.
 */
export function decodeEnvelope(xml: string): ParsedEnvelope {
  // SOAP 1.2 part 1, 5: no Document Type Declaration, hence no entities a peer could make us expand.
  if (/<!DOCTYPE/i.test(xml)) throw new SoapDecodeError('a SOAP message must not contain a DTD (<!DOCTYPE>)');
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new SoapDecodeError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`, {
      line: valid.err.line,
      col: valid.err.col,
    });
  let tree: XmlNode;
  try {
    tree = parser.parse(xml) as XmlNode;
  } catch (e) {
    throw new SoapDecodeError(`malformed XML: ${(e as Error).message}`);
  }
  const envelope = child(tree, 'Envelope');
  if (envelope === undefined || typeof envelope === 'string')
    throw new SoapDecodeError('not a SOAP envelope: no Envelope element');
  const body = child(envelope, 'Body');
  if (body === undefined || typeof body === 'string')
    throw new SoapDecodeError('SOAP envelope without a Body element');
  const elements = Object.keys(body).filter((k) => !k.startsWith('@_') && k !== '#text');
  if (elements.length !== 1)
    throw new SoapDecodeError(`the SOAP Body must hold exactly one element, not ${elements.length}`);
  const bodyName = elements[0]!;
  const content = (body as Record<string, XmlNode>)[bodyName]!;
  if (Array.isArray(content)) throw new SoapDecodeError(`the SOAP Body holds ${bodyName} more than once`);
  const h = child(envelope, 'Header');
  const addressing: Addressing = {
    from: text(child(h, 'From'), 'Address') ?? undefined,
    to: textOf(child(h, 'To')),
    messageId: textOf(child(h, 'MessageID')),
    action: textOf(child(h, 'Action')),
    replyTo: text(child(h, 'ReplyTo'), 'Address'),
    relatesTo: textOf(child(h, 'RelatesTo')),
  };
  if (bodyName === 'Fault') {
    // SOAP 1.2 Code/Value + Reason/Text, or SOAP 1.1 faultcode + faultstring.
    const code = text(child(content, 'Code'), 'Value') ?? text(content, 'faultcode') ?? 'Receiver';
    const reason = text(child(content, 'Reason'), 'Text') ?? text(content, 'faultstring') ?? '';
    return {
      kind: 'fault',
      fault: { code: code.replace(/^.*:/, ''), subcode: text(child(content, 'Detail'), 'ErrorCode'), reason },
    };
  }
  return { kind: 'message', message: { addressing, bodyName, body: content } };
}
