import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { Iccid } from '../operations/vocabulary.js';
import { findKeyMaterial } from './key-material.js';
import { DeviceSchemas, Eid, PlatformId, ProfileSchemas, StackSchema } from './schemas.js';

/**
 * One row of a bulk import: a device with its eUICC and, optionally, one of its profiles. A
 * device with several profiles takes one row per profile; its device and eUICC fields must then
 * agree between the rows.
 */
export const ImportRowSchema = Type.Object(
  {
    eid: Eid,
    stack: StackSchema,
    smsrId: Type.Optional(PlatformId),
    eimId: Type.Optional(PlatformId),
    eumId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    imei: Type.Optional(DeviceSchemas.fields.imei!.schema),
    country: Type.Optional(DeviceSchemas.fields.country!.schema),
    tags: Type.Optional(DeviceSchemas.fields.tags!.schema),
    iccid: Type.Optional(Iccid),
    operator: Type.Optional(ProfileSchemas.fields.operator!.schema),
    profileState: Type.Optional(ProfileSchemas.fields.state!.schema),
    fallback: Type.Optional(Type.Boolean()),
    msisdn: Type.Optional(ProfileSchemas.fields.msisdn!.schema),
    imsi: Type.Optional(ProfileSchemas.fields.imsi!.schema),
    profileType: Type.Optional(ProfileSchemas.fields.profileType!.schema),
    platformId: Type.Optional(PlatformId),
  },
  { additionalProperties: false },
);
export type ImportRow = Static<typeof ImportRowSchema>;
export const importFields = Object.keys(ImportRowSchema.properties);

export interface RowError {
  line: number;
  field?: string;
  message: string;
}

/** A row as parsed, or why it cannot be. */
export type ParsedRow = { line: number; row: ImportRow } | { line: number; error: RowError };

/** Checks one parsed record: key material first (named as such), then the schema. */
export function checkRow(line: number, record: unknown): ParsedRow {
  const key = findKeyMaterial(record);
  if (key)
    return {
      line,
      error: {
        line,
        field: key.slice(1),
        message: 'looks like key material; the orchestrator never stores keys',
      },
    };
  if (Value.Check(ImportRowSchema, record)) return { line, row: record };
  const first = [...Value.Errors(ImportRowSchema, record)][0]!;
  return { line, error: { line, field: first.instancePath.slice(1) || undefined, message: first.message } };
}
