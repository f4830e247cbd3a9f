import { MAX_TAG_NUMBER } from './tags.js';

/** Whoever reads reports failures with its own path context. */
export interface FailSink {
  fail(reason: string, offset: number): never;
}

export interface Header {
  readonly cls: number;
  readonly constructed: boolean;
  readonly num: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  readonly contentStart: number;
  /** Offset just past the contents. */
  readonly end: number;
}

/**
 * Largest content length we can represent. Four length octets cover 4 GiB, which is far beyond
 * any input limit we accept; a fifth octet can only be an attack or garbage.
 */
const MAX_LENGTH_OCTETS = 4;

/**
 * Reads one identifier + length at `pos`, enforcing the DER rules on both (X.690 8.1.2, 8.1.3,
 * 10.1): low-tag form for numbers below 31, no leading 0x80 in the high-tag form, definite length
 * only, minimal length octets, and contents that fit before `limit`. Never reads past `limit`.
 */
export function readHeader(sink: FailSink, buf: Uint8Array, pos: number, limit: number): Header {
  if (pos >= limit) sink.fail('truncated: expected a TLV, found end of data', pos);
  const b0 = buf[pos]!;
  let p = pos + 1;
  let num = b0 & 0x1f;
  if (num === 0x1f) {
    num = 0;
    let first = true;
    for (;;) {
      if (p >= limit) sink.fail('truncated identifier (high tag number form)', pos);
      const b = buf[p++]!;
      if (first && b === 0x80) sink.fail('non-minimal high tag number (leading 0x80 octet)', pos);
      first = false;
      num = num * 128 + (b & 0x7f);
      if (num > MAX_TAG_NUMBER) sink.fail('tag number too large', pos);
      if ((b & 0x80) === 0) break;
    }
    if (num < 31) sink.fail(`tag number ${num} must use the single-octet identifier form`, pos);
  }
  if (p >= limit) sink.fail('truncated: missing length octets', pos);
  const l0 = buf[p++]!;
  let len: number;
  if (l0 < 0x80) {
    len = l0;
  } else if (l0 === 0x80) {
    sink.fail('indefinite length is not allowed in DER', pos);
  } else {
    const n = l0 & 0x7f;
    if (n === 0x7f) sink.fail('reserved length octet 0xFF', pos);
    if (n > MAX_LENGTH_OCTETS) sink.fail(`length uses ${n} octets; too large`, pos);
    if (p + n > limit) sink.fail('truncated length octets', pos);
    if (buf[p] === 0) sink.fail('non-minimal length encoding (leading zero octet)', pos);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
    if (len < 0x80) sink.fail(`non-minimal length encoding (long form for length ${len})`, pos);
  }
  const available = limit - p;
  if (len > available) sink.fail(`truncated: length ${len} exceeds the ${available} byte(s) available`, pos);
  return { cls: b0 >> 6, constructed: (b0 & 0x20) !== 0, num, start: pos, contentStart: p, end: p + len };
}

/**
 * Walks a TLV and everything nested in its constructed parts, checking the DER header rules at
 * every level and the depth limit. Used where we keep bytes opaque (unknown extensions, open
 * types, certificates) but must still refuse malformed or over-deep input.
 */
export function checkTlvTree(
  sink: FailSink,
  buf: Uint8Array,
  pos: number,
  limit: number,
  depth: number,
  maxDepth: number,
): Header {
  const h = readHeader(sink, buf, pos, limit);
  if (h.constructed) {
    if (depth + 1 > maxDepth) sink.fail(`nesting deeper than the limit of ${maxDepth}`, pos);
    let p = h.contentStart;
    while (p < h.end) p = checkTlvTree(sink, buf, p, h.end, depth + 1, maxDepth).end;
  }
  return h;
}
