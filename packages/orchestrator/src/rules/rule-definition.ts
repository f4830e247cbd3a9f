import { Rule } from 'json-rules-engine';
import Type, { type Static } from 'typebox';
import { UnprocessableError } from '../errors.js';
import { checkParams } from '../operations/operation-service.js';
import { OperationTypeSchema } from '../operations/schemas.js';
import type { OperationType } from '../operations/vocabulary.js';

const FreeObject = Type.Record(Type.String(), Type.Unknown());

export const RuleAction = Type.Object(
  {
    type: OperationTypeSchema,
    /** Values may be `{ "fact": "event", "path": "$.payload.iccid" }`: taken from the facts when the rule fires. */
    params: Type.Optional(FreeObject),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    validitySeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 * 86_400 })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const RuleDefinitionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    eventType: Type.String({
      pattern: '^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+$',
      description: 'e.g. device.connectivity_lost',
    }),
    stack: Type.Optional(Type.Union([Type.Literal('sgp02'), Type.Literal('sgp32'), Type.Literal('any')])),
    /** The highest priority wins when several rules fire for the same event and device. */
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    enabled: Type.Optional(Type.Boolean()),
    /** json-rules-engine conditions: { all | any: [...] } or { not: ... }, leaves { fact, operator, value, path? }. */
    conditions: FreeObject,
    actions: Type.Array(RuleAction, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);

export type RuleDefinition = Static<typeof RuleDefinitionSchema>;
export type RuleActionDefinition = Static<typeof RuleAction>;

const operators = new Set([
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
]);
const decorators = /^((someFact|someValue|everyFact|everyValue|swap|not):)*/;
const leafKeys = new Set(['fact', 'operator', 'value', 'path', 'params', 'name', 'priority']);

function invalid(path: string, problem: string): never {
  throw new UnprocessableError(`rule does not parse: ${path} ${problem}`, { path, code: 'rule_invalid' });
}

function checkCondition(node: unknown, path: string, top = false): void {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) invalid(path, 'must be an object');
  const n = node as Record<string, unknown>;
  for (const group of ['all', 'any'] as const) {
    if (group in n) {
      if (!Array.isArray(n[group])) invalid(`${path}/${group}`, 'must be an array');
      (n[group] as unknown[]).forEach((c, i) => checkCondition(c, `${path}/${group}/${i}`));
      return;
    }
  }
  if ('not' in n) return checkCondition(n.not, `${path}/not`);
  if (top) invalid(path, 'must have all, any or not at its top');
  if ('condition' in n) invalid(path, 'refers to a shared condition; write the condition in the rule');
  for (const k of Object.keys(n)) if (!leafKeys.has(k)) invalid(`${path}/${k}`, 'is not a condition field');
  if (typeof n.fact !== 'string' || n.fact === '') invalid(`${path}/fact`, 'must name a fact');
  if (typeof n.operator !== 'string' || !operators.has(n.operator.replace(decorators, '')))
    invalid(`${path}/operator`, `must be one of ${[...operators].join(', ')}`);
  if (!('value' in n)) invalid(`${path}/value`, 'is required');
  if (n.path !== undefined && (typeof n.path !== 'string' || !n.path.startsWith('$')))
    invalid(`${path}/path`, 'must be a JSONPath starting with $');
}

export const isFactRef = (v: unknown): v is { fact: string; path?: string } =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  typeof (v as { fact?: unknown }).fact === 'string';

/**
 * Checks what the schema cannot: that the conditions are a json-rules-engine condition tree the
 * engine will run (known operators, facts named), and that each action's literal parameters fit
 * its operation type (parameters taken from facts are checked when the rule fires).
 */
export function checkRuleDefinition(def: RuleDefinition): void {
  checkCondition(def.conditions, '/conditions', true);
  try {
    new Rule({ conditions: def.conditions as never, event: { type: 'operations' } });
  } catch (e) {
    invalid('/conditions', (e as Error).message);
  }
  def.actions.forEach((a, i) =>
    checkLiteralParams(a.type as OperationType, a.params ?? {}, `/actions/${i}`, 'rule_invalid'),
  );
}

/**
 * An operation template's parameters checked against its type when all are literal; with fact
 * references they can only be checked once resolved on a device.
 */
export function checkLiteralParams(
  type: OperationType,
  params: Record<string, unknown>,
  path: string,
  code: string,
): void {
  if (Object.values(params).some(isFactRef)) return;
  try {
    checkParams(type, params);
  } catch (e) {
    throw new UnprocessableError(`${path}: ${(e as Error).message}`, {
      path: `${path}/params`,
      code,
      ...((e as { details?: object }).details ?? {}),
    });
  }
}
