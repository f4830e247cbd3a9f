/**
 * SEQUENCE, SET, CHOICE, SEQUENCE OF, SET OF. The modules say AUTOMATIC TAGS and EXTENSIBILITY
 * IMPLIED, so: components are numbered [0], [1], ... when none is textually tagged (X.680 25.3,
 * 29.3), and every SEQUENCE/SET/CHOICE is extensible - unknown components and alternatives from
 * a newer version are kept as raw TLVs rather than rejected.
 */
import { checkTlvTree, readHeader, type FailSink, type Header } from '../der/reader.js';
import { CONTEXT, describeFound, hex, makeTag, tagKey, tagText, UNIVERSAL } from '../der/tags.js';
import { compareDer, concat, flatten, type Node } from '../der/writer.js';
import { parseHex } from '../der/hex.js';
import {
  decodeAt,
  describeSchema,
  encodeNode,
  firstTags,
  schemaOf,
  tag,
  type DecodeCtxInternal,
} from './core.js';
import { checkSize, sizeBounds, type Size } from './size.js';
import {
  EXTENSIONS,
  UNKNOWN_ALTERNATIVE,
  type AnySchema,
  type Base,
  type DecodeCtx,
  type Expand,
  type Extensible,
  type Json,
  type PathCtx,
  type Schema,
  type TaglessBase,
  type KnownAlternative,
  type UnknownAlternative,
  type ValueOf,
} from './types.js';

// ---------------------------------------------------------------- component specs

export interface OptionalComponent<V> {
  readonly presence: 'optional';
  readonly schema: Schema<V>;
}
export interface DefaultComponent<V> {
  readonly presence: 'default';
  readonly schema: Schema<V>;
  readonly defaultValue: V;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ComponentSpec = AnySchema | OptionalComponent<any> | DefaultComponent<any>;

/** `T OPTIONAL` */
export function optional<V>(schema: Schema<V>): OptionalComponent<V> {
  return { presence: 'optional', schema };
}
/** `T DEFAULT value`: omitted on encode when equal, filled in on decode when absent. */
export function withDefault<V>(schema: Schema<V>, defaultValue: NoInfer<V>): DefaultComponent<V> {
  return { presence: 'default', schema, defaultValue };
}

type SpecValue<C> =
  C extends OptionalComponent<infer V>
    ? V
    : C extends DefaultComponent<infer V>
      ? V
      : C extends Schema<infer V>
        ? V
        : never;
type RequiredKeys<C> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [K in keyof C]: C[K] extends OptionalComponent<any> | DefaultComponent<any> ? never : K;
}[keyof C];

export type SequenceValue<C extends Record<string, ComponentSpec>> = Expand<
  { [K in RequiredKeys<C>]: SpecValue<C[K]> } & { [K in Exclude<keyof C, RequiredKeys<C>>]?: SpecValue<C[K]> }
> &
  Extensible;

export type ChoiceValue<A extends Record<string, AnySchema>> =
  | {
      [K in keyof A]: Expand<{ [P in K]: ValueOf<A[K]> } & { [P in Exclude<keyof A, K>]?: never }> &
        KnownAlternative;
    }[keyof A]
  | (UnknownAlternative & { [P in keyof A]?: never });

interface Compiled {
  readonly name: string;
  readonly schema: AnySchema;
  readonly presence: 'required' | 'optional' | 'default';
  readonly defaultValue: unknown;
  readonly first: ReadonlySet<number> | 'any';
}

function compile(spec: Record<string, ComponentSpec>): { comps: Compiled[]; automatic: boolean } {
  const raw = Object.entries(spec).map(([name, c]) =>
    'presence' in c
      ? {
          name,
          schema: c.schema as AnySchema,
          presence: c.presence,
          defaultValue: (c as DefaultComponent<unknown>).defaultValue,
        }
      : { name, schema: c as AnySchema, presence: 'required' as const, defaultValue: undefined },
  );
  // X.680 25.3: automatic tagging only when no root component carries a tag written in the text.
  const automatic = raw.length > 0 && !raw.some((c) => c.schema.inlineTag);
  const comps = raw.map((c, i) => {
    const schema = automatic ? tag(i, c.schema) : c.schema;
    return { ...c, schema, first: firstTags(schema) };
  });
  return { comps, automatic };
}

