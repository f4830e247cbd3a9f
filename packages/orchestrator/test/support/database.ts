import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type DatabaseKind } from '../../src/db/database.js';
import { migrateLatest } from '../../src/db/migrate.js';

/** The database kind this test run is for: vitest's project sets ESIM_TEST_DB (see vitest.config.ts). */
export function testDatabaseKind(): DatabaseKind {
  const kind = process.env.ESIM_TEST_DB ?? 'pglite';
  if (kind !== 'pglite' && kind !== 'postgres')
    throw new Error(`ESIM_TEST_DB must be pglite or postgres, not ${kind}`);
  return kind;
}

const adminUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh, empty database of the current kind, owned by one test file: on PostgreSQL a new
 * database created next to TEST_DATABASE_URL's and dropped on close; on PGlite an in-memory instance.
 * With `migrated`, the product's migrations have run.
 */
export async function openTestDatabase(options: { migrated?: boolean } = {}): Promise<Database> {
  let db: Database;
  if (testDatabaseKind() === 'pglite') {
    db = await openDatabase({ embedded: 'memory://' });
  } else {
    const admin = new pg.Client({ connectionString: adminUrl() });
    try {
      await admin.connect();
    } catch (e) {
      throw new Error(
        `PostgreSQL for tests is not reachable at ${adminUrl()} (${(e as Error).message}); start it, set TEST_DATABASE_URL, or run with ESIM_TEST_DATABASES=pglite`,
      );
    }
    const name = `esim_test_${randomBytes(6).toString('hex')}`;
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl());
    url.pathname = `/${name}`;
    const inner = await openDatabase({ url: url.toString() });
    db = {
      ...inner,
      async close() {
        await inner.close();
        const a = new pg.Client({ connectionString: adminUrl() });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      },
    };
  }
  if (options.migrated) await migrateLatest(db.knex);
  return db;
}
