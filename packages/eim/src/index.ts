export { eimMigrations, type Migration } from './store/migrations/index.js';
