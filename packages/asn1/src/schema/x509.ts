/**
 * X.509 structures inside GSMA types. We do not re-model PKIX: the value is the standard DER of
 * the structure (`30 len contents`), validated with @peculiar/asn1-x509, ready for @peculiar/x509
 * or WebCrypto. On the wire the structure is often IMPLICIT-tagged (`euiccCertificate [6]` is
 * `A6 <contents>`): decode rebuilds `30 <same length> <same contents>`, encode puts the tag back.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, CertificateList, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { checkTlvTree, readHeader, type FailSink } from '../der/reader.js';
import { hex, makeTag, UNIVERSAL } from '../der/tags.js';
import { flatten, tlv, type Node } from '../der/writer.js';
import { parseHex } from '../der/hex.js';
import { schemaOf } from './core.js';
import type { Base, DecodeCtx, Json, PathCtx, Schema } from './types.js';

const X509_CLASSES = { Certificate, SubjectPublicKeyInfo, CertificateList } as const;
export type X509Kind = keyof typeof X509_CLASSES;

const SEQUENCE = makeTag(UNIVERSAL, 16);

function parseWith(kind: X509Kind, der: Uint8Array): string | undefined {
  try {
    AsnConvert.parse(der, X509_CLASSES[kind] as new () => object);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export class X509Base implements Base {
  readonly universal = SEQUENCE;
  readonly constructed = true;
  constructor(readonly kind: X509Kind) {}
  describe() {
    return this.kind;
  }
  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number, depth: number) {
    for (let p = s; p < e;) p = checkTlvTree(ctx, ctx.buf, p, e, depth, ctx.maxDepth).end;
    const der = flatten(tlv(SEQUENCE.constructedId, ctx.buf.subarray(s, e)));
    const bad = parseWith(this.kind, der);
    if (bad !== undefined) ctx.fail(`not a valid X.509 ${this.kind}: ${bad}`, at);
    return der;
  }
  private check(v: unknown, ctx: PathCtx): Uint8Array {
    if (!(v instanceof Uint8Array)) return ctx.fail(`expected the DER of a ${this.kind} (Uint8Array)`);
    const sink: FailSink = { fail: (r, o) => ctx.fail(`${this.kind} DER: ${r} at offset ${o}`) };
    const h = checkTlvTree(sink, v, 0, v.length, 0, 64);
    if (h.cls !== UNIVERSAL || h.num !== 16 || !h.constructed || h.end !== v.length)
      ctx.fail(`${this.kind} DER must be exactly one SEQUENCE TLV`);
    const bad = parseWith(this.kind, v);
    if (bad !== undefined) ctx.fail(`not a valid X.509 ${this.kind}: ${bad}`);
    return v;
  }
  encodeContent(v: unknown, ctx: PathCtx): Node {
    const der = this.check(v, ctx);
    const h = readHeader({ fail: (r) => ctx.fail(r) }, der, 0, der.length);
    return der.subarray(h.contentStart);
  }
  toJson(v: unknown): Json {
    return hex(v as Uint8Array);
  }
  fromJson(j: unknown, ctx: PathCtx) {
    const b = typeof j === 'string' ? parseHex(j) : undefined;
    if (!b) return ctx.fail(`expected the hex DER of a ${this.kind}`);
    return this.check(b, ctx);
  }
}

export function x509(kind: X509Kind): Schema<Uint8Array> {
  return schemaOf(new X509Base(kind));
}

/** The DER of a decoded certificate value as an @peculiar/asn1-x509 object. */
export function parseCertificate(der: Uint8Array): Certificate {
  return AsnConvert.parse(der, Certificate);
}

export function parseSubjectPublicKeyInfo(der: Uint8Array): SubjectPublicKeyInfo {
  return AsnConvert.parse(der, SubjectPublicKeyInfo);
}

/** From an @peculiar/asn1-x509 object (or anything AsnConvert serializes) to the value's DER. */
export function x509Der(value: Certificate | SubjectPublicKeyInfo | CertificateList): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(value));
}
