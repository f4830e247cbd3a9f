import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvelope, val, el, writeEnvelope, type Tree } from '../../src/sgp02/soap.js';
import { startSmsr, type RunningSmsr } from '../../src/sgp02/smsr.js';

const OPERATOR = '1.3.6.1.4.1.99999.10';

/** The SM-SR simulator on its own, over HTTP: what a third-party operator client would see. */
describe('SM-SR simulator', () => {
  let smsr: RunningSmsr;
  beforeAll(async () => {
    smsr = await startSmsr({ count: 2, operators: [OPERATOR], latencyMs: 0 });
  });
  afterAll(() => smsr?.close());

  const call = async (fn: string, body: Tree, from = OPERATOR, raw?: string) => {
    const xml =
      raw ??
      writeEnvelope(
        {
          from: `http://127.0.0.1:1/cb?EntityId=${from}`,
          to: smsr.es4,
          messageId: `urn:uuid:${randomUUID()}`,
          action: `urn:${fn}`,
        },
        `ES4-${fn}Request`,
        body,
      );
    const res = await fetch(smsr.es4, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml' },
      body: xml,
    });
    return { status: res.status, text: await res.text() };
  };
  const statusOf = (xml: string) => {
    const env = readEnvelope(xml);
    const fes = el(env.body, 'FunctionExecutionStatus');
    return {
      name: env.name,
      status: val(fes, 'Status'),
      subject: val(el(fes, 'StatusCodeData'), 'Subject'),
      reason: val(el(fes, 'StatusCodeData'), 'Reason'),
    };
  };

  it('answers GetEIS synchronously with the EIS', async () => {
    const [eid] = smsr.fleet.keys();
    const r = await call('GetEIS', [
      ['FunctionCallIdentifier', 'f1'],
      ['Eid', eid],
    ]);
    expect(r.status).toBe(200);
    expect(statusOf(r.text)).toMatchObject({ name: 'ES4-GetEISResponse', status: 'EXECUTED_SUCCESS' });
    expect(r.text).toContain(eid);
  });

  it('acknowledges an asynchronous function with 202 and an empty body', async () => {
    const [eid] = smsr.fleet.keys();
    const r = await call('AuditEIS', [
      ['FunctionCallIdentifier', 'f2'],
      ['Eid', eid],
    ]);
    expect(r).toEqual({ status: 202, text: '' });
  });

  it('refuses an unknown requester, an unknown EID and a missing FunctionCallIdentifier with FAILED codes', async () => {
    const [eid] = smsr.fleet.keys();
    expect(
      statusOf(
        (
          await call(
            'GetEIS',
            [
              ['FunctionCallIdentifier', 'f3'],
              ['Eid', eid],
            ],
            '1.2.3',
          )
        ).text,
      ),
    ).toMatchObject({ status: 'FAILED', subject: '1.1', reason: '1.2' });
    expect(
      statusOf(
        (
          await call('GetEIS', [
            ['FunctionCallIdentifier', 'f4'],
            ['Eid', '0'.repeat(32)],
          ])
        ).text,
      ),
    ).toMatchObject({ subject: '8.1.1', reason: '3.9' });
    expect(statusOf((await call('GetEIS', [['Eid', eid]])).text)).toMatchObject({
      subject: '1.6',
      reason: '2.2',
    });
  });

  it('answers malformed XML, a DTD or a non-ES4 body with a SOAP Fault', async () => {
    for (const raw of [
      '<a><b></a>',
      '<!DOCTYPE x><a/>',
      writeEnvelope({ from: `x?EntityId=${OPERATOR}`, messageId: 'm' }, 'ES2-GetEISRequest', []),
    ]) {
      const r = await call('x', [], OPERATOR, raw);
      expect(r.status).toBe(400);
      expect(r.text).toContain('Fault');
    }
  });

  it('serves its fleet and refuses bad fault requests', async () => {
    const fleet = (await (await fetch(`${smsr.url}/sim/fleet`)).json()) as {
      euiccs: { eid: string; profiles: unknown[] }[];
    };
    expect(fleet.euiccs).toHaveLength(2);
    const post = (body: unknown) =>
      fetch(`${smsr.url}/sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ latencyMs: -1 })).status).toBe(400);
    expect((await post({ nonsense: true })).status).toBe(400);
    expect((await post({ offline: ['0'.repeat(32)] })).status).toBe(404);
    expect((await post({ latencyMs: 0 })).status).toBe(200);
  });
});
