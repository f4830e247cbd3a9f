import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { Database } from '../../db/database.js';
import { ping } from '../../db/database.js';
import type { Broker } from '../../broker/broker.js';

export interface HealthOptions {
  db: Database;
  broker: Broker;
}

const Check = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('failing')]),
  error: Type.Optional(Type.String()),
});
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Object({ database: Check, broker: Check }),
});

async function check(fn: () => Promise<void>) {
  try {
    await fn();
    return { status: 'ok' as const };
  } catch (e) {
    return { status: 'failing' as const, error: (e as Error).message };
  }
}

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: database and broker reachable). */
export async function healthPlugin(app: FastifyInstance, { db, broker }: HealthOptions) {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    { schema: { tags: ['health'], response: { 200: Readiness, 503: Readiness } } },
    async (_request, reply) => {
      const [database, mqtt] = await Promise.all([check(() => ping(db)), check(() => broker.ready(1000))]);
      const ready = database.status === 'ok' && mqtt.status === 'ok';
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { database, broker: mqtt } });
    },
  );
}
