import { pino } from 'pino';
import { defineBench } from '../../../bench/harness.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrateLatest } from '../src/db/migrate.js';
import { KnexOperationStore } from '../src/operations/knex-operation-store.js';
import { OperationWorker } from '../src/operations/worker.js';
import type { StackAdapter } from '../src/stacks/stack-adapter.js';

let db: Database;
let store: KnexOperationStore;
let worker: OperationWorker;
const BATCH = 50;
const eid = (i: number) => `8904903200000000000000000070${String(i).padStart(4, '0')}`;

/** A stack that answers at once: what is measured is the queue, not a peer. */
const instant: StackAdapter = {
  stack: 'sgp02',
  supports: () => ({ supported: true }),
  dispatch: async () => ({ status: 'succeeded', result: {} }),
};

async function create(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < BATCH; i++)
    ids.push(
      (await store.create({ eid: eid(i), stack: 'sgp02', type: 'audit', params: {}, requestedBy: 'bench' }))
        .id,
    );
  return ids;
}

// Both tasks drop their operations afterwards, so neither leaves a backlog for the other.
const drop = (ids: string[]) => db.knex('operations').whereIn('id', ids).del();

/**
 * The durable queue per 50 operations on 50 eUICCs: claim (SKIP LOCKED, lease, per-card lock),
 * dispatch to an instant stack, record the end with its audit entry; next to creating them only.
 */
export default defineBench({
  name: 'orchestrator: operation queue, create + claim + dispatch + end (PGlite)',
  unit: '50 operations',
  async setup() {
    db = await openDatabase({ embedded: 'memory://' });
    await migrateLatest(db.knex);
    for (let i = 0; i < BATCH; i++) await db.knex('euiccs').insert({ eid: eid(i), stack: 'sgp02' });
    store = new KnexOperationStore(db.knex);
    worker = new OperationWorker({
      knex: db.knex,
      store,
      adapters: new Map([['sgp02', instant]]),
      logger: pino({ level: 'silent' }),
      pollMs: 1000,
      leaseSeconds: 30,
      retryBaseMs: 1000,
      retryMaxMs: 60_000,
      batch: BATCH,
    });
  },
  async teardown() {
    await db.close();
  },
  baseline: { name: 'create the operations only', fn: async () => drop(await create()) },
  subjects: [
    {
      name: 'create them and run them through the worker',
      fn: async () => {
        const ids = await create();
        const done = await worker.round();
        if (done !== BATCH) throw new Error(`${done} operations ran, not ${BATCH}`);
        await drop(ids);
      },
    },
  ],
});
