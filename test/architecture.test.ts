import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md section 2: dependencies point one way, orchestrator -> eim -> asn1 and
 * simulators -> asn1. Simulators are the other side of the wire: sharing the eIM's or the
 * orchestrator's code would hide our own bugs. Checked on every source and test file.
 */
const allowed: Record<string, string[]> = {
  asn1: [],
  eim: ['asn1'],
  simulators: ['asn1'],
  orchestrator: ['eim', 'asn1'],
};

const root = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? files(path) : /\.(ts|js|mts)$/.test(name) ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  const re =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  return [...source.matchAll(re)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

describe('architecture', () => {
  for (const [pkg, deps] of Object.entries(allowed)) {
    it(`${pkg} depends only on ${deps.join(', ') || 'no other package'}`, () => {
      const dir = join(root, 'packages', pkg);
      const offending: string[] = [];
      for (const file of files(dir).filter((f) => !f.includes(`${join(dir, 'node_modules')}`))) {
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          const target = spec.startsWith('@esim/')
            ? spec.split('/')[1]!
            : spec.startsWith('.')
              ? relative(join(root, 'packages'), resolve(file, '..', spec)).split('/')[0]
              : undefined;
          if (target && target !== pkg && !target.startsWith('..') && !deps.includes(target)) {
            offending.push(`${relative(root, file)} imports ${spec}`);
          }
        }
      }
      expect(offending).toEqual([]);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
        .filter((d) => d.startsWith('@esim/'))
        .map((d) => d.slice('@esim/'.length));
      expect(declared.filter((d) => !deps.includes(d))).toEqual([]);
    });
  }

  it('catches a wrong import (the check itself can fail)', () => {
    expect(importsOf(`import { x } from '@esim/orchestrator';\nexport * from "../../eim/src/a.js";`)).toEqual(
      ['@esim/orchestrator', '../../eim/src/a.js'],
    );
  });
});