function isPlainObject(v: unknown): v is Record<string | symbol, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function equalsDefault(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * An unknown TLV is accepted as an extension addition only if a newer version could have put it
 * there: in an AUTOMATIC-tagged type, additions are numbered on from the root, so they are
 * context-specific with a number at least the root count (X.680 25.3, 29.3).
 */
function acceptExtension(
  ctx: DecodeCtx,
  h: Header,
  automatic: boolean,
  rootCount: number,
  owner: string,
  depth: number,
) {
  if (automatic && !(h.cls === CONTEXT && h.num >= rootCount))
    ctx.fail(
      `${describeFound(h.cls, h.constructed, h.num)} matches no component of ${owner} and cannot be an extension ` +
        `(additions to an AUTOMATIC-tagged type are [n] with n >= ${rootCount})`,
      h.start,
    );
  checkTlvTree(ctx, ctx.buf, h.start, h.end, depth, ctx.maxDepth);
  ctx.unknown++;
  return ctx.buf.slice(h.start, h.end);
}

/** Validates raw extension TLVs handed to encode or fromJson. */
function checkRawTlv(raw: unknown, ctx: PathCtx, what: string): Uint8Array {
  if (!(raw instanceof Uint8Array)) return ctx.fail(`${what} must be a Uint8Array holding one TLV`);
  const sink: FailSink = { fail: (reason, offset) => ctx.fail(`${what}: ${reason} at offset ${offset}`) };
  const h = checkTlvTree(sink, raw, 0, raw.length, 0, 64);
  if (h.end !== raw.length) ctx.fail(`${what} must be exactly one TLV`);
  return raw;
}

function headerOf(bytes: Uint8Array): Header {
  return readHeader(
    {
      fail: (r) => {
        throw new Error(r);
      },
    },
    bytes,
    0,
    bytes.length,
  );
}

// ---------------------------------------------------------------- SEQUENCE and SET

export class SequenceBase implements Base {
  readonly universal;
  readonly constructed = true;
  readonly comps: Compiled[];
  readonly automatic: boolean;
  private readonly byName: Map<string, Compiled>;
  private readonly allTags = new Set<number>();
  constructor(
    readonly kind: 'SEQUENCE' | 'SET',
    spec: Record<string, ComponentSpec>,
  ) {
    this.universal = makeTag(UNIVERSAL, kind === 'SEQUENCE' ? 16 : 17);
    ({ comps: this.comps, automatic: this.automatic } = compile(spec));
    this.byName = new Map(this.comps.map((c) => [c.name, c]));
    for (const c of this.comps) if (c.first !== 'any') for (const k of c.first) this.allTags.add(k);
    if (kind === 'SET' && this.comps.some((c) => c.first === 'any')) throw new Error('open type in a SET');
  }
  describe() {
    return this.kind;
  }

  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number, depth: number): unknown {
    return this.kind === 'SEQUENCE'
      ? this.decodeSequence(ctx as DecodeCtxInternal, s, e, at, depth)
      : this.decodeSet(ctx as DecodeCtxInternal, s, e, at, depth);
  }

  private decodeComponent(
    ctx: DecodeCtxInternal,
    c: Compiled,
    obj: Record<string | symbol, unknown>,
    p: number,
    e: number,
    depth: number,
  ) {
    ctx.path.push(c.name);
    const v = decodeAt(c.schema, ctx, p, e, depth);
    if (c.presence === 'default' && equalsDefault(v, c.defaultValue)) {
      // X.690 11.5 forbids encoding a DEFAULT value; BER senders do it and the value is clear.
      const reason = 'component equal to its DEFAULT value is encoded (not DER)';
      if (ctx.strict) ctx.fail(reason, p);
      ctx.lenient++;
      ctx.warn(`${reason}; re-encoding omits it`, p);
    }
    ctx.path.pop();
    obj[c.name] = v;
    return ctx.end;
  }

  private decodeSequence(ctx: DecodeCtxInternal, s: number, e: number, at: number, depth: number) {
    const comps = this.comps;
    const obj: Record<string | symbol, unknown> = {};
    let ext: Uint8Array[] | undefined;
    let ci = 0;
    let p = s;
    while (p < e) {
      const h = readHeader(ctx, ctx.buf, p, e);
      const key = tagKey(h.cls, h.num);
      let found = -1;
      let j = ci;
      if (ext === undefined) {
        for (; j < comps.length; j++) {
          const c = comps[j]!;
          if (c.first === 'any' || c.first.has(key)) {
            found = j;
            break;
          }
          if (c.presence === 'required') break;
        }
      }
      if (found >= 0) {
        for (let k = ci; k < found; k++)
          if (comps[k]!.presence === 'default') obj[comps[k]!.name] = comps[k]!.defaultValue;
        p = this.decodeComponent(ctx, comps[found]!, obj, p, e, depth);
        ci = found + 1;
        continue;
      }
      if (ext === undefined && j < comps.length) {
        const c = comps[j]!;
        // A mandatory untagged CHOICE owns this position: an unknown tag here is one of its
        // (possibly newer) alternatives, which the CHOICE accepts or rejects by its own rules.
        if (c.presence === 'required' && c.schema.outer.length === 0 && c.schema.base instanceof ChoiceBase) {
          p = this.decodeComponent(ctx, c, obj, p, e, depth);
          ci = j + 1;
          continue;
        }
        ctx.path.push(c.name);
        ctx.fail(
          `expected ${describeSchema(c.schema)}, got ${describeFound(h.cls, h.constructed, h.num)}`,
          h.start,
        );
      }
      if (this.allTags.has(key))
        ctx.fail(
          `${describeFound(h.cls, h.constructed, h.num)} is out of order or repeated in ${this.owner()}`,
          h.start,
        );
      (ext ??= []).push(acceptExtension(ctx, h, this.automatic, comps.length, this.owner(), depth));
      p = h.end;
    }
    for (let k = ci; k < comps.length; k++) {
      const c = comps[k]!;
      if (c.presence === 'required') ctx.fail(`missing mandatory component ${c.name}`, at);
      if (c.presence === 'default') obj[c.name] = c.defaultValue;
    }
    if (ext) obj[EXTENSIONS] = ext;
    return obj;
  }

  private decodeSet(ctx: DecodeCtxInternal, s: number, e: number, at: number, depth: number) {
    const obj: Record<string | symbol, unknown> = {};
    let ext: Uint8Array[] | undefined;
    let prev: Header | undefined;
    let p = s;
    while (p < e) {
      const h = readHeader(ctx, ctx.buf, p, e);
      // DER (X.690 10.3): SET components in canonical tag order, class first, then number.
      if (prev && (h.cls < prev.cls || (h.cls === prev.cls && h.num <= prev.num)))
        ctx.fail(`SET components are not in canonical tag order (DER 10.3)`, h.start);
      prev = h;
      const key = tagKey(h.cls, h.num);
      const c = this.comps.find((x) => x.first !== 'any' && x.first.has(key));
      if (c) p = this.decodeComponent(ctx, c, obj, p, e, depth);
      else {
        (ext ??= []).push(acceptExtension(ctx, h, this.automatic, this.comps.length, this.owner(), depth));
        p = h.end;
      }
    }
    for (const c of this.comps) {
      if (obj[c.name] !== undefined) continue;
      if (c.presence === 'required') ctx.fail(`missing mandatory component ${c.name}`, at);
      if (c.presence === 'default') obj[c.name] = c.defaultValue;
    }
    if (ext) obj[EXTENSIONS] = ext;
    return obj;
  }

  private owner() {
    return this.kind;
  }

  encodeContent(v: unknown, ctx: PathCtx): Node {
    if (!isPlainObject(v))
      return ctx.fail(`expected an object for ${this.kind}, got ${Array.isArray(v) ? 'array' : typeof v}`);
    const parts: Node[] = [];
    let seen = 0;
    for (const c of this.comps) {
      const x = v[c.name];
      if (x === undefined) {
        if (c.presence === 'required') ctx.fail(`missing mandatory component ${c.name}`);
        continue;
      }
      seen++;
      if (c.presence === 'default' && equalsDefault(x, c.defaultValue)) continue;
      ctx.path.push(c.name);
      parts.push(encodeNode(c.schema, x, ctx));
      ctx.path.pop();
    }
    const keys = Object.keys(v);
    if (keys.length !== seen)
      for (const k of keys)
        if (!this.byName.has(k) && v[k] !== undefined)
          ctx.fail(
            `unknown component "${k}" (expected ${this.comps.map((c) => c.name).join(', ') || 'none'})`,
          );
    const ext = v[EXTENSIONS];
    if (ext !== undefined) {
      if (!Array.isArray(ext)) ctx.fail('extensions must be an array of TLVs');
      for (const raw of ext) parts.push(checkRawTlv(raw, ctx, 'extension'));
    }
    if (this.kind === 'SET') {
      const flat = parts.map(flatten);
      flat.sort((a, b) => {
        const x = headerOf(a);
        const y = headerOf(b);
        return x.cls - y.cls || x.num - y.num;
      });
      return concat(flat);
    }
    return concat(parts);
  }

  toJson(v: unknown, ctx: PathCtx): Json {
    const o = v as Record<string | symbol, unknown>;
    const out: Record<string, Json> = {};
    for (const c of this.comps) {
      const x = o[c.name];
      if (x === undefined) continue;
      ctx.path.push(c.name);
      out[c.name] = c.schema.base.toJson(x, ctx);
      ctx.path.pop();
    }
    const ext = o[EXTENSIONS] as Uint8Array[] | undefined;
    if (ext?.length) out.$extensions = ext.map(hex);
    return out;
  }

  fromJson(j: unknown, ctx: PathCtx): unknown {
    if (!isPlainObject(j)) return ctx.fail(`expected a JSON object for ${this.kind}`);
    const out: Record<string | symbol, unknown> = {};
    for (const [k, x] of Object.entries(j)) {
      if (k === '$extensions') {
        if (!Array.isArray(x)) ctx.fail('$extensions must be an array of hex strings');
        out[EXTENSIONS] = x.map((h) =>
          checkRawTlv(typeof h === 'string' ? parseHex(h) : undefined, ctx, '$extensions entry'),
        );
        continue;
      }
      const c = this.byName.get(k);
      if (!c)
        ctx.fail(`unknown component "${k}" (expected ${this.comps.map((c) => c.name).join(', ') || 'none'})`);
      ctx.path.push(k);
      out[k] = c.schema.base.fromJson(x, ctx);
      ctx.path.pop();
    }
    for (const c of this.comps)
      if (c.presence === 'required' && out[c.name] === undefined)
        ctx.fail(`missing mandatory component ${c.name}`);
    return out;
  }
}

