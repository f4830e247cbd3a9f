/**
 * The shapes shared by every part of the schema layer. A schema is a plain object: the underlying
 * type (its `base`, shared by every tagged/named copy) plus the tags that X.680 says end up on
 * the wire, already resolved to "explicit wrappers" and "the tag of the base TLV".
 */
import type { Header, FailSink } from '../der/reader.js';
import type { Tag } from '../der/tags.js';
import type { Node } from '../der/writer.js';

/** Type-level only: carries the TypeScript value type of a schema. Never present at runtime. */
export declare const VALUE: unique symbol;

/**
 * Unknown SEQUENCE/SET components (extension additions from a newer version), as raw TLVs in
 * wire order. Symbol-keyed so that JSON.stringify and Object.keys do not see them; `encode`
 * re-emits them after the known components so the value re-encodes byte-exact.
 */
export const EXTENSIONS: unique symbol = Symbol.for('@esim/asn1.extensions');

/** The raw TLV of a CHOICE alternative this version does not know. */
export const UNKNOWN_ALTERNATIVE: unique symbol = Symbol.for('@esim/asn1.unknownAlternative');

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface DecodeCtx extends FailSink {
  readonly buf: Uint8Array;
  readonly maxDepth: number;
  readonly strict: boolean;
  readonly path: Array<string | number>;
  /** Unknown extension components/alternatives kept as raw TLVs so far. */
  unknown: number;
  /** Deliberately lenient readings taken so far (see docs/INTERPRETATION.md). */
  lenient: number;
  warn(reason: string, offset: number): void;
}

export interface PathCtx {
  readonly path: Array<string | number>;
  fail(reason: string): never;
}

/** The underlying (untagged) type: INTEGER, SEQUENCE {...}, CHOICE {...}, ... */
export interface Base {
  readonly kind: string;
  /** The universal tag, or null for the tagless CHOICE and open type. */
  readonly universal: Tag | null;
  readonly constructed: boolean;
  /** Contents of a TLV whose tag has been checked already. `at` is the TLV's offset. */
  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number, depth: number): unknown;
  encodeContent(value: unknown, ctx: PathCtx): Node;
  toJson(value: unknown, ctx: PathCtx): Json;
  fromJson(json: unknown, ctx: PathCtx): unknown;
  /** Short text for messages: `INTEGER`, `SEQUENCE`, `CHOICE`. */
  describe(): string;
}

/** CHOICE and open type: no tag of their own, the value's TLV is an alternative's TLV. */
export interface TaglessBase extends Base {
  readonly universal: null;
  decodeTlv(ctx: DecodeCtx, h: Header, depth: number, wrapper: Tag | null): unknown;
  encodeTlv(value: unknown, ctx: PathCtx): Node;
  /** Tag keys that can start this type, or 'any' for an open type. */
  firstTags(): ReadonlySet<number> | 'any';
}

export interface Schema<V = unknown> {
  readonly [VALUE]: V;
  readonly base: Base;
  /** EXPLICIT wrappers, outermost first: each is a constructed TLV around the next. */
  readonly outer: readonly Tag[];
  /** Tag of the base TLV (universal, or an IMPLICIT replacement); null for CHOICE / open type. */
  readonly baseTag: Tag | null;
  /** Set by `define`: the type reference name as written in the module. */
  readonly typeName: string | undefined;
  readonly module: string | undefined;
  /** Name of the type this schema refers to, kept through tagging (for messages). */
  readonly refName: string | undefined;
  /** True when the tag was written at this use site: decides AUTOMATIC tagging (X.680 25.3). */
  readonly inlineTag: boolean;
}

export type ValueOf<S> = S extends Schema<infer V> ? V : never;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySchema = Schema<any>;

export function isTagless(b: Base): b is TaglessBase {
  return b.universal === null;
}

export function isSchema(x: unknown): x is AnySchema {
  return typeof x === 'object' && x !== null && 'base' in x && 'outer' in x && 'baseTag' in x;
}

/** Flattens intersections so that editor hovers show one object type. */
export type Expand<T> = T extends infer O ? { [K in keyof O]: O[K] } : never;

export interface Extensible {
  readonly [EXTENSIONS]?: readonly Uint8Array[];
}

export interface UnknownAlternative {
  readonly [UNKNOWN_ALTERNATIVE]: Uint8Array;
}

/** Lets `value[UNKNOWN_ALTERNATIVE]` type-check on any CHOICE value (undefined for known ones). */
export interface KnownAlternative {
  readonly [UNKNOWN_ALTERNATIVE]?: undefined;
}
