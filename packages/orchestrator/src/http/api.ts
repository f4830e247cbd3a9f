import type { FastifyInstance } from 'fastify';
import type { CoreServices } from '../modules/core-services.js';
import { authPlugin } from './plugins/auth.js';
import { idempotencyPlugin } from './plugins/idempotency.js';
import { inventoryPlugin } from './plugins/inventory.js';
import { openApiDocumentPlugin, openApiPlugin } from './plugins/openapi.js';
import { operationsPlugin } from './plugins/operations.js';

export type ApiDeps = CoreServices;

/** The REST API under /api/v1: bearer tokens with roles, idempotent POSTs, one plugin per feature. */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(openApiPlugin);
  await app.register(
    async (api) => {
      await api.register(authPlugin, { tokens: deps.tokens });
      await api.register(idempotencyPlugin, { knex: deps.knex });
      await api.register(openApiDocumentPlugin);
      await api.register(inventoryPlugin, { knex: deps.knex });
      await api.register(operationsPlugin, {
        knex: deps.knex,
        service: deps.operations,
        store: deps.operationStore,
      });
    },
    { prefix: '/api/v1' },
  );
}
