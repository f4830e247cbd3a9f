import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.js';
import { fromDatabaseError } from '../db/errors.js';
import { AppError, ConflictError, NotFoundError, UnprocessableError } from '../errors.js';
import type { NewOperation, Operation } from '../operations/operation.js';
import type { OperationService } from '../operations/operation-service.js';
import type { OperationType } from '../operations/vocabulary.js';
import { loadDeviceFacts } from '../rules/device-facts.js';
import { checkLiteralParams } from '../rules/rule-definition.js';
import { factsOfDevice, resolveParamsOnFacts } from '../rules/rule-evaluator.js';
import type {
  Campaign,
  CampaignDefinition,
  CampaignOperation,
  CampaignProgress,
  CampaignState,
  CampaignTarget,
} from './campaign.js';
import { selectTargets } from './target-selector.js';

export interface CampaignRow {
  id: string;
  name: string;
  description: string | null;
  state: CampaignState;
  operation: CampaignOperation;
  selector: Campaign['selector'];
  rate_per_minute: number;
  max_in_flight: number;
  abort_policy: Campaign['abort'];
  end_reason: Record<string, unknown> | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function toCampaign(r: CampaignRow, progress?: CampaignProgress): Campaign {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    state: r.state,
    operation: r.operation,
    selector: r.selector,
    ratePerMinute: r.rate_per_minute,
    maxInFlight: r.max_in_flight,
    abort: r.abort_policy,
    endReason: r.end_reason,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    startedAt: iso(r.started_at),
    endedAt: iso(r.ended_at),
    ...(progress ? { progress } : {}),
  };
}

/** The moves a caller may ask for, from the states that allow them. */
const moves = {
  start: { from: ['draft'], to: 'running', verb: 'started' },
  pause: { from: ['running'], to: 'paused', verb: 'paused' },
  resume: { from: ['paused'], to: 'running', verb: 'resumed' },
  cancel: { from: ['draft', 'running', 'paused'], to: 'cancelled', verb: 'cancelled' },
} as const satisfies Record<string, { from: readonly CampaignState[]; to: CampaignState; verb: string }>;
export type CampaignMove = keyof typeof moves;

const beforeDispatch: Record<string, string> = {
  waiting: 't.dispatched_at is null and t.skipped is null',
  skipped: 't.skipped is not null',
};

/**
 * Campaigns: an operation template run over a snapshot of the fleet. This service creates them,
 * moves them between states (every move audited) and reports their progress; the
 * CampaignRunner dispatches their operations at the pace they allow.
 */
export class CampaignService {
  private readonly startedListeners = new Set<() => void>();

  constructor(
    private readonly knex: Knex,
    private readonly operations: OperationService,
  ) {}

  /** Called when a campaign starts or resumes (the runner wakes up). */
  onStarted(listener: () => void): () => void {
    this.startedListeners.add(listener);
    return () => this.startedListeners.delete(listener);
  }

  async create(def: CampaignDefinition, actor: string): Promise<Campaign> {
    checkLiteralParams(
      def.operation.type as OperationType,
      def.operation.params ?? {},
      '/operation',
      'campaign_invalid',
    );
    const targets = selectTargets(this.knex, def.selector); // refuses an empty selector before any write
    const row = await this.knex
      .transaction(async (trx) => {
        const now = new Date();
        const [c] = await trx<CampaignRow>('campaigns')
          .insert({
            name: def.name,
            description: def.description ?? null,
            state: def.start ? 'running' : 'draft',
            operation: JSON.stringify(def.operation) as never,
            selector: JSON.stringify(def.selector) as never,
            rate_per_minute: def.ratePerMinute ?? 60,
            max_in_flight: def.maxInFlight ?? 100,
            abort_policy: (def.abort ? JSON.stringify(def.abort) : null) as never,
            created_by: actor,
            started_at: def.start ? now : null,
          })
          .returning('*');
        const inserted = await trx.raw(`insert into campaign_targets (campaign_id, device_id, eid) ?`, [
          targets.clone().select(trx.raw('?::uuid', [c!.id]), 'd.id', 'd.eid'),
        ]);
        if (inserted.rowCount === 0)
          throw new UnprocessableError('the selector matches no device with an eUICC', {
            path: '/selector',
            code: 'no_targets',
          });
        await appendAudit(trx, {
          actor,
          action: 'campaign.created',
          entityType: 'campaign',
          entityId: c!.id,
          toState: c!.state,
          details: { targets: inserted.rowCount },
        });
        return c!;
      })
      .catch((e: unknown) => {
        throw fromDatabaseError(e) ?? e;
      });
    if (row.state === 'running') this.started();
    return this.get(row.id);
  }

