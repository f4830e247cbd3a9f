/**
 * Content octets of the primitive universal types, DER-exact both ways. Decoders get the whole
 * buffer plus [start, end) so that nothing is copied before it is known to be valid.
 */
import type { FailSink } from './reader.js';

// ---- BOOLEAN (X.690 8.2, 11.1: FALSE = 00, TRUE = FF) ----

export function decodeBoolean(sink: FailSink, buf: Uint8Array, s: number, e: number, at: number): boolean {
  if (e - s !== 1) sink.fail(`BOOLEAN must have exactly one content octet, got ${e - s}`, at);
  const b = buf[s];
  if (b === 0x00) return false;
  if (b === 0xff) return true;
  return sink.fail(`BOOLEAN content must be 00 or FF in DER, got ${b!.toString(16).padStart(2, '0')}`, at);
}

// ---- INTEGER / ENUMERATED (X.690 8.3: minimal two's complement) ----

export function encodeInteger(v: number | bigint): Uint8Array {
  if (typeof v === 'bigint') return encodeBigInteger(v);
  const bytes: number[] = [];
  let x = v;
  for (;;) {
    const b = ((x % 256) + 256) % 256;
    bytes.unshift(b);
    x = (x - b) / 256;
    if ((x === 0 && b < 0x80) || (x === -1 && b >= 0x80)) break;
  }
  return Uint8Array.from(bytes);
}

function encodeBigInteger(v: bigint): Uint8Array {
  const bytes: number[] = [];
  let x = v;
  for (;;) {
    const b = Number(BigInt.asUintN(8, x));
    bytes.unshift(b);
    x >>= 8n;
    if ((x === 0n && b < 0x80) || (x === -1n && b >= 0x80)) break;
  }
  return Uint8Array.from(bytes);
}

