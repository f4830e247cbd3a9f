import type { Knex } from 'knex';
import { AppError, UnprocessableError } from '../errors.js';
import { refuseKeyMaterial } from '../inventory/key-material.js';
import type { Operation } from '../operations/operation.js';
import type { OperationService } from '../operations/operation-service.js';
import { loadDeviceFacts, type DeviceFacts } from '../rules/device-facts.js';
import type { KnexRuleStore } from '../rules/knex-rule-store.js';
import { evaluateRules, type EvaluableRule, type RuleMatch } from '../rules/rule-evaluator.js';
import { toEvent, type EventInput, type EventRow, type StoredEvent } from './event-schemas.js';

export interface EventOutcome {
  device: { id: string; eid: string; stack: string } | null;
  matches: RuleMatch[];
  /** Ids of the operations created. */
  operations: string[];
  errors: { rule: string; message: string; details?: Record<string, unknown> }[];
}

export interface IntakeResult {
  event: StoredEvent;
  duplicate: boolean;
  outcome: EventOutcome;
}

const deviceRef = (i: EventInput) =>
  i.deviceId === undefined && i.eid === undefined && i.externalId === undefined
    ? undefined
    : { deviceId: i.deviceId, eid: i.eid, externalId: i.externalId };

/**
 * Event intake, the same for REST and MQTT: an event is stored, its rules run and the operations
 * they ask for are created in one transaction, so a crash leaves either all of it or nothing (and
 * the sender's redelivery then does it). A redelivered (source, eventId) changes nothing and
 * answers with what the first delivery did.
 */
export class EventIntake {
  constructor(
    private readonly knex: Knex,
    private readonly rules: KnexRuleStore,
    private readonly operations: OperationService,
  ) {}

  async ingest(input: EventInput, actor: string): Promise<IntakeResult> {
    refuseKeyMaterial(input.payload ?? {}, 'payload');
    const created: Operation[] = [];
    const result = await this.knex.transaction(async (trx) => {
      const ref = deviceRef(input);
      const device = ref ? await loadDeviceFacts(trx, ref) : undefined;
      if (ref && !device)
        throw new UnprocessableError('the event names a device that does not exist or has no eUICC', {
          ...ref,
        });
      const [row] = (await trx('events')
        .insert({
          source: input.source,
          event_id: input.eventId,
          type: input.type,
          device_id: device?.id ?? null,
          eid: device?.eid ?? null,
          payload: JSON.stringify(input.payload ?? {}),
          occurred_at: input.occurredAt ?? null,
        })
        .onConflict(['source', 'event_id'])
        .ignore()
        .returning('*')) as EventRow[];
      if (!row) return this.duplicate(trx, input);
      const outcome = device
        ? await this.runRules(trx, row, device, input, actor, created)
        : emptyOutcome(null);
      const [done] = (await trx('events')
        .where({ id: row.id })
        .update({ processed_at: trx.fn.now(), outcome: JSON.stringify(outcome) })
        .returning('*')) as EventRow[];
      return { event: toEvent(done!), duplicate: false, outcome };
    });
    for (const op of created) this.operations.created(op);
    return result;
  }

  /** What the event would do now, with the stored rules or with drafts; nothing is written. */
  async dryRun(
    input: EventInput,
    drafts?: (EvaluableRule & { eventType: string; stack: string })[],
  ): Promise<EventOutcome & { proposed: ProposedOn[] }> {
    const ref = deviceRef(input);
    const device = ref ? await loadDeviceFacts(this.knex, ref) : undefined;
    if (!device)
      throw new UnprocessableError('dry-run needs an event that names an existing device', { ...ref });
    // Drafts are filtered as stored rules are: same event type, the device's stack or any.
    const rules =
      drafts?.filter((d) => d.eventType === input.type && [device.stack, 'any'].includes(d.stack)) ??
      (await this.rules.forEvent(input.type, device.stack));
    const matches = await evaluateRules(rules, facts(input), device);
    const proposed: ProposedOn[] = [];
    const errors: EventOutcome['errors'] = [];
    for (const m of matches.filter((x) => x.applied))
      for (const p of m.operations) {
        try {
          await this.operations.prepare(
            { ...p, deviceId: device.id, requestedBy: 'dry-run' },
            undefined,
            targetOf(device),
          );
          proposed.push({
            ...p,
            deviceId: device.id,
            eid: device.eid,
            stack: device.stack,
            rule: m.name,
            why: m.why,
          });
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          errors.push({ rule: m.name, message: e.message, details: e.details });
        }
      }
    return { ...emptyOutcome(device), matches, errors, proposed };
  }

  private async duplicate(trx: Knex.Transaction, input: EventInput): Promise<IntakeResult> {
    const first = (await trx('events')
      .where({ source: input.source, event_id: input.eventId })
      .first()) as EventRow;
    return {
      event: toEvent(first),
      duplicate: true,
      outcome: (first.outcome as unknown as EventOutcome | null) ?? emptyOutcome(null),
    };
  }

  private async runRules(
    trx: Knex.Transaction,
    row: EventRow,
    device: DeviceFacts,
    input: EventInput,
    actor: string,
    created: Operation[],
  ): Promise<EventOutcome> {
    const rules = await this.rules.forEvent(input.type, device.stack, trx);
    const matches = await evaluateRules(rules, facts(input), device);
    const outcome: EventOutcome = { ...emptyOutcome(device), matches };
    for (const m of matches.filter((x) => x.applied)) {
      const reason = {
        ruleId: m.ruleId,
        ruleVersion: m.version,
        eventId: row.id,
        source: row.source,
        sourceEventId: row.event_id,
        eventType: row.type,
        receivedBy: actor,
      };
      try {
        // All of a rule's operations, or none: each is checked before any is stored.
        const prepared = [];
        for (const p of m.operations)
          prepared.push(
            await this.operations.prepare(
              {
                ...p,
                deviceId: device.id,
                requestedBy: `rule:${m.ruleId}`,
                ruleId: m.ruleId!,
                ruleVersion: m.version!,
                eventId: row.id,
                reason,
              },
              trx,
              targetOf(device),
            ),
          );
        for (const n of prepared) {
          const op = await this.operations.store.create(n, trx);
          created.push(op);
          outcome.operations.push(op.id);
        }
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        outcome.errors.push({ rule: m.name, message: e.message, details: e.details });
      }
    }
    return outcome;
  }
}

export interface ProposedOn {
  type: string;
  params: Record<string, unknown>;
  deviceId: string;
  eid: string;
  stack: string;
  rule: string;
  why: string;
}

const targetOf = (d: DeviceFacts) => ({ eid: d.eid, stack: d.stack, deviceId: d.id });

const emptyOutcome = (device: DeviceFacts | null | undefined): EventOutcome => ({
  device: device ? { id: device.id, eid: device.eid, stack: device.stack } : null,
  matches: [],
  operations: [],
  errors: [],
});

const facts = (i: EventInput) => ({
  type: i.type,
  source: i.source,
  eventId: i.eventId,
  occurredAt: i.occurredAt ?? null,
  payload: i.payload ?? {},
});
