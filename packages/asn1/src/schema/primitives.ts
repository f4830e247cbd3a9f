/**
 * Bases for the primitive universal types. Value model (README): BOOLEAN -> boolean, INTEGER ->
 * number (bigint only where the schema asks for it), ENUMERATED -> name (number when unknown),
 * NULL -> null, OCTET STRING -> Uint8Array, BIT STRING with named bits -> names (unknown bits as
 * numbers), plain BIT STRING -> { bytes, unusedBits }, OBJECT IDENTIFIER -> dotted text,
 * character strings -> string.
 */
import {
  bitLength,
  bitStringFromPositions,
  bitsSet,
  characterCount,
  decodeBitString,
  decodeBoolean,
  decodeInteger,
  decodeOid,
  decodeString,
  encodeBitString,
  encodeInteger,
  encodeOid,
  encodeString,
  hasTrailingZeroBit,
  type BitStringContent,
  type StringKind,
} from '../der/primitives.js';
import { hex, parseHex } from '../der/hex.js';
import { makeTag, UNIVERSAL, type Tag } from '../der/tags.js';
import type { Node } from '../der/writer.js';
import { schemaOf } from './core.js';
import { checkSize, sizeBounds, sizeText, type Size } from './size.js';
import type { Base, DecodeCtx, Json, PathCtx, Schema } from './types.js';

const U = (n: number): Tag => makeTag(UNIVERSAL, n);

function typeError(ctx: PathCtx, expected: string, got: unknown): never {
  const what =
    got === null
      ? 'null'
      : Array.isArray(got)
        ? 'array'
        : got instanceof Uint8Array
          ? 'Uint8Array'
          : typeof got;
  return ctx.fail(`expected ${expected}, got ${what}`);
}

// ---------------------------------------------------------------- BOOLEAN

export class BooleanBase implements Base {
  readonly kind = 'BOOLEAN';
  readonly universal = U(1);
  readonly constructed = false;
  describe() {
    return 'BOOLEAN';
  }
  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number) {
    return decodeBoolean(ctx, ctx.buf, s, e, at);
  }
  encodeContent(v: unknown, ctx: PathCtx): Node {
    if (typeof v !== 'boolean') typeError(ctx, 'boolean', v);
    return Uint8Array.of(v ? 0xff : 0x00);
  }
  toJson(v: unknown): Json {
    return v as boolean;
  }
  fromJson(j: unknown, ctx: PathCtx) {
    if (typeof j !== 'boolean') typeError(ctx, 'boolean', j);
    return j;
  }
}

export const BOOLEAN: Schema<boolean> = schemaOf(new BooleanBase());

// ---------------------------------------------------------------- NULL

export class NullBase implements Base {
  readonly kind = 'NULL';
  readonly universal = U(5);
  readonly constructed = false;
  describe() {
    return 'NULL';
  }
  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number) {
    if (e !== s) ctx.fail('NULL must have no content octets', at);
    return null;
  }
  encodeContent(v: unknown, ctx: PathCtx): Node {
    if (v !== null) typeError(ctx, 'null', v);
    return new Uint8Array(0);
  }
  toJson(): Json {
    return null;
  }
  fromJson(j: unknown, ctx: PathCtx) {
    if (j !== null) typeError(ctx, 'null', j);
    return null;
  }
}

export const NULL: Schema<null> = schemaOf(new NullBase());

// ---------------------------------------------------------------- INTEGER

export type NamedNumbers = Readonly<Record<string, number>>;

