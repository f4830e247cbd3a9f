#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { simCommands } from './commands.js';

/**
 * `esimctl sim ...`: the simulated peers, each runnable on its own. The orchestrator's CLI
 * starts this file in a child process, so the simulators never share memory with the product.
 */
const program = new Command('esimctl sim')
  .description('Simulated peers of the orchestrator: SM-SR, SM-DP, IPA devices with eUICCs, SM-DP+')
  .showHelpAfterError()
  .exitOverride();

for (const command of simCommands) command.register(program);

try {
  await program.parseAsync();
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  throw e;
}
