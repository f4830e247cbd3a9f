import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
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

const lockOptions = (dataDir: string) => ({ lockfilePath: join(dataDir, 'pglite.lock'), stale: 15_000 });
const owner = () => `${hostname()} ${process.pid}`;

/** Whether the lock's owner is a process of this host that no longer exists (it was killed). */
function ownerIsGone(dataDir: string): boolean {
  let recorded: string;
  try {
    recorded = readFileSync(join(dataDir, 'pglite.owner'), 'utf8');
  } catch {
    return false;
  }
  const [host, pid] = recorded.split(' ');
  if (host !== hostname() || !pid || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Takes the data folder's lock. A lock left by a killed process of this host is taken over at
 * once instead of after it turns stale (15 s), so a restart after a crash just works; an owner
 * that may be alive (or on another host sharing the folder) is left alone.
 */
async function lockDataDir(dataDir: string, location: string): Promise<() => Promise<void>> {
  const o = lockOptions(dataDir);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(location, o);
  } catch {
    if (!ownerIsGone(dataDir)) throw new EmbeddedDatabaseInUseError(location);
    // proper-lockfile only unlocks its own locks: the dead owner's lock folder is removed by hand.
    rmSync(o.lockfilePath, { recursive: true, force: true });
    try {
      release = await lockfile.lock(location, o);
    } catch {
      throw new EmbeddedDatabaseInUseError(location);
    }
  }
  writeFileSync(join(dataDir, 'pglite.owner'), owner());
  return release;
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
    release = await lockDataDir(dataDir, location);
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
