import type { RuleActionDefinition } from './rule-definition.js';

/** A stored rule (one row of `rules`, at its current version). */
export interface StoredRule {
  id: string;
  name: string;
  description: string | null;
  eventType: string;
  stack: 'sgp02' | 'sgp32' | 'any';
  priority: number;
  enabled: boolean;
  version: number;
  conditions: Record<string, unknown>;
  actions: RuleActionDefinition[];
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