/** `SEQUENCE { ... }`: components in declaration order; OPTIONAL/DEFAULT via `optional()`/`withDefault()`. */
export function sequence<const C extends Record<string, ComponentSpec>>(
  components: C,
): Schema<SequenceValue<C>> {
  return schemaOf(new SequenceBase('SEQUENCE', components));
}

/** `SET { ... }` (DER: encoded in canonical tag order, checked on decode). */
export function set<const C extends Record<string, ComponentSpec>>(components: C): Schema<SequenceValue<C>> {
  return schemaOf(new SequenceBase('SET', components));
}

// ---------------------------------------------------------------- CHOICE

interface Alternative {
  readonly name: string;
  readonly schema: AnySchema;
}

export class ChoiceBase implements TaglessBase {
  readonly kind = 'CHOICE';
  readonly universal = null;
  readonly constructed = false;
  readonly alts: Alternative[];
  readonly automatic: boolean;
  private readonly byTag = new Map<number, Alternative>();
  private readonly byName: Map<string, Alternative>;
  constructor(spec: Record<string, AnySchema>) {
    const { comps, automatic } = compile(spec);
    this.automatic = automatic;
    this.alts = comps.map((c) => ({ name: c.name, schema: c.schema }));
    this.byName = new Map(this.alts.map((a) => [a.name, a]));
    for (const c of comps) {
      if (c.first === 'any') throw new Error(`open type as CHOICE alternative ${c.name}`);
      for (const k of c.first) {
        if (this.byTag.has(k))
          throw new Error(`CHOICE alternatives ${this.byTag.get(k)!.name} and ${c.name} share a tag`);
        this.byTag.set(k, c);
      }
    }
  }
  describe() {
    return 'CHOICE';
  }
  firstTags(): ReadonlySet<number> {
    return new Set(this.byTag.keys());
  }
  decodeContent(): never {
    throw new Error('CHOICE has no content of its own');
  }
  encodeContent(): never {
    throw new Error('CHOICE has no content of its own');
  }

