import type { Knex } from 'knex';

/**
 * eIM state per eUICC: which of our eimIds is associated with the eUICC, and the last
 * counterValue used in an EuiccPackageSigned to it. The counter is allocated by an atomic
 * UPDATE ... RETURNING, so it stays strictly increasing across crashes and instances.
 * Keyed by EID without a foreign key: the eIM does not depend on the orchestrator's tables.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('eim_associations', (t) => {
    t.text('eim_id').notNullable();
    t.text('eid').notNullable();
    t.bigInteger('counter_value').notNullable().defaultTo(0);
    t.integer('association_token');
    t.timestamp('associated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_seen_at', { useTz: true });
    t.timestamps(true, true);
    t.primary(['eim_id', 'eid']);
    t.index(['eid']);
  });
  await knex.raw(
    `alter table eim_associations add constraint eim_associations_counter_nonnegative check (counter_value >= 0)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('eim_associations');
}
