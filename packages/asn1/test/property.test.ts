/**
 * Property tests: random valid values of the message types round-trip (value -> DER -> value,
 * and through JSON), and random mutations of every reference vector only ever produce a value
 * or an Asn1DecodeError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as A from '../src/index.js';
import {
  Asn1DecodeError,
  decode,
  encode,
  fromJson,
  hex,
  listTypes,
  toJson,
  type AnySchema,
} from '../src/index.js';
import { arbitraryFor } from './support/arbitrary.js';
import { bytes, readVectors } from './support/vectors.js';

function roundTrips(type: AnySchema, numRuns: number) {
  fc.assert(
    fc.property(arbitraryFor(type), (value) => {
      const der = encode(type, value as never);
      const back = decode(type, der);
      expect(back).toEqual(value);
      expect(hex(encode(type, back))).toBe(hex(der));
      const json = JSON.parse(JSON.stringify(toJson(type, back)));
      expect(hex(encode(type, fromJson(type, json)))).toBe(hex(der));
    }),
    { numRuns },
  );
}

const MAIN: Array<[string, AnySchema]> = [
  ['EuiccPackageRequest', A.EuiccPackageRequest],
  ['GetEimPackageRequest', A.GetEimPackageRequest],
  ['GetEimPackageResponse', A.GetEimPackageResponse],
  ['ProvideEimPackageResult', A.ProvideEimPackageResult],
  ['EimPackageResult', A.EimPackageResult],
  ['ProvideEimPackageResultResponse', A.ProvideEimPackageResultResponse],
  ['IpaEuiccDataRequest', A.IpaEuiccDataRequest],
  ['IpaEuiccDataResponse', A.IpaEuiccDataResponse],
  ['EuiccPackageResult', A.EuiccPackageResult],
  ['ProfileDownloadTriggerRequest', A.ProfileDownloadTriggerRequest],
  ['ProfileDownloadTriggerResult', A.ProfileDownloadTriggerResult],
  ['EimConfigurationData', A.EimConfigurationData],
  ['HandleNotificationEsipa', A.HandleNotificationEsipa],
  ['TransferEimPackageRequest', A.TransferEimPackageRequest],
  ['TransferEimPackageResponse', A.TransferEimPackageResponse],
  ['EsipaMessageFromIpaToEim', A.EsipaMessageFromIpaToEim],
  ['EsipaMessageFromEimToIpa', A.EsipaMessageFromEimToIpa],
];

describe('random valid values round-trip', () => {
  it.each(MAIN)('%s', (_name, type) => roundTrips(type, 300));

  it.each(['psmoList', 'ecoList'])('EuiccPackageRequest with a non-empty %s', (alt) => {
    const base = A.EuiccPackageRequest;
    fc.assert(
      fc.property(arbitraryFor(base), (v) => {
        const pkg = (v as A.EuiccPackageRequest).euiccPackageSigned.euiccPackage;
        fc.pre(alt in pkg && (pkg as unknown as Record<string, unknown[]>)[alt]!.length > 0);
        expect(decode(base, encode(base, v as A.EuiccPackageRequest))).toEqual(v);
      }),
      { numRuns: 100 },
    );
  });

  it.each(['euiccPackageResultSigned', 'euiccPackageErrorSigned', 'euiccPackageErrorUnsigned'])(
    'EuiccPackageResult as %s',
    (alt) => {
      const type = A.EuiccPackageResult;
      fc.assert(
        fc.property(arbitraryFor(type), (v) => {
          fc.pre(alt in (v as object));
          expect(decode(type, encode(type, v as A.EuiccPackageResult))).toEqual(v);
        }),
        { numRuns: 100 },
      );
    },
  );

  it('every registered type round-trips a few random values', () => {
    const skipped = ['CertificateList', 'LoadCRLRequest', 'SegmentedCrlList'];
    for (const t of listTypes()) {
      if (skipped.includes(t.name)) continue; // no CertificateList sample in the shared data
      roundTrips(t.schema, 15);
    }
  });
});

describe('mutated vectors never throw anything but Asn1DecodeError', () => {
  const all = ['messages.json', 'tagging-examples.json', 'messages-nonconformant.json'].flatMap((f) =>
    readVectors(f).filter((v) => v.hex),
  );
  const mutation = (len: number) =>
    fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat({ max: len - 1 }),
        bit: fc.nat({ max: 7 }),
      }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat({ max: len - 1 }) }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat({ max: len }),
        byte: fc.nat({ max: 255 }),
      }),
      fc.record({
        kind: fc.constant('set' as const),
        at: fc.nat({ max: len - 1 }),
        byte: fc.nat({ max: 255 }),
      }),
    );

  it.each(all.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const entry = A.lookupType(v.moduleType ?? `${v.module}.${v.asn1Type}`)!;
    const original = bytes(v.hex);
    fc.assert(
      fc.property(fc.array(mutation(original.length), { minLength: 1, maxLength: 3 }), (ms) => {
        let b = Buffer.from(original);
        for (const m of ms) {
          const at = Math.min(m.at, b.length - (m.kind === 'insert' ? 0 : 1));
          if (at < 0) continue;
          if (m.kind === 'flip') b[at]! ^= 1 << m.bit;
          else if (m.kind === 'truncate') b = b.subarray(0, at);
          else if (m.kind === 'set') b[at] = m.byte;
          else b = Buffer.concat([b.subarray(0, at), Buffer.from([m.byte]), b.subarray(at)]);
        }
        let value: unknown;
        try {
          value = decode(entry.schema, new Uint8Array(b));
        } catch (e) {
          expect(e).toBeInstanceOf(Asn1DecodeError);
          expect((e as Asn1DecodeError).reason).not.toMatch(/^internal/);
          return;
        }
        // Whatever decodes is a valid value: it encodes again.
        expect(() => encode(entry.schema, value as never)).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });
});
