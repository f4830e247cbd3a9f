import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import lockfile from 'proper-lockfile';

export interface EmbeddedPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/** PGlite has one user: a second process on the same DATA_DIR must be told, not crash. */
export class EmbeddedDatabaseInUseError extends Error {
  override readonly name = 'EmbeddedDatabaseInUseError';
  constructor(location: string) {
    super(`the embedded database in ${location} is in use by another process; stop it or set DATABASE_URL`);
  }
}

/**
 * PGlite (PostgreSQL compiled to WASM) in `dataDir`, served on a free loopback port.
 * A data folder belongs to one process at a time: a second one would corrupt it, so it is locked.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const inMemory = dataDir === 'memory://';
  let release: (() => Promise<void>) | undefined;
  let location = dataDir;
  if (!inMemory) {
    location = resolve(dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
    try {
      release = await lockfile.lock(location, { lockfilePath: join(dataDir, 'pglite.lock'), stale: 15_000 });
    } catch {
      throw new EmbeddedDatabaseInUseError(location);
    }
  }
  const db = await PGlite.create(location);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
      await release?.();
    },
  };
}
