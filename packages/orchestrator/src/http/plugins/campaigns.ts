import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { actorOf } from '../../auth/roles.js';
import {
  CampaignDefinitionSchema,
  CampaignSchema,
  CampaignStateSchema,
  CampaignTargetSchema,
  TargetStateSchema,
  type CampaignDefinition,
  type CampaignState,
} from '../../campaigns/campaign.js';
import type { CampaignMove, CampaignService } from '../../campaigns/campaign-service.js';
import { PageOf, PageQuery, page } from '../pagination.js';
import { principalOf } from './auth.js';

const tags = ['campaigns'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const FreeObject = Type.Record(Type.String(), Type.Unknown());

const DryRunSchema = Type.Object({
  targets: Type.Integer(),
  byStack: Type.Record(Type.String(), Type.Integer()),
  sample: Type.Array(
    Type.Object({
      deviceId: Type.String(),
      eid: Type.String(),
      stack: Type.String(),
      operation: Type.Optional(Type.Object({ type: Type.String(), params: FreeObject })),
      skipped: Type.Optional(FreeObject),
    }),
  ),
});

const moveSummaries: Record<CampaignMove, string> = {
  start: 'Start a draft campaign',
  pause: 'Pause a running campaign: no new operations; those made run on',
  resume: 'Resume a paused campaign',
  cancel: 'Cancel a campaign: no new operations, its pending ones cancelled, sent ones run on',
};

/** Campaigns: one operation over a fleet selection at a controlled pace, with progress and abort. */
export async function campaignsPlugin(app: FastifyInstance, { campaigns }: { campaigns: CampaignService }) {
  app.post(
    '/campaigns',
    {
      schema: {
        tags,
        summary: 'Create a campaign (a draft unless start is true); its targets are fixed now',
        body: CampaignDefinitionSchema,
        response: { 201: CampaignSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await campaigns.create(request.body as CampaignDefinition, actorOf(principalOf(request)))),
  );

  app.post(
    '/campaigns/dry-run',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        summary: 'What a campaign would do: its targets per stack, and the operation of the first ones',
        body: CampaignDefinitionSchema,
        querystring: Type.Object(
          { sample: Type.Integer({ minimum: 0, maximum: 200, default: 20 }) },
          { additionalProperties: false },
        ),
        response: { 200: DryRunSchema },
      },
    },
    async (request) =>
      campaigns.dryRun(request.body as CampaignDefinition, (request.query as { sample: number }).sample),
  );

  app.get(
    '/campaigns',
    {
      schema: {
        tags,
        querystring: Type.Object(
          { ...PageQuery, state: Type.Optional(CampaignStateSchema) },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(CampaignSchema) },
      },
    },
    async (request) => {
      const q = request.query as { limit: number; offset: number; state?: CampaignState };
      return page(await campaigns.list(q), q);
    },
  );

  app.get(
    '/campaigns/:id',
    {
      schema: {
        tags,
        summary: 'A campaign with its progress',
        params: Id,
        response: { 200: CampaignSchema },
      },
    },
    async (request) => campaigns.get((request.params as { id: string }).id),
  );

  app.get(
    '/campaigns/:id/targets',
    {
      schema: {
        tags,
        summary: "The campaign's targets, each with its operation's state",
        params: Id,
        querystring: Type.Object(
          { ...PageQuery, state: Type.Optional(TargetStateSchema) },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(CampaignTargetSchema) },
      },
    },
    async (request) => {
      const q = request.query as { limit: number; offset: number; state?: string };
      return page(await campaigns.targets((request.params as { id: string }).id, q), q);
    },
  );

  for (const move of Object.keys(moveSummaries) as CampaignMove[])
    app.post(
      `/campaigns/:id/${move}`,
      { schema: { tags, summary: moveSummaries[move], params: Id, response: { 200: CampaignSchema } } },
      async (request) =>
        campaigns.move((request.params as { id: string }).id, move, actorOf(principalOf(request))),
    );
}