/** Returns a number when it is a safe integer, otherwise a bigint (the caller decides if allowed). */
export function decodeInteger(
  sink: FailSink,
  buf: Uint8Array,
  s: number,
  e: number,
  at: number,
): number | bigint {
  const len = e - s;
  if (len === 0) sink.fail('INTEGER with no content octets', at);
  const b0 = buf[s]!;
  if (len > 1) {
    const b1 = buf[s + 1]!;
    if ((b0 === 0x00 && b1 < 0x80) || (b0 === 0xff && b1 >= 0x80))
      sink.fail('non-minimal INTEGER encoding (redundant leading octet)', at);
  }
  if (len <= 6) {
    let v = b0 >= 0x80 ? b0 - 256 : b0;
    for (let i = s + 1; i < e; i++) v = v * 256 + buf[i]!;
    return v;
  }
  let big = BigInt(b0 >= 0x80 ? b0 - 256 : b0);
  for (let i = s + 1; i < e; i++) big = (big << 8n) | BigInt(buf[i]!);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

// ---- OBJECT IDENTIFIER (X.690 8.19) ----

const OID_TEXT = /^[0-2](\.(0|[1-9][0-9]*))+$/;

export function encodeOid(text: string): Uint8Array | string {
  if (!OID_TEXT.test(text)) return `"${text}" is not a dotted OBJECT IDENTIFIER`;
  const arcs = text.split('.').map((a) => BigInt(a));
  const [a0, a1] = [arcs[0]!, arcs[1]!];
  if (a0 < 2n && a1 > 39n) return `second arc of ${text} must be below 40 under arc ${a0}`;
  const out: number[] = [];
  const sub = (v: bigint) => {
    const groups: number[] = [];
    do {
      groups.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    groups.forEach((g, i) => out.push(i < groups.length - 1 ? g | 0x80 : g));
  };
  sub(a0 * 40n + a1);
  for (let i = 2; i < arcs.length; i++) sub(arcs[i]!);
  return Uint8Array.from(out);
}

export function decodeOid(sink: FailSink, buf: Uint8Array, s: number, e: number, at: number): string {
  if (e === s) sink.fail('OBJECT IDENTIFIER with no content octets', at);
  if ((buf[e - 1]! & 0x80) !== 0) sink.fail('truncated OBJECT IDENTIFIER subidentifier', at);
  const arcs: string[] = [];
  let p = s;
  let first = true;
  while (p < e) {
    if (buf[p] === 0x80) sink.fail('non-minimal OBJECT IDENTIFIER subidentifier (leading 0x80)', at);
    let v = 0;
    let big: bigint | undefined;
    for (;;) {
      const b = buf[p++]!;
      if (big === undefined && v > 2 ** 45) big = BigInt(v);
      if (big !== undefined) big = (big << 7n) | BigInt(b & 0x7f);
      else v = v * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    if (first) {
      first = false;
      const x = big ?? BigInt(v);
      if (x < 40n) arcs.push('0', String(x));
      else if (x < 80n) arcs.push('1', String(x - 40n));
      else arcs.push('2', String(x - 80n));
    } else arcs.push(big !== undefined ? String(big) : String(v));
  }
  return arcs.join('.');
}

// ---- BIT STRING (X.690 8.6, 11.2) ----

export interface BitStringContent {
  readonly bytes: Uint8Array;
  readonly unusedBits: number;
}

export function decodeBitString(
  sink: FailSink,
  buf: Uint8Array,
  s: number,
  e: number,
  at: number,
): BitStringContent {
  if (e === s) sink.fail('BIT STRING with no content octets', at);
  const unused = buf[s]!;
  if (unused > 7) sink.fail(`BIT STRING unused-bits octet ${unused} is above 7`, at);
  if (e - s === 1 && unused !== 0) sink.fail('empty BIT STRING must have unused-bits octet 0', at);
  if (unused > 0 && (buf[e - 1]! & ((1 << unused) - 1)) !== 0)
    sink.fail('BIT STRING padding bits must be zero in DER', at);
  return { bytes: buf.slice(s + 1, e), unusedBits: unused };
}

export function bitLength(b: BitStringContent): number {
  return b.bytes.length * 8 - b.unusedBits;
}

/** True when the last bit is 0, which DER forbids for a BIT STRING with a named-bit list (11.2.2). */
export function hasTrailingZeroBit(b: BitStringContent): boolean {
  if (b.bytes.length === 0) return false;
  return ((b.bytes[b.bytes.length - 1]! >> b.unusedBits) & 1) === 0;
}

export function bitsSet(b: BitStringContent): number[] {
  const out: number[] = [];
  const n = bitLength(b);
  for (let i = 0; i < n; i++) if ((b.bytes[i >> 3]! >> (7 - (i & 7))) & 1) out.push(i);
  return out;
}

/** Minimal DER form of a set of bit positions: no trailing zero bits (X.690 11.2.2). */
export function bitStringFromPositions(positions: readonly number[]): BitStringContent {
  if (positions.length === 0) return { bytes: new Uint8Array(0), unusedBits: 0 };
  const highest = Math.max(...positions);
  const bytes = new Uint8Array((highest >> 3) + 1);
  for (const p of positions) bytes[p >> 3]! |= 0x80 >> (p & 7);
  return { bytes, unusedBits: bytes.length * 8 - (highest + 1) };
}

export function encodeBitString(b: BitStringContent): Uint8Array {
  const out = new Uint8Array(b.bytes.length + 1);
  out[0] = b.unusedBits;
  out.set(b.bytes, 1);
  return out;
}

// ---- character strings ----

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8enc = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type StringKind =
  | 'UTF8String'
  | 'IA5String'
  | 'PrintableString'
  | 'VisibleString'
  | 'NumericString'
  | 'UTCTime'
  | 'GeneralizedTime';

const CHARSETS: Record<Exclude<StringKind, 'UTF8String'>, RegExp> = {
  // eslint-disable-next-line no-control-regex -- IA5 is exactly the 7-bit range, controls included
  IA5String: /^[\x00-\x7f]*$/,
  PrintableString: /^[A-Za-z0-9 '()+,\-./:=?]*$/,
  VisibleString: /^[\x20-\x7e]*$/,
  NumericString: /^[0-9 ]*$/,
  // DER forms (X.690 11.7, 11.8): UTC, seconds present, no fraction trailing zeros.
  UTCTime: /^[0-9]{12}Z$/,
  GeneralizedTime: /^[0-9]{14}(\.[0-9]*[1-9])?Z$/,
};

export function decodeString(
  sink: FailSink,
  kind: StringKind,
  buf: Uint8Array,
  s: number,
  e: number,
  at: number,
): string {
  if (kind === 'UTF8String') {
    try {
      return utf8.decode(buf.subarray(s, e));
    } catch {
      return sink.fail('UTF8String content is not valid UTF-8', at);
    }
  }
  let text = '';
  for (let i = s; i < e; i++) text += String.fromCharCode(buf[i]!);
  if (!CHARSETS[kind].test(text)) sink.fail(`invalid ${kind} content "${text}"`, at);
  return text;
}

/** Returns the content octets, or a reason string when the text is not allowed for the type. */
export function encodeString(kind: StringKind, text: string): Uint8Array | string {
  if (kind === 'UTF8String') {
    if (LONE_SURROGATE.test(text)) return 'string contains a lone surrogate (not encodable as UTF-8)';
    return utf8enc.encode(text);
  }
  if (!CHARSETS[kind].test(text)) return `invalid ${kind} value "${text}"`;
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** SIZE of a character string counts characters (code points), not octets (X.680 51.5). */
export function characterCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}
