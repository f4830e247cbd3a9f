import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config/load.js';
import { openConfiguredDatabase } from '../../app.js';
import { migrateLatest } from '../../db/migrate.js';
import { ApiTokens } from '../../auth/api-tokens.js';
import { roles, type Role } from '../../auth/roles.js';

function role(value: string): Role {
  if (!(roles as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${roles.join(', ')}`);
  return value as Role;
}

export function register(program: Command): void {
  const token = program.command('token').description('API tokens (bearer tokens of the REST API)');
  token
    .command('create')
    .description(
      'Create an API token and print it (once: only its hash is stored). Uses DATABASE_URL, or the embedded database in DATA_DIR (stop `esimctl serve` first: the embedded database has one user).',
    )
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`, role)
    .option('--name <name>', 'who or what uses it (shown in the audit log as api:<name>)')
    .action(async (options: { role: Role; name?: string }) => {
      const db = await openConfiguredDatabase(loadConfig());
      try {
        await migrateLatest(db.knex);
        const created = await new ApiTokens(db.knex).create(
          options.role,
          options.name ?? `${options.role}-${new Date().toISOString()}`,
        );
        process.stdout.write(`${created.token}\n`);
      } finally {
        await db.close();
      }
    });
}
