import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import Type from 'typebox';
import { appendAudit } from '../../audit/audit-log.js';
import { actorOf } from '../../auth/roles.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { Nullable } from '../../inventory/schemas.js';
import { PageOf, PageQuery, page } from '../pagination.js';
import { principalOf } from './auth.js';

const tags = ['webhooks'];
const Timestamp = Type.String({ format: 'date-time' });
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const EventTypes = Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]*\\.([a-z0-9_.]+|\\*)$' }), {
  maxItems: 50,
  description: 'audit actions to receive: "operation.succeeded", "operation.*", "profile.*"; none = all',
});
const Fields = {
  url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }),
  eventTypes: EventTypes,
  enabled: Type.Boolean(),
  description: Type.String({ maxLength: 500 }),
};
const Create = Type.Object(
  {
    url: Fields.url,
    /** HMAC key; generated when not given. Returned only in the answer to this request. */
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
    eventTypes: Type.Optional(Fields.eventTypes),
    enabled: Type.Optional(Fields.enabled),
    description: Type.Optional(Fields.description),
  },
  { additionalProperties: false },
);
const Change = Type.Partial(Type.Object(Fields), { additionalProperties: false, minProperties: 1 });
const Subscription = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  description: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
const Delivery = Type.Object({
  id: Type.Integer(),
  eventType: Type.String(),
  payload: Type.Record(Type.String(), Type.Unknown()),
  state: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Timestamp,
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  createdAt: Timestamp,
  deliveredAt: Nullable(Timestamp),
});

type Row = Record<string, unknown>;
const toSubscription = (r: Row) => ({
  id: r.id,
  url: r.url,
  eventTypes: r.event_types,
  enabled: r.enabled,
  description: r.description,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toDelivery = (r: Row) => ({
  id: r.id,
  eventType: r.event_type,
  payload: r.payload,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});
const columns = (b: Record<string, unknown>) => ({
  ...(b.url !== undefined ? { url: b.url } : {}),
  ...(b.eventTypes !== undefined ? { event_types: b.eventTypes } : {}),
  ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
  ...(b.description !== undefined ? { description: b.description } : {}),
});

/** Webhook subscriptions (admin) and their delivery log. */
export async function webhooksPlugin(app: FastifyInstance, { knex }: { knex: Knex }) {
  const admin = { role: 'admin' as const };
  const get = async (id: string) => {
    const row = await knex('webhook_subscriptions').where({ id }).first();
    if (!row) throw new NotFoundError(`no webhook subscription ${id}`, { id });
    return row as Row;
  };
  const audited =
    (actor: string, action: string, id: string, details?: Record<string, unknown>) =>
    (trx: Knex.Transaction) =>
      appendAudit(trx, { actor, action, entityType: 'webhook_subscription', entityId: id, details });

  app.post(
    '/webhooks',
    {
      config: admin,
      schema: {
        tags,
        body: Create,
        response: { 201: Type.Object({ ...Subscription.properties, secret: Type.String() }) },
      },
    },
    async (request, reply) => {
      const b = request.body as Record<string, unknown>;
      const secret = (b.secret as string | undefined) ?? randomBytes(32).toString('base64url');
      const actor = actorOf(principalOf(request));
      const row = await knex.transaction(async (trx) => {
        const [created] = await trx('webhook_subscriptions')
          .insert({ ...columns(b), secret, created_by: actor })
          .returning('*');
        await audited(actor, 'webhook_subscription.created', created.id, { url: created.url })(trx);
        return created as Row;
      });
      return reply.status(201).send({ ...toSubscription(row), secret });
    },
  );

  app.get(
    '/webhooks',
    {
      config: admin,
      schema: {
        tags,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: PageOf(Subscription) },
      },
    },
    async (request) => {
      const q = request.query as { limit: number; offset: number };
      const rows = await knex('webhook_subscriptions')
        .orderBy('created_at')
        .limit(q.limit + 1)
        .offset(q.offset);
      return page(rows.map(toSubscription), q);
    },
  );

  app.get(
    '/webhooks/:id',
    { config: admin, schema: { tags, params: Id, response: { 200: Subscription } } },
    async (request) => toSubscription(await get((request.params as { id: string }).id)),
  );

  app.patch(
    '/webhooks/:id',
    { config: admin, schema: { tags, params: Id, body: Change, response: { 200: Subscription } } },
    async (request) => {
      const { id } = request.params as { id: string };
      await get(id);
      const actor = actorOf(principalOf(request));
      return knex.transaction(async (trx) => {
        const [row] = await trx('webhook_subscriptions')
          .where({ id })
          .update({ ...columns(request.body as Row), updated_at: trx.fn.now() })
          .returning('*');
        await audited(actor, 'webhook_subscription.updated', id, request.body as Row)(trx);
        return toSubscription(row);
      });
    },
  );

  app.delete(
    '/webhooks/:id',
    { config: admin, schema: { tags, params: Id, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      await get(id);
      const actor = actorOf(principalOf(request));
      await knex.transaction(async (trx) => {
        await trx('webhook_subscriptions').where({ id }).del();
        await audited(actor, 'webhook_subscription.deleted', id)(trx);
      });
      return reply.status(204).send();
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: admin,
      schema: {
        tags,
        summary: 'The delivery log of a subscription, newest first',
        params: Id,
        querystring: Type.Object(
          {
            ...PageQuery,
            state: Type.Optional(
              Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(Delivery) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      await get(id);
      const q = request.query as { limit: number; offset: number; state?: string };
      const query = knex('webhook_deliveries')
        .where({ subscription_id: id })
        .orderBy('id', 'desc')
        .limit(q.limit + 1)
        .offset(q.offset);
      if (q.state) query.where('state', q.state);
      return page((await query).map(toDelivery), q);
    },
  );

  app.post(
    '/webhooks/deliveries/:deliveryId/retry',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Send a failed delivery again',
        params: Type.Object({ deliveryId: Type.Integer({ minimum: 1 }) }),
        response: { 200: Delivery },
      },
    },
    async (request) => {
      const { deliveryId } = request.params as { deliveryId: number };
      const [row] = await knex('webhook_deliveries')
        .where({ id: deliveryId, state: 'failed' })
        .update({ state: 'pending', attempts: 0, next_attempt_at: knex.fn.now() })
        .returning('*');
      if (row) return toDelivery(row);
      const exists = await knex('webhook_deliveries').where({ id: deliveryId }).first('state');
      if (!exists) throw new NotFoundError(`no delivery ${deliveryId}`, { id: deliveryId });
      throw new ConflictError(
        `delivery ${deliveryId} is ${exists.state}, not failed`,
        { state: exists.state },
        'not_failed',
      );
    },
  );
}
