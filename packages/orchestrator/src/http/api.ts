import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { ApiTokens } from '../auth/api-tokens.js';
import { authPlugin } from './plugins/auth.js';
import { idempotencyPlugin } from './plugins/idempotency.js';
import { inventoryPlugin } from './plugins/inventory.js';
import { openApiDocumentPlugin, openApiPlugin } from './plugins/openapi.js';

export interface ApiDeps {
  knex: Knex;
}

/** The REST API under /api/v1: bearer tokens with roles, idempotent POSTs, one plugin per feature. */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(openApiPlugin);
  await app.register(
    async (api) => {
      await api.register(authPlugin, { tokens: new ApiTokens(deps.knex) });
      await api.register(idempotencyPlugin, { knex: deps.knex });
      await api.register(openApiDocumentPlugin);
      await api.register(inventoryPlugin, { knex: deps.knex });
    },
    { prefix: '/api/v1' },
  );
}
