/**
 * ASN.1 coverage is counted (DESIGN.md section 7): every type assignment of the modules in
 * ../shared/asn1 must be implemented under its specification name, or be excluded here with a
 * reason. Parses the module text, so a type added to a module shows up as a failure.
 */
import { describe, expect, it } from 'vitest';
import { lookupType, RSPDefinitions, SGP32Definitions, SGP32v10Definitions, schema } from '../src/index.js';
import { readShared } from './support/vectors.js';

function typeAssignments(path: string): string[] {
  const text = readShared(`asn1/${path}`).toString('utf8').replace(/--.*$/gm, '');
  // `Name ::=` at the start of a line; value assignments (`id-x OBJECT IDENTIFIER ::=`) start lower-case.
  return [...text.matchAll(/^\s*([A-Z][A-Za-z0-9-]*)\s*::=/gm)].map((m) => m[1]!);
}

const RSP_EXCLUDED: Record<string, string> = {
  OPENTYPE: 'an information object CLASS, not a type; its fields are used inline by VendorSpecificExtension',
  'InitialiseSecureChannelRequest-ver': 'Osmocom helper for signature verification, not part of SGP.22',
};

describe('coverage of ../shared/asn1', () => {
  it('implements all 125 SGP.32 v1.2 types (AsnNull is a TTCN-3 helper) under the un-prefixed name', () => {
    const names = typeAssignments('SGP32Definitions.asn').filter((n) => n !== 'AsnNull');
    expect(names).toHaveLength(125);
    const ns = SGP32Definitions as Record<string, unknown>;
    const missing = names
      .map((n) => n.replace(/^SGP32-/, ''))
      .filter((n) => {
        const s = ns[n];
        return !schema.isSchema(s) || s.typeName !== n || s.module !== 'SGP32Definitions';
      });
    expect(missing).toEqual([]);
    for (const n of names)
      expect(lookupType(`SGP32Definitions.${n.replace(/^SGP32-/, '')}`)?.module).toBe('SGP32Definitions');
  });

  it('implements every RSPDefinitions type or excludes it with a reason', () => {
    const names = typeAssignments('RSPDefinitions.asn');
    expect(names.length).toBeGreaterThan(130);
    const ns = RSPDefinitions as Record<string, unknown>;
    const missing = names.filter((n) => {
      if (n in RSP_EXCLUDED) return false;
      const s = ns[n];
      return !schema.isSchema(s) || s.typeName !== n || s.module !== 'RSPDefinitions';
    });
    expect(missing).toEqual([]);
    // An exclusion must still name a type of the module, or it is stale.
    for (const n of Object.keys(RSP_EXCLUDED)) expect(names).toContain(n);
  });

  it('makes every SGP.32 v1.0.1 type decodable under SGP32v10Definitions', () => {
    const names = typeAssignments('v1.0/SGP32Definitions.asn').map((n) => n.replace(/^SGP32-/, ''));
    expect(names.length).toBeGreaterThanOrEqual(90);
    const ns = SGP32v10Definitions as Record<string, unknown>;
    expect(
      names.filter((n) => !schema.isSchema(ns[n]) || lookupType(`SGP32v10Definitions.${n}`) === undefined),
    ).toEqual([]);
  });
});
