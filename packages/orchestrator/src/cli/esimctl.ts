#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.js';
import { EmbeddedDatabaseInUseError } from '../db/embedded-postgres.js';
import * as serve from './commands/serve.js';
import * as migrate from './commands/migrate.js';
import * as asn1 from './commands/asn1.js';
import * as sim from './commands/sim.js';
import * as eim from './commands/eim.js';
import * as token from './commands/token.js';
import * as campaign from './commands/campaign.js';
import { ApiCallError } from './api-client.js';

const program = new Command('esimctl')
  .description('Dual-stack (SGP.02 + SGP.32) eSIM IoT connectivity orchestrator')
  .showHelpAfterError()
  .exitOverride();

for (const command of [serve, migrate, asn1, sim, eim, token, campaign]) command.register(program);

try {
  await program.parseAsync();
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  // Errors a user can fix get one line and exit code 2; anything else is a bug and shows its stack.
  if (e instanceof ConfigError || e instanceof EmbeddedDatabaseInUseError || e instanceof ApiCallError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
