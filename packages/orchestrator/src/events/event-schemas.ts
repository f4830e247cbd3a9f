import Type, { type Static } from 'typebox';
import { Eid, Nullable } from '../inventory/schemas.js';

const FreeObject = Type.Record(Type.String(), Type.Unknown());
export const EventSource = Type.String({
  pattern: '^[A-Za-z0-9._-]{1,64}$',
  description: 'who sends it: iot-platform, bss, app...',
});
export const EventType = Type.String({
  pattern: '^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+$',
  maxLength: 100,
  description: 'e.g. device.connectivity_lost, bss.plan_changed',
});

/** An event as a sender gives it, over REST or MQTT. */
export const EventInputSchema = Type.Object(
  {
    source: EventSource,
    /** The sender's id of the event: a redelivery with the same (source, eventId) is recognised. */
    eventId: Type.String({ minLength: 1, maxLength: 200 }),
    type: EventType,
    deviceId: Type.Optional(Type.String({ format: 'uuid' })),
    eid: Type.Optional(Eid),
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
    payload: Type.Optional(FreeObject),
  },
  { additionalProperties: false },
);
export type EventInput = Static<typeof EventInputSchema>;

export const EventSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  source: Type.String(),
  eventId: Type.String(),
  type: Type.String(),
  deviceId: Nullable(Type.String({ format: 'uuid' })),
  eid: Nullable(Type.String()),
  payload: FreeObject,
  occurredAt: Nullable(Type.String({ format: 'date-time' })),
  receivedAt: Type.String({ format: 'date-time' }),
  processedAt: Nullable(Type.String({ format: 'date-time' })),
  outcome: Nullable(FreeObject),
});

export interface EventRow {
  id: string;
  source: string;
  event_id: string;
  type: string;
  device_id: string | null;
  eid: string | null;
  payload: Record<string, unknown>;
  occurred_at: Date | null;
  received_at: Date;
  processed_at: Date | null;
  outcome: Record<string, unknown> | null;
}

export const toEvent = (r: EventRow) => ({
  id: r.id,
  source: r.source,
  eventId: r.event_id,
  type: r.type,
  deviceId: r.device_id,
  eid: r.eid,
  payload: r.payload,
  occurredAt: r.occurred_at,
  receivedAt: r.received_at,
  processedAt: r.processed_at,
  outcome: r.outcome,
});
export type StoredEvent = ReturnType<typeof toEvent>;
