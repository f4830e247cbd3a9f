import { request as httpsRequest } from 'node:https';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, EsipaMessageFromEimToIpa, GetEimPackageResponse } from '@esim/asn1';
import { ESIPA_ASN1_CONTENT_TYPE, esipaHttpPlugin } from '@esim/eim';
import type { Database } from '../../src/db/database.js';
import { startEsipaListener } from '../../src/sgp32/esipa-listener.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { EIM_ID, startEim, type EimFixture } from './support/eim-fixture.js';
import { eidWithCheckDigits, ipa, SGP26_EID } from './support/test-euicc.js';
import { writeTlsTestPki } from './support/tls-pki.js';

const EID = SGP26_EID;
const asn1Headers = { 'content-type': ESIPA_ASN1_CONTENT_TYPE, 'x-admin-protocol': 'gsma/rsp/v2.1.0' };

describe(`ESipa over HTTP on ${testDatabaseKind()}`, () => {
  let db: Database;
  let f: EimFixture & { dataDir: string };
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    f = await startEim(db.knex);
    await f.store.associate(EIM_ID, EID);
    app = Fastify({ bodyLimit: 1024 });
    await app.register(esipaHttpPlugin, { handler: f.handler, bodyLimit: 4096 });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const post = (path: string, body: Uint8Array | string, headers: Record<string, string> = asn1Headers) =>
    fetch(`${url}${path}`, { method: 'POST', headers, body });

  describe('ASN.1 binding', () => {
    it('answers GetEimPackage with DER and the admin protocol header', async () => {
      const res = await post('/gsma/rsp2/asn1', ipa.getEimPackage(EID));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(ESIPA_ASN1_CONTENT_TYPE);
      expect(res.headers.get('x-admin-protocol')).toBe('gsma/rsp/v2.1.0');
      const msg = decode(EsipaMessageFromEimToIpa, new Uint8Array(await res.arrayBuffer()));
      expect(msg).toEqual({ getEimPackageResponse: { eimPackageError: 1 } });
    });

    it('answers the spec error for an unknown EID', async () => {
      const res = await post(
        '/gsma/rsp2/asn1',
        ipa.getEimPackage(eidWithCheckDigits('890490321234512345123456789999')),
      );
      const body = new Uint8Array(await res.arrayBuffer());
      expect(res.status).toBe(200);
      expect(decode(GetEimPackageResponse, body)).toEqual({ eimPackageError: 2 });
    });

    it('answers HandleNotification with 204 and no body', async () => {
      const { encode, EsipaMessageFromIpaToEim } = await import('@esim/asn1');
      const der = encode(EsipaMessageFromIpaToEim, {
        handleNotificationEsipa: {
          provideEimPackageResult: {
            eimPackageResult: { eimPackageResultResponseError: { eimPackageResultErrorCode: 2 } },
          },
        },
      });
      const res = await post('/gsma/rsp2/asn1', der);
      expect(res.status).toBe(204);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    });

    it('refuses a wrong content type with 415', async () => {
      const res = await post('/gsma/rsp2/asn1', JSON.stringify({ a: 1 }), {
        'content-type': 'application/json',
        'x-admin-protocol': 'gsma/rsp/v2.1.0',
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { message: string }).message).toMatch(/application\/x-gsma-rsp-asn1/);
      const text = await post('/gsma/rsp2/asn1', 'hello', { 'content-type': 'text/plain' });
      expect(text.status).toBe(415);
    });

    it('refuses a missing or malformed X-Admin-Protocol with 400', async () => {
      const res = await post('/gsma/rsp2/asn1', ipa.getEimPackage(EID), {
        'content-type': ESIPA_ASN1_CONTENT_TYPE,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'adminProtocol' });
    });

    it('refuses malformed DER with 400 and a reason, and an oversized body with 413', async () => {
      const rejectionsBefore = (await f.store.listRejections()).length;
      const res = await post('/gsma/rsp2/asn1', Uint8Array.of(0xbf, 0x4f, 0x05, 0x01));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'malformed',
        message: expect.stringMatching(/EsipaMessageFromIpaToEim/),
      });
      const big = await post('/gsma/rsp2/asn1', new Uint8Array(5000));
      expect(big.status).toBe(413);
      expect(await f.store.listRejections()).toHaveLength(rejectionsBefore);
    });
  });

  describe('JSON binding', () => {
    const json = (fn: string, body: unknown) =>
      post(`/gsma/rsp2/esipa/${fn}`, JSON.stringify(body), { 'content-type': 'application/json' });

    it('runs getEimPackage with base64 DER in and out', async () => {
      const res = await json('getEimPackage', {
        getEimPackageRequest: Buffer.from(ipa.getEimPackage(EID)).toString('base64'),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { getEimPackageResponse: string };
      expect(decode(GetEimPackageResponse, Buffer.from(body.getEimPackageResponse, 'base64'))).toEqual({
        eimPackageError: 1,
      });
    });

    it('runs provideEimPackageResult and handleNotification (204, no body)', async () => {
      const { encode, EsipaMessageFromIpaToEim, ProvideEimPackageResultResponse } =
        await import('@esim/asn1');
      const result = ipa.provideResult(EID, {
        eimPackageResultResponseError: { eimPackageResultErrorCode: 2 },
      });
      const res = await json('provideEimPackageResult', {
        provideEimPackageResult: Buffer.from(result).toString('base64'),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { provideEimPackageResultResponse: string };
      expect(
        decode(ProvideEimPackageResultResponse, Buffer.from(body.provideEimPackageResultResponse, 'base64')),
      ).toEqual({
        provideEimPackageResultError: 127,
      });
      const notification = encode(EsipaMessageFromIpaToEim, {
        handleNotificationEsipa: {
          provideEimPackageResult: {
            eimPackageResult: { eimPackageResultResponseError: { eimPackageResultErrorCode: 2 } },
          },
        },
      });
      const none = await json('handleNotification', {
        handleNotificationEsipa: Buffer.from(notification).toString('base64'),
      });
      expect(none.status).toBe(204);
    });

    it('refuses an unknown function, a message of another function, bad base64 and extra members', async () => {
      const b64 = Buffer.from(ipa.getEimPackage(EID)).toString('base64');
      expect((await json('doSomething', { x: b64 })).status).toBe(400);
      const other = await json('provideEimPackageResult', { provideEimPackageResult: b64 });
      expect(other.status).toBe(400);
      expect(((await other.json()) as { message: string }).message).toMatch(
        /must be a provideEimPackageResult/,
      );
      expect((await json('getEimPackage', { getEimPackageRequest: '***' })).status).toBe(400);
      expect((await json('getEimPackage', { getEimPackageRequest: b64, more: b64 })).status).toBe(400);
      expect((await json('getEimPackage', { wrongName: b64 })).status).toBe(400);
    });
  });

  it('logs its requests at the level it is given, so polls stay out of an info log', async () => {
    const lines: { msg: string; level: number }[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    const quiet = Fastify({ loggerInstance: logger });
    await quiet.register(esipaHttpPlugin, { handler: f.handler, logLevel: 'warn' });
    quiet.get('/other', async () => ({}));
    const poll = () =>
      quiet.inject({
        method: 'POST',
        url: '/gsma/rsp2/asn1',
        headers: asn1Headers,
        payload: Buffer.from(ipa.getEimPackage(EID)),
      });
    expect((await poll()).statusCode).toBe(200);
    expect(lines.filter((l) => l.msg === 'incoming request')).toHaveLength(0);
    await quiet.inject('/other');
    expect(lines.filter((l) => l.msg === 'incoming request')).toHaveLength(1);
    await quiet.close();
  });

  it('serves ESipa on its own port over TLS with a configured certificate', async () => {
    const pki = await writeTlsTestPki(f.dataDir);
    const listener = await startEsipaListener(f.handler, {
      host: '127.0.0.1',
      port: 0,
      tls: { certFile: pki.certFile, keyFile: pki.keyFile },
      logger: pino({ level: 'silent' }),
    });
    try {
      expect(listener.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = ipa.getEimPackage(EID);
      const { status, data } = await new Promise<{ status: number; data: Buffer }>((resolve, reject) => {
        const req = httpsRequest(
          `${listener.url}/gsma/rsp2/asn1`,
          { method: 'POST', headers: asn1Headers, ca: pki.caPem },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, data: Buffer.concat(chunks) }));
          },
        );
        req.on('error', reject);
        req.end(Buffer.from(body));
      });
      expect(status).toBe(200);
      expect(decode(GetEimPackageResponse, data)).toEqual({ eimPackageError: 1 });
      // A client that does not trust the test CA is refused by TLS.
      await expect(
        fetch(`${listener.url}/gsma/rsp2/asn1`, { method: 'POST', headers: asn1Headers, body }),
      ).rejects.toThrow();
    } finally {
      await listener.server.close();
    }
  });
});
