import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Database } from '../../src/db/database.js';
import { CampaignRunner } from '../../src/campaigns/campaign-runner.js';
import { KnexOperationStore } from '../../src/operations/knex-operation-store.js';
import { StoreOperationOutcomes } from '../../src/operations/outcomes.js';
import { OperationWorker } from '../../src/operations/worker.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { openTestApi, type TestApi } from '../support/api.js';
import { startEsimctl } from '../support/esimctl.js';
import { PeerAdapter } from '../support/peer-adapter.js';

const logger = pino({ level: 'silent' });

describe(`esimctl campaign against a running API on ${testDatabaseKind()}`, () => {
  let db: Database;
  let api: TestApi;
  let runner: CampaignRunner;
  let worker: OperationWorker;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'esim-campaign-cli-'));
  const esimctl = async (args: string[], token: string = api.tokens.operator) => {
    const run = startEsimctl(['campaign', '--api', url, ...args], { ESIM_API_TOKEN: token });
    const code = await run.exited;
    return { code, out: run.output() };
  };

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    const store = new KnexOperationStore(db.knex);
    const adapters = new Map([
      ['sgp02', new PeerAdapter('sgp02', new StoreOperationOutcomes(store), () => 'sync-success')],
    ]);
    api = await openTestApi(db, { adapters });
    url = await api.app.listen({ port: 0, host: '127.0.0.1' });
    runner = new CampaignRunner({
      knex: db.knex,
      campaigns: api.services.campaigns,
      operations: api.services.operations,
      logger,
      pollMs: 50,
    });
    worker = new OperationWorker({
      knex: db.knex,
      store,
      adapters,
      logger,
      pollMs: 50,
      leaseSeconds: 30,
      retryBaseMs: 10,
      retryMaxMs: 50,
    });
    api.services.campaigns.onStarted(() => runner.wake());
    api.services.operations.onCreated(() => worker.wake());
    runner.start();
    worker.start();
    for (let n = 1; n <= 8; n++) {
      const eid = `8904903200000000000000000077${String(n).padStart(4, '0')}`;
      await db.knex('euiccs').insert({ eid, stack: 'sgp02' });
      await db.knex('devices').insert({ eid, tags: ['cli'] });
    }
  });
  afterAll(async () => {
    await runner?.stop();
    await worker?.stop();
    await api?.app.close();
    await db?.close();
  });

  it('creates, starts and follows a campaign to its end, then lists and shows it', async () => {
    const file = join(dir, 'audit.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'audit the cli fleet',
        operation: { type: 'audit' },
        selector: { tags: ['cli'] },
        maxInFlight: 3,
      }),
    );
    const dry = await esimctl(['create', `@${file}`, '--dry-run'], api.tokens.viewer);
    expect(dry.code, dry.out).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ targets: 8, byStack: { sgp02: 8 } });

    const run = await esimctl(['create', `@${file}`, '--start', '--watch']);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(
      /completed\s+audit\s+audit the cli fleet {2}8\/8 ended, 0 in flight, 0 failed, 0 skipped/,
    );
    const id = run.out.match(/^([0-9a-f-]{36}) {2}running/m)![1]!;
    const ops = await db.knex('operations').where({ type: 'audit', state: 'succeeded' }).pluck('eid');
    expect(new Set(ops).size).toBe(8);

    const list = await esimctl(['list', '--state', 'completed'], api.tokens.viewer);
    expect(list.out).toContain(`${id}  completed`);
    const show = await esimctl(['show', id], api.tokens.viewer);
    expect(JSON.parse(show.out)).toMatchObject({ id, state: 'completed', progress: { succeeded: 8 } });
  });

  it('says in one line, with exit code 2, what is wrong', async () => {
    const cases: [string[], string, RegExp][] = [
      [['list'], '', /^no API token: pass --token or set ESIM_API_TOKEN/],
      [['list'], 'esim_wrong', /^401 unauthorized: /],
      [['create', '{"name": "x"'], api.tokens.operator, /^the campaign definition is not JSON/],
      [
        ['create', '{"name":"v","operation":{"type":"audit"},"selector":{"all":true}}'],
        api.tokens.viewer,
        /^403 forbidden: /,
      ],
      [['start', '00000000-0000-4000-8000-000000000000'], api.tokens.operator, /^404 not_found: no campaign/],
    ];
    for (const [args, token, message] of cases) {
      const r = await esimctl(args, token);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.out).toMatch(message);
      expect(r.out.trim().split('\n')).toHaveLength(1);
    }
    const down = startEsimctl(['campaign', '--api', 'http://127.0.0.1:9', 'list'], { ESIM_API_TOKEN: 'x' });
    expect(await down.exited).toBe(2);
    expect(down.output()).toMatch(/^cannot reach the API at http:\/\/127\.0\.0\.1:9/);
  });
});