  /** What a campaign would do: how many targets, per stack, and the operation of the first few. */
  async dryRun(def: CampaignDefinition, sampleSize: number) {
    checkLiteralParams(
      def.operation.type as OperationType,
      def.operation.params ?? {},
      '/operation',
      'campaign_invalid',
    );
    const q = selectTargets(this.knex, def.selector);
    const perStack = await q
      .clone()
      .select('e.stack')
      .count<{ stack: string; n: string }[]>('* as n')
      .groupBy('e.stack');
    const first = await q.clone().select('d.id', 'd.eid', 'e.stack').orderBy('d.eid').limit(sampleSize);
    const sample = [];
    for (const t of first as { id: string; eid: string; stack: string }[]) {
      const what = { deviceId: t.id, eid: t.eid, stack: t.stack };
      try {
        const op = await this.prepareOperation(
          { name: def.name, operation: def.operation, createdBy: 'dry-run' },
          t.id,
        );
        sample.push({ ...what, operation: { type: op.type, params: op.params } });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        sample.push({ ...what, skipped: e.toJSON() });
      }
    }
    const byStack = Object.fromEntries(perStack.map((r) => [r.stack, Number(r.n)]));
    return { targets: Object.values(byStack).reduce((a, b) => a + b, 0), byStack, sample };
  }

  /**
   * The operation a target gets, as it would be stored: the template's fact references resolved on
   * its device, checked by the OperationService with the eUICC and stack the facts already hold.
   */
  async prepareOperation(
    c: { id?: string; name: string; operation: CampaignOperation; createdBy: string },
    deviceId: string,
    trx?: Knex.Transaction,
  ): Promise<NewOperation> {
    const device = await loadDeviceFacts(trx ?? this.knex, { deviceId });
    if (!device) throw new UnprocessableError(`device ${deviceId} has no eUICC any more`, { deviceId });
    const { type, params = {}, priority, validitySeconds, maxAttempts } = c.operation;
    return this.operations.prepare(
      {
        deviceId,
        type: type as OperationType,
        params: await resolveParamsOnFacts(type as OperationType, params, factsOfDevice(device)),
        priority,
        validitySeconds,
        maxAttempts,
        requestedBy: c.createdBy,
        reason: { campaign: { id: c.id, name: c.name } },
      },
      trx,
      { eid: device.eid, stack: device.stack, deviceId },
    );
  }

  async get(id: string): Promise<Campaign> {
    const row = await this.knex<CampaignRow>('campaigns').where({ id }).first();
    if (!row) throw new NotFoundError(`no campaign ${id}`, { id });
    return toCampaign(row, await this.progress(this.knex, id));
  }

  async list(q: { limit: number; offset: number; state?: CampaignState }): Promise<Campaign[]> {
    const query = this.knex<CampaignRow>('campaigns')
      .orderBy([{ column: 'created_at', order: 'desc' }, 'id'])
      .limit(q.limit + 1)
      .offset(q.offset);
    if (q.state) query.where({ state: q.state });
    return (await query).map((r) => toCampaign(r));
  }

