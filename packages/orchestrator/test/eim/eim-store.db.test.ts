import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnexEimStore, type NewEimPackage } from '@esim/eim';
import type { Database } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';

const EIM = 'eim.test';
let eidSeq = 0;
/** A fresh EID per test, so the tests of this file do not see each other's queues. */
const newEid = () => `890490321234512345123456789${String(++eidSeq).padStart(5, '0')}`;

const pkg = (eid: string, over: Partial<NewEimPackage> = {}): NewEimPackage => ({
  eid,
  eimId: EIM,
  kind: 'euiccPackage',
  eimTransactionId: `${eid.slice(-6)}${Math.random().toString(16).slice(2, 12)}`,
  counterValue: null,
  body: new Uint8Array([0xbf, 0x4f, 0x03, 0x02, 0x01, 0x01]),
  requestedBy: null,
  validUntil: null,
  ...over,
});

describe(`eIM store on ${testDatabaseKind()}`, () => {
  let db: Database;
  let store: KnexEimStore;
  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    store = new KnexEimStore(db.knex);
  });
  afterAll(() => db?.close());

  describe('associations and counters', () => {
    it('allocates strictly increasing counters per eUICC, associating on first use', async () => {
      const eid = newEid();
      expect(await store.getAssociation(EIM, eid)).toBeUndefined();
      expect(await store.allocateCounter(EIM, eid)).toBe(1);
      expect(await store.allocateCounter(EIM, eid)).toBe(2);
      expect(await store.getAssociation(EIM, eid)).toMatchObject({ counterValue: 2, associationToken: null });
      // Another eUICC has its own counter.
      expect(await store.allocateCounter(EIM, newEid())).toBe(1);
    });

    it('never hands out the same counter to concurrent allocations', async () => {
      const eid = newEid();
      const values = await Promise.all(Array.from({ length: 20 }, () => store.allocateCounter(EIM, eid)));
      expect(new Set(values).size).toBe(20);
      expect(Math.max(...values)).toBe(20);
    });

    it('keeps counters across a second connection (another instance, or after a restart)', async () => {
      const eid = newEid();
      await store.allocateCounter(EIM, eid);
      await store.allocateCounter(EIM, eid);
      if (testDatabaseKind() === 'postgres') {
        const other = await openDatabase({ url: db.url });
        try {
          const second = new KnexEimStore(other.knex);
          const both = await Promise.all([second.allocateCounter(EIM, eid), store.allocateCounter(EIM, eid)]);
          expect(both.sort()).toEqual([3, 4]);
        } finally {
          await other.close();
        }
      } else {
        expect(await new KnexEimStore(db.knex).allocateCounter(EIM, eid)).toBe(3);
      }
    });

    it('queues packages in counter order however they race, and spends no counter on a failed build', async () => {
      const eid = newEid();
      await expect(
        store.enqueueWithCounter(EIM, eid, async () => {
          throw new Error('signing failed');
        }),
      ).rejects.toThrow('signing failed');
      const queued = await Promise.all(
        Array.from({ length: 8 }, () =>
          store.enqueueWithCounter(EIM, eid, async (counterValue) => pkg(eid, { counterValue })),
        ),
      );
      const byId = [...queued].sort((x, y) => Number(x.id) - Number(y.id)).map((p) => p.counterValue);
      expect(byId).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('associates once with the token given and does not overwrite it', async () => {
      const eid = newEid();
      expect(await store.associate(EIM, eid, 42)).toMatchObject({ counterValue: 0, associationToken: 42 });
      expect(await store.associate(EIM, eid, 7)).toMatchObject({ associationToken: 42 });
      // What the eUICC reports later replaces it, and associates an EID not seen yet.
      await store.setAssociationToken(EIM, eid, 3);
      expect(await store.getAssociation(EIM, eid)).toMatchObject({ associationToken: 3, counterValue: 0 });
      const other = newEid();
      await store.setAssociationToken(EIM, other, 1);
      expect(await store.getAssociation(EIM, other)).toMatchObject({ associationToken: 1 });
    });
  });

  describe('package queue', () => {
    it('delivers in order, one in flight, the same one again until it completes', async () => {
      const eid = newEid();
      expect(await store.pollState(EIM, eid)).toBe('unknown');
      await store.associate(EIM, eid);
      expect(await store.pollState(EIM, eid)).toBe('idle');
      const a = await store.enqueue(pkg(eid, { counterValue: 1, requestedBy: 'op-a' }));
      const b = await store.enqueue(pkg(eid, { counterValue: 2 }));
      expect(a).toMatchObject({ state: 'pending', deliveries: 0, requestedBy: 'op-a', counterValue: 1 });
      expect(await store.pollState(EIM, eid)).toBe('waiting');

      const first = await store.nextForDelivery(eid);
      expect(first.delivered).toMatchObject({ id: a.id, state: 'delivered', deliveries: 1 });
      expect(Buffer.from(first.delivered!.body)).toEqual(Buffer.from(a.body));
      const again = await store.nextForDelivery(eid);
      expect(again.delivered).toMatchObject({ id: a.id, deliveries: 2 });

      expect(await store.complete(a.id, ['delivered'], 'done', { ok: true })).toMatchObject({
        state: 'done',
        result: { ok: true },
      });
      // A second completion (a duplicate result) does not apply.
      expect(await store.complete(a.id, ['delivered'], 'failed', {})).toBeUndefined();
      expect((await store.nextForDelivery(eid)).delivered).toMatchObject({ id: b.id });
      await store.complete(b.id, ['delivered'], 'failed', { code: 'x' });
      expect(await store.nextForDelivery(eid)).toEqual({ expired: [] });
      expect(await store.pollState(EIM, eid)).toBe('idle');
      expect((await store.listPackages(eid)).map((p) => p.state)).toEqual(['done', 'failed']);
    });

    it('hands out a recovery request in place of the package in flight, once, keeping the package', async () => {
      const eid = newEid();
      const a = await store.enqueue(pkg(eid));
      expect(await store.recoverInFlight(a.id, Uint8Array.of(0xbf, 0x52))).toBe(false); // still pending
      await store.nextForDelivery(eid);
      expect(await store.recoverInFlight(a.id, Uint8Array.of(0xbf, 0x52))).toBe(true);
      expect(await store.recoverInFlight(a.id, Uint8Array.of(0xbf, 0x53))).toBe(false);
      const { delivered } = await store.nextForDelivery(eid);
      expect([...delivered!.handout!]).toEqual([0xbf, 0x52]);
      expect([...delivered!.body]).toEqual([...a.body]);
    });

    it('refuses a second package in flight for the same eUICC at the database level', async () => {
      const eid = newEid();
      const a = await store.enqueue(pkg(eid));
      const b = await store.enqueue(pkg(eid));
      await store.nextForDelivery(eid);
      await expect(
        db.knex('eim_packages').where({ id: b.id }).update({ state: 'delivered' }),
      ).rejects.toThrow(/eim_packages_one_delivered_per_eid/);
      expect((await store.findByTransaction(a.eimTransactionId))?.state).toBe('delivered');
    });

    it('hands out one package when two polls of the same EID race', async () => {
      const eid = newEid();
      await store.enqueue(pkg(eid));
      await store.enqueue(pkg(eid));
      const polls = await Promise.all([store.nextForDelivery(eid), store.nextForDelivery(eid)]);
      const ids = new Set(polls.map((p) => p.delivered?.id));
      expect(ids.size).toBe(1);
      expect((await store.listPackages(eid)).filter((p) => p.state === 'delivered')).toHaveLength(1);
    });

    it('expires packages past their validity instead of delivering them', async () => {
      const eid = newEid();
      const old = await store.enqueue(pkg(eid, { validUntil: new Date(Date.now() - 1000) }));
      const fresh = await store.enqueue(pkg(eid, { validUntil: new Date(Date.now() + 60_000) }));
      const r = await store.nextForDelivery(eid);
      expect(r.expired.map((p) => p.id)).toEqual([old.id]);
      expect(r.delivered?.id).toBe(fresh.id);
      const other = newEid();
      const stale = await store.enqueue(pkg(other, { validUntil: new Date(Date.now() - 1) }));
      expect((await store.expireDue()).map((p) => p.id)).toContain(stale.id);
      expect((await store.findByTransaction(stale.eimTransactionId))?.state).toBe('expired');
    });

    it('rejects a duplicate eimTransactionId and changes nothing', async () => {
      const eid = newEid();
      const a = await store.enqueue(pkg(eid));
      await expect(store.enqueue(pkg(eid, { eimTransactionId: a.eimTransactionId }))).rejects.toThrow(
        /eim_packages_transaction_unique/,
      );
      expect(await store.listPackages(eid)).toHaveLength(1);
    });

    it('finds nothing for an unknown transaction', async () => {
      expect(await store.findByTransaction('00')).toBeUndefined();
    });
  });

  describe('certificates, notifications, rejections, relay sessions', () => {
    it('stores and replaces the eUICC certificates', async () => {
      const eid = newEid();
      expect(await store.getCertificates(eid)).toBeUndefined();
      await store.saveCertificates(eid, {
        euiccCertificate: Uint8Array.of(1),
        eumCertificate: Uint8Array.of(2),
      });
      await store.saveCertificates(eid, {
        euiccCertificate: Uint8Array.of(3),
        eumCertificate: Uint8Array.of(4),
      });
      const c = await store.getCertificates(eid);
      expect([...c!.euiccCertificate, ...c!.eumCertificate]).toEqual([3, 4]);
    });

    it('recognises a notification sequence number seen before', async () => {
      const eid = newEid();
      expect(await store.recordNotification(eid, 5, 'enable', '8944000000000000001')).toBe(true);
      expect(await store.recordNotification(eid, 5, 'enable', '8944000000000000001')).toBe(false);
      expect(await store.recordNotification(newEid(), 5, 'enable', null)).toBe(true);
    });

    it('records rejections with their reason', async () => {
      const eid = newEid();
      await store.recordRejection({
        eid,
        eimTransactionId: 'AB',
        function: 'ProvideEimPackageResult',
        reason: 'badSignature',
        message: 'euiccSignEPR does not verify',
        body: Uint8Array.of(0xbf, 0x50, 0),
      });
      const [r] = await store.listRejections(eid);
      expect(r).toMatchObject({ eid, reason: 'badSignature', function: 'ProvideEimPackageResult' });
      expect([...r!.body!]).toEqual([0xbf, 0x50, 0]);
      expect(r!.receivedAt).toBeInstanceOf(Date);
    });

    it('moves relay sessions only from the expected state and deletes them', async () => {
      await store.createRelaySession({
        transactionId: 'A1B2',
        eid: newEid(),
        smdpAddress: 'smdp.example',
        eimTransactionId: null,
        state: 'initiated',
      });
      expect(await store.moveRelaySession('A1B2', ['initiated'], 'authenticated')).toBe(true);
      expect(await store.moveRelaySession('A1B2', ['initiated'], 'authenticated')).toBe(false);
      expect((await store.getRelaySession('A1B2'))?.state).toBe('authenticated');
      expect(await store.deleteRelaySession('A1B2')).toBe(true);
      expect(await store.getRelaySession('A1B2')).toBeUndefined();
      expect(await store.deleteRelaySession('A1B2')).toBe(false);
    });
  });
});
