/**
 * The generic half of the engine: how a schema's tags become TLV layers on the wire (X.680 31.2,
 * applied once when a schema is built) and how one schema is decoded/encoded at a position.
 * Every type-specific rule lives in the bases; nothing here knows a GSMA type.
 */
import { readHeader, type Header } from '../der/reader.js';
import {
  APPLICATION,
  CONTEXT,
  PRIVATE,
  UNIVERSAL,
  describeFound,
  hex,
  makeTag,
  tagText,
  type Tag,
} from '../der/tags.js';
import { tlv, type Node } from '../der/writer.js';
import {
  isTagless,
  type AnySchema,
  type Base,
  type DecodeCtx,
  type PathCtx,
  type Schema,
  type TaglessBase,
} from './types.js';

// ---------------------------------------------------------------- tags as written in a module

export type TagSpec = number | Tag;

/** `[APPLICATION n]` */
export const app = (n: number): Tag => makeTag(APPLICATION, n);
/** `[PRIVATE n]` */
export const priv = (n: number): Tag => makeTag(PRIVATE, n);
/** `[n]` (context-specific), also what a bare number means in `tag(n, T)`. */
export const ctxTag = (n: number): Tag => makeTag(CONTEXT, n);
export const univ = (n: number): Tag => makeTag(UNIVERSAL, n);

export function toTag(t: TagSpec): Tag {
  return typeof t === 'number' ? ctxTag(t) : t;
}

export function schemaOf<V>(base: Base): Schema<V> {
  return {
    base,
    outer: [],
    baseTag: base.universal,
    typeName: undefined,
    module: undefined,
    refName: undefined,
    inlineTag: false,
  } as unknown as Schema<V>;
}

/**
 * `[t] S` in a module with AUTOMATIC (hence IMPLICIT) default tagging. X.680 31.2.7: the tag is
 * EXPLICIT when S is an untagged CHOICE or open type - that is, when S has no tag to replace. A tag
 * on anything already tagged (including `T ::= [m] CHOICE`) is IMPLICIT and replaces the
 * outermost tag, so `[81] EuiccPackageResult` stays one BF51, never BF51 BF51.
 */
export function tag<S extends AnySchema>(t: TagSpec, schema: S, mode?: 'IMPLICIT' | 'EXPLICIT'): S {
  const tg = toTag(t);
  const hasOwnTag = schema.outer.length > 0 || schema.baseTag !== null;
  if (mode === 'IMPLICIT' && !hasOwnTag)
    throw new Error(`IMPLICIT ${tagText(tg.cls, tg.num)} on an untagged CHOICE or open type is not allowed`);
  const explicit = mode === 'EXPLICIT' || !hasOwnTag;
  const tagged = explicit
    ? { outer: [tg, ...schema.outer], baseTag: schema.baseTag }
    : schema.outer.length > 0
      ? { outer: [tg, ...schema.outer.slice(1)], baseTag: schema.baseTag }
      : { outer: [], baseTag: tg };
  return { ...schema, ...tagged, typeName: undefined, module: undefined, inlineTag: true };
}

/** Gives a schema its type reference name, as in `Name ::= ...`. */
export function define<S extends AnySchema>(module: string, name: string, schema: S): S {
  return { ...schema, typeName: name, module, refName: name, inlineTag: false };
}

/** Tag keys that can start a TLV of this schema (for SEQUENCE/CHOICE component matching). */
export function firstTags(s: AnySchema): ReadonlySet<number> | 'any' {
  const t = s.outer[0] ?? s.baseTag;
  if (t) return new Set([t.key]);
  return (s.base as TaglessBase).firstTags();
}

/** `[1] INTEGER (81)`, `SEQUENCE (30)`, `[81] EuiccPackageResult (BF51)`. */
export function describeSchema(s: AnySchema): string {
  const t = s.outer[0] ?? s.baseTag;
  const what = s.refName ?? s.base.describe();
  if (!t) return `${what} (${describeTagless(s.base as TaglessBase)})`;
  const constructed = s.outer.length > 0 || s.base.constructed;
  const id = constructed ? t.constructedId : t.primitiveId;
  return `${t.cls === UNIVERSAL ? '' : `${tagText(t.cls, t.num)} `}${what} (${hex(id)})`;
}

