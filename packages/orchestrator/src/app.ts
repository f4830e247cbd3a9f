import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Config } from './config/schema.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateLatest } from './db/migrate.js';
import { openBroker, type Broker } from './broker/broker.js';
import { buildServer } from './http/server.js';
import { KnexOperationStore } from './operations/knex-operation-store.js';
import { StoreOperationOutcomes } from './operations/outcomes.js';
import { KnexInventoryObservations } from './inventory/knex-observations.js';
import { appModules } from './modules/index.js';
import type { AppModule, StartedModule } from './modules/app-module.js';
import type { StackAdapter } from './stacks/stack-adapter.js';

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly broker: Broker;
  readonly server: FastifyInstance;
  /** The stack adapters the started modules provided, by stack. */
  readonly adapters: ReadonlyMap<string, StackAdapter>;
  /** What the running product serves, for people and for tests. */
  readonly urls: { api: string; mqtt: string; database: string } & Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { embedded: config.DATA_DIR });
}

/**
 * Starts the product: database (migrated), broker, its modules, HTTP server. Stops what it
 * started, in reverse order, if a step fails.
 */
export async function startApp(
  config: Config,
  logger: Logger = pino({ level: config.LOG_LEVEL }),
  modules: readonly AppModule[] = appModules,
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
    const operations = new KnexOperationStore(db.knex);
    const outcomes = new StoreOperationOutcomes(operations);
    const observations = new KnexInventoryObservations(db.knex);
    const adapters = new Map<string, StackAdapter>();
    const started: StartedModule[] = [];
    for (const m of modules) {
      const s = await m.start({
        config,
        logger: logger.child({ module: m.name }),
        db,
        broker,
        server,
        operations,
        outcomes,
        observations,
        adapters,
      });
      started.push(s);
      if (s.close) opened.push({ close: s.close });
      // The first module to provide a stack serves it: EXTRA_MODULES start first, so that they can
      // replace a built-in stack (a third-party SM-SR gateway, a test peer outside the process).
      if (s.adapter && !adapters.has(s.adapter.stack)) adapters.set(s.adapter.stack, s.adapter);
    }
    const api = await server.listen({ host: config.HOST, port: config.PORT });
    for (const s of started) await s.listening?.(api);
    const urls = {
      ...Object.assign({}, ...started.map((s) => s.urls ?? {})),
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
      adapters,
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
