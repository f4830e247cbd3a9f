/**
 * The SGP.02 hot path against the SM-SR simulator (its own process, as `esimctl sim smsr` runs):
 * an ES4.EnableProfile call (envelope built, POSTed, 202 read), and a whole enable operation
 * (dispatch, the SM-SR's callback and HandleProfileEnabledNotification applied to the inventory
 * on embedded PGlite). Baseline: a POST of the same envelope to a bare fastify route answering
 * 202, in the same run.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { defineBench } from '../../../bench/harness.js';
import { startApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/load.js';
import { KnexOperationStore } from '../src/operations/knex-operation-store.js';
import type { StackAdapter } from '../src/stacks/stack-adapter.js';
import { Es4Client } from '../src/sgp02/es-client.js';
import { encodeEnvelope } from '../src/sgp02/soap/envelope.js';
import { startEsimctl, type RunningCli } from '../test/support/esimctl.js';

const OPERATOR = '1.3.6.1.4.1.99999.10';
const SMSR = '1.3.6.1.4.1.99999.20';

let app: App;
let sim: RunningCli;
let bare: FastifyInstance;
let bareUrl: string;
let es4Url: string;
let es4: Es4Client;
let adapter: StackAdapter;
let ops: KnexOperationStore;
let cards: { eid: string; iccids: string[] }[];
const toggle = [0, 0];

const envelope = (eid: string, iccid: string) =>
  encodeEnvelope(
    {
      from: `http://127.0.0.1/sgp02/es4?EntityId=${OPERATOR}`,
      messageId: `urn:uuid:${randomUUID()}`,
      action: 'a',
    },
    'ES4-EnableProfileRequest',
    [
      ['FunctionCallIdentifier', randomUUID()],
      ['Eid', eid],
      ['Iccid', iccid],
    ],
  );

const next = (card: number) => {
  toggle[card] = 1 - toggle[card]!;
  return cards[card]!.iccids[toggle[card]!]!;
};

async function received(): Promise<number> {
  const [row] = await app.db
    .knex('sgp02_received')
    .where({ body: 'ES4-HandleProfileEnabledNotification' })
    .count<{ c: string }[]>('* as c');
  return Number(row!.c);
}

export default defineBench({
  name: 'sgp02: ES4 EnableProfile against the SM-SR simulator',
  unit: 'call',
  time: 3000,
  async setup() {
    sim = startEsimctl([
      'sim',
      'smsr',
      '--count',
      '2',
      '--latency',
      '0',
      '--entity-id',
      SMSR,
      '--operator',
      OPERATOR,
    ]);
    es4Url = (await sim.waitFor(/ES4 (http:\/\/\S+)/))[1]!;
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      EMBEDDED_MQTT_PORT: '0',
      DATA_DIR: 'memory://',
      LOG_LEVEL: 'silent',
      SGP02_ENTITY_ID: OPERATOR,
    });
    app = await startApp(config);
    adapter = app.adapters.get('sgp02')!;
    ops = new KnexOperationStore(app.db.knex);
    es4 = new Es4Client({ entityId: OPERATOR, publicUrl: app.urls.api });
    await app.db
      .knex('platforms')
      .insert({ id: 'smsr', kind: 'smsr', name: 'SM-SR', entity_id: SMSR, endpoint_url: es4Url });
    const fleet = (await (await fetch(es4Url.replace(/\/es4$/, '/sim/fleet'))).json()) as {
      euiccs: { eid: string; profiles: { iccid: string; state: string }[] }[];
    };
    cards = fleet.euiccs.map((e) => ({ eid: e.eid, iccids: e.profiles.map((p) => p.iccid) }));
    for (const e of fleet.euiccs) {
      await app.db.knex('euiccs').insert({ eid: e.eid, stack: 'sgp02', smsr_id: 'smsr' });
      for (const p of e.profiles)
        await app.db.knex('profiles').insert({ iccid: p.iccid, eid: e.eid, state: p.state.toLowerCase() });
    }
    bare = Fastify();
    bare.addContentTypeParser('application/soap+xml', { parseAs: 'string' }, (_r, b, done) => done(null, b));
    bare.post('/es4', async (_req, reply) => reply.status(202).send());
    bareUrl = `${await bare.listen({ host: '127.0.0.1', port: 0 })}/es4`;
  },
  async teardown() {
    await bare.close();
    await app.close();
    await sim.stop();
  },
  baseline: {
    name: 'POST of the envelope to a bare fastify 202 route',
    fn: async () => {
      const res = await fetch(bareUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/soap+xml' },
        body: envelope(cards[0]!.eid, cards[0]!.iccids[0]!),
      });
      await res.text();
    },
  },
  subjects: [
    {
      name: 'ES4.EnableProfile call (client -> SM-SR 202)',
      fn: async () => {
        const r = await es4.EnableProfile(
          { entityId: SMSR, endpointUrl: es4Url },
          { eid: cards[0]!.eid, iccid: next(0) },
          { functionCallId: randomUUID() },
        );
        if (r.kind !== 'accepted') throw new Error('not accepted');
      },
    },
    {
      name: 'enable operation: dispatch + callback + notification',
      fn: async () => {
        const eid = cards[1]!.eid;
        const iccid = next(1);
        const before = await received();
        const op = await ops.create({
          eid,
          stack: 'sgp02',
          type: 'enable',
          params: { iccid },
          requestedBy: 'bench',
        });
        const out = await adapter.dispatch({
          operationId: op.id,
          eid,
          type: 'enable',
          params: { iccid },
          validUntil: null,
          attempt: 1,
        });
        if (out.status !== 'sent') throw new Error(`dispatch: ${JSON.stringify(out)}`);
        await ops.transition(op.id, ['pending'], {
          to: 'sent',
          actor: 'bench',
          correlationId: out.correlationId,
        });
        for (let i = 0; i < 5000; i++) {
          if ((await ops.get(op.id))!.state === 'succeeded' && (await received()) > before) return;
          await sleep(1);
        }
        throw new Error('the operation did not end');
      },
    },
  ],
});
