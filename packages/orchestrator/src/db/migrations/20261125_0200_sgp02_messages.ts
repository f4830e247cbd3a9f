import type { Knex } from 'knex';

/**
 * The SGP.02 stack's own memory of the wire: every request we sent (so an asynchronous answer
 * finds its operation by RelatesTo, and a second step can follow the first), and the MessageID of
 * every message we received (so a notification delivered twice is applied once).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sgp02_requests', (t) => {
    t.text('message_id').primary();
    t.uuid('operation_id').references('operations.id').onDelete('SET NULL');
    // The operation's correlation id: the MessageID of its first request.
    t.text('correlation_id').notNullable();
    t.text('interface').notNullable().checkIn(['ES2', 'ES4'], 'sgp02_requests_interface_check');
    t.text('function').notNullable();
    t.text('function_call_id').notNullable();
    t.text('eid').notNullable();
    t.text('platform_id').notNullable().references('platforms.id').onDelete('RESTRICT');
    t.jsonb('params').notNullable().defaultTo('{}');
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('answered_at', { useTz: true });
    t.jsonb('answer');
    t.index(['correlation_id']);
    t.index(['eid', 'answered_at']);
  });
  await knex.schema.createTable('sgp02_received', (t) => {
    t.text('message_id').primary();
    t.text('from_entity_id');
    t.text('body').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sgp02_received');
  await knex.schema.dropTableIfExists('sgp02_requests');
}
