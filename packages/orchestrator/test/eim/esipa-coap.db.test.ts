import { createSocket } from 'node:dgram';
import { Agent, request } from 'coap';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BoundProfilePackage,
  decode,
  encode,
  EsipaMessageFromEimToIpa,
  EsipaMessageFromIpaToEim,
  type GetBoundProfilePackageRequestEsipa,
} from '@esim/asn1';
import { ESIPA_COAP_CONTENT_FORMAT, fromHex, startEsipaCoap, type EsipaCoapServer } from '@esim/eim';
import { readVectors } from '../../../asn1/test/support/vectors.js';
import type { Database } from '../../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { EIM_ID, startEim, type EimFixture } from './support/eim-fixture.js';
import { ipa, SGP26_EID, TestEuicc } from './support/test-euicc.js';
import { TestSmdp, TXID } from './support/test-smdp.js';

const EID = SGP26_EID;
const bppHex = readVectors('messages.json').find((v) => v.asn1Type === 'BoundProfilePackage')!.hex;

interface CoapAnswer {
  code: string;
  payload: Buffer;
  format: unknown;
  size1: unknown;
}

describe(`ESipa over CoAP on ${testDatabaseKind()}`, () => {
  let db: Database;
  let f: EimFixture;
  let smdp: TestSmdp;
  let server: EsipaCoapServer;
  let url: URL;
  const errors: unknown[] = [];
  const agent = new Agent({ type: 'udp4' });

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    smdp = new TestSmdp(decode(BoundProfilePackage, fromHex(bppHex)));
    f = await startEim(db.knex, { es9: smdp });
    await f.store.associate(EIM_ID, EID);
    server = await startEsipaCoap({
      handler: f.handler,
      port: 0,
      bodyLimit: 4096,
      onError: (e) => errors.push(e),
    });
    url = new URL(server.url);
  });
  afterAll(async () => {
    agent.close();
    await server?.close();
    await db?.close();
  });
  beforeEach(() => {
    errors.length = 0;
  });

  /** One confirmable POST; bodies over 1024 bytes go out in Block1 blocks of 1024 (SZX 6). */
  const post = (
    payload: Uint8Array,
    o: { to?: URL; path?: string; format?: number | null; method?: 'POST' | 'GET' } = {},
  ): Promise<CoapAnswer> =>
    new Promise((resolve, reject) => {
      const to = o.to ?? url;
      const req = request({
        hostname: to.hostname,
        port: Number(to.port),
        pathname: o.path ?? to.pathname,
        method: o.method ?? 'POST',
        agent,
        ...(o.format === null ? {} : { contentFormat: o.format ?? ESIPA_COAP_CONTENT_FORMAT }),
      });
      if (payload.length > 1024) req.setOption('Block1', Buffer.of(6));
      req.on('response', (res) =>
        resolve({
          code: res.code,
          payload: res.payload,
          format: res.headers['Content-Format'],
          size1: res.headers['Size1'],
        }),
      );
      req.on('error', reject);
      req.end(Buffer.from(payload));
    });
  const message = (m: EsipaMessageFromIpaToEim) => encode(EsipaMessageFromIpaToEim, m);
  const answerOf = (a: CoapAnswer) => decode(EsipaMessageFromEimToIpa, new Uint8Array(a.payload));

  it('answers GetEimPackage 2.04 with the DER answer in Content-Format 42', async () => {
    const a = await post(ipa.getEimPackage(EID));
    expect(a.code).toBe('2.04');
    expect(a.format).toBe('application/octet-stream');
    expect(answerOf(a)).toEqual({ getEimPackageResponse: { eimPackageError: 1 } });
  });

  it('hands out a queued package and answers HandleNotification with an empty 2.04', async () => {
    const card = new TestEuicc(f.credentials.certificate);
    await f.store.saveCertificates(EID, {
      euiccCertificate: card.euiccCertificate,
      eumCertificate: card.eumCertificate,
    });
    const q = await f.eim.queueEuiccPackage({
      eid: EID,
      euiccPackage: { psmoList: [{ enable: { iccid: fromHex('98001032547698103254') } }] },
      requestedBy: 'coap-test',
    });
    const a = await post(ipa.getEimPackage(EID));
    const signed = answerOf(a).getEimPackageResponse?.euiccPackageRequest?.euiccPackageSigned;
    expect(signed?.counterValue).toBe(q.counterValue);
    const empty = await post(
      message({
        handleNotificationEsipa: {
          provideEimPackageResult: {
            eimPackageResult: { eimPackageResultResponseError: { eimPackageResultErrorCode: 2 } },
          },
        },
      }),
    );
    expect(empty.code).toBe('2.04');
    expect(empty.payload).toHaveLength(0);
  });

  it('relays a Bound Profile Package larger than one block in Block2 blocks, whole', async () => {
    const eimTransactionId = fromHex(
      (
        await f.eim.queueProfileDownloadTrigger({
          eid: EID,
          profileDownloadData: { activationCode: '1$smdp.example$MATCH' },
        })
      ).eimTransactionId,
    );
    const init = await post(
      message({
        initiateAuthenticationRequestEsipa: { euiccChallenge: new Uint8Array(16).fill(1), eimTransactionId },
      }),
    );
    expect(answerOf(init).initiateAuthenticationResponseEsipa?.initiateAuthenticationOkEsipa).toBeDefined();
    await post(
      message({
        authenticateClientRequestEsipa: {
          transactionId: TXID,
          authenticateServerResponse: {
            authenticateResponseError: { transactionId: TXID, authenticateErrorCode: 127 },
          },
        },
      }),
    );
    const bpp = await post(
      message({
        getBoundProfilePackageRequestEsipa: {
          transactionId: TXID,
          prepareDownloadResponse: {
            downloadResponseError: { transactionId: TXID, downloadErrorCode: 127 },
          },
        } as GetBoundProfilePackageRequestEsipa,
      }),
    );
    // node-coap serves the blocks after the first from its cache with 2.05: the IPA takes any 2.xx.
    expect(bpp.code).toMatch(/^2\.0[45]$/);
    expect(bpp.payload.length).toBeGreaterThan(2 * 1024);
    const ok = answerOf(bpp).getBoundProfilePackageResponseEsipa?.getBoundProfilePackageOkEsipa;
    expect(Buffer.from(encode(BoundProfilePackage, ok!.boundProfilePackage)).toString('hex')).toBe(
      bppHex.toLowerCase(),
    );
  });

  it('reassembles a request sent in Block1 blocks', async () => {
    // A package result carrying both certificates (the first IpaEuiccDataResponse) exceeds one block.
    const card = new TestEuicc(f.credentials.certificate);
    const der = ipa.provideResult(EID, {
      ipaEuiccDataResponse: {
        ipaEuiccData: { euiccCertificate: card.euiccCertificate, eumCertificate: card.eumCertificate },
      },
    });
    expect(der.length).toBeGreaterThan(1024);
    const a = await post(der);
    expect(a.code).toBe('2.04');
    // No IpaEuiccDataRequest was asked: the eIM refuses it as a result for no transaction, in ASN.1.
    expect(answerOf(a).provideEimPackageResultResponse).toBeDefined();
  });

  it('refuses bad bytes with 4.00 and a diagnostic, writing nothing', async () => {
    const before = (await f.store.listRejections()).length;
    const a = await post(Uint8Array.of(0xbf, 0x4f, 0x05, 0x01));
    expect(a.code).toBe('4.00');
    expect(a.payload.toString('utf8')).toMatch(/^malformed: .*EsipaMessageFromIpaToEim/);
    expect(await f.store.listRejections()).toHaveLength(before);
  });

  it('refuses a request over the limit with 4.13 and Size1, at its first block over it', async () => {
    const a = await post(new Uint8Array(5000));
    expect(a.code).toBe('4.13');
    expect(a.size1).toBe(4096);
    // Exactly at the limit, in four blocks: taken (and refused by the handler, as bad bytes).
    expect((await post(new Uint8Array(4096))).code).toBe('4.00');
  });

  it('refuses a lone Block1 block far beyond the limit without buffering up to it', async () => {
    // CON POST, token 0x01, Uri-Path gsma/rsp2/asn1, Content-Format 42, Block1 NUM 100000 M=0 SZX 6.
    const packet = Buffer.concat([
      Buffer.from([0x41, 0x02, 0x12, 0x34, 0x01]),
      Buffer.from([0xb4]),
      Buffer.from('gsma'),
      Buffer.from([0x04]),
      Buffer.from('rsp2'),
      Buffer.from([0x04]),
      Buffer.from('asn1'),
      Buffer.from([0x11, 42, 0xd3, 0x02, 0x18, 0x6a, 0x06, 0xff]),
      Buffer.alloc(16),
    ]);
    const socket = createSocket('udp4');
    try {
      const reply = await new Promise<Buffer>((resolve, reject) => {
        socket.once('message', resolve);
        socket.send(packet, Number(url.port), url.hostname, (err) => err && reject(err));
      });
      // An ACK (type 2) carrying 4.13 (0x8D) for message id 0x1234.
      expect([reply[0]! >> 4, reply[1], reply.readUInt16BE(2)]).toEqual([0x6, 0x8d, 0x1234]);
    } finally {
      socket.close();
    }
  });

  it('refuses another resource, method or content format', async () => {
    expect((await post(ipa.getEimPackage(EID), { path: '/other' })).code).toBe('4.04');
    expect((await post(ipa.getEimPackage(EID), { method: 'GET' })).code).toBe('4.05');
    expect((await post(ipa.getEimPackage(EID), { format: 50 })).code).toBe('4.15');
    expect((await post(ipa.getEimPackage(EID), { format: null })).code).toBe('4.15');
  });

  it('answers 5.00 when the handler fails, and reports the failure', async () => {
    const gone = await openTestDatabase({ migrated: true });
    const broken = await startEsipaCoap({
      handler: (await startEim(gone.knex)).handler,
      onError: (e) => errors.push(e),
    });
    await gone.close();
    try {
      const a = await post(ipa.getEimPackage(EID), { to: new URL(broken.url) });
      expect(a.code).toBe('5.00');
      expect(errors).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });
});
