import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { defineBench } from '../../../bench/harness.js';
import { openBroker, type Broker } from '../src/broker/broker.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { buildServer } from '../src/http/server.js';

let db: Database;
let broker: Broker;
let ours: FastifyInstance;
let bare: FastifyInstance;

/** The cost of the product's HTTP stack (plugins, error handling, schema serialisation) per request. */
export default defineBench({
  name: 'orchestrator: GET /healthz through the product server',
  unit: 'request',
  async setup() {
    db = await openDatabase({ embedded: 'memory://' });
    broker = await openBroker({ embedded: { host: '127.0.0.1', port: 0 } }, 'bench');
    ours = await buildServer({ db, broker, logger: pino({ level: 'silent' }) });
    bare = Fastify();
    bare.get('/healthz', async () => ({ status: 'ok' }));
    await Promise.all([ours.ready(), bare.ready()]);
  },
  async teardown() {
    await ours.close();
    await bare.close();
    await broker.close();
    await db.close();
  },
  baseline: { name: 'bare fastify route (inject)', fn: () => bare.inject('/healthz') },
  subjects: [{ name: 'product server /healthz (inject)', fn: () => ours.inject('/healthz') }],
});
