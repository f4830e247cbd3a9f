import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/**
 * The OpenAPI document is generated from the routes' own JSON schemas, so it cannot say
 * something the server does not check. Registered before the routes it describes.
 */
export const openApiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'eSIM IoT connectivity orchestrator',
          version: '1',
          description:
            'Dual-stack (SGP.02 + SGP.32) orchestration: inventory, events, rules, operations, webhooks. Authenticate with `Authorization: Bearer <token>` (esimctl token create --role admin|operator|viewer).',
        },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
      hideUntagged: false,
    });
    await app.register(swaggerUi, { routePrefix: '/api/v1/docs' });
  },
  { name: 'openapi' },
);

/** Serves the generated document inside the API prefix, without a token (it holds no data). */
export async function openApiDocumentPlugin(app: FastifyInstance) {
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}
