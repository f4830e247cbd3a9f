import { defineBench } from '../../../bench/harness.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadConfig } from '../src/config/load.js';
import { buildCoreServices, type CoreServices } from '../src/modules/core-services.js';
import type { OperationType } from '../src/operations/vocabulary.js';

let db: Database;
let core: CoreServices;
let n = 0;
const DEVICES = 100;
const eid = (i: number) => `8904903200000000000000000050${String(i).padStart(4, '0')}`;
const event = (eventId: string) => ({
  source: 'bench',
  eventId,
  type: 'device.connectivity_lost',
  eid: eid(n % DEVICES),
  payload: { durationSeconds: 900, fallbackIccid: '8944500000000005002' },
});

/**
 * Event intake end to end (store, device facts, three rules in json-rules-engine, one operation
 * created and audited, one transaction), next to the least an event can cost: storing its row.
 */
export default defineBench({
  name: 'orchestrator: event -> rules -> operation (PGlite)',
  unit: 'event',
  async setup() {
    db = await openDatabase({ embedded: 'memory://' });
    await migrateLatest(db.knex);
    core = buildCoreServices(db.knex, loadConfig({}), new Map());
    for (let i = 0; i < DEVICES; i++) {
      await db.knex('euiccs').insert({ eid: eid(i), stack: i % 2 ? 'sgp02' : 'sgp32' });
      await db.knex('devices').insert({ eid: eid(i), country: 'DE', tags: ['bench'] });
      await db.knex('profiles').insert({
        iccid: `89445000000005${String(i).padStart(5, '0')}`,
        eid: eid(i),
        operator: 'op-a',
        state: 'enabled',
      });
    }
    const rule = (name: string, priority: number, value: unknown, type: OperationType) => ({
      name,
      eventType: 'device.connectivity_lost',
      priority,
      conditions: {
        all: [
          { fact: 'operator', operator: 'equal', value },
          { fact: 'event', path: '$.payload.durationSeconds', operator: 'greaterThan', value: 300 },
        ],
      },
      actions: [
        {
          type,
          params: type === 'audit' ? {} : { iccid: { fact: 'event', path: '$.payload.fallbackIccid' } },
        },
      ],
    });
    await core.rules.create(rule('switch', 10, 'op-a', 'enable'), 'bench');
    await core.rules.create(rule('audit', 1, 'op-a', 'audit'), 'bench');
    await core.rules.create(rule('other operator', 20, 'op-z', 'disable'), 'bench');
  },
  async teardown() {
    await db.close();
  },
  baseline: {
    name: 'insert the event row only',
    fn: () =>
      db.knex('events').insert({
        source: 'baseline',
        event_id: String(++n),
        type: 'device.connectivity_lost',
        eid: eid(n % DEVICES),
        payload: '{}',
      }),
  },
  subjects: [
    {
      name: 'EventIntake.ingest (rules fire, operation created)',
      fn: () => core.intake.ingest(event(String(++n)), 'bench'),
    },
  ],
});
