import type { Knex } from 'knex';

/**
 * What the eIM learned about an eUICC to verify its signatures: its certificate and its EUM's,
 * both checked against a trusted CI before being stored. And the sequence numbers of the
 * notifications already applied, so a replayed notification is recognised.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('eim_euicc_certificates', (t) => {
    t.text('eid').primary();
    t.binary('euicc_certificate').notNullable();
    t.binary('eum_certificate').notNullable();
    t.timestamps(true, true);
  });
  await knex.schema.createTable('eim_notifications', (t) => {
    t.text('eid').notNullable();
    t.bigInteger('seq_number').notNullable();
    t.text('operation').notNullable();
    t.text('iccid');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['eid', 'seq_number']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('eim_notifications');
  await knex.schema.dropTableIfExists('eim_euicc_certificates');
}
