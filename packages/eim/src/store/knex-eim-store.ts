import type { Knex } from 'knex';
import type {
  DeliveryResult,
  EimAssociation,
  EimPackage,
  EimPackageState,
  EimStore,
  EuiccCertificates,
  NewEimPackage,
  RecordedRejection,
  Rejection,
  RelaySession,
  RelaySessionState,
} from './eim-store.js';

interface PackageRow {
  id: string | number;
  eid: string;
  eim_id: string;
  kind: EimPackage['kind'];
  eim_transaction_id: string;
  counter_value: string | number | null;
  body: Buffer;
  handout: Buffer | null;
  state: EimPackageState;
  requested_by: string | null;
  valid_until: Date | null;
  deliveries: number;
  delivered_at: Date | null;
  completed_at: Date | null;
  result: Record<string, unknown> | null;
  created_at: Date;
}

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const buffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

function toPackage(r: PackageRow): EimPackage {
  return {
    id: String(r.id),
    eid: r.eid,
    eimId: r.eim_id,
    kind: r.kind,
    eimTransactionId: r.eim_transaction_id,
    counterValue: r.counter_value === null ? null : Number(r.counter_value),
    body: bytes(r.body),
    handout: r.handout ? bytes(r.handout) : null,
    state: r.state,
    requestedBy: r.requested_by,
    validUntil: r.valid_until,
    deliveries: r.deliveries,
    deliveredAt: r.delivered_at,
    completedAt: r.completed_at,
    result: r.result,
    createdAt: r.created_at,
  };
}

