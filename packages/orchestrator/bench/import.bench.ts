import { defineBench } from '../../../bench/harness.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrateLatest } from '../src/db/migrate.js';
import { bulkImport } from '../src/inventory/bulk-import.js';
import { checkRow, type ParsedRow } from '../src/inventory/import-row.js';

let db: Database;
let next = 0;
const ROWS = 1000;
const eid = (i: number) => `89049032${String(i).padStart(24, '0')}`;
const iccid = (i: number) => `894450${String(i).padStart(13, '0')}`;

function* rows(): Generator<ParsedRow> {
  for (let i = 0; i < ROWS; i++, next++)
    yield checkRow(i + 2, {
      eid: eid(next),
      stack: next % 2 ? 'sgp02' : 'sgp32',
      externalId: `d-${next}`,
      iccid: iccid(next),
      operator: 'op-a',
      profileState: 'enabled',
    });
}

/**
 * Bulk import per 1000 rows (each a device + eUICC + profile): row checks, staging, the checks
 * across rows in SQL and three upserts, next to inserting the same rows straight into the tables.
 */
export default defineBench({
  name: 'orchestrator: bulk import of 1000 device+eUICC+profile rows (PGlite)',
  unit: '1000 rows',
  time: 3000,
  async setup() {
    db = await openDatabase({ embedded: 'memory://' });
    await migrateLatest(db.knex);
  },
  async teardown() {
    await db.close();
  },
  baseline: {
    name: 'plain batch inserts into euiccs, devices, profiles',
    fn: async () => {
      const batch = [...rows()].map((r) => ('row' in r ? r.row : undefined)!);
      await db.knex.transaction(async (trx) => {
        await trx('euiccs').insert(batch.map((r) => ({ eid: r.eid, stack: r.stack })));
        await trx('devices').insert(batch.map((r) => ({ eid: r.eid, external_id: r.externalId })));
        await trx('profiles').insert(
          batch.map((r) => ({ iccid: r.iccid, eid: r.eid, operator: r.operator, state: r.profileState })),
        );
      });
    },
  },
  subjects: [
    {
      name: 'bulkImport (checked, all or nothing, upsert)',
      fn: async () => {
        const report = await bulkImport(db.knex, rows(), { partial: false, actor: 'bench' });
        if (!report.committed) throw new Error(JSON.stringify(report.errors.slice(0, 3)));
      },
    },
  ],
});
