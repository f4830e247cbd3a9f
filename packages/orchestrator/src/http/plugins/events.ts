import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import Type from 'typebox';
import { actorOf } from '../../auth/roles.js';
import { NotFoundError } from '../../errors.js';
import type { EventIntake } from '../../events/event-intake.js';
import {
  EventInputSchema,
  EventSchema,
  EventSource,
  EventType,
  toEvent,
  type EventInput,
  type EventRow,
} from '../../events/event-schemas.js';
import { Eid } from '../../inventory/schemas.js';
import { PageOf, PageQuery, page, whereEquals } from '../pagination.js';
import { principalOf } from './auth.js';

const tags = ['events'];
const FreeObject = Type.Record(Type.String(), Type.Unknown());
const IntakeResultSchema = Type.Object({
  event: EventSchema,
  duplicate: Type.Boolean(),
  outcome: FreeObject,
});

/** Event intake over REST (the MQTT intake feeds the same EventIntake) and the event history. */
export async function eventsPlugin(
  app: FastifyInstance,
  { knex, intake }: { knex: Knex; intake: EventIntake },
) {
  app.post(
    '/events',
    {
      schema: {
        tags,
        summary:
          'Report an event; its rules run at once. A redelivery (same source + eventId) changes nothing.',
        body: EventInputSchema,
        response: { 201: IntakeResultSchema, 200: IntakeResultSchema },
      },
    },
    async (request, reply) => {
      const result = await intake.ingest(request.body as EventInput, actorOf(principalOf(request)));
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );

  app.get(
    '/events',
    {
      schema: {
        tags,
        summary: 'List events, newest first',
        querystring: Type.Object(
          {
            ...PageQuery,
            source: Type.Optional(EventSource),
            type: Type.Optional(EventType),
            deviceId: Type.Optional(Type.String({ format: 'uuid' })),
            eid: Type.Optional(Eid),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(EventSchema) },
      },
    },
    async (request) => {
      const q = request.query as { limit: number; offset: number } & Record<string, string | undefined>;
      const query = knex<EventRow>('events')
        .orderBy([{ column: 'received_at', order: 'desc' }, 'id'])
        .limit(q.limit + 1)
        .offset(q.offset);
      whereEquals(query, q, { source: 'source', type: 'type', deviceId: 'device_id', eid: 'eid' });
      return page(((await query) as EventRow[]).map(toEvent), q);
    },
  );

  app.get(
    '/events/:id',
    {
      schema: {
        tags,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: EventSchema },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const row = await knex<EventRow>('events').where({ id }).first();
      if (!row) throw new NotFoundError(`no event ${id}`, { id });
      return toEvent(row as EventRow);
    },
  );
}
