import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import Fastify, { type FastifyInstance } from 'fastify';
import knexFactory, { type Knex } from 'knex';
import { encode, EsipaMessageFromIpaToEim } from '@esim/asn1';
import { defineBench } from '../../../bench/harness.js';
import { loadOrCreateEimCredentials } from '../src/crypto/eim-credentials.js';
import { EuiccChainVerifier } from '../src/crypto/euicc-chain.js';
import { Eim } from '../src/eim.js';
import { EsipaHandler } from '../src/esipa/esipa-handler.js';
import { esipaHttpPlugin } from '../src/http/esipa-http.js';
import { fromHex } from '../src/identifiers.js';
import { KnexEimStore } from '../src/store/knex-eim-store.js';
import { eimMigrations } from '../src/store/migrations/index.js';

const IDLE_EID = '89049032123451234512345678901235';
const BUSY_EID = '89049032123451234512345678901332';
const ci = resolve(
  import.meta.dirname,
  '../../../../shared/vectors/sgp26/CertificateIssuer/CERT_CI_ECDSA_NIST.der',
);

let pglite: PGlite;
let socket: PGLiteSocketServer;
let knex: Knex;
let eim: FastifyInstance;
let bare: FastifyInstance;

const headers = { 'content-type': 'application/x-gsma-rsp-asn1', 'x-admin-protocol': 'gsma/rsp/v2.1.0' };
const pollOf = (eid: string) =>
  Buffer.from(encode(EsipaMessageFromIpaToEim, { getEimPackageRequest: { eidValue: fromHex(eid) } }));
const idlePoll = pollOf(IDLE_EID);
const busyPoll = pollOf(BUSY_EID);
const ok = (r: { statusCode: number }) => {
  if (r.statusCode !== 200) throw new Error(`HTTP ${r.statusCode}`);
};

/**
 * GetEimPackage through the ESipa HTTP binding on the embedded database (PGlite): a poll that
 * finds nothing (the fleet's steady state) and a poll that gets a signed eUICC package (the
 * package in flight, handed out again), next to a bare fastify route answering a constant.
 */
export default defineBench({
  name: 'eim: GetEimPackage over ESipa HTTP (ASN.1 binding, PGlite)',
  unit: 'poll',
  async setup() {
    pglite = await PGlite.create('memory://');
    socket = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 });
    await socket.start();
    knex = knexFactory({
      client: 'pg',
      connection: `postgres://postgres@${socket.getServerConn()}/postgres`,
      pool: { min: 0, max: 1 },
    });
    for (const m of eimMigrations) await m.up(knex);
    const store = new KnexEimStore(knex);
    const e = new Eim({
      eimId: 'eim.bench',
      store,
      credentials: await loadOrCreateEimCredentials({
        dataDir: mkdtempSync(join(tmpdir(), 'eim-bench-')),
        eimId: 'eim.bench',
      }),
      verifier: EuiccChainVerifier.fromFiles([ci]),
    });
    await store.associate('eim.bench', IDLE_EID);
    await store.saveCertificates(BUSY_EID, {
      euiccCertificate: Uint8Array.of(1),
      eumCertificate: Uint8Array.of(2),
    });
    await e.queueEuiccPackage({ eid: BUSY_EID, euiccPackage: { psmoList: [{ getRAT: {} }] } });
    eim = Fastify();
    await eim.register(esipaHttpPlugin, { handler: new EsipaHandler(e) });
    const constant = Buffer.from([0xbf, 0x4f, 0x03, 0x02, 0x01, 0x01]);
    bare = Fastify();
    bare.addContentTypeParser('application/x-gsma-rsp-asn1', { parseAs: 'buffer' }, (_r, b, done) =>
      done(null, b),
    );
    bare.post('/gsma/rsp2/asn1', async (_req, reply) =>
      reply.type('application/x-gsma-rsp-asn1').send(constant),
    );
    await Promise.all([eim.ready(), bare.ready()]);
    ok(await eim.inject({ method: 'POST', url: '/gsma/rsp2/asn1', headers, payload: busyPoll }));
  },
  async teardown() {
    await eim.close();
    await bare.close();
    await knex.destroy();
    await socket.stop();
    await pglite.close();
  },
  baseline: {
    name: 'bare fastify route, constant DER (inject)',
    fn: async () =>
      ok(await bare.inject({ method: 'POST', url: '/gsma/rsp2/asn1', headers, payload: idlePoll })),
  },
  subjects: [
    {
      name: 'GetEimPackage, nothing pending (inject)',
      fn: async () =>
        ok(await eim.inject({ method: 'POST', url: '/gsma/rsp2/asn1', headers, payload: idlePoll })),
    },
    {
      name: 'GetEimPackage, signed package pending (inject)',
      fn: async () =>
        ok(await eim.inject({ method: 'POST', url: '/gsma/rsp2/asn1', headers, payload: busyPoll })),
    },
  ],
});
