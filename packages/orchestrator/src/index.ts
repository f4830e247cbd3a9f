export { startApp, type App } from './app.js';
export { loadConfig, ConfigError } from './config/load.js';
export type { Config } from './config/schema.js';
export { openDatabase, type Database, type DatabaseKind } from './db/database.js';
export { migrateLatest, migrateRollbackAll, migrationStatus } from './db/migrate.js';
export { fromDatabaseError } from './db/errors.js';
export * from './errors.js';
export { Sgp32StackAdapter } from './sgp32/sgp32-adapter.js';
export { KnexOperationStore } from './operations/knex-operation-store.js';