  async targets(id: string, q: { limit: number; offset: number; state?: string }): Promise<CampaignTarget[]> {
    await this.get(id);
    const query = this.knex('campaign_targets as t')
      .leftJoin('operations as o', 'o.id', 't.operation_id')
      .where('t.campaign_id', id)
      .select('t.*', 'o.state as operation_state')
      .orderBy('t.eid')
      .limit(q.limit + 1)
      .offset(q.offset);
    if (q.state !== undefined)
      if (beforeDispatch[q.state]) query.whereRaw(beforeDispatch[q.state]!);
      else query.where('o.state', q.state);
    return (await query).map((r) => ({
      deviceId: r.device_id,
      eid: r.eid,
      state: r.skipped ? 'skipped' : (r.operation_state ?? 'waiting'),
      operationId: r.operation_id,
      dispatchedAt: iso(r.dispatched_at),
      skipped: r.skipped,
    }));
  }

  /** Counts by outcome, the target's operation state being its outcome. */
  async progress(k: Knex | Knex.Transaction, id: string): Promise<CampaignProgress> {
    const { rows } = await k.raw(
      `select count(*)::int as targets,
              count(*) filter (where t.dispatched_at is null and t.skipped is null)::int as waiting,
              count(*) filter (where t.skipped is not null)::int as skipped,
              count(*) filter (where o.state in ('pending', 'sent'))::int as "inFlight",
              count(*) filter (where o.state = 'succeeded')::int as succeeded,
              count(*) filter (where o.state in ('failed', 'expired'))::int as failed,
              count(*) filter (where o.state = 'cancelled')::int as cancelled
         from campaign_targets t left join operations o on o.id = t.operation_id
        where t.campaign_id = ?`,
      [id],
    );
    return rows[0] as CampaignProgress;
  }

  async move(id: string, move: CampaignMove, actor: string): Promise<Campaign> {
    const { from, to, verb } = moves[move];
    await this.knex.transaction(async (trx) => {
      const cur = await trx<CampaignRow>('campaigns').where({ id }).forUpdate().first();
      if (!cur) throw new NotFoundError(`no campaign ${id}`, { id });
      if (!(from as readonly string[]).includes(cur.state))
        throw new ConflictError(
          `campaign ${cur.name} is ${cur.state}: it cannot be ${verb}`,
          { id, state: cur.state, allowedFrom: from },
          'campaign_state',
        );
      await this.record(trx, cur, to, actor, verb, to === 'cancelled' ? { by: actor } : undefined);
    });
    if (to === 'cancelled') await this.cancelPending(id, actor);
    if (to === 'running') this.started();
    return this.get(id);
  }

  /**
   * Moves a campaign (locked by the caller) to `to`, with its audit entry. An ending state
   * records why; the operations still pending are the caller's to cancel after its commit.
   */
  async record(
    trx: Knex.Transaction,
    cur: CampaignRow,
    to: CampaignState,
    actor: string,
    verb: string,
    endReason?: Record<string, unknown>,
  ): Promise<void> {
    const now = new Date();
    await trx('campaigns')
      .where({ id: cur.id })
      .update({
        state: to,
        updated_at: now,
        started_at: cur.started_at ?? (to === 'running' ? now : null),
        ended_at: endReason ? now : null,
        end_reason: endReason ? JSON.stringify(endReason) : null,
      });
    await appendAudit(trx, {
      actor,
      action: `campaign.${verb}`,
      entityType: 'campaign',
      entityId: cur.id,
      fromState: cur.state,
      toState: to,
      reason: endReason ?? {},
    });
  }

  /** A campaign that ends takes back what it has not handed to a stack yet; sent operations run on. */
  async cancelPending(id: string, actor: string): Promise<Operation[]> {
    const pending = await this.knex('campaign_targets as t')
      .join('operations as o', 'o.id', 't.operation_id')
      .where({ 't.campaign_id': id, 'o.state': 'pending' })
      .pluck<string[]>('o.id');
    const cancelled: Operation[] = [];
    for (const opId of pending)
      try {
        cancelled.push(await this.operations.cancel(opId, actor, { campaign: { id, ended: true } }));
      } catch (e) {
        // It left `pending` meanwhile (sent or ended): it runs on like the sent ones.
        if (!(e instanceof ConflictError)) throw e;
      }
    return cancelled;
  }

  private started(): void {
    for (const l of this.startedListeners) l();
  }
}
