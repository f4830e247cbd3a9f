import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokens, hashToken } from '../src/auth/api-tokens.js';
import type { Database } from '../src/db/database.js';
import { openDatabase } from '../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from './support/database.js';
import { startEsimctl } from './support/esimctl.js';

const kind = testDatabaseKind();

describe(`esimctl token create on ${kind}`, () => {
  let db: Database | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'esim-token-'));
  let token = '';
  const env = () => (kind === 'pglite' ? { DATA_DIR: dataDir, DATABASE_URL: '' } : { DATABASE_URL: db!.url });
  beforeAll(async () => {
    if (kind === 'postgres') db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  it('prints a token that authenticates with its role, and stores only its hash', async () => {
    const cli = startEsimctl(['token', 'create', '--role', 'viewer', '--name', 'dashboard'], env());
    expect(await cli.exited).toBe(0);
    token = cli.output().trim();
    expect(token).toMatch(/^esim_[A-Za-z0-9_-]{43}$/);
    const reader = kind === 'pglite' ? await openDatabase({ embedded: dataDir }) : db!;
    try {
      expect(await new ApiTokens(reader.knex).authenticate(token)).toMatchObject({
        name: 'dashboard',
        role: 'viewer',
      });
      expect(await new ApiTokens(reader.knex).authenticate(`${token}x`)).toBeUndefined();
      const rows = await reader.knex('api_tokens').select('token_hash');
      expect(rows).toEqual([{ token_hash: hashToken(token) }]);
      expect(JSON.stringify(rows)).not.toContain(token);
    } finally {
      if (kind === 'pglite') await reader.close();
    }
  });

  it('lists tokens without showing them, and revokes one by name', async () => {
    const list = startEsimctl(['token', 'list'], env());
    expect(await list.exited).toBe(0);
    expect(list.output()).toMatch(/^[0-9a-f-]{36} {2}viewer +dashboard {2}created \S+ {2}last used \S+$/m);
    expect(list.output()).not.toContain('esim_');
    const revoke = startEsimctl(['token', 'revoke', 'dashboard'], env());
    expect(await revoke.exited).toBe(0);
    expect(revoke.output()).toContain('revoked 1 token(s)');
    const again = startEsimctl(['token', 'revoke', 'dashboard'], env());
    expect(await again.exited).toBe(1);
    expect(again.output()).toContain('no active token dashboard');
    const reader = kind === 'pglite' ? await openDatabase({ embedded: dataDir }) : db!;
    try {
      expect(await new ApiTokens(reader.knex).authenticate(token)).toBeUndefined();
    } finally {
      if (kind === 'pglite') await reader.close();
    }
  });

  it('refuses an unknown role with a message naming the roles', async () => {
    const cli = startEsimctl(['token', 'create', '--role', 'root'], env());
    expect(await cli.exited).not.toBe(0);
    expect(cli.output()).toMatch(/must be one of viewer, operator, admin/);
  });
});
