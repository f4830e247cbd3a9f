/** HttpEs9PlusClient against a DER-level SM-DP+ double on 127.0.0.1: the binding, the mapping, the failures. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  encode,
  RSPDefinitions,
  type AuthenticateClientRequestEsipa,
  type ProfileInstallationResult,
} from '@esim/asn1';
import { Es9PlusCallError, HttpEs9PlusClient } from '../src/index.js';

interface Answer {
  status?: number;
  body?: Uint8Array;
  hang?: boolean;
}

let server: Server;
let address: string;
let answer: Answer;
let received: { headers: IncomingHttpHeaders; body: Buffer; url: string }[];

beforeEach(async () => {
  received = [];
  answer = {};
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks), url: req.url ?? '' });
      if (answer.hang) return;
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/x-gsma-rsp-asn1' });
      res.end(answer.body ?? Buffer.alloc(0));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const client = (timeoutMs = 2_000) => new HttpEs9PlusClient({ scheme: 'http', timeoutMs });
const wrap = (inner: Uint8Array) => new Uint8Array([0xa2, inner.length, ...inner]);
const request: AuthenticateClientRequestEsipa = {
  transactionId: new Uint8Array([1, 2, 3, 4]),
  authenticateServerResponse: {
    authenticateResponseError: { transactionId: new Uint8Array([1, 2, 3, 4]), authenticateErrorCode: 2 },
  },
};

describe('HttpEs9PlusClient', () => {
  it('posts the request in A2 { } with the ASN.1 binding headers; the ES9+ error [1] becomes the ESipa one', async () => {
    answer.body = wrap(encode(RSPDefinitions.AuthenticateClientResponseEs9, { authenticateClientError: 6 }));
    await expect(client().authenticateClient(address, request)).resolves.toEqual({
      authenticateClientErrorEsipa: 6,
    });
    const [call] = received;
    expect(call!.url).toBe('/gsma/rsp2/asn1');
    expect(call!.headers['content-type']).toBe('application/x-gsma-rsp-asn1');
    expect(call!.headers['x-admin-protocol']).toMatch(/^gsma\/rsp\/v2\./);
    // The ESipa request's DER is the ES9+ AuthenticateClientRequest's.
    expect(new Uint8Array(call!.body)).toEqual(
      wrap(encode(RSPDefinitions.AuthenticateClientRequest, request as never)),
    );
  });

  it('rebuilds InitiateAuthentication as ES9+ (no eimTransactionId) and maps euiccCiPKIdToBeUsed', async () => {
    answer.body = wrap(
      encode(RSPDefinitions.InitiateAuthenticationResponse, { initiateAuthenticationError: 3 }),
    );
    const euiccInfo1 = {
      svn: new Uint8Array([2, 5, 0]),
      euiccCiPKIdListForVerification: [],
      euiccCiPKIdListForSigning: [],
    };
    const req = {
      euiccChallenge: new Uint8Array(16),
      smdpAddress: address,
      euiccInfo1,
      eimTransactionId: new Uint8Array([9]),
    };
    await expect(client().initiateAuthentication(address, req)).resolves.toEqual({
      initiateAuthenticationErrorEsipa: 3,
    });
    expect(new Uint8Array(received[0]!.body.subarray(2))).toEqual(
      encode(RSPDefinitions.InitiateAuthenticationRequest, {
        euiccChallenge: req.euiccChallenge,
        smdpAddress: address,
        euiccInfo1,
      }),
    );
  });

  it.each<[string, string, Answer]>([
    ['an HTTP error status', 'httpStatus', { status: 500, body: Buffer.from('boom') }],
    ['a body that is not A2 { }', 'malformed', { body: new Uint8Array([0x30, 0x00]) }],
    [
      'the answer of another function',
      'malformed',
      { body: wrap(new Uint8Array([0xbf, 0x39, 0x03, 0x81, 0x01, 0x01])) },
    ],
    ['no answer in time', 'timeout', { hang: true }],
  ])('%s: Es9PlusCallError %s', async (_, reason, a) => {
    answer = a;
    const error = await client(300)
      .authenticateClient(address, request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Es9PlusCallError);
    expect(error).toMatchObject({ reason, smdpAddress: address });
  });

  it('HandleNotification: the result in A2 { BF3D { A0 { BF37 ... } } }, a 204 without body is enough', async () => {
    answer.status = 204;
    const result: ProfileInstallationResult = {
      profileInstallationResultData: {
        transactionId: new Uint8Array([1, 2, 3, 4]),
        notificationMetadata: {
          seqNumber: 3,
          profileManagementOperation: ['notificationInstall'],
          notificationAddress: address,
        },
        smdpOid: '2.999.10',
        finalResult: { errorResult: { bppCommandId: 5, errorReason: 8 } },
      },
      euiccSignPIR: new Uint8Array(64),
    };
    await expect(client().handleNotification(address, result)).resolves.toBeUndefined();
    const body = received[0]!.body;
    expect(body.subarray(0, 4).toString('hex')).toBe(`a2${(body.length - 2).toString(16)}bf3d`);
    // pendingNotification gets the automatic [0] of RSPDefinitions, explicit on the CHOICE.
    expect(body.subarray(5, 6).toString('hex')).toBe('a0');
    expect(body.subarray(7, 9).toString('hex')).toBe('bf37');
  });

  it('an address where nothing listens: unreachable; one that is not host[:port]: malformed, nothing sent', async () => {
    await expect(client().authenticateClient('127.0.0.1:1', request)).rejects.toMatchObject({
      reason: 'unreachable',
    });
    await expect(client().authenticateClient('a/b@c', request)).rejects.toMatchObject({
      reason: 'malformed',
    });
    expect(received).toHaveLength(0);
  });
});
