export { eimMigrations, type Migration } from './store/migrations/index.js';
export * from './store/eim-store.js';
export { KnexEimStore } from './store/knex-eim-store.js';
