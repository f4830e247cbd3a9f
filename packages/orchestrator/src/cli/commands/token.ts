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
    .action((options: { role: Role; name?: string }) =>
      withTokens(async (tokens) => {
        const created = await tokens.create(
          options.role,
          options.name ?? `${options.role}-${new Date().toISOString()}`,
        );
        process.stdout.write(`${created.token}\n`);
      }),
    );
  token
    .command('list')
    .description('List API tokens (id, role, name, created, last used, revoked); never the tokens themselves')
    .action(() =>
      withTokens(async (tokens) => {
        for (const t of await tokens.list())
          process.stdout.write(
            `${t.id}  ${t.role.padEnd(8)}  ${t.name}  created ${t.created_at.toISOString()}${t.last_used_at ? `  last used ${t.last_used_at.toISOString()}` : ''}${t.revoked_at ? `  revoked ${t.revoked_at.toISOString()}` : ''}\n`,
          );
      }),
    );
  token
    .command('revoke <idOrName>')
    .description('Revoke a token by id or name: it stops working at once')
    .action((idOrName: string) =>
      withTokens(async (tokens) => {
        const n = await tokens.revoke(idOrName);
        if (n === 0) {
          process.stderr.write(`no active token ${idOrName}\n`);
          process.exitCode = 1;
        } else process.stdout.write(`revoked ${n} token(s)\n`);
      }),
    );
}

async function withTokens(fn: (tokens: ApiTokens) => Promise<void>): Promise<void> {
  const db = await openConfiguredDatabase(loadConfig());
  try {
    await migrateLatest(db.knex);
    await fn(new ApiTokens(db.knex));
  } finally {
    await db.close();
  }
}
