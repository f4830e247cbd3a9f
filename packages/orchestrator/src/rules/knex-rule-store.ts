import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Stack } from '../operations/vocabulary.js';
import { checkRuleDefinition, type RuleDefinition } from './rule-definition.js';
import type { StoredRule } from './rule.js';

interface RuleRow {
  id: string;
  name: string;
  description: string | null;
  event_type: string;
  stack: StoredRule['stack'];
  priority: number;
  enabled: boolean;
  version: number;
  conditions: Record<string, unknown>;
  actions: StoredRule['actions'];
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const toRule = (r: RuleRow): StoredRule => ({
  id: r.id,
  name: r.name,
  description: r.description,
  eventType: r.event_type,
  stack: r.stack,
  priority: r.priority,
  enabled: r.enabled,
  version: r.version,
  conditions: r.conditions,
  actions: r.actions,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const definitionOf = (r: StoredRule): RuleDefinition => ({
  name: r.name,
  ...(r.description === null ? {} : { description: r.description }),
  eventType: r.eventType,
  stack: r.stack,
  priority: r.priority,
  enabled: r.enabled,
  conditions: r.conditions,
  actions: r.actions,
});

const columns = (d: RuleDefinition) => ({
  name: d.name,
  description: d.description ?? null,
  event_type: d.eventType,
  stack: d.stack ?? 'any',
  priority: d.priority ?? 0,
  enabled: d.enabled ?? true,
  conditions: JSON.stringify(d.conditions),
  actions: JSON.stringify(d.actions),
});

export interface RuleFilter {
  eventType?: string;
  enabled?: boolean;
  stack?: StoredRule['stack'];
  limit: number;
  offset: number;
}

/**
 * Rules with their history: every change of the definition is a new version kept in
 * rule_versions, so an operation can always be traced to the exact rule text that asked for it.
 */
export class KnexRuleStore {
  constructor(private readonly knex: Knex) {}

  async get(id: string, trx?: Knex.Transaction): Promise<StoredRule> {
    const row = await (trx ?? this.knex)<RuleRow>('rules').where({ id }).first();
    if (!row) throw new NotFoundError(`no rule ${id}`, { id });
    return toRule(row as RuleRow);
  }

  async list(f: RuleFilter): Promise<StoredRule[]> {
    const q = this.knex<RuleRow>('rules')
      .orderBy([{ column: 'priority', order: 'desc' }, 'name'])
      .limit(f.limit + 1)
      .offset(f.offset);
    if (f.eventType !== undefined) q.where('event_type', f.eventType);
    if (f.enabled !== undefined) q.where('enabled', f.enabled);
    if (f.stack !== undefined) q.where('stack', f.stack);
    return ((await q) as RuleRow[]).map(toRule);
  }

  /** The enabled rules that apply to an event of this type on a device of this stack, highest priority first. */
  async forEvent(eventType: string, stack: Stack, trx?: Knex.Transaction): Promise<StoredRule[]> {
    const rows = await (trx ?? this.knex)<RuleRow>('rules')
      .where({ event_type: eventType, enabled: true })
      .whereIn('stack', [stack, 'any'])
      .orderBy([{ column: 'priority', order: 'desc' }, 'name']);
    return (rows as RuleRow[]).map(toRule);
  }

  create(def: RuleDefinition, actor: string): Promise<StoredRule> {
    checkRuleDefinition(def);
    return this.knex.transaction(async (trx) => {
      const [row] = await trx('rules')
        .insert({ ...columns(def), created_by: actor })
        .returning('*');
      const rule = toRule(row as RuleRow);
      await this.recordVersion(trx, rule, actor, 'rule.created');
      return rule;
    });
  }

  /** A new version from the fields given over the current definition. */
  update(id: string, change: Partial<RuleDefinition>, actor: string): Promise<StoredRule> {
    return this.knex.transaction(async (trx) => {
      const current = await this.get(id, trx);
      const def = { ...definitionOf(current), ...change };
      checkRuleDefinition(def);
      const [row] = await trx('rules')
        .where({ id, version: current.version })
        .update({ ...columns(def), version: current.version + 1, updated_at: trx.fn.now() })
        .returning('*');
      // Another change committed since we read it: the caller decides again on the new version.
      if (!row)
        throw new ConflictError(`rule ${id} was changed meanwhile; read it again`, { id }, 'rule_changed');
      const rule = toRule(row as RuleRow);
      await this.recordVersion(trx, rule, actor, 'rule.updated');
      return rule;
    });
  }

  async remove(id: string, actor: string): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const rule = await this.get(id, trx);
      await trx('rules').where({ id }).del();
      await appendAudit(trx, {
        actor,
        action: 'rule.deleted',
        entityType: 'rule',
        entityId: id,
        details: { name: rule.name, version: rule.version },
      });
    });
  }

  async versions(
    id: string,
  ): Promise<{ version: number; definition: RuleDefinition; createdBy: string | null; createdAt: Date }[]> {
    await this.get(id);
    const rows = await this.knex('rule_versions').where({ rule_id: id }).orderBy('version');
    return rows.map((r) => ({
      version: r.version,
      definition: r.definition,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }

  private async recordVersion(
    trx: Knex.Transaction,
    rule: StoredRule,
    actor: string,
    action: string,
  ): Promise<void> {
    await trx('rule_versions').insert({
      rule_id: rule.id,
      version: rule.version,
      definition: JSON.stringify(definitionOf(rule)),
      created_by: actor,
    });
    await appendAudit(trx, {
      actor,
      action,
      entityType: 'rule',
      entityId: rule.id,
      toState: rule.enabled ? 'enabled' : 'disabled',
      details: { version: rule.version, name: rule.name },
    });
  }
}