export class IntegerBase implements Base {
  readonly kind = 'INTEGER';
  readonly universal = U(2);
  readonly constructed = false;
  private readonly names: Map<number, string>;
  constructor(
    readonly named: NamedNumbers | undefined,
    readonly range: readonly [number | bigint, number | bigint] | undefined,
    readonly big: boolean,
  ) {
    this.names = new Map(Object.entries(named ?? {}).map(([k, v]) => [v, k]));
  }
  describe() {
    return 'INTEGER';
  }
  nameOf(n: number): string | undefined {
    return this.names.get(n);
  }
  private checkRange(v: number | bigint): string | undefined {
    if (!this.range) return undefined;
    const [lo, hi] = this.range;
    if (v < lo || v > hi) return `value ${v} outside the range ${lo}..${hi}`;
    return undefined;
  }
  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number) {
    const v = decodeInteger(ctx, ctx.buf, s, e, at);
    if (typeof v === 'bigint' && !this.big) ctx.fail(`INTEGER ${v} is beyond Number.MAX_SAFE_INTEGER`, at);
    const bad = this.checkRange(v);
    if (bad) ctx.fail(bad, at);
    return this.big ? BigInt(v) : v;
  }
  encodeContent(v: unknown, ctx: PathCtx): Node {
    if (this.big ? typeof v !== 'bigint' && !Number.isSafeInteger(v) : !Number.isSafeInteger(v))
      typeError(ctx, this.big ? 'bigint or safe integer' : 'safe integer', v);
    const bad = this.checkRange(v as number | bigint);
    if (bad) ctx.fail(bad);
    return encodeInteger(v as number | bigint);
  }
  toJson(v: unknown): Json {
    if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    return v as number;
  }
  fromJson(j: unknown, ctx: PathCtx) {
    let v: number | bigint;
    if (typeof j === 'number' && Number.isSafeInteger(j)) v = j;
    else if (typeof j === 'string' && this.named && j in this.named) v = this.named[j]!;
    else if (typeof j === 'string' && /^-?[0-9]+$/.test(j)) v = BigInt(j);
    else
      return typeError(
        ctx,
        this.named ? `integer or one of ${Object.keys(this.named).join(', ')}` : 'integer',
        j,
      );
    if (this.big) return BigInt(v);
    if (typeof v === 'bigint') {
      if (v < BigInt(Number.MIN_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER))
        ctx.fail(`${v} is beyond Number.MAX_SAFE_INTEGER`);
      return Number(v);
    }
    return v;
  }
}

export type IntegerSchema<N extends NamedNumbers = NamedNumbers> = Schema<number> & {
  /** The named numbers of the definition, e.g. `EimIdType.values.eimIdTypeFqdn === 2`. */
  readonly values: N;
};

/** `INTEGER`, `INTEGER {ok(0), ...}`, `INTEGER (0..255)`. */
export function integer<const N extends NamedNumbers = Record<never, number>>(
  named?: N,
  range?: readonly [number, number],
): IntegerSchema<N> {
  return { ...schemaOf<number>(new IntegerBase(named, range, false)), values: (named ?? {}) as N };
}

/** An INTEGER whose values can exceed 2^53: decoded as bigint. */
export function bigInteger(range?: readonly [bigint, bigint]): Schema<bigint> {
  return schemaOf(new IntegerBase(undefined, range, true));
}

export const INTEGER = integer();

// ---------------------------------------------------------------- ENUMERATED

export class EnumeratedBase implements Base {
  readonly kind = 'ENUMERATED';
  readonly universal = U(10);
  readonly constructed = false;
  private readonly byNumber: Map<number, string>;
  constructor(readonly items: NamedNumbers) {
    this.byNumber = new Map(Object.entries(items).map(([k, v]) => [v, k]));
  }
  describe() {
    return 'ENUMERATED';
  }
  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number) {
    const v = decodeInteger(ctx, ctx.buf, s, e, at);
    if (typeof v === 'bigint') return ctx.fail(`ENUMERATED value ${v} is out of range`, at);
    const name = this.byNumber.get(v);
    if (name === undefined) ctx.unknown++;
    // EXTENSIBILITY IMPLIED: a value added by a newer version is kept as its number.
    return name ?? v;
  }
  encodeContent(v: unknown, ctx: PathCtx): Node {
    if (typeof v === 'string') {
      const n = this.items[v];
      if (n === undefined) ctx.fail(`"${v}" is not one of ${Object.keys(this.items).join(', ')}`);
      return encodeInteger(n);
    }
    if (Number.isSafeInteger(v)) return encodeInteger(v as number);
    return typeError(ctx, 'enumeration name or number', v);
  }
  toJson(v: unknown): Json {
    return v as string | number;
  }
  fromJson(j: unknown, ctx: PathCtx) {
    if (typeof j === 'string' && j in this.items) return j;
    if (typeof j === 'number' && Number.isSafeInteger(j)) return this.byNumber.get(j) ?? j;
    return typeError(ctx, `one of ${Object.keys(this.items).join(', ')}`, j);
  }
}

export function enumerated<const N extends NamedNumbers>(
  items: N,
): Schema<(keyof N & string) | number> & { readonly values: N } {
  return { ...schemaOf<(keyof N & string) | number>(new EnumeratedBase(items)), values: items };
}

// ---------------------------------------------------------------- OCTET STRING

export class OctetStringBase implements Base {
  readonly kind = 'OCTET STRING';
  readonly universal = U(4);
  readonly constructed = false;
  readonly bounds;
  constructor(size: Size | undefined) {
    this.bounds = sizeBounds(size);
  }
  describe() {
    return this.bounds ? `OCTET STRING (${sizeText(this.bounds)})` : 'OCTET STRING';
  }
  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number) {
    const bad = checkSize(this.bounds, e - s, 'octet(s)');
    if (bad) ctx.fail(bad, at);
    return ctx.buf.slice(s, e);
  }
  encodeContent(v: unknown, ctx: PathCtx): Node {
    if (!(v instanceof Uint8Array)) typeError(ctx, 'Uint8Array', v);
    const bad = checkSize(this.bounds, v.length, 'octet(s)');
    if (bad) ctx.fail(bad);
    return v;
  }
  toJson(v: unknown): Json {
    return hex(v as Uint8Array);
  }
  fromJson(j: unknown, ctx: PathCtx) {
    const b = typeof j === 'string' ? parseHex(j) : undefined;
    if (!b) return typeError(ctx, 'hex string', j);
    return b;
  }
}

