import { pino } from 'pino';
import { defineBench } from '../../../bench/harness.js';
import { CampaignRunner } from '../src/campaigns/campaign-runner.js';
import { CampaignService } from '../src/campaigns/campaign-service.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrateLatest } from '../src/db/migrate.js';
import { KnexOperationStore } from '../src/operations/knex-operation-store.js';
import { OperationService } from '../src/operations/operation-service.js';

const N = 200;
let db: Database;
let operations: OperationService;
let campaigns: CampaignService;
let runner: CampaignRunner;
const devices: { id: string; iccidB: string }[] = [];
const eid = (i: number) => `8904903200000000000000000071${String(i).padStart(4, '0')}`;
let serial = 0;

const dropAll = async () => {
  await db.knex('campaigns').del();
  await db.knex('operations').del();
};

/**
 * A campaign over 200 devices: snapshot of the targets, then one runner round that resolves each
 * target's templated parameters on its device facts and creates its operation; next to creating
 * the same 200 operations directly with literal parameters.
 */
export default defineBench({
  name: 'orchestrator: campaign of 200 devices, create + dispatch (PGlite)',
  unit: '200 operations',
  async setup() {
    db = await openDatabase({ embedded: 'memory://' });
    await migrateLatest(db.knex);
    for (let i = 0; i < N; i++) {
      await db.knex('euiccs').insert({ eid: eid(i), stack: 'sgp02' });
      const [d] = await db
        .knex('devices')
        .insert({ eid: eid(i), tags: ['bench'] })
        .returning('id');
      const iccidB = `894420000000000${String(i).padStart(4, '0')}`;
      await db.knex('profiles').insert([
        {
          iccid: `894410000000000${String(i).padStart(4, '0')}`,
          eid: eid(i),
          operator: 'A',
          state: 'enabled',
        },
        { iccid: iccidB, eid: eid(i), operator: 'B', state: 'disabled' },
      ]);
      devices.push({ id: d.id, iccidB });
    }
    operations = new OperationService(db.knex, new KnexOperationStore(db.knex), new Map(), 86_400);
    campaigns = new CampaignService(db.knex, operations);
    runner = new CampaignRunner({
      knex: db.knex,
      campaigns,
      operations,
      logger: pino({ level: 'silent' }),
      pollMs: 1000,
      batch: N,
    });
  },
  async teardown() {
    await db.close();
  },
  baseline: {
    name: 'create the 200 operations directly',
    fn: async () => {
      for (const d of devices)
        await operations.request({
          deviceId: d.id,
          type: 'enable',
          params: { iccid: d.iccidB },
          requestedBy: 'bench',
        });
      await dropAll();
    },
  },
  subjects: [
    {
      name: 'a campaign: snapshot, then one round that resolves and creates them',
      fn: async () => {
        await campaigns.create(
          {
            name: `bench ${++serial}`,
            operation: {
              type: 'enable',
              params: { iccid: { fact: 'profiles', path: "$[?(@.operator=='B')].iccid" } },
            },
            selector: { tags: ['bench'] },
            ratePerMinute: 1_000_000,
            maxInFlight: 100_000,
            start: true,
          },
          'bench',
        );
        const made = await runner.round();
        if (made !== N) throw new Error(`${made} operations made, not ${N}`);
        await dropAll();
      },
    },
  ],
});
