import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import Type from 'typebox';
import {
  DeviceSchemas,
  Eid,
  EuiccSchemas,
  PlatformId,
  PlatformSchemas,
  ProfileSchemas,
  StackSchema,
} from '../../inventory/schemas.js';
import { inventoryResourcePlugin, type InventoryResource } from './inventory-resource.js';

const equals = (column: string) => (q: Knex.QueryBuilder, v: string) => void q.where(column, v);
const text = Type.String({ minLength: 1, maxLength: 200 });

export const inventoryResources: InventoryResource[] = [
  {
    name: 'platform',
    path: '/platforms',
    table: 'platforms',
    key: 'id',
    schemas: PlatformSchemas,
    filters: { kind: { schema: PlatformSchemas.fields.kind!.schema, apply: equals('kind') } },
  },
  {
    name: 'euicc',
    path: '/euiccs',
    table: 'euiccs',
    key: 'eid',
    schemas: EuiccSchemas,
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
    },
  },
  {
    name: 'profile',
    path: '/profiles',
    table: 'profiles',
    key: 'iccid',
    schemas: ProfileSchemas,
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
}