function describeTagless(b: TaglessBase): string {
  const f = b.firstTags();
  if (f === 'any') return 'any tag';
  return `one of ${[...f].map((k) => tagText(k & 3, Math.floor(k / 4))).join(', ')}`;
}

// ---------------------------------------------------------------- the exact bytes behind values

const derMap = new WeakMap<object, Uint8Array>();

/**
 * The exact TLV bytes a decoded SEQUENCE/SET/CHOICE/SEQUENCE OF value was read from (including
 * its tags as they were on the wire). Signatures must be checked over these, not over a
 * re-encoding. Undefined for values that were built in code rather than decoded.
 */
export function derOf(value: object): Uint8Array | undefined {
  return derMap.get(value);
}

// ---------------------------------------------------------------- decode / encode one schema

export interface DecodeCtxInternal extends DecodeCtx {
  /** Set by decodeAt just before it returns: the offset after the TLV it consumed. */
  end: number;
}

function mismatch(ctx: DecodeCtx, s: AnySchema, level: Tag, constructed: boolean, h: Header): never {
  const found = describeFound(h.cls, h.constructed, h.num);
  const expected =
    level === (s.outer[0] ?? s.baseTag)
      ? describeSchema(s)
      : `${tagText(level.cls, level.num)} (${hex(constructed ? level.constructedId : level.primitiveId)})`;
  return ctx.fail(`expected ${expected}, got ${found}`, h.start);
}

export function decodeAt(
  s: AnySchema,
  ctx: DecodeCtxInternal,
  pos: number,
  limit: number,
  depth: number,
): unknown {
  if (depth > ctx.maxDepth) ctx.fail(`nesting deeper than the limit of ${ctx.maxDepth}`, pos);
  const buf = ctx.buf;
  let h = readHeader(ctx, buf, pos, limit);
  const end = h.end;
  let wrapper: Tag | null = null;
  const outer = s.outer;
  for (let i = 0; i < outer.length; i++) {
    const t = outer[i]!;
    if (h.cls !== t.cls || h.num !== t.num) mismatch(ctx, s, t, true, h);
    if (!h.constructed) ctx.fail(`explicit tag ${tagText(t.cls, t.num)} must be constructed`, h.start);
    if (++depth > ctx.maxDepth) ctx.fail(`nesting deeper than the limit of ${ctx.maxDepth}`, h.start);
    const inner = readHeader(ctx, buf, h.contentStart, h.end);
    if (inner.end !== h.end)
      ctx.fail(`explicit tag ${tagText(t.cls, t.num)} must contain exactly one TLV`, inner.end);
    h = inner;
    wrapper = t;
  }
  const base = s.base;
  let v: unknown;
  if (s.baseTag !== null) {
    const t = s.baseTag;
    if (h.cls !== t.cls || h.num !== t.num) mismatch(ctx, s, t, base.constructed, h);
    if (h.constructed !== base.constructed)
      ctx.fail(
        `${describeSchema(s)} must be ${base.constructed ? 'constructed' : 'primitive'} in DER, got ${describeFound(h.cls, h.constructed, h.num)}`,
        h.start,
      );
    v = base.decodeContent(ctx, h.contentStart, h.end, h.start, depth + 1);
  } else {
    v = (base as TaglessBase).decodeTlv(ctx, h, depth, wrapper);
  }
  if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array))
    derMap.set(v, buf.subarray(pos, end));
  ctx.end = end;
  return v;
}

export function encodeNode(s: AnySchema, value: unknown, ctx: PathCtx): Node {
  let node: Node;
  const base = s.base;
  if (s.baseTag !== null) {
    const id = base.constructed ? s.baseTag.constructedId : s.baseTag.primitiveId;
    node = tlv(id, base.encodeContent(value, ctx));
  } else {
    node = (base as TaglessBase).encodeTlv(value, ctx);
  }
  for (let i = s.outer.length - 1; i >= 0; i--) node = tlv(s.outer[i]!.constructedId, node);
  return node;
}

export { isTagless };
