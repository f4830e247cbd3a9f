import type { Knex } from 'knex';

/**
 * Campaigns: one operation template run over a fleet at a controlled pace. The targets are a
 * snapshot of the selector taken when the campaign is created, so its progress has a fixed
 * denominator; each target points at the operation made for it, whose state is the target's
 * outcome (not copied here).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('campaigns', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('name').notNullable().unique({ indexName: 'campaigns_name_unique' });
    t.text('description');
    t.text('state')
      .notNullable()
      .defaultTo('draft')
      .checkIn(['draft', 'running', 'paused', 'completed', 'cancelled', 'aborted'], 'campaigns_state_check');
    // { type, params (values may be fact references), priority, validitySeconds, maxAttempts }
    t.jsonb('operation').notNullable();
    t.jsonb('selector').notNullable();
    t.integer('rate_per_minute').notNullable();
    t.integer('max_in_flight').notNullable();
    // { failureRatio, minEnded }: stop dispatching when too many targets fail.
    t.jsonb('abort_policy');
    t.jsonb('end_reason');
    t.text('created_by').notNullable();
    t.timestamps(true, true);
    t.timestamp('started_at', { useTz: true });
    t.timestamp('ended_at', { useTz: true });
  });
  await knex.raw(`create index campaigns_running on campaigns (updated_at) where state = 'running'`);

  await knex.schema.createTable('campaign_targets', (t) => {
    t.uuid('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.uuid('device_id').notNullable().references('devices.id').onDelete('CASCADE');
    t.text('eid').notNullable();
    t.uuid('operation_id').references('operations.id').onDelete('SET NULL');
    t.timestamp('dispatched_at', { useTz: true });
    // Why no operation was made for this target (its parameters did not resolve, its stack cannot).
    t.jsonb('skipped');
    t.primary(['campaign_id', 'device_id']);
    t.index(['operation_id']);
  });
  await knex.raw(
    `create index campaign_targets_waiting on campaign_targets (campaign_id, eid)
       where operation_id is null and skipped is null`,
  );
  await knex.raw(
    `create index campaign_targets_recent on campaign_targets (campaign_id, dispatched_at)
       where dispatched_at is not null`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('campaign_targets');
  await knex.schema.dropTableIfExists('campaigns');
}
