/**
 * Open type (`OPENTYPE.&Type`, the ANY of VendorSpecificExtension.vendorSpecificData): any one
 * TLV, kept as its raw bytes. A tag on it is EXPLICIT (X.680 31.2.7), which the core applies.
 */
import { checkTlvTree, type FailSink, type Header } from '../der/reader.js';
import { hex } from '../der/tags.js';
import type { Node } from '../der/writer.js';
import { parseHex } from '../der/hex.js';
import { schemaOf } from './core.js';
import type { DecodeCtx, Json, PathCtx, Schema, TaglessBase } from './types.js';

export class OpenBase implements TaglessBase {
  readonly kind = 'OPEN TYPE';
  readonly universal = null;
  readonly constructed = false;
  describe() {
    return 'open type';
  }
  firstTags(): 'any' {
    return 'any';
  }
  decodeContent(): never {
    throw new Error('open type has no content of its own');
  }
  encodeContent(): never {
    throw new Error('open type has no content of its own');
  }
  decodeTlv(ctx: DecodeCtx, h: Header, depth: number) {
    checkTlvTree(ctx, ctx.buf, h.start, h.end, depth, ctx.maxDepth);
    return ctx.buf.slice(h.start, h.end);
  }
  private check(v: unknown, ctx: PathCtx): Uint8Array {
    if (!(v instanceof Uint8Array))
      return ctx.fail('expected the raw TLV (Uint8Array) of the open type value');
    const sink: FailSink = { fail: (r, o) => ctx.fail(`open type value: ${r} at offset ${o}`) };
    if (checkTlvTree(sink, v, 0, v.length, 0, 64).end !== v.length)
      ctx.fail('open type value must be exactly one TLV');
    return v;
  }
  encodeTlv(v: unknown, ctx: PathCtx): Node {
    return this.check(v, ctx);
  }
  toJson(v: unknown): Json {
    return hex(v as Uint8Array);
  }
  fromJson(j: unknown, ctx: PathCtx) {
    return this.check(typeof j === 'string' ? parseHex(j) : j, ctx);
  }
}

/** Value: the complete TLV as a Uint8Array. */
export const OPEN_TYPE: Schema<Uint8Array> = schemaOf(new OpenBase());
