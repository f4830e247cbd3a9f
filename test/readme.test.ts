import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../packages/orchestrator/src/config/schema.js';

const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration key, with its default', () => {
    const rows = new Map([...readme.matchAll(/^\| `([A-Z0-9_]+)` \| (.*?) \|/gm)].map((m) => [m[1]!, m[2]!]));
    for (const [key, schema] of Object.entries(ConfigSchema.properties)) {
      const def = (schema as { default?: unknown }).default;
      expect(rows.get(key), key).toBe(def === undefined ? 'unset' : `\`${String(def)}\``);
    }
    expect([...rows.keys()].filter((k) => !(k in ConfigSchema.properties))).toEqual([]);
  });

  it('starts with the two set-up commands that .ci/run also runs', () => {
    const commands = [...readme.matchAll(/^```sh\n(.*)\n```$/gm)].slice(0, 2).map((m) => m[1]);
    expect(commands).toEqual([
      'npx -y pnpm@9 install --frozen-lockfile && npx -y pnpm@9 start',
      'npx -y pnpm@9 install --frozen-lockfile && npx -y pnpm@9 test',
    ]);
    expect(readFileSync(resolve(import.meta.dirname, '../.ci/run'), 'utf8')).toContain(`\n${commands[1]}\n`);
  });
});
