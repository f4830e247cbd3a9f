import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * The simulators' CLI, found by its place in the monorepo rather than imported: the product
 * must not depend on its simulated peers (DESIGN.md section 2). From the sources (tests, tsx)
 * the TypeScript entry runs with the same loader flags as this process.
 */
export function simulatorsCli(): { file: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(
    new URL(
      fromSources ? '../../../../simulators/src/cli.ts' : '../../../../simulators/dist/cli.js',
      import.meta.url,
    ),
  );
  return { file, execArgv: fromSources ? process.execArgv : [] };
}

export function register(program: Command): void {
  program
    .command('sim')
    .description(
      'Run a simulated peer (SM-SR, SM-DP, IPA devices with eUICCs, SM-DP+); "esimctl sim --help" lists them',
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(async (args: string[]) => {
      const { file, execArgv } = simulatorsCli();
      const child = spawn(process.execPath, [...execArgv, file, ...args], { stdio: 'inherit' });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
      const code = await new Promise<number>((res) =>
        child.once('exit', (c, s) => res(c ?? 128 + (s ? constants.signals[s] : 0))),
      );
      process.exitCode = code;
    });
}
