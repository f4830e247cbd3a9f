import type { Knex } from 'knex';
import { NotFoundError } from '../errors.js';
import { toEvent, type EventRow } from '../events/event-schemas.js';
import { toOperation } from '../operations/knex-operation-store.js';
import { toAuditEntry, type AuditRow } from '../operations/schemas.js';
import { DeviceSchemas, EuiccSchemas, ProfileSchemas, toApi } from './schemas.js';

export type TimelineEntry =
  | { at: Date; kind: 'event'; event: ReturnType<typeof toEvent> }
  | { at: Date; kind: 'audit'; audit: ReturnType<typeof toAuditEntry> };

/**
 * Everything about one device in one read: the device, its eUICC and stack, its profiles, the
 * operations still open on it, and a timeline merging its events with the audit log of the
 * device, its eUICC, its profiles and its operations (newest first).
 */
export async function deviceView(knex: Knex, id: string, timelineLimit: number) {
  const device = await knex('devices').where({ id }).first();
  if (!device) throw new NotFoundError(`no device ${id}`, { id });
  const eid: string | null = device.eid;
  const euicc = eid ? await knex('euiccs').where({ eid }).first() : undefined;
  const profiles = eid ? await knex('profiles').where({ eid }).orderBy('iccid') : [];
  const openOperations = eid
    ? await knex('operations').where({ eid }).whereIn('state', ['pending', 'sent']).orderBy('created_at')
    : [];
  const events = (await knex('events')
    .where({ device_id: id })
    .orderBy('received_at', 'desc')
    .limit(timelineLimit)) as EventRow[];
  const audit = (await knex('audit_log')
    .where((q) => {
      q.where({ entity_type: 'device', entity_id: id });
      if (!eid) return;
      q.orWhere((w) => w.where({ entity_type: 'euicc', entity_id: eid }))
        .orWhere((w) =>
          w
            .where('entity_type', 'profile')
            .whereIn('entity_id', knex('profiles').select('iccid').where({ eid })),
        )
        .orWhere((w) =>
          w
            .where('entity_type', 'operation')
            .whereIn('entity_id', knex('operations').select(knex.raw('id::text')).where({ eid })),
        );
    })
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(timelineLimit)) as AuditRow[];
  const timeline: TimelineEntry[] = [
    ...events.map((e) => ({ at: e.received_at, kind: 'event' as const, event: toEvent(e) })),
    ...audit.map((a) => ({ at: a.at, kind: 'audit' as const, audit: toAuditEntry(a) })),
  ]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, timelineLimit);
  return {
    device: toApi(DeviceSchemas, device),
    euicc: euicc ? toApi(EuiccSchemas, euicc) : null,
    stack: (euicc?.stack as string | undefined) ?? null,
    profiles: profiles.map((p) => toApi(ProfileSchemas, p)),
    openOperations: openOperations.map(toOperation),
    timeline,
  };
}
