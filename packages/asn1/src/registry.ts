/**
 * Type lookup by name, for the CLI and for code that receives a type name as data. Plain names
 * resolve to the SGP.32 type when SGP.32 and SGP.22 both define one (`EUICCInfo2`); every type is
 * also reachable by its module-qualified name (`RSPDefinitions.EUICCInfo2`).
 */
import * as PE from './pe/index.js';
import * as PKIX from './pkix/index.js';
import * as RSP from './rsp/index.js';
import { isSchema, type AnySchema } from './schema/index.js';
import * as SGP32 from './sgp32/index.js';
import * as SGP32v10 from './sgp32v10/index.js';

export interface TypeEntry {
  /** `SGP32Definitions.EUICCInfo2` */
  readonly qualifiedName: string;
  readonly name: string;
  readonly module: string;
  readonly schema: AnySchema;
}

/** Module name as used in qualified names; v1.0.1 gets its own, its ASN.1 module name is the same. */
export const MODULES = [
  ['SGP32Definitions', SGP32],
  ['RSPDefinitions', RSP],
  ['PKIX1Explicit88', PKIX],
  ['PKIX1Implicit88', PKIX],
  ['PEDefinitions', PE],
  ['SGP32v10Definitions', SGP32v10],
] as const;

const entries: TypeEntry[] = [];
const qualified = new Map<string, TypeEntry>();
const plain = new Map<string, TypeEntry>();

for (const [module, ns] of MODULES) {
  for (const [name, value] of Object.entries(ns)) {
    if (!isSchema(value) || value.typeName !== name) continue;
    // PKIX namespace holds both PKIX modules: keep each type under its own.
    if (module.startsWith('PKIX') && value.module !== module) continue;
    const e: TypeEntry = { qualifiedName: `${module}.${name}`, name, module, schema: value };
    entries.push(e);
    qualified.set(e.qualifiedName, e);
    // First module wins: SGP.32 before SGP.22; v1.0.1 types only by qualified name.
    if (module !== 'SGP32v10Definitions' && !plain.has(name)) plain.set(name, e);
  }
}

/** Every registered type, qualified names, in module order. */
export function listTypes(): readonly TypeEntry[] {
  return entries;
}

/** Resolves a plain name, a module-qualified name, or an Osmocom `SGP32-` name. */
export function lookupType(name: string): TypeEntry | undefined {
  const n = name.trim();
  if (n.startsWith('SGP32-')) return qualified.get(`SGP32Definitions.${n.slice(6)}`);
  return qualified.get(n) ?? plain.get(n);
}

/** The plain-name resolution (what `esimctl asn1 decode <Type>` uses without a module prefix). */
export function plainNames(): ReadonlyMap<string, TypeEntry> {
  return plain;
}
