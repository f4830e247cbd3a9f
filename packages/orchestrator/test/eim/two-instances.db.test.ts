import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, GetEimPackageResponse } from '@esim/asn1';
import { openDatabase, type Database } from '../../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { startEim, type EimFixture } from './support/eim-fixture.js';
import { ipa, SGP26_EID, TestEuicc } from './support/test-euicc.js';

const kind = testDatabaseKind();

/**
 * Two eIM instances behind a load balancer, sharing the database (on PostgreSQL each with its own
 * connection pool; PGlite is one process, so there they share it): queueing and polling at the
 * same time, they never hand out two packages at once nor sign two with the same counter.
 */
describe(`two eIM instances on ${kind}`, () => {
  let db: Database;
  let second: Database | undefined;
  let a: EimFixture & { dataDir: string };
  let b: EimFixture;

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    if (kind === 'postgres') second = await openDatabase({ url: db.url });
    a = await startEim(db.knex);
    b = await startEim((second ?? db).knex, { dataDir: a.dataDir });
  });
  afterAll(async () => {
    await second?.close();
    await db?.close();
  });

  it('allocate distinct counters and deliver one package at a time, in counter order', async () => {
    const card = new TestEuicc(a.credentials.certificate);
    await a.store.saveCertificates(SGP26_EID, {
      euiccCertificate: card.euiccCertificate,
      eumCertificate: card.eumCertificate,
    });
    const queued = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).eim.queueEuiccPackage({
          eid: SGP26_EID,
          euiccPackage: { psmoList: [{ getRAT: {} }] },
        }),
      ),
    );
    const counters = queued.map((q) => q.counterValue!);
    expect(new Set(counters).size).toBe(10);
    expect(Math.max(...counters)).toBe(10);

    // Both instances answer the same device at the same instant: the same package in flight.
    const [x, y] = await Promise.all(
      [a, b].map(async (f) => (await f.handler.handle(ipa.getEimPackage(SGP26_EID))).body!),
    );
    expect(Buffer.from(x!)).toEqual(Buffer.from(y!));
    // The device works through the queue, alternating instances; the card accepts each counter.
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      const f = i % 2 ? a : b;
      const pkg = decode(GetEimPackageResponse, (await f.handler.handle(ipa.getEimPackage(SGP26_EID))).body!);
      const p = await card.verifyPackage(pkg.euiccPackageRequest!);
      seen.push(p.counterValue);
      const result = await card.signedResult({ ...p, eimId: f.eim.eimId }, [{ getRATResult: [] }]);
      await f.handler.handle(ipa.provideResult(SGP26_EID, result));
    }
    expect(seen).toEqual([...counters].sort((m, n) => m - n));
    expect((await a.store.listPackages(SGP26_EID)).every((p) => p.state === 'done')).toBe(true);
  });
});
