import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import type { Database } from '../../src/db/database.js';
import { buildServer } from '../../src/http/server.js';
import { registerApi } from '../../src/http/api.js';
import { buildCoreServices, type CoreServices } from '../../src/modules/core-services.js';
import { loadConfig } from '../../src/config/load.js';
import type { StackAdapter } from '../../src/stacks/stack-adapter.js';
import type { Broker } from '../../src/broker/broker.js';
import type { Role } from '../../src/auth/roles.js';

export interface TestApi {
  app: FastifyInstance;
  services: CoreServices;
  tokens: Record<Role, string>;
  /** app.inject with the token of `role` (admin unless told). */
  call(options: InjectOptions & { role?: Role }): Promise<LightMyRequestResponse>;
}

/** The real HTTP stack (fastify, auth, schemas, core services) over a real database, reached with inject(). */
export async function openTestApi(
  db: Database,
  options: {
    adapters?: ReadonlyMap<string, StackAdapter>;
    env?: Record<string, string>;
    /** More plugins on the same server (the dashboard). */
    beforeReady?: (app: FastifyInstance) => unknown;
  } = {},
): Promise<TestApi> {
  // The API routes never touch the broker, and tests of them do not call /readyz.
  const app = await buildServer({
    db,
    broker: undefined as unknown as Broker,
    logger: pino({ level: 'silent' }),
  });
  const services = buildCoreServices(db.knex, loadConfig(options.env ?? {}), options.adapters ?? new Map());
  await registerApi(app, services);
  await options.beforeReady?.(app);
  await app.ready();
  const t = services.tokens;
  const tokens = {
    admin: (await t.create('admin', 'test-admin')).token,
    operator: (await t.create('operator', 'test-operator')).token,
    viewer: (await t.create('viewer', 'test-viewer')).token,
  };
  return {
    app,
    services,
    tokens,
    call: ({ role = 'admin', headers, ...rest }) =>
      app.inject({ ...rest, headers: { authorization: `Bearer ${tokens[role]}`, ...headers } }),
  };
}