  decodeTlv(ctx: DecodeCtx, h: Header, depth: number, wrapper: ReturnType<typeof makeTag> | null): unknown {
    const c = ctx as DecodeCtxInternal;
    const alt = this.byTag.get(tagKey(h.cls, h.num));
    if (alt) {
      c.path.push(alt.name);
      const v = decodeAt(alt.schema, c, h.start, h.end, depth);
      c.path.pop();
      return { [alt.name]: v };
    }
    if (wrapper && wrapper.cls === h.cls && wrapper.num === h.num)
      ctx.fail(
        `${tagText(h.cls, h.num)} directly inside ${tagText(h.cls, h.num)}: the CHOICE's own tag repeated ` +
          `(double tagging; a tag on a tagged CHOICE is IMPLICIT, X.680 31.2.7)`,
        h.start,
      );
    if (this.automatic && !(h.cls === CONTEXT && h.num >= this.alts.length))
      ctx.fail(
        `${describeFound(h.cls, h.constructed, h.num)} matches no alternative of ${this.expected()}`,
        h.start,
      );
    return { [UNKNOWN_ALTERNATIVE]: acceptExtension(ctx, h, false, 0, 'CHOICE', depth) };
  }

  private expected() {
    return `CHOICE { ${this.alts.map((a) => `${a.name} ${describeSchema(a.schema)}`).join(', ')} }`;
  }

