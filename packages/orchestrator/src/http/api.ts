import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { CoreServices } from '../modules/core-services.js';
import { auditPlugin } from './plugins/audit.js';
import { campaignsPlugin } from './plugins/campaigns.js';
import { authPlugin } from './plugins/auth.js';
import { eventsPlugin } from './plugins/events.js';
import { idempotencyPlugin } from './plugins/idempotency.js';
import { importPlugin } from './plugins/import.js';
import { inventoryPlugin } from './plugins/inventory.js';
import { openApiDocumentPlugin, openApiPlugin } from './plugins/openapi.js';
import { operationsPlugin } from './plugins/operations.js';
import { rulesPlugin } from './plugins/rules.js';
import { summaryPlugin } from './plugins/summary.js';
import { webhooksPlugin } from './plugins/webhooks.js';

const ErrorSchema = Type.Object(
  {
    error: Type.String({ description: 'stable machine-readable code' }),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { description: 'every error: 400 schema, 401, 403, 404, 409, 422, 500' },
);

/** The REST API under /api/v1: bearer tokens with roles, idempotent POSTs, one plugin per feature. */
export async function registerApi(app: FastifyInstance, deps: CoreServices): Promise<void> {
  await app.register(openApiPlugin);
  await app.register(
    async (api) => {
      // Every route documents the one error shape it can answer with.
      api.addHook('onRoute', (route) => {
        if (!route.schema || route.schema.hide) return;
        route.schema.response = {
          ...(route.schema.response as object),
          '4xx': ErrorSchema,
          '5xx': ErrorSchema,
        };
      });
      await api.register(authPlugin, { tokens: deps.tokens });
      await api.register(idempotencyPlugin, {
        knex: deps.knex,
        ttlHours: deps.config.IDEMPOTENCY_KEY_TTL_HOURS,
      });
      await api.register(openApiDocumentPlugin);
      await api.register(inventoryPlugin, { knex: deps.knex });
      await api.register(importPlugin, { knex: deps.knex });
      await api.register(operationsPlugin, {
        knex: deps.knex,
        service: deps.operations,
        store: deps.operationStore,
      });
      await api.register(eventsPlugin, { knex: deps.knex, intake: deps.intake });
      await api.register(rulesPlugin, { rules: deps.rules, intake: deps.intake });
      await api.register(campaignsPlugin, { campaigns: deps.campaigns });
      await api.register(webhooksPlugin, { knex: deps.knex });
      await api.register(auditPlugin, { knex: deps.knex });
      await api.register(summaryPlugin, { knex: deps.knex });
    },
    { prefix: '/api/v1' },
  );
}
