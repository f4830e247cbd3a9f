import { Engine, type Almanac } from 'json-rules-engine';
import { OperationParams, type OperationType } from '../operations/vocabulary.js';
import type { DeviceFacts } from './device-facts.js';
import { isFactRef, type RuleActionDefinition } from './rule-definition.js';

/** The event as rules see it (fact `event`). */
export interface EventFacts {
  type: string;
  source: string;
  eventId?: string;
  occurredAt?: string | null;
  payload: Record<string, unknown>;
}

/** A rule as the evaluator needs it: stored rules and dry-run drafts alike. */
export interface EvaluableRule {
  id: string | null;
  name: string;
  version: number | null;
  priority: number;
  conditions: Record<string, unknown>;
  actions: RuleActionDefinition[];
}

export interface ProposedOperation {
  type: OperationType;
  params: Record<string, unknown>;
  priority?: number;
  validitySeconds?: number;
  maxAttempts?: number;
}

export interface RuleMatch {
  ruleId: string | null;
  name: string;
  version: number | null;
  priority: number;
  fired: boolean;
  /** The rule whose operations are created: the highest priority among those that fired. */
  applied: boolean;
  why: string;
  operations: ProposedOperation[];
}

/** A device's facts as rules and campaigns see them: the whole `device` and shortcuts to its common fields. */
export const factsOfDevice = (device: DeviceFacts) => ({
  device,
  stack: device.stack,
  country: device.country,
  operator: device.operator,
  tags: device.tags,
  profiles: device.profiles,
});

/**
 * A JSONPath filter (`$[?(@.operator=='B')].iccid`) yields a list even when one value matches;
 * a parameter that takes one value gets that value.
 */
function fitToParam(type: OperationType, key: string, value: unknown): unknown {
  const schema = (OperationParams[type].properties as Record<string, { type?: string }>)[key];
  return Array.isArray(value) && value.length === 1 && schema && schema.type !== 'array' ? value[0] : value;
}

/** Replaces `{ fact, path }` values of action parameters with what the facts say. */
async function resolveParams(
  type: OperationType,
  params: Record<string, unknown>,
  almanac: Almanac,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params))
    out[k] = isFactRef(v) ? fitToParam(type, k, await almanac.factValue(v.fact, {}, v.path)) : v;
  return out;
}

/** Action parameters resolved on facts alone, outside a rule run (a campaign's operation template). */
export async function resolveParamsOnFacts(
  type: OperationType,
  params: Record<string, unknown>,
  facts: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { almanac } = await new Engine([], { allowUndefinedFacts: true }).run(facts);
  return resolveParams(type, params, almanac);
}

/**
 * Runs the rules of one event on one device (json-rules-engine, facts `event`, `device` and the
 * shortcuts `stack`, `country`, `operator`, `tags`, `profiles`, `payload`). Conflicts are resolved
 * by priority: of the rules that fire, only the highest priority one (then the first by name)
 * has its actions turned into operations; the others are reported as overridden.
 */
export async function evaluateRules(
  rules: readonly EvaluableRule[],
  event: EventFacts,
  device: DeviceFacts,
): Promise<RuleMatch[]> {
  const ordered = [...rules].sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name));
  const engine = new Engine([], { allowUndefinedFacts: true });
  ordered.forEach((r, i) =>
    engine.addRule({ name: String(i), conditions: r.conditions as never, event: { type: 'fire' } }),
  );
  const facts = { event, ...factsOfDevice(device), payload: event.payload };
  const { results, almanac } = await engine.run(facts);
  const fired = new Set(results.map((r) => Number(r.name)));
  let winner: number | undefined;
  const matches: RuleMatch[] = [];
  for (const [i, r] of ordered.entries()) {
    const didFire = fired.has(i);
    if (didFire && winner === undefined) winner = i;
    const applied = winner === i;
    matches.push({
      ruleId: r.id,
      name: r.name,
      version: r.version,
      priority: r.priority,
      fired: didFire,
      applied,
      why: !didFire
        ? 'conditions not met'
        : applied
          ? `conditions met; highest priority (${r.priority}) of the rules that fired`
          : `conditions met; overridden by rule ${ordered[winner!]!.name} (priority ${ordered[winner!]!.priority})`,
      operations: applied
        ? await Promise.all(
            r.actions.map(async (a) => ({
              type: a.type as OperationType,
              params: await resolveParams(a.type as OperationType, a.params ?? {}, almanac),
              ...(a.priority === undefined ? {} : { priority: a.priority }),
              ...(a.validitySeconds === undefined ? {} : { validitySeconds: a.validitySeconds }),
              ...(a.maxAttempts === undefined ? {} : { maxAttempts: a.maxAttempts }),
            })),
          )
        : [],
    });
  }
  return matches;
}