  encodeTlv(v: unknown, ctx: PathCtx): Node {
    const [name, x] = this.pick(v, ctx);
    if (name === undefined) return checkRawTlv(x, ctx, 'unknown CHOICE alternative');
    ctx.path.push(name);
    const node = encodeNode(this.byName.get(name)!.schema, x, ctx);
    ctx.path.pop();
    return node;
  }

  private pick(v: unknown, ctx: PathCtx): [string | undefined, unknown] {
    if (!isPlainObject(v))
      return ctx.fail(
        `expected a single-key object for CHOICE, got ${Array.isArray(v) ? 'array' : typeof v}`,
      );
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    if (keys.length === 0) {
      if (v[UNKNOWN_ALTERNATIVE] !== undefined) return [undefined, v[UNKNOWN_ALTERNATIVE]];
      ctx.fail(
        `CHOICE value names no alternative (expected one of ${this.alts.map((a) => a.name).join(', ')})`,
      );
    }
    if (keys.length > 1) ctx.fail(`CHOICE value must name exactly one alternative, got ${keys.join(', ')}`);
    const k = keys[0]!;
    if (!this.byName.has(k))
      ctx.fail(`unknown alternative "${k}" (expected one of ${this.alts.map((a) => a.name).join(', ')})`);
    return [k, v[k]];
  }

  toJson(v: unknown, ctx: PathCtx): Json {
    const [name, x] = this.pick(v, ctx);
    if (name === undefined) return { $unknown: hex(x as Uint8Array) };
    ctx.path.push(name);
    const out = { [name]: this.byName.get(name)!.schema.base.toJson(x, ctx) };
    ctx.path.pop();
    return out;
  }

