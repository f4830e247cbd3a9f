import Type, { type Static } from 'typebox';
import { Eid, Nullable, StackSchema } from '../inventory/schemas.js';
import { RuleAction } from '../rules/rule-definition.js';

const FreeObject = Type.Record(Type.String(), Type.Unknown());
const Timestamp = Type.String({ format: 'date-time' });

export const campaignStates = ['draft', 'running', 'paused', 'completed', 'cancelled', 'aborted'] as const;
export type CampaignState = (typeof campaignStates)[number];
export const CampaignStateSchema = Type.Unsafe<CampaignState>(
  Type.Union(campaignStates.map((s) => Type.Literal(s))),
);

/**
 * Which devices a campaign runs on: every criterion given narrows the set. An empty selector is
 * refused unless it says `all: true`, so that nobody runs an operation on the whole fleet by
 * forgetting a field.
 */
export const CampaignSelectorSchema = Type.Object(
  {
    all: Type.Optional(Type.Literal(true)),
    stack: Type.Optional(StackSchema),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    /** Devices that carry every one of these tags. */
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 20 })),
    /** Operator of the enabled profile. */
    operator: Type.Optional(Type.String({ minLength: 1 })),
    /** The SM-SR or eIM the eUICC is managed by. */
    platformId: Type.Optional(Type.String({ minLength: 1 })),
    eids: Type.Optional(Type.Array(Eid, { minItems: 1, maxItems: 10_000 })),
  },
  { additionalProperties: false },
);
export type CampaignSelector = Static<typeof CampaignSelectorSchema>;

/**
 * The operation each target gets: the same template as a rule's action, its parameter values
 * possibly fact references resolved per device, e.g.
 * `{ "iccid": { "fact": "profiles", "path": "$[?(@.operator=='Orange')].iccid" } }`.
 */
export const CampaignOperationSchema = RuleAction;
export type CampaignOperation = Static<typeof CampaignOperationSchema>;

export const AbortPolicySchema = Type.Object(
  {
    /** Share of ended targets that failed or expired above which the campaign stops. */
    failureRatio: Type.Number({ minimum: 0, maximum: 1 }),
    /** How many targets must have ended before the ratio is judged. */
    minEnded: Type.Integer({ minimum: 1, default: 10 }),
  },
  { additionalProperties: false },
);
export type AbortPolicy = Static<typeof AbortPolicySchema>;

export const CampaignDefinitionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    operation: CampaignOperationSchema,
    selector: CampaignSelectorSchema,
    /** At most this many operations created per minute. */
    ratePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 60 })),
    /** At most this many of the campaign's operations pending or sent at once. */
    maxInFlight: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 100 })),
    abort: Type.Optional(AbortPolicySchema),
    /** Start at once instead of staying a draft. */
    start: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CampaignDefinition = Static<typeof CampaignDefinitionSchema>;

export const CampaignProgressSchema = Type.Object({
  targets: Type.Integer(),
  /** Not dispatched yet. */
  waiting: Type.Integer(),
  /** No operation made: parameters that did not resolve on the device, a stack that cannot. */
  skipped: Type.Integer(),
  inFlight: Type.Integer({ description: 'operations pending or sent' }),
  succeeded: Type.Integer(),
  failed: Type.Integer({ description: 'operations failed or expired' }),
  cancelled: Type.Integer(),
});
export type CampaignProgress = Static<typeof CampaignProgressSchema>;

export const CampaignSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  description: Nullable(Type.String()),
  state: CampaignStateSchema,
  operation: CampaignOperationSchema,
  selector: CampaignSelectorSchema,
  ratePerMinute: Type.Integer(),
  maxInFlight: Type.Integer(),
  abort: Nullable(AbortPolicySchema),
  endReason: Nullable(FreeObject),
  createdBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  startedAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
  progress: Type.Optional(CampaignProgressSchema),
});
export type Campaign = Static<typeof CampaignSchema>;

/** Before dispatch `waiting` or `skipped`; after it, the state of the target's operation. */
export const targetStates = [
  'waiting',
  'skipped',
  'pending',
  'sent',
  'succeeded',
  'failed',
  'expired',
  'cancelled',
] as const;
export type TargetState = (typeof targetStates)[number];
export const TargetStateSchema = Type.Unsafe<TargetState>(
  Type.Union(targetStates.map((s) => Type.Literal(s))),
);

export const CampaignTargetSchema = Type.Object({
  deviceId: Type.String({ format: 'uuid' }),
  eid: Type.String(),
  state: TargetStateSchema,
  operationId: Nullable(Type.String({ format: 'uuid' })),
  dispatchedAt: Nullable(Timestamp),
  skipped: Nullable(FreeObject),
});
export type CampaignTarget = Static<typeof CampaignTargetSchema>;
