import Type, { type TObject, type TSchema } from 'typebox';
import { Iccid } from '../operations/vocabulary.js';

export const Eid = Type.String({ pattern: '^[0-9]{32}$', description: 'EID, 32 digits' });
export const StackSchema = Type.Union([Type.Literal('sgp02'), Type.Literal('sgp32')]);
export const PlatformId = Type.String({
  pattern: '^[A-Za-z0-9._:-]{1,64}$',
  description: 'our name for the platform',
});
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const FreeObject = Type.Record(Type.String(), Type.Unknown());
const Timestamp = Type.String({ format: 'date-time' });

interface Field {
  schema: TSchema;
  column: string;
  /** Must be given at creation. */
  required?: boolean;
  /** Set by the product, never by a client. */
  readOnly?: boolean;
  /** Stored as jsonb. */
  json?: boolean;
  /** Part of the identity: given at creation, never changed. */
  key?: boolean;
}

export interface ResourceSchemas {
  fields: Record<string, Field>;
  Create: TObject;
  Update: TObject;
  Item: TObject;
}

/** One field list per resource gives its create, update and read schemas, so they cannot drift apart. */
function resource(fields: Record<string, Field>): ResourceSchemas {
  const writable = Object.entries(fields).filter(([, f]) => !f.readOnly);
  const Create = Type.Object(
    Object.fromEntries(writable.map(([n, f]) => [n, f.required ? f.schema : Type.Optional(f.schema)])),
    { additionalProperties: false },
  );
  const Update = Type.Object(
    Object.fromEntries(writable.filter(([, f]) => !f.key).map(([n, f]) => [n, Type.Optional(f.schema)])),
    { additionalProperties: false, minProperties: 1 },
  );
  const Item = Type.Object(
    Object.fromEntries(
      Object.entries(fields).map(([n, f]) => [n, f.required ? f.schema : Nullable(f.schema)]),
    ),
  );
  return { fields, Create, Update, Item };
}

const created = { createdAt: { schema: Timestamp, column: 'created_at', readOnly: true, required: true } };
const updated = { updatedAt: { schema: Timestamp, column: 'updated_at', readOnly: true, required: true } };

export const PlatformSchemas = resource({
  id: { schema: PlatformId, column: 'id', required: true, key: true },
  kind: {
    schema: Type.Union([
      Type.Literal('smsr'),
      Type.Literal('smdp'),
      Type.Literal('smdpplus'),
      Type.Literal('eim'),
    ]),
    column: 'kind',
    required: true,
  },
  name: { schema: Type.String({ minLength: 1, maxLength: 200 }), column: 'name', required: true },
  entityId: {
    schema: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'SGP.02 EntityId, SM-DP+ OID or eimId',
    }),
    column: 'entity_id',
  },
  endpointUrl: { schema: Type.String({ format: 'uri', maxLength: 2000 }), column: 'endpoint_url' },
  auth: {
    schema: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'how we authenticate to it (scheme, user, a reference to a secret held elsewhere), never a secret',
    }),
    column: 'auth',
    json: true,
  },
  metadata: { schema: FreeObject, column: 'metadata', json: true },
  ...created,
  ...updated,
});

export const EuiccSchemas = resource({
  eid: { schema: Eid, column: 'eid', required: true, key: true },
  stack: { schema: StackSchema, column: 'stack', required: true },
  eumId: { schema: Type.String({ minLength: 1, maxLength: 64 }), column: 'eum_id' },
  platformInfo: { schema: FreeObject, column: 'platform_info', json: true },
  smsrId: { schema: PlatformId, column: 'smsr_id' },
  eimId: { schema: PlatformId, column: 'eim_id' },
  lastAuditAt: { schema: Timestamp, column: 'last_audit_at', readOnly: true },
  lastAudit: { schema: FreeObject, column: 'last_audit', readOnly: true, json: true },
  ...created,
  ...updated,
});

export const DeviceSchemas = resource({
  id: { schema: Type.String({ format: 'uuid' }), column: 'id', readOnly: true, required: true },
  externalId: { schema: Type.String({ minLength: 1, maxLength: 200 }), column: 'external_id' },
  eid: { schema: Eid, column: 'eid' },
  imei: { schema: Type.String({ pattern: '^[0-9]{14,16}$' }), column: 'imei' },
  tags: {
    schema: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 }),
    column: 'tags',
  },
  country: {
    schema: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
    column: 'country',
  },
  attributes: { schema: FreeObject, column: 'attributes', json: true },
  ...created,
  ...updated,
});

export const ProfileSchemas = resource({
  iccid: { schema: Iccid, column: 'iccid', required: true, key: true },
  eid: { schema: Eid, column: 'eid' },
  operator: { schema: Type.String({ minLength: 1, maxLength: 200 }), column: 'operator' },
  platformId: { schema: PlatformId, column: 'platform_id' },
  state: {
    schema: Type.Union(
      ['available', 'created', 'disabled', 'enabled', 'deleted'].map((s) => Type.Literal(s)),
    ),
    column: 'state',
  },
  fallback: { schema: Type.Boolean(), column: 'fallback' },
  emergency: { schema: Type.Boolean(), column: 'emergency' },
  isdpAid: { schema: Type.String({ pattern: '^[0-9A-Fa-f]{10,32}$' }), column: 'isdp_aid' },
  msisdn: { schema: Type.String({ pattern: '^[0-9]{3,15}$' }), column: 'msisdn' },
  imsi: { schema: Type.String({ pattern: '^[0-9]{6,15}$' }), column: 'imsi' },
  profileType: { schema: Type.String({ minLength: 1, maxLength: 100 }), column: 'profile_type' },
  profileClass: {
    schema: Type.Union([Type.Literal('test'), Type.Literal('provisioning'), Type.Literal('operational')]),
    column: 'profile_class',
  },
  metadata: { schema: FreeObject, column: 'metadata', json: true },
  ...created,
  ...updated,
});

/** A row of the resource's table as the API shows it. */
export function toApi(schemas: ResourceSchemas, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schemas.fields).map(([n, f]) => [n, row[f.column] ?? null]));
}

/** API fields to columns, for insert or update. */
export function toColumns(schemas: ResourceSchemas, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [n, v] of Object.entries(body)) {
    const f = schemas.fields[n];
    if (!f || f.readOnly) continue;
    out[f.column] = f.json && v !== null ? JSON.stringify(v) : v;
  }
  return out;
}