  fromJson(j: unknown, ctx: PathCtx): unknown {
    if (!isPlainObject(j)) return ctx.fail('expected a single-key JSON object for CHOICE');
    const keys = Object.keys(j);
    if (keys.length === 1 && keys[0] === '$unknown') {
      const raw = typeof j.$unknown === 'string' ? parseHex(j.$unknown) : undefined;
      return { [UNKNOWN_ALTERNATIVE]: checkRawTlv(raw, ctx, '$unknown') };
    }
    if (keys.length !== 1)
      ctx.fail(`CHOICE value must name exactly one alternative, got ${keys.join(', ') || 'none'}`);
    const k = keys[0]!;
    const alt = this.byName.get(k);
    if (!alt)
      return ctx.fail(
        `unknown alternative "${k}" (expected one of ${this.alts.map((a) => a.name).join(', ')})`,
      );
    ctx.path.push(k);
    const out = { [k]: alt.schema.base.fromJson(j[k], ctx) };
    ctx.path.pop();
    return out;
  }
}

/** `CHOICE { ... }`: the value is a single-key object `{ alternativeName: value }`. */
export function choice<const A extends Record<string, AnySchema>>(alternatives: A): Schema<ChoiceValue<A>> {
  return schemaOf(new ChoiceBase(alternatives));
}

// ---------------------------------------------------------------- SEQUENCE OF / SET OF

export class ListBase implements Base {
  readonly universal;
  readonly constructed = true;
  readonly bounds;
  constructor(
    readonly kind: 'SEQUENCE OF' | 'SET OF',
    readonly element: AnySchema,
    size: Size | undefined,
  ) {
    this.universal = makeTag(UNIVERSAL, kind === 'SEQUENCE OF' ? 16 : 17);
    this.bounds = sizeBounds(size);
  }
  describe() {
    return `${this.kind} ${this.element.refName ?? this.element.base.describe()}`;
  }
  decodeContent(ctx: DecodeCtx, s: number, e: number, at: number, depth: number): unknown {
    const c = ctx as DecodeCtxInternal;
    const out: unknown[] = [];
    let p = s;
    let prev: Uint8Array | undefined;
    while (p < e) {
      c.path.push(out.length);
      out.push(decodeAt(this.element, c, p, e, depth));
      if (this.kind === 'SET OF') {
        const cur = c.buf.subarray(p, c.end);
        // DER (X.690 11.6): SET OF elements sorted as octet strings.
        if (prev && compareDer(prev, cur) > 0) c.fail('SET OF elements are not in DER order (X.690 11.6)', p);
        prev = cur;
      }
      c.path.pop();
      p = c.end;
    }
    const bad = checkSize(this.bounds, out.length, 'element(s)');
    if (bad) ctx.fail(bad, at);
    return out;
  }
  encodeContent(v: unknown, ctx: PathCtx): Node {
    if (!Array.isArray(v)) return ctx.fail(`expected an array for ${this.kind}, got ${typeof v}`);
    const bad = checkSize(this.bounds, v.length, 'element(s)');
    if (bad) ctx.fail(bad);
    const parts: Node[] = v.map((x, i) => {
      ctx.path.push(i);
      const n = encodeNode(this.element, x, ctx);
      ctx.path.pop();
      return n;
    });
    if (this.kind === 'SET OF') return concat(parts.map(flatten).sort(compareDer));
    return concat(parts);
  }
  toJson(v: unknown, ctx: PathCtx): Json {
    return (v as unknown[]).map((x, i) => {
      ctx.path.push(i);
      const j = this.element.base.toJson(x, ctx);
      ctx.path.pop();
      return j;
    });
  }
  fromJson(j: unknown, ctx: PathCtx): unknown {
    if (!Array.isArray(j)) return ctx.fail(`expected a JSON array for ${this.kind}`);
    return j.map((x, i) => {
      ctx.path.push(i);
      const v = this.element.base.fromJson(x, ctx);
      ctx.path.pop();
      return v;
    });
  }
}

/** `SEQUENCE OF T`, `SEQUENCE (SIZE(..)) OF T`. */
export function sequenceOf<V>(element: Schema<V>, size?: Size): Schema<V[]> {
  return schemaOf(new ListBase('SEQUENCE OF', element, size));
}

/** `SET OF T`: DER order (sorted encodings) on encode, checked on decode. */
export function setOf<V>(element: Schema<V>, size?: Size): Schema<V[]> {
  return schemaOf(new ListBase('SET OF', element, size));
}
