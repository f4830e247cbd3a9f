import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import Type from 'typebox';
import {
  Nullable,
  DeviceSchemas,
  Eid,
  EuiccSchemas,
  PlatformId,
  PlatformSchemas,
  ProfileSchemas,
  StackSchema,
} from '../../inventory/schemas.js';
import { inventoryResourcePlugin, type InventoryResource } from './inventory-resource.js';
import { deviceView } from '../../inventory/device-view.js';
import { checkEuiccPlatforms, checkPlatform, checkProfilePlatform } from '../../inventory/platform-kinds.js';
import { EventSchema } from '../../events/event-schemas.js';
import { AuditEntrySchema, OperationSchema } from '../../operations/schemas.js';

const equals = (column: string) => (q: Knex.QueryBuilder, v: string) => void q.where(column, v);
const text = Type.String({ minLength: 1, maxLength: 200 });

export const inventoryResources: InventoryResource[] = [
  {
    name: 'platform',
    path: '/platforms',
    table: 'platforms',
    key: 'id',
    schemas: PlatformSchemas,
    check: checkPlatform,
    filters: { kind: { schema: PlatformSchemas.fields.kind!.schema, apply: equals('kind') } },
  },
  {
    name: 'euicc',
    path: '/euiccs',
    table: 'euiccs',
    key: 'eid',
    schemas: EuiccSchemas,
    check: checkEuiccPlatforms,
    filters: {
      stack: { schema: StackSchema, apply: equals('stack') },
      smsrId: { schema: PlatformId, apply: equals('smsr_id') },
      eimId: { schema: PlatformId, apply: equals('eim_id') },
    },
  },
  {
    name: 'device',
    path: '/devices',
    table: 'devices',
    key: 'id',
    schemas: DeviceSchemas,
    filters: {
      eid: { schema: Eid, apply: equals('eid') },
      externalId: { schema: text, apply: equals('external_id') },
      country: { schema: Type.String({ pattern: '^[A-Z]{2}$' }), apply: equals('country') },
      tag: { schema: text, apply: (q, v: string) => void q.whereRaw('? = any(tags)', [v]) },
      stack: {
        schema: StackSchema,
        apply: (q, v: string) =>
          void q.whereRaw('exists (select 1 from euiccs e where e.eid = devices.eid and e.stack = ?)', [v]),
      },
    },
  },
  {
    name: 'profile',
    path: '/profiles',
    table: 'profiles',
    key: 'iccid',
    schemas: ProfileSchemas,
    check: checkProfilePlatform,
    filters: {
      eid: { schema: Eid, apply: equals('eid') },
      operator: { schema: text, apply: equals('operator') },
      state: { schema: ProfileSchemas.fields.state!.schema, apply: equals('state') },
    },
  },
];

/** CRUD of platforms (SM-SR, SM-DP, SM-DP+, eIM), eUICCs, devices and profiles. */
export async function inventoryPlugin(app: FastifyInstance, { knex }: { knex: Knex }) {
  for (const resource of inventoryResources) await app.register(inventoryResourcePlugin, { knex, resource });
  app.get(
    '/devices/:id/view',
    {
      schema: {
        tags: ['devices'],
        summary: 'A device with its eUICC, stack, profiles, open operations and timeline (events + audit)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object(
          { timelineLimit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            device: DeviceSchemas.Item,
            euicc: Nullable(EuiccSchemas.Item),
            stack: Nullable(StackSchema),
            profiles: Type.Array(ProfileSchemas.Item),
            openOperations: Type.Array(OperationSchema),
            timeline: Type.Array(
              Type.Object({
                at: Type.String({ format: 'date-time' }),
                kind: Type.Union([Type.Literal('event'), Type.Literal('audit')]),
                event: Type.Optional(EventSchema),
                audit: Type.Optional(AuditEntrySchema),
              }),
            ),
          }),
        },
      },
    },
    async (request) =>
      deviceView(
        knex,
        (request.params as { id: string }).id,
        (request.query as { timelineLimit: number }).timelineLimit,
      ),
  );
}
