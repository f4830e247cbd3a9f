import type { Knex } from 'knex';

/**
 * The queue of what waits for a device's next GetEimPackage, per EID: signed eUICC packages,
 * IpaEuiccDataRequests and ProfileDownloadTriggerRequests, stored as the exact DER handed out so
 * a restart never re-signs (and never spends a second counter on) the same package.
 * pending -> delivered -> done | failed; pending | delivered -> expired.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('eim_packages', (t) => {
    t.bigIncrements('id').primary();
    t.text('eid').notNullable();
    t.text('eim_id').notNullable();
    t.text('kind')
      .notNullable()
      .checkIn(['euiccPackage', 'ipaEuiccData', 'profileDownloadTrigger'], 'eim_packages_kind_check');
    // Hex of the eimTransactionId: how results, the operation and the device name this package.
    t.text('eim_transaction_id').notNullable().unique({ indexName: 'eim_packages_transaction_unique' });
    t.bigInteger('counter_value');
    // DER of the GetEimPackageResponse alternative sent to the IPA.
    t.binary('body').notNullable();
    t.text('state')
      .notNullable()
      .defaultTo('pending')
      .checkIn(['pending', 'delivered', 'done', 'failed', 'expired'], 'eim_packages_state_check');
    // Who asked for it (the orchestrator's operation id), free text for the eIM.
    t.text('requested_by');
    t.timestamp('valid_until', { useTz: true });
    t.integer('deliveries').notNullable().defaultTo(0);
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('completed_at', { useTz: true });
    t.jsonb('result');
    t.timestamps(true, true);
    t.index(['eid', 'state', 'id']);
  });
  // One package in flight per eUICC: the device executes them one at a time, in order.
  await knex.raw(
    `create unique index eim_packages_one_delivered_per_eid on eim_packages (eid) where state = 'delivered'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('eim_packages');
}