/** `OCTET STRING`, `OCTET STRING (SIZE(n))`, `OCTET STRING (SIZE(min..max))`. */
export function octetString(min?: number, max?: number): Schema<Uint8Array> {
  return schemaOf(new OctetStringBase(min === undefined ? undefined : [min, max ?? min]));
}

export const OCTET_STRING = octetString();

// ---------------------------------------------------------------- BIT STRING

export interface BitString {
  readonly bytes: Uint8Array;
  readonly unusedBits: number;
}

export class BitStringBase implements Base {
  readonly kind = 'BIT STRING';
  readonly universal = U(3);
  readonly constructed = false;
  private readonly byPos: Map<number, string>;
  readonly bounds;
  constructor(
    readonly named: NamedNumbers | undefined,
    size: Size | undefined,
  ) {
    this.byPos = new Map(Object.entries(named ?? {}).map(([k, v]) => [v, k]));
    this.bounds = sizeBounds(size);
  }
  describe() {
    return 'BIT STRING';
  }
  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number) {
    const b = decodeBitString(ctx, ctx.buf, s, e, at);
    if (!this.named) {
      const bad = checkSize(this.bounds, bitLength(b), 'bit(s)');
      if (bad) ctx.fail(bad, at);
      return b;
    }
    if (hasTrailingZeroBit(b)) {
      // X.690 11.2.2 wants trailing zero bits removed; LPAs/IPAs send fixed-width named bit
      // strings (04 80, 05 C0). The value is unambiguous (X.680 22.7), so we read it and say so.
      const reason = 'named BIT STRING has trailing zero bits (not minimal DER)';
      if (ctx.strict) ctx.fail(reason, at);
      ctx.lenient++;
      ctx.warn(`${reason}; re-encoding produces the minimal form`, at);
    }
    const positions = bitsSet(b);
    const bad = checkSize(this.bounds, positions.length ? positions[positions.length - 1]! + 1 : 0, 'bit(s)');
    if (bad) ctx.fail(bad, at);
    return positions.map((p) => this.byPos.get(p) ?? p);
  }
  private positionsOf(v: unknown, ctx: PathCtx): number[] {
    if (!Array.isArray(v)) typeError(ctx, 'array of bit names', v);
    const out = new Set<number>();
    for (const x of v) {
      if (typeof x === 'string') {
        const p = this.named![x];
        if (p === undefined) ctx.fail(`"${x}" is not a named bit (${Object.keys(this.named!).join(', ')})`);
        out.add(p);
      } else if (Number.isSafeInteger(x) && (x as number) >= 0) out.add(x as number);
      else typeError(ctx, 'bit name or bit number', x);
    }
    return [...out].sort((a, b) => a - b);
  }
  encodeContent(v: unknown, ctx: PathCtx): Node {
    if (!this.named) {
      const b = v as BitString;
      if (
        typeof b !== 'object' ||
        b === null ||
        !(b.bytes instanceof Uint8Array) ||
        !Number.isInteger(b.unusedBits)
      )
        typeError(ctx, '{ bytes: Uint8Array, unusedBits: number }', v);
      if (b.unusedBits < 0 || b.unusedBits > 7 || (b.bytes.length === 0 && b.unusedBits !== 0))
        ctx.fail(`bad unusedBits ${b.unusedBits}`);
      if (b.unusedBits > 0 && (b.bytes[b.bytes.length - 1]! & ((1 << b.unusedBits) - 1)) !== 0)
        ctx.fail('padding bits must be zero');
      const bad = checkSize(this.bounds, bitLength(b), 'bit(s)');
      if (bad) ctx.fail(bad);
      return encodeBitString(b);
    }
    const positions = this.positionsOf(v, ctx);
    const bad = checkSize(this.bounds, positions.length ? positions[positions.length - 1]! + 1 : 0, 'bit(s)');
    if (bad) ctx.fail(bad);
    return encodeBitString(bitStringFromPositions(positions));
  }
  toJson(v: unknown): Json {
    if (this.named) return [...(v as Array<string | number>)];
    const b = v as BitStringContent;
    return { bytes: hex(b.bytes), unusedBits: b.unusedBits };
  }
  fromJson(j: unknown, ctx: PathCtx) {
    if (this.named) return this.positionsOf(j, ctx).map((p) => this.byPos.get(p) ?? p);
    const o = j as { bytes?: unknown; unusedBits?: unknown };
    const bytes = typeof o?.bytes === 'string' ? parseHex(o.bytes) : undefined;
    if (!bytes || !Number.isInteger(o.unusedBits))
      return typeError(ctx, '{ "bytes": hex, "unusedBits": n }', j);
    return { bytes, unusedBits: o.unusedBits as number };
  }
}

