export { startApp, type App } from './app.js';
export { loadConfig, ConfigError } from './config/load.js';
export type { Config } from './config/schema.js';
export { openDatabase, type Database, type DatabaseKind } from './db/database.js';
export { migrateLatest, migrateRollbackAll, migrationStatus } from './db/migrate.js';
export { fromDatabaseError } from './db/errors.js';
export * from './errors.js';
export type { AppModule, ModuleContext, StartedModule } from './modules/app-module.js';
export type { StackAdapter, DispatchRequest, DispatchOutcome, Support } from './stacks/stack-adapter.js';
