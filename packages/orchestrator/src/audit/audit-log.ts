import type { Knex } from 'knex';

export interface AuditEntry {
  /** Who: "api:<token name>", "rule:<rule id>", "platform:<platform id>", "stack:sgp02", "system". */
  actor: string;
  /** What, as "<entity>.<verb>", e.g. "operation.sent", "profile.state_changed". */
  action: string;
  entityType: string;
  entityId: string;
  fromState?: string | null;
  toState?: string | null;
  /** Why: rule and event ids, the request, the notification, a message. */
  reason?: Record<string, unknown>;
  details?: Record<string, unknown>;
}

/** Appends to the audit log inside the caller's transaction, so a change and its record commit together. */
export async function appendAudit(trx: Knex | Knex.Transaction, entry: AuditEntry): Promise<void> {
  await trx('audit_log').insert({
    actor: entry.actor,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    from_state: entry.fromState ?? null,
    to_state: entry.toState ?? null,
    reason: JSON.stringify(entry.reason ?? {}),
    details: entry.details === undefined ? null : JSON.stringify(entry.details),
  });
}