export type NamedBitsSchema<N extends NamedNumbers> = Schema<Array<(keyof N & string) | number>> & {
  readonly bits: N;
};

/** `BIT STRING {a(0), b(1)}`: the value is the list of set bit names. */
export function bitString<const N extends NamedNumbers>(named: N, size?: Size): NamedBitsSchema<N> {
  return { ...schemaOf<Array<(keyof N & string) | number>>(new BitStringBase(named, size)), bits: named };
}

/** A BIT STRING without named bits: trailing zero bits are significant, kept as is. */
export const BIT_STRING: Schema<BitString> = schemaOf(new BitStringBase(undefined, undefined));

// ---------------------------------------------------------------- OBJECT IDENTIFIER

export class OidBase implements Base {
  readonly kind = 'OBJECT IDENTIFIER';
  readonly universal = U(6);
  readonly constructed = false;
  describe() {
    return 'OBJECT IDENTIFIER';
  }
  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number) {
    return decodeOid(ctx, ctx.buf, s, e, at);
  }
  encodeContent(v: unknown, ctx: PathCtx): Node {
    if (typeof v !== 'string') typeError(ctx, 'dotted OID string', v);
    const r = encodeOid(v);
    if (typeof r === 'string') ctx.fail(r);
    return r;
  }
  toJson(v: unknown): Json {
    return v as string;
  }
  fromJson(j: unknown, ctx: PathCtx) {
    if (typeof j !== 'string' || typeof encodeOid(j) === 'string')
      return typeError(ctx, 'dotted OID string', j);
    return j;
  }
}

export const OBJECT_IDENTIFIER: Schema<string> = schemaOf(new OidBase());

// ---------------------------------------------------------------- character strings and times

const STRING_TAGS: Record<StringKind, number> = {
  UTF8String: 12,
  NumericString: 18,
  PrintableString: 19,
  IA5String: 22,
  UTCTime: 23,
  GeneralizedTime: 24,
  VisibleString: 26,
};

export class StringBase implements Base {
  readonly universal: Tag;
  readonly constructed = false;
  readonly bounds;
  constructor(
    readonly kind: StringKind,
    size: Size | undefined,
  ) {
    this.universal = U(STRING_TAGS[kind]);
    this.bounds = sizeBounds(size);
  }
  describe() {
    return this.bounds ? `${this.kind} (${sizeText(this.bounds)})` : this.kind;
  }
  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number) {
    const text = decodeString(ctx, this.kind, ctx.buf, s, e, at);
    const bad = checkSize(this.bounds, characterCount(text), 'character(s)');
    if (bad) ctx.fail(bad, at);
    return text;
  }
  encodeContent(v: unknown, ctx: PathCtx): Node {
    if (typeof v !== 'string') typeError(ctx, 'string', v);
    const bad = checkSize(this.bounds, characterCount(v), 'character(s)');
    if (bad) ctx.fail(bad);
    const r = encodeString(this.kind, v);
    if (typeof r === 'string') ctx.fail(r);
    return r;
  }
  toJson(v: unknown): Json {
    return v as string;
  }
  fromJson(j: unknown, ctx: PathCtx) {
    if (typeof j !== 'string') typeError(ctx, 'string', j);
    return j;
  }
}

export function utf8String(min?: number, max?: number): Schema<string> {
  return schemaOf(new StringBase('UTF8String', min === undefined ? undefined : [min, max ?? min]));
}
export const UTF8String = utf8String();
export const IA5String: Schema<string> = schemaOf(new StringBase('IA5String', undefined));
export const PrintableString: Schema<string> = schemaOf(new StringBase('PrintableString', undefined));
export const VisibleString: Schema<string> = schemaOf(new StringBase('VisibleString', undefined));
export const NumericString: Schema<string> = schemaOf(new StringBase('NumericString', undefined));
/** Kept as the DER text (`YYMMDDHHMMSSZ`); the codec checks the DER form, not the calendar. */
export const UTCTime: Schema<string> = schemaOf(new StringBase('UTCTime', undefined));
export const GeneralizedTime: Schema<string> = schemaOf(new StringBase('GeneralizedTime', undefined));
