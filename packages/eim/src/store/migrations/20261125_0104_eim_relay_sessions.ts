import type { Knex } from 'knex';

/**
 * Indirect profile download (ES9+' relayed over ESipa): the RSP session the eIM opened at an
 * SM-DP+ for an eUICC, by the SM-DP+'s transactionId, so each later step is checked against the
 * EID and state it belongs to, and CancelSession cleans it up.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('eim_relay_sessions', (t) => {
    t.text('transaction_id').primary();
    t.text('eid');
    t.text('smdp_address').notNullable();
    t.text('eim_transaction_id');
    t.text('state')
      .notNullable()
      .checkIn(
        ['initiated', 'authenticated', 'downloading', 'cancelled', 'done'],
        'eim_relay_sessions_state_check',
      );
    t.timestamps(true, true);
    t.index(['eid']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('eim_relay_sessions');
}
