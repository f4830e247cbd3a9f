import Type from 'typebox';
import { Eid, Nullable, StackSchema } from '../inventory/schemas.js';
import { operationStates, operationTypes, type OperationState, type OperationType } from './vocabulary.js';

const Timestamp = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });
const FreeObject = Type.Record(Type.String(), Type.Unknown());
export const OperationTypeSchema = Type.Unsafe<OperationType>(
  Type.Union(operationTypes.map((t) => Type.Literal(t))),
);
export const OperationStateSchema = Type.Unsafe<OperationState>(
  Type.Union(operationStates.map((s) => Type.Literal(s))),
);

export const OperationSchema = Type.Object({
  id: Uuid,
  eid: Eid,
  deviceId: Nullable(Uuid),
  stack: StackSchema,
  type: OperationTypeSchema,
  params: FreeObject,
  state: OperationStateSchema,
  priority: Type.Integer(),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  nextAttemptAt: Timestamp,
  validUntil: Nullable(Timestamp),
  correlationId: Nullable(Type.String()),
  result: Nullable(FreeObject),
  error: Nullable(FreeObject),
  ruleId: Nullable(Uuid),
  ruleVersion: Nullable(Type.Integer()),
  eventId: Nullable(Uuid),
  requestedBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  sentAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
});

export const CreateOperationSchema = Type.Object(
  {
    eid: Type.Optional(Eid),
    deviceId: Type.Optional(Uuid),
    type: OperationTypeSchema,
    params: Type.Optional(FreeObject),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    validUntil: Type.Optional(Timestamp),
    validitySeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 * 86_400 })),
  },
  { additionalProperties: false },
);

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  actor: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  fromState: Nullable(Type.String()),
  toState: Nullable(Type.String()),
  reason: FreeObject,
  details: Nullable(FreeObject),
});

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  from_state: string | null;
  to_state: string | null;
  reason: Record<string, unknown>;
  details: Record<string, unknown> | null;
}

export const toAuditEntry = (r: AuditRow) => ({
  id: r.id,
  at: r.at,
  actor: r.actor,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  fromState: r.from_state,
  toState: r.to_state,
  reason: r.reason,
  details: r.details,
});
