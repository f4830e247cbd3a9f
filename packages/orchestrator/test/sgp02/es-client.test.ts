import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Es2Client, Es4Client } from '../../src/sgp02/es-client.js';
import { decodeEnvelope, encodeEnvelope, encodeFault } from '../../src/sgp02/soap/envelope.js';
import { PeerProtocolError, PeerUnreachableError } from '../../src/sgp02/soap/soap-client.js';

const US = '1.3.6.1.4.1.99999.10';
const EID = '89049032000010000000001000000000';
const ICCID = '8988247000000000011';

/** The ES2/ES4 clients against a scripted provider on 127.0.0.1: what goes on the wire, what is accepted back. */
describe('ES2 / ES4 clients', () => {
  let peer: FastifyInstance;
  let url: string;
  let seen: { body: string; contentType: string }[] = [];
  let answer: (messageId: string) => { status: number; body: string };
  const provider = () => ({ entityId: '1.3.6.1.4.1.99999.20', endpointUrl: url });
  const es4 = new Es4Client({ entityId: US, publicUrl: 'http://127.0.0.1:9/' });
  const es2 = new Es2Client({ entityId: US, publicUrl: 'http://127.0.0.1:9/' });

  beforeAll(async () => {
    peer = Fastify();
    peer.addContentTypeParser('application/soap+xml', { parseAs: 'string' }, (_r, b, done) => done(null, b));
    peer.post('/es', async (req, reply) => {
      seen.push({ body: req.body as string, contentType: String(req.headers['content-type']) });
      const parsed = decodeEnvelope(req.body as string);
      const a = answer(parsed.kind === 'message' ? parsed.message.addressing.messageId! : '');
      return reply.status(a.status).type('application/soap+xml').send(a.body);
    });
    url = `${await peer.listen({ host: '127.0.0.1', port: 0 })}/es`;
  });
  beforeEach(() => {
    seen = [];
    answer = () => ({ status: 202, body: '' });
  });
  afterAll(() => peer?.close());

  const response = (
    name: string,
    relatesTo: string,
    status = 'EXECUTED_SUCCESS',
    extra: [string, string][] = [],
  ) => encodeEnvelope({ relatesTo }, name, [['FunctionExecutionStatus', [['Status', status]]], ...extra]);

  it('sends ES4.EnableProfile with From/To EntityIds, ReplyTo, Action and the body in schema order', async () => {
    const r = await es4.EnableProfile(
      provider(),
      { eid: EID, iccid: ICCID },
      { functionCallId: 'op-1', validityPeriod: 60 },
    );
    expect(r.kind).toBe('accepted');
    const [{ body, contentType }] = seen as [{ body: string; contentType: string }];
    expect(contentType).toMatch(
      /^application\/soap\+xml; charset=utf-8; action="http:\/\/gsma.com\/ES4\/ProfileManagement\/ES4-EnableProfileRequest"$/,
    );
    expect(body).toContain(
      `<wsa:From><wsa:Address>http://127.0.0.1:9/sgp02/es4?EntityId=${US}</wsa:Address></wsa:From>`,
    );
    expect(body).toContain(`<wsa:To>${url}?EntityId=1.3.6.1.4.1.99999.20</wsa:To>`);
    expect(body).toContain(
      '<wsa:ReplyTo><wsa:Address>http://127.0.0.1:9/sgp02/es4</wsa:Address></wsa:ReplyTo>',
    );
    expect(body).toMatch(
      new RegExp(`<wsa:MessageID>//${US.replace(/\./g, '\\.')}/urn:uuid:[0-9a-f-]{36}</wsa:MessageID>`),
    );
    expect(body).toContain(
      `<rps:ES4-EnableProfileRequest><rps:FunctionCallIdentifier>op-1</rps:FunctionCallIdentifier><rps:ValidityPeriod>60</rps:ValidityPeriod><rps:Eid>${EID}</rps:Eid><rps:Iccid>${ICCID}</rps:Iccid></rps:ES4-EnableProfileRequest>`,
    );
  });

  it('sends every ES2 profile function with the SM-SR named, and ES2.DownloadProfile with EnableProfile', async () => {
    const via = { eid: EID, smsrId: '1.3.6.1.4.1.99999.20', iccid: ICCID };
    const o = { functionCallId: 'f' };
    await es2.EnableProfile(provider(), via, o);
    await es2.DisableProfile(provider(), via, o);
    await es2.DeleteProfile(provider(), via, o);
    await es2.AuditEIS(provider(), { ...via, iccids: [ICCID] }, o);
    await es2.DownloadProfile(provider(), { eid: EID, smsrId: via.smsrId, enable: true }, o);
    expect(seen.map((s) => /<rps:(ES2-\w+)>/.exec(s.body)?.[1])).toEqual([
      'ES2-EnableProfileRequest',
      'ES2-DisableProfileRequest',
      'ES2-DeleteProfileRequest',
      'ES2-AuditEISRequest',
      'ES2-DownloadProfileRequest',
    ]);
    for (const s of seen) expect(s.body).toContain('<rps:Smsr-id>1.3.6.1.4.1.99999.20</rps:Smsr-id>');
    expect(seen[4]!.body).toContain('<rps:EnableProfile>true</rps:EnableProfile>');
    expect(seen[4]!.body).not.toContain('<rps:Iccid>');
  });

  it('reads a synchronous answer, with its status codes', async () => {
    answer = (id) => ({ status: 200, body: response('ES2-UpdateSubscriptionAddressResponse', id, 'FAILED') });
    const r = await es2.UpdateSubscriptionAddress(
      provider(),
      { eid: EID, smsrId: '1', iccid: ICCID, address: { msisdn: '4917' } },
      { functionCallId: 'f' },
    );
    expect(r).toMatchObject({ kind: 'answered', status: { status: 'FAILED' } });
    expect(seen[0]!.body).toContain(
      '<rps:NewSubscriptionAddress><rps:Msisdn>4917</rps:Msisdn></rps:NewSubscriptionAddress>',
    );
  });

  it.each([
    ['a synchronous function only acknowledged', () => ({ status: 202, body: '' }), /only acknowledged/],
    [
      'an answer to another message',
      () => ({ status: 200, body: response('ES4-GetEISResponse', 'other') }),
      /another message/,
    ],
    [
      'another function',
      (id: string) => ({ status: 200, body: response('ES4-AuditEISResponse', id) }),
      /expected ES4-GetEISResponse/,
    ],
    [
      'no status',
      (id: string) => ({ status: 200, body: encodeEnvelope({ relatesTo: id }, 'ES4-GetEISResponse', []) }),
      /FunctionExecutionStatus/,
    ],
    [
      'a SOAP fault',
      () => ({ status: 500, body: encodeFault({}, { code: 'Receiver', reason: 'down' }) }),
      /SOAP fault \(Receiver\): down/,
    ],
    ['not XML', () => ({ status: 200, body: 'oops' }), /malformed XML/],
    ['an error without a body', () => ({ status: 503, body: '' }), /HTTP 503 without a body/],
  ])('refuses %s', async (_name, make, message) => {
    answer = make;
    const call = es4.GetEIS(provider(), { eid: EID }, { functionCallId: 'f' });
    await expect(call).rejects.toBeInstanceOf(PeerProtocolError);
    await expect(es4.GetEIS(provider(), { eid: EID }, { functionCallId: 'f' })).rejects.toThrow(message);
  });

  it('reports an unreachable provider as such', async () => {
    const r = es4.GetEIS(
      { entityId: '1', endpointUrl: 'http://127.0.0.1:1/es' },
      { eid: EID },
      { functionCallId: 'f' },
    );
    await expect(r).rejects.toBeInstanceOf(PeerUnreachableError);
  });
});
