import { DOMParser, type Element as DomElement } from '@xmldom/xmldom';
import { create } from 'xmlbuilder2';

/**
 * The simulators' own SOAP 1.2 handling, written from the provider's side and independent of the
 * orchestrator's client (two implementations check each other): a strict namespace-aware DOM
 * parser in, xmlbuilder2 out.
 */
export const SOAP_ENV = 'http://www.w3.org/2003/05/soap-envelope';
export const WSA = 'http://www.w3.org/2005/08/addressing';
export const GSMA = 'http://namespaces.gsma.org/esim-messaging/3';

export type Element = DomElement;

/** A message the simulator cannot accept: answered with a SOAP Fault and this HTTP status. */
export class SoapFaultError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly faultCode: 'Sender' | 'Receiver',
    message: string,
  ) {
    super(message);
  }
}

export interface Wsa {
  from?: string;
  to?: string;
  messageId?: string;
  action?: string;
  replyTo?: string;
  relatesTo?: string;
}

export interface Envelope extends Wsa {
  /** Local name of the Body's element, e.g. ES4-EnableProfileRequest. */
  name: string;
  body: Element;
}

const elementsOf = (parent: Element): Element[] =>
  Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1);

/** Child elements by local name, case-insensitively (peers disagree on casing). */
export function all(parent: Element | undefined, name: string): Element[] {
  if (!parent) return [];
  const n = name.toLowerCase();
  return elementsOf(parent).filter((e) => e.localName?.toLowerCase() === n);
}

export function el(parent: Element | undefined, name: string): Element | undefined {
  return all(parent, name)[0];
}

export function val(parent: Element | undefined, name: string): string | undefined {
  const t = el(parent, name)?.textContent?.trim();
  return t ? t : undefined;
}

export function readEnvelope(xml: string): Envelope {
  if (xml.includes('<!DOCTYPE'))
    throw new SoapFaultError(400, 'Sender', 'SOAP 1.2 forbids a DTD in a message');
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') throw new Error(msg);
      },
    }).parseFromString(xml, 'application/xml');
  } catch (e) {
    throw new SoapFaultError(400, 'Sender', `not well-formed XML: ${(e as Error).message.split('\n')[0]}`);
  }
  const root = doc.documentElement;
  if (!root || root.localName !== 'Envelope' || root.namespaceURI !== SOAP_ENV)
    throw new SoapFaultError(400, 'Sender', 'not a SOAP 1.2 Envelope');
  const header = elementsOf(root).find((e) => e.localName === 'Header' && e.namespaceURI === SOAP_ENV);
  const bodyEl = elementsOf(root).find((e) => e.localName === 'Body' && e.namespaceURI === SOAP_ENV);
  const inBody = bodyEl ? elementsOf(bodyEl) : [];
  if (inBody.length !== 1) throw new SoapFaultError(400, 'Sender', 'the SOAP Body must hold one element');
  const wsa = (name: string) =>
    header ? elementsOf(header).find((e) => e.localName === name && e.namespaceURI === WSA) : undefined;
  const text = (e: Element | undefined) => e?.textContent?.trim() || undefined;
  const address = (e: Element | undefined) =>
    text(e ? elementsOf(e).find((a) => a.localName === 'Address' && a.namespaceURI === WSA) : undefined);
  return {
    from: address(wsa('From')),
    to: text(wsa('To')),
    messageId: text(wsa('MessageID')),
    action: text(wsa('Action')),
    replyTo: address(wsa('ReplyTo')),
    relatesTo: text(wsa('RelatesTo')),
    name: inBody[0]!.localName ?? '',
    body: inBody[0]!,
  };
}

/** Children to write: [local name, text | children]; undefined values are left out. */
export type Tree = [string, string | Tree | undefined][];

/** An element's children as a Tree (what a relay passes on), keeping those `keep` accepts. */
export function treeOf(parent: Element | undefined, keep: (child: Element) => boolean = () => true): Tree {
  if (!parent) return [];
  return elementsOf(parent)
    .filter(keep)
    .map((c) => {
      const children = elementsOf(c);
      return [c.localName ?? '', children.length ? treeOf(c) : (c.textContent ?? '')];
    });
}

type Node = ReturnType<typeof create>;

function write(parent: Node, tree: Tree): void {
  for (const [name, value] of tree) {
    if (value === undefined) continue;
    const e = parent.ele(GSMA, `gsma:${name}`);
    if (typeof value === 'string') e.txt(value);
    else write(e, value);
  }
}

function envelope(wsa: Wsa, fill: (body: Node) => void): string {
  const env = create({ version: '1.0', encoding: 'UTF-8' }).ele(SOAP_ENV, 'soap:Envelope');
  const header = env.ele(SOAP_ENV, 'soap:Header');
  const add = (name: string, value: string | undefined, nested = false) => {
    if (value === undefined) return;
    const h = header.ele(WSA, `wsa:${name}`);
    (nested ? h.ele(WSA, 'wsa:Address') : h).txt(value);
  };
  add('From', wsa.from, true);
  add('To', wsa.to);
  add('MessageID', wsa.messageId);
  add('Action', wsa.action);
  add('ReplyTo', wsa.replyTo, true);
  add('RelatesTo', wsa.relatesTo);
  fill(env.ele(SOAP_ENV, 'soap:Body'));
  return env.end();
}

export function writeEnvelope(wsa: Wsa, name: string, body: Tree): string {
  return envelope(wsa, (b) => write(b.ele(GSMA, `gsma:${name}`), body));
}

export function writeFault(code: 'Sender' | 'Receiver', reason: string): string {
  return envelope({}, (b) => {
    const f = b.ele(SOAP_ENV, 'soap:Fault');
    f.ele(SOAP_ENV, 'soap:Code').ele(SOAP_ENV, 'soap:Value').txt(`soap:${code}`);
    f.ele(SOAP_ENV, 'soap:Reason').ele(SOAP_ENV, 'soap:Text').att('xml:lang', 'en').txt(reason);
  });
}

/** The EntityId query parameter of a WS-Addressing address. */
export function entityOf(address: string | undefined): string | undefined {
  if (!address?.includes('?')) return undefined;
  return new URLSearchParams(address.slice(address.indexOf('?') + 1)).get('EntityId') ?? undefined;
}

/** The endpoint of an address without its EntityId parameter. */
export function endpointOf(address: string): string {
  const u = new URL(address);
  u.searchParams.delete('EntityId');
  return u.toString();
}
