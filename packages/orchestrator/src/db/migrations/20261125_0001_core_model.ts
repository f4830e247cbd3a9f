import type { Knex } from 'knex';

/**
 * The core model (DESIGN.md sections 3 and 4): platforms, eUICCs, devices, profiles, events,
 * rules with their versions, operations with their attempts, and the audit log.
 * No column holds sensitive eSIM data (keys, profile packages): the product can be hosted anywhere.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('platforms', (t) => {
    t.text('id').primary();
    t.text('kind').notNullable().checkIn(['smsr', 'smdp', 'smdpplus', 'eim'], 'platforms_kind_check');
    t.text('name').notNullable();
    // SGP.02 EntityId (OID), SM-DP+ OID or eimId: how the platform names itself on the wire.
    t.text('entity_id');
    t.text('endpoint_url');
    // How we authenticate to it (scheme, user name, a reference to a secret held elsewhere), never a secret.
    t.jsonb('auth').notNullable().defaultTo('{}');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamps(true, true);
    t.unique(['kind', 'entity_id'], { indexName: 'platforms_kind_entity_id_unique' });
  });

  await knex.schema.createTable('euiccs', (t) => {
    t.text('eid').primary();
    t.text('stack').notNullable().checkIn(['sgp02', 'sgp32'], 'euiccs_stack_check');
    t.text('eum_id');
    t.jsonb('platform_info').notNullable().defaultTo('{}');
    t.text('smsr_id').references('platforms.id').onDelete('RESTRICT');
    t.text('eim_id').references('platforms.id').onDelete('RESTRICT');
    t.timestamp('last_audit_at', { useTz: true });
    t.jsonb('last_audit');
    t.timestamps(true, true);
    t.index(['smsr_id']);
    t.index(['eim_id']);
  });
  await knex.raw(`alter table euiccs add constraint euiccs_eid_format check (eid ~ '^[0-9]{32}$')`);

  await knex.schema.createTable('devices', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // The customer's own name for the device; unique when given.
    t.text('external_id').unique({ indexName: 'devices_external_id_unique' });
    t.text('eid').unique({ indexName: 'devices_eid_unique' }).references('euiccs.eid').onDelete('RESTRICT');
    t.text('imei');
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
    t.text('country');
    t.jsonb('attributes').notNullable().defaultTo('{}');
    t.timestamps(true, true);
    t.index(['country']);
  });
  await knex.raw(`create index devices_tags_gin on devices using gin (tags)`);

  await knex.schema.createTable('profiles', (t) => {
    t.text('iccid').primary();
    t.text('eid').references('euiccs.eid').onDelete('RESTRICT');
    t.text('operator');
    // The SM-DP (SGP.02) or SM-DP+ (SGP.32) that holds the profile package.
    t.text('platform_id').references('platforms.id').onDelete('RESTRICT');
    t.text('state')
      .notNullable()
      .defaultTo('available')
      .checkIn(['available', 'created', 'disabled', 'enabled', 'deleted'], 'profiles_state_check');
    t.boolean('fallback').notNullable().defaultTo(false);
    t.boolean('emergency').notNullable().defaultTo(false);
    t.text('isdp_aid');
    t.text('msisdn');
    t.text('imsi');
    t.text('profile_type');
    t.text('profile_class').checkIn(['test', 'provisioning', 'operational'], 'profiles_class_check');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamps(true, true);
    t.index(['eid', 'state']);
    t.index(['operator']);
  });
  // 19 or 20 digits (E.118), the last one possibly the F filler; '\\?' because knex.raw binds a bare '?'.
  await knex.raw(
    `alter table profiles add constraint profiles_iccid_format check (iccid ~ '^[0-9]{18,19}[0-9F]\\?$')`,
  );
  // An eUICC has at most one enabled profile, and at most one fallback profile.
  await knex.raw(
    `create unique index profiles_one_enabled_per_eid on profiles (eid) where state = 'enabled'`,
  );
  await knex.raw(`create unique index profiles_one_fallback_per_eid on profiles (eid) where fallback`);

  await knex.schema.createTable('events', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('source').notNullable();
    // The sender's id: at-least-once delivery is made exactly-once by (source, event_id).
    t.text('event_id').notNullable();
    t.text('type').notNullable();
    t.uuid('device_id').references('devices.id').onDelete('SET NULL');
    t.text('eid');
    t.jsonb('payload').notNullable().defaultTo('{}');
    t.timestamp('occurred_at', { useTz: true });
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('processed_at', { useTz: true });
    t.jsonb('outcome');
    t.unique(['source', 'event_id'], { indexName: 'events_source_event_id_unique' });
    t.index(['device_id', 'received_at']);
    t.index(['eid', 'received_at']);
    t.index(['type', 'received_at']);
  });
  await knex.raw(`create index events_unprocessed on events (received_at) where processed_at is null`);

  await knex.schema.createTable('rules', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('name').notNullable().unique({ indexName: 'rules_name_unique' });
    t.text('description');
    t.text('event_type').notNullable();
    t.text('stack').notNullable().defaultTo('any').checkIn(['sgp02', 'sgp32', 'any'], 'rules_stack_check');
    t.integer('priority').notNullable().defaultTo(0);
    t.boolean('enabled').notNullable().defaultTo(true);
    t.integer('version').notNullable().defaultTo(1);
    // json-rules-engine conditions, and the operation(s) the rule asks for when they hold.
    t.jsonb('conditions').notNullable();
    t.jsonb('actions').notNullable();
    t.text('created_by');
    t.timestamps(true, true);
    t.index(['event_type', 'enabled', 'priority']);
  });

  await knex.schema.createTable('rule_versions', (t) => {
    t.uuid('rule_id').notNullable().references('rules.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.jsonb('definition').notNullable();
    t.text('created_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['rule_id', 'version']);
  });

  await knex.schema.createTable('operations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('eid').notNullable().references('euiccs.eid').onDelete('RESTRICT');
    t.uuid('device_id').references('devices.id').onDelete('SET NULL');
    t.text('stack').notNullable().checkIn(['sgp02', 'sgp32'], 'operations_stack_check');
    t.text('type').notNullable();
    t.jsonb('params').notNullable().defaultTo('{}');
    t.text('state')
      .notNullable()
      .defaultTo('pending')
      .checkIn(['pending', 'sent', 'succeeded', 'failed', 'expired', 'cancelled'], 'operations_state_check');
    t.integer('priority').notNullable().defaultTo(0);
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable().defaultTo(5);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('valid_until', { useTz: true });
    // A worker's lease while it hands the operation to its stack; expired leases are taken over.
    t.text('lease_owner');
    t.timestamp('lease_expires_at', { useTz: true });
    // What the stack answers with: SGP.02 FunctionCallIdentifier, SGP.32 eimTransactionId.
    t.text('correlation_id');
    t.jsonb('result');
    t.jsonb('error');
    t.uuid('rule_id').references('rules.id').onDelete('SET NULL');
    t.integer('rule_version');
    t.uuid('event_id').references('events.id').onDelete('SET NULL');
    t.text('requested_by').notNullable();
    t.text('idempotency_key').unique({ indexName: 'operations_idempotency_key_unique' });
    t.timestamps(true, true);
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.index(['eid', 'created_at']);
    t.index(['correlation_id']);
    t.index(['state', 'updated_at']);
  });
  // At most one operation in flight per eUICC, guaranteed by the database, not by goodwill.
  await knex.raw(
    `create unique index operations_one_in_flight_per_eid on operations (eid) where state = 'sent'`,
  );
  await knex.raw(
    `create index operations_due on operations (next_attempt_at, priority) where state = 'pending'`,
  );

  await knex.schema.createTable('operation_attempts', (t) => {
    t.bigIncrements('id');
    t.uuid('operation_id').notNullable().references('operations.id').onDelete('CASCADE');
    t.integer('attempt').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.text('outcome');
    t.jsonb('detail');
    t.unique(['operation_id', 'attempt'], { indexName: 'operation_attempts_operation_attempt_unique' });
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Who: "api:<token name>", "rule:<rule id>", "platform:<platform id>", "system".
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('entity_type').notNullable();
    t.text('entity_id').notNullable();
    t.text('from_state');
    t.text('to_state');
    // Why: rule id + event id, API request, notification, message.
    t.jsonb('reason').notNullable().defaultTo('{}');
    t.jsonb('details');
    t.index(['entity_type', 'entity_id', 'at']);
    t.index(['at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'audit_log',
    'operation_attempts',
    'operations',
    'rule_versions',
    'rules',
    'events',
    'profiles',
    'devices',
    'euiccs',
    'platforms',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
