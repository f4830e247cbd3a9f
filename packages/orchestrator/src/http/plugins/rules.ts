import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { actorOf } from '../../auth/roles.js';
import { EventInputSchema, type EventInput } from '../../events/event-schemas.js';
import type { EventIntake } from '../../events/event-intake.js';
import { Nullable } from '../../inventory/schemas.js';
import type { KnexRuleStore } from '../../rules/knex-rule-store.js';
import {
  checkRuleDefinition,
  RuleDefinitionSchema,
  type RuleDefinition,
} from '../../rules/rule-definition.js';
import { PageOf, PageQuery, page } from '../pagination.js';
import { principalOf } from './auth.js';

const tags = ['rules'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Timestamp = Type.String({ format: 'date-time' });
const RuleSchema = Type.Object({
  ...RuleDefinitionSchema.properties,
  id: Type.String({ format: 'uuid' }),
  description: Nullable(Type.String()),
  stack: Type.String(),
  priority: Type.Integer(),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
const RuleChangeSchema = Type.Partial(RuleDefinitionSchema, {
  additionalProperties: false,
  minProperties: 1,
});
const FreeObject = Type.Record(Type.String(), Type.Unknown());
const DryRunSchema = Type.Object(
  {
    event: Type.Object(
      {
        ...EventInputSchema.properties,
        eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      },
      {
        additionalProperties: false,
      },
    ),
    /** Draft rules to try instead of the stored ones. */
    rules: Type.Optional(Type.Array(RuleDefinitionSchema, { minItems: 1, maxItems: 50 })),
  },
  { additionalProperties: false },
);

/** Rules: CRUD with versions, enable/disable, and a dry run of an event. Changing rules needs the admin role. */
export async function rulesPlugin(
  app: FastifyInstance,
  { rules, intake }: { rules: KnexRuleStore; intake: EventIntake },
) {
  const admin = { role: 'admin' as const };

  app.post(
    '/rules',
    { config: admin, schema: { tags, body: RuleDefinitionSchema, response: { 201: RuleSchema } } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await rules.create(request.body as RuleDefinition, actorOf(principalOf(request)))),
  );

  app.get(
    '/rules',
    {
      schema: {
        tags,
        querystring: Type.Object(
          {
            ...PageQuery,
            eventType: Type.Optional(RuleDefinitionSchema.properties.eventType),
            enabled: Type.Optional(Type.Boolean()),
            stack: Type.Optional(
              Type.Union([Type.Literal('sgp02'), Type.Literal('sgp32'), Type.Literal('any')]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(RuleSchema) },
      },
    },
    async (request) => {
      const q = request.query as Parameters<KnexRuleStore['list']>[0];
      return page(await rules.list(q), q);
    },
  );

  app.get('/rules/:id', { schema: { tags, params: Id, response: { 200: RuleSchema } } }, async (request) =>
    rules.get((request.params as { id: string }).id),
  );

  app.get(
    '/rules/:id/versions',
    {
      schema: {
        tags,
        params: Id,
        response: {
          200: Type.Array(
            Type.Object({
              version: Type.Integer(),
              definition: FreeObject,
              createdBy: Nullable(Type.String()),
              createdAt: Timestamp,
            }),
          ),
        },
      },
    },
    async (request) => rules.versions((request.params as { id: string }).id),
  );

  app.patch(
    '/rules/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a rule: a new version',
        params: Id,
        body: RuleChangeSchema,
        response: { 200: RuleSchema },
      },
    },
    async (request) =>
      rules.update(
        (request.params as { id: string }).id,
        request.body as Partial<RuleDefinition>,
        actorOf(principalOf(request)),
      ),
  );

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post(
      `/rules/:id/${verb}`,
      {
        config: admin,
        schema: {
          tags,
          summary: `${verb} a rule (a new version)`,
          params: Id,
          response: { 200: RuleSchema },
        },
      },
      async (request) =>
        rules.update((request.params as { id: string }).id, { enabled }, actorOf(principalOf(request))),
    );
  }

  app.delete(
    '/rules/:id',
    { config: admin, schema: { tags, params: Id, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await rules.remove((request.params as { id: string }).id, actorOf(principalOf(request)));
      return reply.status(204).send();
    },
  );

  app.post(
    '/rules/dry-run',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        summary: 'Which operations an event would create on which device, and why; nothing is written',
        body: DryRunSchema,
        response: { 200: FreeObject },
      },
    },
    async (request) => {
      const body = request.body as { event: EventInput; rules?: RuleDefinition[] };
      for (const r of body.rules ?? []) checkRuleDefinition(r);
      const drafts = body.rules?.map((r) => ({
        id: null,
        name: r.name,
        version: null,
        eventType: r.eventType,
        stack: r.stack ?? 'any',
        priority: r.priority ?? 0,
        conditions: r.conditions,
        actions: r.actions,
      }));
      return intake.dryRun({ ...body.event, eventId: body.event.eventId ?? 'dry-run' }, drafts);
    },
  );
}
