import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Principal, Role } from './roles.js';

const prefix = 'esim_';

/**
 * SHA-256, not a slow password hash: the token is 32 random bytes (256 bits), so no dictionary
 * or brute force applies, and a fast hash lets every request be checked with one indexed lookup.
 * The database alone never lets anyone call the API: it holds only the hashes.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface CreatedToken {
  id: string;
  name: string;
  role: Role;
  /** Shown once; only its hash is stored. */
  token: string;
}

/** API tokens: created by an admin (or `esimctl token create`), looked up by hash on every request. */
export class ApiTokens {
  constructor(private readonly knex: Knex) {}

  async create(role: Role, name: string): Promise<CreatedToken> {
    const token = prefix + randomBytes(32).toString('base64url');
    const [row] = await this.knex('api_tokens')
      .insert({ name, role, token_hash: hashToken(token) })
      .returning<{ id: string }[]>('id');
    return { id: row!.id, name, role, token };
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(prefix)) return undefined;
    const row = await this.knex('api_tokens')
      .where({ token_hash: hashToken(token) })
      .whereNull('revoked_at')
      .first<{ id: string; name: string; role: Role } | undefined>('id', 'name', 'role');
    if (!row) return undefined;
    // At most one write a minute per token, so that reads stay reads.
    await this.knex('api_tokens')
      .where({ id: row.id })
      .where((q) =>
        q
          .whereNull('last_used_at')
          .orWhere('last_used_at', '<', this.knex.raw(`now() - interval '1 minute'`)),
      )
      .update({ last_used_at: this.knex.fn.now() });
    return { tokenId: row.id, name: row.name, role: row.role };
  }

  list(): Promise<
    {
      id: string;
      name: string;
      role: Role;
      created_at: Date;
      last_used_at: Date | null;
      revoked_at: Date | null;
    }[]
  > {
    return this.knex('api_tokens')
      .orderBy('created_at')
      .select('id', 'name', 'role', 'created_at', 'last_used_at', 'revoked_at');
  }

  /** Revokes by id or name; resolves with how many tokens it revoked. */
  async revoke(idOrName: string): Promise<number> {
    const q = this.knex('api_tokens').whereNull('revoked_at');
    if (/^[0-9a-f-]{36}$/i.test(idOrName)) q.where('id', idOrName);
    else q.where('name', idOrName);
    return q.update({ revoked_at: this.knex.fn.now() });
  }
}
