import type { FastifyInstance, InjectOptions } from 'fastify';
import { pino } from 'pino';
import type { Database } from '../../src/db/database.js';
import { buildServer } from '../../src/http/server.js';
import { registerApi, type ApiDeps } from '../../src/http/api.js';
import { ApiTokens } from '../../src/auth/api-tokens.js';
import type { Broker } from '../../src/broker/broker.js';
import type { Role } from '../../src/auth/roles.js';

export interface TestApi {
  app: FastifyInstance;
  tokens: Record<Role, string>;
  /** app.inject with the token of `role` (admin unless told). */
  call(options: InjectOptions & { role?: Role }): ReturnType<FastifyInstance['inject']>;
}

/** The real HTTP stack (fastify, auth, schemas) over a real database, reached with inject(). */
export async function openTestApi(db: Database, extra: Partial<ApiDeps> = {}): Promise<TestApi> {
  const app = await buildServer({
    db,
    broker: undefined as unknown as Broker,
    logger: pino({ level: 'silent' }),
  });
  await registerApi(app, { knex: db.knex, ...extra } as ApiDeps);
  await app.ready();
  const t = new ApiTokens(db.knex);
  const tokens = {
    admin: (await t.create('admin', 'test-admin')).token,
    operator: (await t.create('operator', 'test-operator')).token,
    viewer: (await t.create('viewer', 'test-viewer')).token,
  };
  return {
    app,
    tokens,
    call: ({ role = 'admin', headers, ...rest }) =>
      app.inject({ ...rest, headers: { authorization: `Bearer ${tokens[role]}`, ...headers } }),
  };
}
