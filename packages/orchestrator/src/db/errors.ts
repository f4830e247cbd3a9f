import { ConflictError, UnprocessableError, type AppError } from '../errors.js';

/** What a constraint protects, in the words of the API. */
const constraints: Record<string, { entity: string; fields: string[] }> = {
  platforms_pkey: { entity: 'platform', fields: ['id'] },
  platforms_kind_entity_id_unique: { entity: 'platform', fields: ['kind', 'entityId'] },
  euiccs_pkey: { entity: 'euicc', fields: ['eid'] },
  devices_pkey: { entity: 'device', fields: ['id'] },
  devices_external_id_unique: { entity: 'device', fields: ['externalId'] },
  devices_eid_unique: { entity: 'device', fields: ['eid'] },
  profiles_pkey: { entity: 'profile', fields: ['iccid'] },
  profiles_one_enabled_per_eid: { entity: 'profile', fields: ['eid', 'state'] },
  profiles_one_fallback_per_eid: { entity: 'profile', fields: ['eid', 'fallback'] },
  events_source_event_id_unique: { entity: 'event', fields: ['source', 'eventId'] },
  rules_name_unique: { entity: 'rule', fields: ['name'] },
  operations_idempotency_key_unique: { entity: 'operation', fields: ['idempotencyKey'] },
  operations_one_in_flight_per_eid: { entity: 'operation', fields: ['eid'] },
};

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  table?: string;
  column?: string;
}

function isPgError(e: unknown): e is PgError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as PgError).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((e as PgError).code!)
  );
}

/** `Key (eid)=(8904...) already exists.` -> { eid: '8904...' } */
function keyValues(detail: string | undefined): Record<string, string> {
  const m = detail?.match(/^Key \((.+)\)=\((.*)\)/);
  if (!m) return {};
  const names = m[1]!.split(', ');
  const values = m[2]!.split(', ');
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
}

function inUse(e: PgError): ConflictError {
  const by = e.detail?.match(/table "(.+)"/)?.[1] ?? 'other records';
  return new ConflictError(
    `still referred to by ${by}`,
    { values: keyValues(e.detail), constraint: e.constraint },
    'in_use',
  );
}

/**
 * Turns an integrity violation reported by PostgreSQL into the API error a client can act on
 * (409 duplicate, 422 unknown reference or invalid value); anything else is not ours to explain.
 */
export function fromDatabaseError(e: unknown): AppError | undefined {
  if (!isPgError(e)) return undefined;
  const known = e.constraint ? constraints[e.constraint] : undefined;
  switch (e.code) {
    case '23505': {
      const entity = known?.entity ?? e.table ?? 'record';
      const fields = known?.fields ?? Object.keys(keyValues(e.detail));
      return new ConflictError(
        `a ${entity} with the same ${fields.join(' + ')} already exists`,
        {
          entity,
          fields,
          values: keyValues(e.detail),
          constraint: e.constraint,
        },
        'duplicate',
      );
    }
    case '23503': {
      const values = keyValues(e.detail);
      if (!/is not present in table/.test(e.detail ?? '')) return inUse(e);
      return new UnprocessableError(
        `refers to an unknown ${Object.keys(values).join(', ')}: ${Object.values(values).join(', ')}`,
        {
          values,
          constraint: e.constraint,
        },
      );
    }
    // PostgreSQL 18 (PGlite) reports ON DELETE RESTRICT as restrict_violation, older servers as 23503.
    case '23001':
      return inUse(e);
    case '23514':
      return new UnprocessableError(`violates ${e.constraint ?? 'a check constraint'}`, {
        constraint: e.constraint,
      });
    case '23502':
      return new UnprocessableError(`${e.column ?? 'a field'} is required`, { field: e.column });
    default:
      return undefined;
  }
}
