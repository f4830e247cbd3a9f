import type { Knex } from 'knex';
import type { EsInterface } from './functions.js';
import type { SentRequest, Sgp02Store } from './sgp02-store.js';

interface Row {
  message_id: string;
  operation_id: string | null;
  correlation_id: string;
  interface: EsInterface;
  function: string;
  function_call_id: string;
  eid: string;
  platform_id: string;
  params: Record<string, unknown>;
  sent_at: Date;
  answered_at: Date | null;
}

const toRequest = (r: Row): SentRequest => ({
  messageId: r.message_id,
  operationId: r.operation_id,
  correlationId: r.correlation_id,
  iface: r.interface,
  fn: r.function,
  functionCallId: r.function_call_id,
  eid: r.eid,
  platformId: r.platform_id,
  params: r.params,
  sentAt: r.sent_at,
  answeredAt: r.answered_at,
});

export class KnexSgp02Store implements Sgp02Store {
  constructor(private readonly knex: Knex) {}

  async recordRequest(r: SentRequest, trx?: Knex.Transaction): Promise<void> {
    await (trx ?? this.knex)('sgp02_requests').insert({
      message_id: r.messageId,
      operation_id: r.operationId,
      correlation_id: r.correlationId,
      interface: r.iface,
      function: r.fn,
      function_call_id: r.functionCallId,
      eid: r.eid,
      platform_id: r.platformId,
      params: JSON.stringify(r.params),
    });
  }

  async findRequest(messageId: string, trx?: Knex.Transaction): Promise<SentRequest | undefined> {
    const row = await (trx ?? this.knex)<Row>('sgp02_requests').where({ message_id: messageId }).first();
    return row ? toRequest(row as Row) : undefined;
  }

  async markAnswered(
    messageId: string,
    answer: Record<string, unknown>,
    trx?: Knex.Transaction,
  ): Promise<boolean> {
    const n = await (trx ?? this.knex)('sgp02_requests')
      .where({ message_id: messageId })
      .whereNull('answered_at')
      .update({ answered_at: new Date(), answer: JSON.stringify(answer) });
    return n > 0;
  }

  async markReceived(
    m: { messageId: string; fromEntityId?: string; body: string },
    trx?: Knex.Transaction,
  ): Promise<'new' | 'duplicate'> {
    const inserted = await (trx ?? this.knex)('sgp02_received')
      .insert({ message_id: m.messageId, from_entity_id: m.fromEntityId ?? null, body: m.body })
      .onConflict('message_id')
      .ignore()
      .returning('message_id');
    return inserted.length > 0 ? 'new' : 'duplicate';
  }

  async unanswered(eid: string, trx?: Knex.Transaction): Promise<SentRequest[]> {
    const rows = await (trx ?? this.knex)<Row>('sgp02_requests')
      .where({ eid })
      .whereNull('answered_at')
      .whereNotNull('operation_id')
      .orderBy('sent_at');
    return (rows as Row[]).map(toRequest);
  }

  async staleEids(before: Date, limit: number, trx?: Knex.Transaction): Promise<string[]> {
    // Only operations still waiting: one that the worker ended (validity, cancel) needs no recovery.
    const rows = await (trx ?? this.knex)('sgp02_requests as r')
      .join('operations as o', 'o.id', 'r.operation_id')
      .whereNull('r.answered_at')
      .where('o.state', 'sent')
      .where('r.sent_at', '<', before)
      .distinct('r.eid as eid')
      .limit(limit);
    return rows.map((r: { eid: string }) => r.eid);
  }
}
