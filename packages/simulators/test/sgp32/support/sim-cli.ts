/** `esimctl sim <command>` started from the sources, its output collected (slow on a loaded machine). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../../src/cli.ts', import.meta.url));

export function startSimCli(command: string, args: string[]) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const waitFor = async (pattern: RegExp) => {
    for (let i = 0; i < 300; i++) {
      const m = out.match(pattern);
      if (m) return m;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no ${pattern} in output:\n${out}`);
  };
  return { child, exited, waitFor, output: () => out };
}
