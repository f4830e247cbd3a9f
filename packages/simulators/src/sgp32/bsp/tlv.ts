/**
 * The few raw BER-TLV operations BSP needs around the schema codec: the MACed header of a BSP
 * TLV, and walking the Profile Elements of an unprotected profile package.
 */

/** A TLV that cannot be read. */
export class TlvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlvError';
  }
}

/** DER length octets (definite form). */
export function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let l = length; l > 0; l >>= 8) bytes.unshift(l & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number[], value: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from(tag), derLength(value.length), value]));
}

export interface Tlv {
  /** Tag octets, e.g. [0xbf, 0x25]. */
  tag: number[];
  value: Uint8Array;
  /** Offset just after this TLV. */
  end: number;
}

/** The TLV starting at `pos` of `buf`. */
export function readTlv(buf: Uint8Array, pos = 0): Tlv {
  const at = (i: number) => {
    if (i >= buf.length) throw new TlvError(`TLV truncated at offset ${i}`);
    return buf[i]!;
  };
  const tag = [at(pos)];
  let i = pos + 1;
  if ((tag[0]! & 0x1f) === 0x1f) {
    do tag.push(at(i));
    while (at(i++) & 0x80);
  }
  let length = at(i++);
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 3) throw new TlvError(`unsupported length form at offset ${i - 1}`);
    length = 0;
    for (let k = 0; k < n; k++) length = (length << 8) | at(i++);
  }
  if (i + length > buf.length) throw new TlvError(`TLV at offset ${pos} runs past the end`);
  return { tag, value: buf.subarray(i, i + length), end: i + length };
}

/** The value of `buf`, which must be exactly one TLV. */
export function singleTlv(buf: Uint8Array): Tlv {
  const t = readTlv(buf);
  if (t.end !== buf.length) throw new TlvError('bytes after the TLV');
  return t;
}
