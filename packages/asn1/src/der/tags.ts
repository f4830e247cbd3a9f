/** Tag classes as they appear in bits 8-7 of the identifier octet (X.690 8.1.2.2). */
export const UNIVERSAL = 0;
export const APPLICATION = 1;
export const CONTEXT = 2;
export const PRIVATE = 3;
export type TagClass = typeof UNIVERSAL | typeof APPLICATION | typeof CONTEXT | typeof PRIVATE;

/** Largest tag number we accept: four base-128 octets. Nothing in the GSMA modules goes past 127. */
export const MAX_TAG_NUMBER = 0x0fffffff;

/**
 * A tag with its identifier octets precomputed in both forms, so that encoding a TLV never
 * recomputes the high-tag-number form.
 */
export interface Tag {
  readonly cls: TagClass;
  readonly num: number;
  /** `num * 4 + cls`: one number per (class, number) pair, for Map/Set lookups. */
  readonly key: number;
  readonly primitiveId: Uint8Array;
  readonly constructedId: Uint8Array;
}

export function tagKey(cls: number, num: number): number {
  return num * 4 + cls;
}

export function identifierOctets(cls: number, constructed: boolean, num: number): Uint8Array {
  const first = (cls << 6) | (constructed ? 0x20 : 0);
  if (num < 31) return Uint8Array.of(first | num);
  // High-tag-number form (X.690 8.1.2.4): base 128, most significant group first, bit 8 set on
  // all but the last octet, no leading 0x80 octet.
  const groups: number[] = [];
  let n = num;
  do {
    groups.unshift(n & 0x7f);
    n = Math.floor(n / 128);
  } while (n > 0);
  const out = new Uint8Array(1 + groups.length);
  out[0] = first | 0x1f;
  groups.forEach((g, i) => (out[1 + i] = i < groups.length - 1 ? g | 0x80 : g));
  return out;
}

const cache = new Map<number, Tag>();

export function makeTag(cls: TagClass, num: number): Tag {
  if (!Number.isInteger(num) || num < 0 || num > MAX_TAG_NUMBER)
    throw new RangeError(`bad tag number ${num}`);
  const key = tagKey(cls, num);
  let t = cache.get(key);
  if (!t) {
    t = {
      cls,
      num,
      key,
      primitiveId: identifierOctets(cls, false, num),
      constructedId: identifierOctets(cls, true, num),
    };
    cache.set(key, t);
  }
  return t;
}

export const UNIVERSAL_NAMES: Readonly<Record<number, string>> = {
  1: 'BOOLEAN',
  2: 'INTEGER',
  3: 'BIT STRING',
  4: 'OCTET STRING',
  5: 'NULL',
  6: 'OBJECT IDENTIFIER',
  10: 'ENUMERATED',
  12: 'UTF8String',
  16: 'SEQUENCE',
  17: 'SET',
  18: 'NumericString',
  19: 'PrintableString',
  20: 'TeletexString',
  22: 'IA5String',
  23: 'UTCTime',
  24: 'GeneralizedTime',
  26: 'VisibleString',
  28: 'UniversalString',
  30: 'BMPString',
};

/** `[81]`, `[APPLICATION 26]`, `[PRIVATE 3]`, or the universal type name (`INTEGER`). */
export function tagText(cls: number, num: number): string {
  switch (cls) {
    case UNIVERSAL:
      return UNIVERSAL_NAMES[num] ?? `[UNIVERSAL ${num}]`;
    case APPLICATION:
      return `[APPLICATION ${num}]`;
    case CONTEXT:
      return `[${num}]`;
    default:
      return `[PRIVATE ${num}]`;
  }
}

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s.toUpperCase();
}

/** `OCTET STRING (04)`, `[1] (A1)`: how a tag that was found on the wire is reported. */
export function describeFound(cls: number, constructed: boolean, num: number): string {
  return `${tagText(cls, num)} (${hex(identifierOctets(cls, constructed, num))})`;
}
