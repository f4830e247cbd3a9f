import type { Knex } from 'knex';

/**
 * Every result or notification the eIM refused (forged signature, replay, unknown transaction,
 * counter mismatch): kept for the operator with the reason, never applied to the inventory.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('eim_rejected_results', (t) => {
    t.bigIncrements('id').primary();
    t.text('eid');
    t.text('eim_transaction_id');
    t.text('function').notNullable();
    t.text('reason').notNullable();
    t.text('message').notNullable();
    t.binary('body');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['eid', 'received_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('eim_rejected_results');
}
