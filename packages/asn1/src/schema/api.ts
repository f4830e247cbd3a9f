/**
 * The entry points other packages use: decode / encode / toJson / fromJson, with limits and
 * typed errors. Everything that can go wrong surfaces as Asn1DecodeError or Asn1EncodeError.
 */
import { Asn1DecodeError, Asn1EncodeError, Asn1Error } from '../errors.js';
import { flatten } from '../der/writer.js';
import { decodeAt, encodeNode, type DecodeCtxInternal } from './core.js';
import type { AnySchema, Json, PathCtx, ValueOf } from './types.js';

export interface DecodeOptions {
  /** Maximum TLV nesting depth (default 64; GSMA messages with certificates stay under 25). */
  maxDepth?: number;
  /** Maximum input size in bytes (default 4 MiB; a BoundProfilePackage is typically 10-500 kB). */
  maxSize?: number;
  /**
   * Reject the deliberately lenient readings listed in docs/INTERPRETATION.md (named BIT STRINGs
   * with trailing zero bits, encoded DEFAULT values) instead of accepting them with a warning.
   */
  strict?: boolean;
  /** Called for each lenient reading taken (only when not strict). */
  onWarning?: (warning: Asn1Warning) => void;
}

export interface Asn1Warning {
  readonly path: string;
  readonly offset: number;
  readonly message: string;
}

export interface DecodeResult<V> {
  readonly value: V;
  /** Unknown extension components / alternatives / enumeration values kept (newer-version data). */
  readonly unknownExtensions: number;
  /** Lenient readings taken; when > 0, `encode` will not reproduce the input bytes. */
  readonly lenientReadings: number;
  readonly warnings: readonly Asn1Warning[];
}

export const DEFAULT_MAX_DEPTH = 64;
export const DEFAULT_MAX_SIZE = 4 * 1024 * 1024;

export function rootName(type: AnySchema): string {
  return type.typeName ?? type.refName ?? type.base.describe();
}

export function formatPath(root: string, path: ReadonlyArray<string | number>): string {
  let s = root;
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `.${p}`;
  return s;
}

/** Decodes exactly one DER TLV of `type` that spans all of `bytes`, with what was learnt on the way. */
export function decodeWithInfo<S extends AnySchema>(
  type: S,
  bytes: Uint8Array,
  options: DecodeOptions = {},
): DecodeResult<ValueOf<S>> {
  const root = rootName(type);
  if (!(bytes instanceof Uint8Array)) throw new Asn1DecodeError(root, 'input must be a Uint8Array', 0);
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  if (bytes.length > maxSize)
    throw new Asn1DecodeError(root, `input of ${bytes.length} bytes exceeds the limit of ${maxSize}`, 0);
  // A private copy: values and derOf() views must not change if the caller reuses its buffer.
  const buf = new Uint8Array(bytes);
  const warnings: Asn1Warning[] = [];
  const path: Array<string | number> = [];
  const ctx: DecodeCtxInternal = {
    buf,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    strict: options.strict ?? false,
    path,
    unknown: 0,
    lenient: 0,
    end: 0,
    fail(reason: string, offset: number): never {
      throw new Asn1DecodeError(formatPath(root, path), reason, offset);
    },
    warn(message: string, offset: number) {
      const w = { path: formatPath(root, path), offset, message };
      warnings.push(w);
      options.onWarning?.(w);
    },
  };
  let value: unknown;
  try {
    value = decodeAt(type, ctx, 0, buf.length, 0);
    if (ctx.end !== buf.length)
      ctx.fail(`${buf.length - ctx.end} trailing byte(s) after the top-level TLV`, ctx.end);
  } catch (e) {
    if (e instanceof Asn1Error) throw e;
    // Stack exhaustion or a bug: still a typed error for the caller, recognisable in tests.
    throw new Asn1DecodeError(
      formatPath(root, path),
      `internal decoder error: ${e instanceof Error ? e.message : String(e)}`,
      0,
    );
  }
  return {
    value: value as ValueOf<S>,
    unknownExtensions: ctx.unknown,
    lenientReadings: ctx.lenient,
    warnings,
  };
}

/** `decode(GetEimPackageRequest, bytes)`: the value, or an Asn1DecodeError with path and offset. */
export function decode<S extends AnySchema>(type: S, bytes: Uint8Array, options?: DecodeOptions): ValueOf<S> {
  return decodeWithInfo(type, bytes, options).value;
}

function pathCtx(type: AnySchema): PathCtx {
  const root = rootName(type);
  const path: Array<string | number> = [];
  return {
    path,
    fail(reason: string): never {
      throw new Asn1EncodeError(formatPath(root, path), reason);
    },
  };
}

function guard<T>(type: AnySchema, ctx: PathCtx, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Asn1Error) throw e;
    throw new Asn1EncodeError(
      formatPath(rootName(type), ctx.path),
      `internal encoder error: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Strict DER of `value` as `type`. The type is passed explicitly: values do not carry it. */
export function encode<S extends AnySchema>(type: S, value: ValueOf<S>): Uint8Array {
  const ctx = pathCtx(type);
  return guard(type, ctx, () => flatten(encodeNode(type, value, ctx)));
}

/**
 * JSON form of a value: OCTET STRING as hex, OIDs dotted, named bits as names, BIT STRING as
 * { bytes, unusedBits }, unknown extensions as hex (`$extensions`, `$unknown`) so it round-trips.
 */
export function toJson<S extends AnySchema>(type: S, value: ValueOf<S>): Json {
  const ctx = pathCtx(type);
  return guard(type, ctx, () => type.base.toJson(value, ctx));
}

/** The inverse of toJson; also accepts names for named INTEGER values. Throws Asn1EncodeError. */
export function fromJson<S extends AnySchema>(type: S, json: unknown): ValueOf<S> {
  const ctx = pathCtx(type);
  return guard(type, ctx, () => type.base.fromJson(json, ctx) as ValueOf<S>);
}
