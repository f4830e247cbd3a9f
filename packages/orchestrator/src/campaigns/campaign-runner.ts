import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { Operation } from '../operations/operation.js';
import type { OperationService } from '../operations/operation-service.js';
import { RoundLoop } from '../scheduling/round-loop.js';
import type { CampaignRow, CampaignService } from './campaign-service.js';

export interface CampaignRunnerOptions {
  knex: Knex;
  campaigns: CampaignService;
  operations: OperationService;
  logger: Logger;
  pollMs: number;
  /** Operations made per campaign and round, whatever its pace allows. */
  batch?: number;
}

/**
 * Dispatches running campaigns: each round, per campaign, creates the operations its pace allows
 * (rate per minute, operations in flight), skips targets whose operation cannot be made, stops a
 * campaign whose failures pass its abort policy and completes one that has nothing left to do.
 * A campaign is locked for its round (FOR UPDATE SKIP LOCKED), so instances share the work and a
 * target is dispatched once; each target's operation is created in the same transaction that
 * marks it dispatched.
 */
export class CampaignRunner {
  private readonly loop: RoundLoop;

  constructor(private readonly o: CampaignRunnerOptions) {
    this.loop = new RoundLoop(() => this.round(), o.pollMs, o.logger, 'campaign runner');
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass over the running campaigns. Returns the operations created. */
  async round(): Promise<number> {
    const ids = await this.o.knex('campaigns').where({ state: 'running' }).pluck<string[]>('id');
    let created = 0;
    for (const id of ids) created += await this.advance(id);
    return created;
  }

  private async advance(id: string): Promise<number> {
    const created: Operation[] = [];
    const ended = await this.o.knex.transaction(async (trx) => {
      const c = await trx<CampaignRow>('campaigns')
        .where({ id, state: 'running' })
        .forUpdate()
        .skipLocked()
        .first();
      if (!c) return undefined;
      const p = await this.o.campaigns.progress(trx, id);
      const failedShare = p.failed / Math.max(1, p.succeeded + p.failed);
      if (
        c.abort_policy &&
        p.succeeded + p.failed >= c.abort_policy.minEnded &&
        failedShare > c.abort_policy.failureRatio
      ) {
        await this.o.campaigns.record(trx, c, 'aborted', 'system', 'aborted', {
          policy: c.abort_policy,
          failed: p.failed,
          ended: p.succeeded + p.failed,
        });
        return 'aborted';
      }
      if (p.waiting === 0 && p.inFlight === 0) {
        await this.o.campaigns.record(trx, c, 'completed', 'system', 'completed', { progress: p });
        return 'completed';
      }
      const { n: lastMinute } = (await trx('campaign_targets')
        .where({ campaign_id: id })
        .where('dispatched_at', '>', trx.raw(`now() - interval '1 minute'`))
        .count('* as n')
        .first()) as { n: string };
      const budget = Math.min(
        c.max_in_flight - p.inFlight,
        c.rate_per_minute - Number(lastMinute),
        this.o.batch ?? 200,
      );
      if (budget <= 0) return undefined;
      const targets = await trx('campaign_targets')
        .where({ campaign_id: id })
        .whereNull('dispatched_at')
        .whereNull('skipped')
        .orderBy('eid')
        .limit(budget)
        .select('device_id');
      for (const t of targets as { device_id: string }[]) {
        const target = (k: Knex.Transaction) =>
          k('campaign_targets').where({ campaign_id: id, device_id: t.device_id });
        try {
          // A savepoint per target: one that cannot be made leaves the others untouched.
          const op = await trx.transaction(async (sp) => {
            const prepared = await this.o.campaigns.prepareOperation(
              { id, name: c.name, operation: c.operation, createdBy: c.created_by },
              t.device_id,
              sp,
            );
            const made = await this.o.operations.store.create(prepared, sp);
            await target(sp).update({ operation_id: made.id, dispatched_at: sp.fn.now() });
            return made;
          });
          created.push(op);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          await target(trx).update({ skipped: JSON.stringify(e.toJSON()) });
        }
      }
      return undefined;
    });
    if (ended === 'aborted') await this.o.campaigns.cancelPending(id, 'system');
    if (ended) this.o.logger.info({ campaign: id, state: ended }, 'campaign ended');
    for (const op of created) this.o.operations.created(op);
    return created.length;
  }
}
