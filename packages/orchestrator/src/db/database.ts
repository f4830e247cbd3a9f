import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

// int8 (bigint) columns hold counters and ids that stay far below 2^53: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type DatabaseKind = 'postgres' | 'pglite';

/** A knex handle on PostgreSQL, whichever server is behind it. */
export interface Database {
  readonly knex: Knex;
  readonly kind: DatabaseKind;
  /** A URL another process can use to reach the same database (psql, a second instance in tests). */
  readonly url: string;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { url: string }
  /** The embedded default: PGlite in `dataDir` ('memory://' keeps it in memory). */
  | { embedded: string };

/**
 * Both kinds go through the same driver (`pg`): the embedded PGlite is served over the
 * PostgreSQL wire protocol by pglite-socket, so no code path exists for one database only.
 */
export async function openDatabase(target: DatabaseTarget, poolMax = 10): Promise<Database> {
  if ('url' in target) {
    const knex = knexFactory({ client: 'pg', connection: target.url, pool: { min: 0, max: poolMax } });
    return { knex, kind: 'postgres', url: target.url, close: () => knex.destroy() };
  }
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres(target.embedded);
  // PGlite is one session: more than one pooled connection would interleave transactions.
  const knex = knexFactory({ client: 'pg', connection: embedded.url, pool: { min: 0, max: 1 } });
  return {
    knex,
    kind: 'pglite',
    url: embedded.url,
    close: async () => {
      await knex.destroy();
      await embedded.stop();
    },
  };
}

/** Round trip to the database, for readiness. */
export async function ping(db: Database): Promise<void> {
  await db.knex.raw('select 1');
}
