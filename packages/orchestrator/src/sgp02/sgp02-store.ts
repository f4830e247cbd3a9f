import type { Knex } from 'knex';
import type { EsInterface } from './functions.js';

export interface SentRequest {
  messageId: string;
  operationId: string | null;
  correlationId: string;
  iface: EsInterface;
  fn: string;
  functionCallId: string;
  eid: string;
  platformId: string;
  params: Record<string, unknown>;
  /** Set by the store. */
  sentAt?: Date;
  answeredAt?: Date | null;
}

/** What the SGP.02 stack remembers of the wire (see the migration 20261125_0200_sgp02_messages). */
export interface Sgp02Store {
  recordRequest(r: SentRequest, trx?: Knex.Transaction): Promise<void>;
  findRequest(messageId: string, trx?: Knex.Transaction): Promise<SentRequest | undefined>;
  /** Marks the request answered; false when it already was (a second answer). */
  markAnswered(messageId: string, answer: Record<string, unknown>, trx?: Knex.Transaction): Promise<boolean>;
  /** Records a received MessageID; 'duplicate' when it was received before. */
  markReceived(
    m: { messageId: string; fromEntityId?: string; body: string },
    trx?: Knex.Transaction,
  ): Promise<'new' | 'duplicate'>;
  /** Requests of operations on `eid` still waiting for their answer, oldest first. */
  unanswered(eid: string, trx?: Knex.Transaction): Promise<SentRequest[]>;
  /** eUICCs with a request of an operation sent before `before` and still unanswered. */
  staleEids(before: Date, limit: number, trx?: Knex.Transaction): Promise<string[]>;
}
