import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import { ConflictError, ValidationError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | undefined;
  }
  interface FastifyContextConfig {
    /** False for routes whose body is a stream (bulk import): they are idempotent by themselves. */
    idempotency?: boolean;
  }
}

export interface IdempotencyOptions {
  knex: Knex;
  ttlHours: number;
}

interface KeyRow {
  request_hash: string;
  status_code: number | null;
  response: unknown;
}

/**
 * `Idempotency-Key` on POST: the first request with a key is handled and its answer stored; a
 * retry with the same key and the same request gets the stored answer (header
 * `Idempotent-Replayed: true`), the same key with another request is refused with 409, and so is
 * a retry that arrives while the first is still being handled. Keys live `ttlHours`. Answers of 5xx are not stored, so
 * a retry after a server fault runs again.
 */
export const idempotencyPlugin = fp(
  async (app: FastifyInstance, { knex, ttlHours }: IdempotencyOptions) => {
    app.decorateRequest('idempotencyKey', undefined);
    app.addHook('preHandler', async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (request.method !== 'POST' || key === undefined || request.routeOptions.config.idempotency === false)
        return;
      if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key))
        throw new ValidationError('Idempotency-Key must be 1 to 255 visible ASCII characters');
      const tokenId = request.principal!.tokenId;
      const hash = createHash('sha256')
        .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
        .digest('hex');
      // A key past its time is forgotten (and the table kept small): purge expired keys of this caller.
      await knex('idempotency_keys')
        .where({ token_id: tokenId })
        .where('created_at', '<', knex.raw(`now() - make_interval(hours => ?)`, [ttlHours]))
        .del();
      const inserted = await knex('idempotency_keys')
        .insert({ token_id: tokenId, key, request_hash: hash })
        .onConflict(['token_id', 'key'])
        .ignore()
        .returning('key');
      if (inserted.length > 0) {
        request.idempotencyKey = key;
        return;
      }
      const row = await knex('idempotency_keys')
        .where({ token_id: tokenId, key })
        .first<KeyRow | undefined>('request_hash', 'status_code', 'response');
      if (!row || row.request_hash !== hash)
        throw new ConflictError(
          'this Idempotency-Key was used with another request',
          { key },
          'idempotency_key_reused',
        );
      if (row.status_code === null)
        throw new ConflictError(
          'a request with this Idempotency-Key is still being handled; retry later',
          { key },
          'idempotency_in_progress',
        );
      return reply.status(row.status_code).header('idempotent-replayed', 'true').send(row.response);
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const key = request.idempotencyKey;
      if (key === undefined) return payload;
      request.idempotencyKey = undefined;
      const where = { token_id: request.principal!.tokenId, key };
      if (reply.statusCode >= 500 || typeof payload !== 'string')
        await knex('idempotency_keys').where(where).del();
      else
        await knex('idempotency_keys')
          .where(where)
          .update({ status_code: reply.statusCode, response: payload === '' ? null : payload });
      return payload;
    });
  },
  { name: 'idempotency' },
);
