import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedDatabaseInUseError, startEmbeddedPostgres } from '../src/db/embedded-postgres.js';

const source = resolve(import.meta.dirname, '../src/db/embedded-postgres.ts');

/** Another process that opens the embedded database in `dir` and keeps it open. */
async function holder(dir: string) {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { startEmbeddedPostgres } = await import(${JSON.stringify(source)});
       await startEmbeddedPostgres(${JSON.stringify(dir)});
       console.log('open');
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((res, rej) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('open') && res());
    child.once('exit', (code) => rej(new Error(`holder exited (${code})`)));
  });
  return child;
}

describe('the embedded database lock', () => {
  it('refuses a second process while the first one lives', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esim-lock-'));
    const child = await holder(dir);
    try {
      await expect(startEmbeddedPostgres(dir)).rejects.toBeInstanceOf(EmbeddedDatabaseInUseError);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('is taken over at once from a process that was killed', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esim-lock-'));
    const child = await holder(dir);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const db = await startEmbeddedPostgres(dir);
    await db.stop();
  });
});
