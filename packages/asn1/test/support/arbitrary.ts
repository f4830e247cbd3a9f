/**
 * fast-check arbitraries derived from a schema, so every message type can be fuzzed without a
 * hand-written generator that could drift from the definitions. Values are generated in the
 * shape `decode` returns (DEFAULT components always present, named bits in bit order).
 */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  BitStringBase,
  BooleanBase,
  ChoiceBase,
  EnumeratedBase,
  IntegerBase,
  ListBase,
  NullBase,
  OctetStringBase,
  OidBase,
  OpenBase,
  SequenceBase,
  StringBase,
  X509Base,
} from '../../src/schema/index.js';
import type { AnySchema } from '../../src/index.js';
import { SHARED } from './vectors.js';

function ders(dir: string): Uint8Array[] {
  const d = join(SHARED, 'vectors/sgp26', dir);
  return readdirSync(d)
    .filter((f) => f.endsWith('.der'))
    .map((f) => new Uint8Array(readFileSync(join(d, f))));
}

const certificates = [
  ...ders('EUM'),
  ...ders('eUICC'),
  ...ders('CertificateIssuer'),
  ...ders('variant-o/EIM'),
];
// The SubjectPublicKeyInfo of each certificate: tbsCertificate's 7th element in these profiles is
// not needed; SGP.26 ships the eIM key as a SPKI inside tagging-examples, reuse that.
const spki = new Uint8Array(
  Buffer.from(
    '3059301306072A8648CE3D020106082A8648CE3D03010703420004BB9E897517ED7198C5F7738B887D22AFC6C68C57AD9B2D04337B5F3A0DC83FE5C83997B6B3AA427FC2E603718B7140151BA8D15E0B170275D98DD05C0FF5C287',
    'hex',
  ),
);
const openValues = ['0500', '020101', '3003020101', '0C0161', 'A1030101FF'].map(
  (h) => new Uint8Array(Buffer.from(h, 'hex')),
);

const oid = fc
  .tuple(
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 39 }),
    fc.array(fc.oneof(fc.nat({ max: 200 }), fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 80n })), {
      maxLength: 6,
    }),
  )
  .map(([a, b, rest]) => [a, b, ...rest].join('.'));

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

export function arbitraryFor(schema: AnySchema, depth = 0): fc.Arbitrary<unknown> {
  const b = schema.base;
  const listMax = depth < 3 ? 3 : depth < 6 ? 1 : 0;
  if (b instanceof BooleanBase) return fc.boolean();
  if (b instanceof NullBase) return fc.constant(null);
  if (b instanceof IntegerBase) {
    if (b.big) return fc.bigInt();
    if (b.range) return fc.integer({ min: Number(b.range[0]), max: Number(b.range[1]) });
    const any = fc.oneof(fc.integer({ min: -300, max: 300 }), fc.maxSafeInteger());
    const named = Object.values(b.named ?? {});
    return named.length ? fc.oneof(fc.constantFrom(...named), any) : any;
  }
  if (b instanceof EnumeratedBase) return fc.constantFrom(...Object.keys(b.items));
  if (b instanceof OctetStringBase) {
    const [min, max] = b.bounds ?? [0, 40];
    return fc.uint8Array({ minLength: min, maxLength: Math.min(max, min + 40) });
  }
  if (b instanceof BitStringBase) {
    if (b.named) {
      const names = Object.entries(b.named)
        .sort((x, y) => x[1] - y[1])
        .map(([n]) => n);
      return fc.subarray(names);
    }
    return fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 7 }))
      .map(([bytes, unusedBits]) => {
        bytes[bytes.length - 1]! &= (0xff << unusedBits) & 0xff;
        return { bytes, unusedBits };
      })
      .chain((v) => fc.constantFrom(v, { bytes: new Uint8Array(0), unusedBits: 0 }));
  }
  if (b instanceof OidBase) return oid;
  if (b instanceof StringBase) {
    const [min, max] = b.bounds ?? [0, 30];
    switch (b.kind) {
      case 'UTF8String':
        return fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(max, min + 30) });
      case 'UTCTime':
        return digits(12).map((d) => `${d}Z`);
      case 'GeneralizedTime':
        return digits(14).map((d) => `${d}Z`);
      default:
        return fc.string({
          unit: fc.constantFrom(...'ABCXYZ0189 '.split('')),
          minLength: min,
          maxLength: Math.min(max, 20),
        });
    }
  }
  if (b instanceof X509Base) {
    if (b.kind === 'Certificate') return fc.constantFrom(...certificates);
    if (b.kind === 'SubjectPublicKeyInfo') return fc.constant(spki);
    return fc.constant(undefined).filter(() => false); // no CertificateList sample: never generated
  }
  if (b instanceof OpenBase) return fc.constantFrom(...openValues);
  if (b instanceof SequenceBase) {
    const arbs: Record<string, fc.Arbitrary<unknown>> = {};
    const required: string[] = [];
    for (const c of b.comps) {
      arbs[c.name] = arbitraryFor(c.schema, depth + 1);
      if (c.presence !== 'optional') required.push(c.name);
    }
    return fc.record(arbs, { requiredKeys: required });
  }
  if (b instanceof ChoiceBase) {
    const alts = b.alts.filter(
      (a) => !(a.schema.base instanceof X509Base && a.schema.base.kind === 'CertificateList'),
    );
    return fc.oneof(...alts.map((a) => arbitraryFor(a.schema, depth + 1).map((v) => ({ [a.name]: v }))));
  }
  if (b instanceof ListBase) {
    const [min, max] = b.bounds ?? [0, listMax];
    return fc.array(arbitraryFor(b.element, depth + 1), {
      minLength: min,
      maxLength: Math.max(min, Math.min(max, listMax)),
    });
  }
  throw new Error(`no arbitrary for ${b.kind}`);
}