function toAssociation(r: {
  eim_id: string;
  eid: string;
  counter_value: string | number;
  association_token: number | null;
}): EimAssociation {
  return {
    eimId: r.eim_id,
    eid: r.eid,
    counterValue: Number(r.counter_value),
    associationToken: r.association_token,
  };
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/**
 * The next counterValue of an (eimId, EID): one statement, whose row lock serialises concurrent
 * allocations; a committed value is never handed out again whatever happens afterwards.
 */
async function allocate(knex: Knex, eimId: string, eid: string): Promise<number> {
  const { rows } = await knex.raw<{ rows: { counter_value: string | number }[] }>(
    `insert into eim_associations (eim_id, eid, counter_value) values (?, ?, 1)
     on conflict (eim_id, eid) do update
       set counter_value = eim_associations.counter_value + 1, updated_at = now()
     returning counter_value`,
    [eimId, eid],
  );
  return Number(rows[0]!.counter_value);
}

/** EimStore on PostgreSQL or PGlite (same SQL through the pg driver). */
export class KnexEimStore implements EimStore {
  constructor(private readonly knex: Knex) {}

  async associate(
    eimId: string,
    eid: string,
    associationToken: number | null = null,
  ): Promise<EimAssociation> {
    await this.knex('eim_associations')
      .insert({ eim_id: eimId, eid, association_token: associationToken })
      .onConflict(['eim_id', 'eid'])
      .ignore();
    return (await this.getAssociation(eimId, eid))!;
  }

  async getAssociation(eimId: string, eid: string): Promise<EimAssociation | undefined> {
    const row = await this.knex('eim_associations').where({ eim_id: eimId, eid }).first();
    return row ? toAssociation(row) : undefined;
  }

  async setAssociationToken(eimId: string, eid: string, associationToken: number): Promise<void> {
    await this.knex('eim_associations')
      .insert({ eim_id: eimId, eid, association_token: associationToken })
      .onConflict(['eim_id', 'eid'])
      .merge({ association_token: associationToken, updated_at: this.knex.fn.now() });
  }

  async allocateCounter(eimId: string, eid: string): Promise<number> {
    return allocate(this.knex, eimId, eid);
  }

  async enqueueWithCounter(
    eimId: string,
    eid: string,
    build: (counterValue: number) => Promise<NewEimPackage>,
  ): Promise<EimPackage> {
    // The association row stays locked from the allocation to the commit of the package.
    return this.knex.transaction(async (trx) => {
      const pkg = await build(await allocate(trx, eimId, eid));
      return new KnexEimStore(trx).enqueue(pkg);
    });
  }

  async enqueue(pkg: NewEimPackage): Promise<EimPackage> {
    const [row] = await this.knex('eim_packages')
      .insert({
        eid: pkg.eid,
        eim_id: pkg.eimId,
        kind: pkg.kind,
        eim_transaction_id: pkg.eimTransactionId,
        counter_value: pkg.counterValue,
        body: buffer(pkg.body),
        requested_by: pkg.requestedBy,
        valid_until: pkg.validUntil,
      })
      .returning('*');
    return toPackage(row as PackageRow);
  }

  async pollState(eimId: string, eid: string): Promise<'unknown' | 'idle' | 'waiting'> {
    const { rows } = await this.knex.raw<{ rows: { associated: boolean; waiting: boolean }[] }>(
      `select exists (select 1 from eim_associations where eim_id = ? and eid = ?) as associated,
              exists (select 1 from eim_packages where eid = ? and state in ('pending', 'delivered')) as waiting`,
      [eimId, eid, eid],
    );
    const r = rows[0]!;
    return !r.associated ? 'unknown' : r.waiting ? 'waiting' : 'idle';
  }

  async nextForDelivery(eid: string): Promise<DeliveryResult> {
    // The common case of a device asking again for the package in flight: one statement.
    const [again] = (await this.knex('eim_packages')
      .where({ eid, state: 'delivered' })
      .where((q) => q.whereNull('valid_until').orWhere('valid_until', '>=', this.knex.fn.now()))
      .update({ deliveries: this.knex.raw('deliveries + 1'), updated_at: this.knex.fn.now() })
      .returning('*')) as PackageRow[];
    if (again) return { delivered: toPackage(again), expired: [] };
    try {
      return await this.knex.transaction(async (trx) => {
        const expired = (
          (await trx('eim_packages')
            .where({ eid })
            .whereIn('state', ['pending', 'delivered'])
            .where('valid_until', '<', trx.fn.now())
            .update({ state: 'expired', completed_at: trx.fn.now(), updated_at: trx.fn.now() })
            .returning('*')) as PackageRow[]
        ).map(toPackage);
        const inFlight = (await trx('eim_packages')
          .where({ eid, state: 'delivered' })
          .update({ deliveries: trx.raw('deliveries + 1'), updated_at: trx.fn.now() })
          .returning('*')) as PackageRow[];
        if (inFlight[0]) return { delivered: toPackage(inFlight[0]), expired };
        const next = (await trx('eim_packages')
          .where({ eid, state: 'pending' })
          .orderBy('id')
          .first('id')
          .forUpdate()
          .skipLocked()) as { id: string } | undefined;
        if (!next) return { expired };
        const [row] = (await trx('eim_packages')
          .where({ id: next.id })
          .update({
            state: 'delivered',
            deliveries: 1,
            delivered_at: trx.fn.now(),
            updated_at: trx.fn.now(),
          })
          .returning('*')) as PackageRow[];
        return { delivered: toPackage(row!), expired };
      });
    } catch (e) {
      // Another instance delivered a package to this EID at the same instant: hand out that one.
      if (!isUniqueViolation(e)) throw e;
      const row = (await this.knex('eim_packages').where({ eid, state: 'delivered' }).first()) as
        PackageRow | undefined;
      return { delivered: row ? toPackage(row) : undefined, expired: [] };
    }
  }

  async findByTransaction(eimTransactionId: string): Promise<EimPackage | undefined> {
    const row = await this.knex('eim_packages').where({ eim_transaction_id: eimTransactionId }).first();
    return row ? toPackage(row as PackageRow) : undefined;
  }

  async complete(
    id: string,
    from: readonly EimPackageState[],
    to: 'done' | 'failed',
    result: Record<string, unknown>,
  ): Promise<EimPackage | undefined> {
    const [row] = (await this.knex('eim_packages')
      .where({ id })
      .whereIn('state', from)
      .update({
        state: to,
        result: JSON.stringify(result),
        completed_at: this.knex.fn.now(),
        updated_at: this.knex.fn.now(),
      })
      .returning('*')) as PackageRow[];
    return row ? toPackage(row) : undefined;
  }

  async recoverInFlight(id: string, handout: Uint8Array): Promise<boolean> {
    const n = await this.knex('eim_packages')
      .where({ id, state: 'delivered' })
      .whereNull('handout')
      .update({ handout: buffer(handout), updated_at: this.knex.fn.now() });
    return n === 1;
  }

  async expireDue(): Promise<EimPackage[]> {
    const rows = (await this.knex('eim_packages')
      .whereIn('state', ['pending', 'delivered'])
      .where('valid_until', '<', this.knex.fn.now())
      .update({ state: 'expired', completed_at: this.knex.fn.now(), updated_at: this.knex.fn.now() })
      .returning('*')) as PackageRow[];
    return rows.map(toPackage);
  }

  async listPackages(eid: string): Promise<EimPackage[]> {
    const rows = (await this.knex('eim_packages').where({ eid }).orderBy('id')) as PackageRow[];
    return rows.map(toPackage);
  }

  async saveCertificates(eid: string, c: EuiccCertificates): Promise<void> {
    await this.knex('eim_euicc_certificates')
      .insert({
        eid,
        euicc_certificate: buffer(c.euiccCertificate),
        eum_certificate: buffer(c.eumCertificate),
      })
      .onConflict('eid')
      .merge(['euicc_certificate', 'eum_certificate', 'updated_at']);
  }

  async getCertificates(eid: string): Promise<EuiccCertificates | undefined> {
    const row = (await this.knex('eim_euicc_certificates').where({ eid }).first()) as
      { euicc_certificate: Buffer; eum_certificate: Buffer } | undefined;
    return row
      ? { euiccCertificate: bytes(row.euicc_certificate), eumCertificate: bytes(row.eum_certificate) }
      : undefined;
  }

  async recordNotification(
    eid: string,
    seqNumber: number,
    operation: string,
    iccid: string | null,
  ): Promise<boolean> {
    const rows = await this.knex('eim_notifications')
      .insert({ eid, seq_number: seqNumber, operation, iccid })
      .onConflict(['eid', 'seq_number'])
      .ignore()
      .returning('seq_number');
    return rows.length === 1;
  }

  async recordRejection(r: Rejection): Promise<void> {
    await this.knex('eim_rejected_results').insert({
      eid: r.eid,
      eim_transaction_id: r.eimTransactionId,
      function: r.function,
      reason: r.reason,
      message: r.message,
      body: r.body ? buffer(r.body) : null,
    });
  }

  async listRejections(eid?: string): Promise<RecordedRejection[]> {
    const q = this.knex('eim_rejected_results').orderBy('id');
    if (eid !== undefined) q.where({ eid });
    const rows = (await q) as {
      id: string | number;
      eid: string | null;
      eim_transaction_id: string | null;
      function: string;
      reason: string;
      message: string;
      body: Buffer | null;
      received_at: Date;
    }[];
    return rows.map((r) => ({
      id: String(r.id),
      eid: r.eid,
      eimTransactionId: r.eim_transaction_id,
      function: r.function,
      reason: r.reason,
      message: r.message,
      body: r.body ? bytes(r.body) : null,
      receivedAt: r.received_at,
    }));
  }

  async createRelaySession(s: RelaySession): Promise<void> {
    await this.knex('eim_relay_sessions').insert({
      transaction_id: s.transactionId,
      eid: s.eid,
      smdp_address: s.smdpAddress,
      eim_transaction_id: s.eimTransactionId,
      state: s.state,
    });
  }

  async getRelaySession(transactionId: string): Promise<RelaySession | undefined> {
    const r = (await this.knex('eim_relay_sessions').where({ transaction_id: transactionId }).first()) as
      | {
          transaction_id: string;
          eid: string | null;
          smdp_address: string;
          eim_transaction_id: string | null;
          state: RelaySessionState;
        }
      | undefined;
    return r
      ? {
          transactionId: r.transaction_id,
          eid: r.eid,
          smdpAddress: r.smdp_address,
          eimTransactionId: r.eim_transaction_id,
          state: r.state,
        }
      : undefined;
  }

  async moveRelaySession(
    transactionId: string,
    from: readonly RelaySessionState[],
    to: RelaySessionState,
  ): Promise<boolean> {
    const n = await this.knex('eim_relay_sessions')
      .where({ transaction_id: transactionId })
      .whereIn('state', from)
      .update({ state: to, updated_at: this.knex.fn.now() });
    return n === 1;
  }

  async deleteRelaySession(transactionId: string): Promise<boolean> {
    const n = await this.knex('eim_relay_sessions').where({ transaction_id: transactionId }).delete();
    return n === 1;
  }
}
