import type { Knex } from 'knex';

/**
 * What the REST API needs beside the core model: API tokens (hashed), idempotency keys of POSTs,
 * webhook subscriptions and their delivery outbox.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    t.text('role').notNullable().checkIn(['admin', 'operator', 'viewer'], 'api_tokens_role_check');
    // SHA-256 of the token: the token itself is shown once, at creation, and never stored.
    t.text('token_hash').notNullable().unique({ indexName: 'api_tokens_token_hash_unique' });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    // Keys are per caller: two clients may pick the same key without seeing each other's answer.
    t.uuid('token_id').notNullable().references('api_tokens.id').onDelete('CASCADE');
    t.text('key').notNullable();
    t.text('request_hash').notNullable();
    // Null while the first request with this key is still being handled.
    t.integer('status_code');
    t.jsonb('response');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['token_id', 'key']);
  });

  await knex.schema.createTable('webhook_subscriptions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('url').notNullable();
    // The HMAC key both sides share; it signs deliveries, so we must be able to read it back.
    t.text('secret').notNullable();
    // Event types ("operation.succeeded", "operation.*", "profile.*"); empty = every type.
    t.specificType('event_types', 'text[]').notNullable().defaultTo('{}');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.text('description');
    t.text('created_by');
    t.timestamps(true, true);
  });

  // The outbox: a row is written in the transaction of the change it reports, then delivered.
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.bigIncrements('id');
    t.uuid('subscription_id').notNullable().references('webhook_subscriptions.id').onDelete('CASCADE');
    t.text('event_type').notNullable();
    t.jsonb('payload').notNullable();
    t.text('state')
      .notNullable()
      .defaultTo('pending')
      .checkIn(['pending', 'delivered', 'failed'], 'webhook_deliveries_state_check');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('lease_owner');
    t.timestamp('lease_expires_at', { useTz: true });
    t.integer('last_status');
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('delivered_at', { useTz: true });
    t.index(['subscription_id', 'created_at']);
  });
  await knex.raw(
    `create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'pending'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['webhook_deliveries', 'webhook_subscriptions', 'idempotency_keys', 'api_tokens']) {
    await knex.schema.dropTableIfExists(table);
  }
}
