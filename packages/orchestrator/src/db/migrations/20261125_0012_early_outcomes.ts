import type { Knex } from 'knex';

/**
 * Outcomes that a stack reports before the worker has recorded the operation as sent (a fast peer
 * answers within the milliseconds between `dispatch` returning and the worker's commit). They wait
 * here and are applied when the worker records the correlation id.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('early_outcomes', (t) => {
    t.text('stack').notNullable();
    t.text('correlation_id').notNullable();
    t.jsonb('outcome').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['stack', 'correlation_id']);
    t.index(['received_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('early_outcomes');
}
