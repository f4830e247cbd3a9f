import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { backoffMs } from '../operations/backoff.js';
import { signWebhook } from './signature.js';

export interface DelivererOptions {
  knex: Knex;
  logger: Logger;
  pollMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  timeoutMs: number;
  batch?: number;
}

interface Due {
  id: number;
  event_type: string;
  payload: Record<string, unknown>;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Sends the webhook outbox: claims due deliveries (`FOR UPDATE SKIP LOCKED` + a lease, so several
 * instances share the work and a crashed one's claims come back), POSTs each signed, and records
 * the answer: delivered on 2xx, retried with backoff otherwise, failed after the last attempt.
 * Delivery is at least once: a subscriber dedupes by `X-Esim-Delivery`.
 */
export class WebhookDeliverer {
  private readonly owner = `webhooks:${randomUUID()}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly o: DelivererOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.running = this.round()
        .catch((err: unknown) => this.o.logger.error({ err }, 'webhook round failed'))
        .finally(() => {
          if (!this.stopped) this.schedule(this.o.pollMs);
        });
    }, ms);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Sends what is due now; returns how many were attempted. */
  async round(): Promise<number> {
    const leaseSeconds = Math.ceil(this.o.timeoutMs / 1000) + 30;
    const due = await this.o.knex.transaction(async (trx) => {
      const { rows } = await trx.raw<{ rows: Due[] }>(
        `select d.id, d.event_type, d.payload, d.attempts, s.url, s.secret
           from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
          where d.state = 'pending' and d.next_attempt_at <= now()
            and (d.lease_expires_at is null or d.lease_expires_at < now())
          order by d.id limit ? for update of d skip locked`,
        [this.o.batch ?? 50],
      );
      if (rows.length > 0)
        await trx('webhook_deliveries')
          .whereIn(
            'id',
            rows.map((r) => r.id),
          )
          .update({
            lease_owner: this.owner,
            lease_expires_at: trx.raw(`now() + make_interval(secs => ?)`, [leaseSeconds]),
          });
      return rows;
    });
    await Promise.all(due.map((d) => this.deliver(d)));
    return due.length;
  }

  private async deliver(d: Due): Promise<void> {
    const body = JSON.stringify(d.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'esim-orchestrator-webhooks/1',
          'x-esim-delivery': String(d.id),
          'x-esim-event': d.event_type,
          'x-esim-timestamp': String(timestamp),
          'x-esim-signature': signWebhook(d.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs),
        redirect: 'manual',
      });
      status = res.status;
      await res.body?.cancel();
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    const attempts = d.attempts + 1;
    const done = error === null;
    const giveUp = !done && attempts >= this.o.maxAttempts;
    await this.o
      .knex('webhook_deliveries')
      .where({ id: d.id, lease_owner: this.owner })
      .update({
        state: done ? 'delivered' : giveUp ? 'failed' : 'pending',
        attempts,
        last_status: status,
        last_error: error,
        delivered_at: done ? this.o.knex.fn.now() : null,
        next_attempt_at: new Date(
          Date.now() + (done || giveUp ? 0 : backoffMs(attempts, this.o.retryBaseMs, 3_600_000)),
        ),
        lease_owner: null,
        lease_expires_at: null,
      });
  }
}
