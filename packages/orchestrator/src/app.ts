import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Config } from './config/schema.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateLatest } from './db/migrate.js';
import { openBroker, type Broker } from './broker/broker.js';
import { buildServer } from './http/server.js';

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly broker: Broker;
  readonly server: FastifyInstance;
  /** What the running product serves, for people and for tests. */
  readonly urls: { api: string; mqtt: string; database: string };
  close(): Promise<void>;
}

export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { embedded: config.DATA_DIR });
}

/** Starts the product: database (migrated), broker, HTTP server. Stops what it started if a step fails. */
export async function startApp(
  config: Config,
  logger: Logger = pino({ level: config.LOG_LEVEL }),
): Promise<App> {
  const opened: { close(): Promise<void> }[] = [];
  try {
    const db = await openConfiguredDatabase(config);
    opened.push(db);
    const ran = await migrateLatest(db.knex);
    if (ran.length) logger.info({ migrations: ran }, 'database migrated');
    const broker = await openBroker(
      config.MQTT_URL
        ? { url: config.MQTT_URL }
        : { embedded: { host: config.HOST, port: config.EMBEDDED_MQTT_PORT } },
    );
    opened.push(broker);
    const server = await buildServer({ db, broker, logger });
    opened.push(server);
    const api = await server.listen({ host: config.HOST, port: config.PORT });
    const urls = {
      api,
      mqtt: broker.url,
      database: db.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR} (${db.url})` : redact(db.url),
    };
    return {
      config,
      logger,
      db,
      broker,
      server,
      urls,
      close: () => closeAll(opened),
    };
  } catch (e) {
    await closeAll(opened);
    throw e;
  }
}

async function closeAll(opened: { close(): Promise<void> }[]): Promise<void> {
  for (const o of opened.reverse()) await o.close();
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
