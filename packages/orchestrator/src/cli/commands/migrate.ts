import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { openConfiguredDatabase } from '../../app.js';
import { migrateLatest, migrationStatus } from '../../db/migrate.js';

export function register(program: Command): void {
  program
    .command('migrate')
    .description(
      'Apply the database migrations that have not run yet (DATABASE_URL, or the embedded database in DATA_DIR), then exit.',
    )
    .option('--status', 'list applied and pending migrations without changing anything')
    .action(async (options: { status?: boolean }) => {
      const db = await openConfiguredDatabase(loadConfig());
      try {
        if (options.status) {
          const { applied, pending } = await migrationStatus(db.knex);
          for (const name of applied) process.stdout.write(`applied  ${name}\n`);
          for (const name of pending) process.stdout.write(`pending  ${name}\n`);
        } else {
          const ran = await migrateLatest(db.knex);
          process.stdout.write(
            ran.length ? ran.map((n) => `ran  ${n}\n`).join('') : 'database is up to date\n',
          );
        }
      } finally {
        await db.close();
      }
    });
}
