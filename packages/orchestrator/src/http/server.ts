import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { Broker } from '../broker/broker.js';
import { errorsPlugin } from './plugins/errors.js';
import { healthPlugin } from './plugins/health.js';

export interface ServerDeps {
  db: Database;
  broker: Broker;
  logger: Logger;
}

/** The HTTP surface of the product: every feature is a plugin with its own routes and schemas. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false } },
  });
  await app.register(errorsPlugin);
  await app.register(healthPlugin, { db: deps.db, broker: deps.broker });
  return app;
}
