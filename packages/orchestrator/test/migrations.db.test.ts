import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { migrateLatest, migrateRollbackAll, migrationStatus } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { openTestDatabase, testDatabaseKind } from './support/database.js';

const tables = [
  'platforms',
  'euiccs',
  'devices',
  'profiles',
  'events',
  'rules',
  'rule_versions',
  'operations',
  'operation_attempts',
  'audit_log',
  'eim_associations',
  'eim_packages',
  'eim_rejected_results',
  'eim_euicc_certificates',
  'eim_notifications',
  'eim_relay_sessions',
  'sgp02_requests',
  'sgp02_received',
  'api_tokens',
  'idempotency_keys',
  'webhook_subscriptions',
  'webhook_deliveries',
  'early_outcomes',
  'campaigns',
  'campaign_targets',
];

async function existingTables(db: Database): Promise<string[]> {
  const { rows } = await db.knex.raw<{ rows: { table_name: string }[] }>(
    `select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'knex_%'`,
  );
  return rows.map((r) => r.table_name).sort();
}

describe(`migrations on ${testDatabaseKind()}`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  it('run up, down and up again, leaving the same schema', async () => {
    expect(await existingTables(db)).toEqual([]);
    expect(await migrateLatest(db.knex)).toEqual(migrations.map((m) => m.name));
    const first = await existingTables(db);
    expect(first).toEqual([...tables].sort());

    expect((await migrateRollbackAll(db.knex)).sort()).toEqual(migrations.map((m) => m.name).sort());
    expect(await existingTables(db)).toEqual([]);

    await migrateLatest(db.knex);
    expect(await existingTables(db)).toEqual(first);
  });

  it('is idempotent: a second run applies nothing and reports nothing pending', async () => {
    expect(await migrateLatest(db.knex)).toEqual([]);
    const status = await migrationStatus(db.knex);
    expect(status.pending).toEqual([]);
    expect(status.applied).toEqual(migrations.map((m) => m.name));
  });
});
