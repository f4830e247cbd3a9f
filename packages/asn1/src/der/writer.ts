/**
 * Encoded output is built as a tree of byte chunks and flattened once at the end, so that
 * wrapping a value in a tag never copies what is already encoded.
 */
export type Node = Uint8Array | Composite;
export interface Composite {
  readonly len: number;
  readonly parts: readonly Node[];
}

export function nodeLength(n: Node): number {
  return n instanceof Uint8Array ? n.length : n.len;
}

export function lengthOctets(len: number): Uint8Array {
  if (len < 0x80) return Uint8Array.of(len);
  const bytes: number[] = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(identifier: Uint8Array, content: Node): Composite {
  const clen = nodeLength(content);
  const lo = lengthOctets(clen);
  return { len: identifier.length + lo.length + clen, parts: [identifier, lo, content] };
}

export function concat(parts: readonly Node[]): Composite {
  let len = 0;
  for (const p of parts) len += nodeLength(p);
  return { len, parts };
}

export function flatten(n: Node): Uint8Array {
  if (n instanceof Uint8Array) return n;
  const out = new Uint8Array(n.len);
  write(n, out, 0);
  return out;
}

function write(n: Node, out: Uint8Array, off: number): number {
  if (n instanceof Uint8Array) {
    out.set(n, off);
    return off + n.length;
  }
  for (const p of n.parts) off = write(p, out, off);
  return off;
}

/** X.690 11.6 order for SET OF: as octet strings, the shorter one padded with trailing zeros. */
export function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}
