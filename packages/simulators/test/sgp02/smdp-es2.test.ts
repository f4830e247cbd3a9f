import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingPeer, type RecordingPeer } from './support/recording-peer.js';
import { all, el, readEnvelope, val, writeEnvelope, type Envelope, type Tree } from '../../src/sgp02/soap.js';
import { startSmdp, type RunningSmdp } from '../../src/sgp02/smdp.js';
import { startSmsr, type RunningSmsr } from '../../src/sgp02/smsr.js';

const OPERATOR = '1.3.6.1.4.1.99999.10';
const OTHER_OPERATOR = '1.3.6.1.4.1.99999.11';
const SMDP = '1.3.6.1.4.1.99999.30';

/**
 * The SM-DP simulator's ES2 profile management, relayed over ES3 to the SM-SR simulator, seen by a
 * scripted operator: synchronous answers in the HTTP response, asynchronous ones as callbacks
 * related to the operator's MessageID, the SM-SR's notifications forwarded over ES2.
 */
describe('SM-DP simulator relaying ES2 over ES3', () => {
  let smsr: RunningSmsr;
  let smdp: RunningSmdp;
  let operator: RecordingPeer;
  let operatorUrl: string;
  let received: Envelope[];
  let eids: string[];

  beforeAll(async () => {
    smsr = await startSmsr({ count: 6, operators: [OPERATOR], smdpId: SMDP, latencyMs: 0 });
    smdp = await startSmdp({
      smsr: smsr.es3,
      entityId: SMDP,
      operators: [OPERATOR, OTHER_OPERATOR],
      latencyMs: 0,
    });
    eids = [...smsr.fleet.keys()];
    operator = await startRecordingPeer('/es2');
    ({ url: operatorUrl, received } = operator);
  });
  afterAll(async () => {
    await smdp?.close();
    await smsr?.close();
    await operator?.close();
  });

  const call = async (fn: string, eid: string, body: Tree, opts: { from?: string; fcid?: string } = {}) => {
    const messageId = `urn:uuid:${randomUUID()}`;
    const res = await fetch(smdp.es2, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml' },
      body: writeEnvelope(
        {
          from: `${operatorUrl}?EntityId=${opts.from ?? OPERATOR}`,
          to: smdp.es2,
          messageId,
          replyTo: operatorUrl,
        },
        `ES2-${fn}Request`,
        [
          ['FunctionCallIdentifier', opts.fcid ?? randomUUID()],
          ['Eid', eid],
          ['Smsr-id', smsr.entityId],
          ...body,
        ],
      ),
    });
    return { messageId, status: res.status, text: await res.text() };
  };
  const statusOf = (body: Envelope['body'] | undefined) => {
    const fes = el(body, 'FunctionExecutionStatus');
    return {
      status: val(fes, 'Status'),
      subject: val(el(fes, 'StatusCodeData'), 'Subject'),
      reason: val(el(fes, 'StatusCodeData'), 'Reason'),
    };
  };
  const until = async (check: () => boolean, ms = 3_000) => {
    for (let i = 0; i < ms / 10 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    return check();
  };
  const callbacks = (messageId: string) => received.filter((e) => e.relatesTo === messageId);
  const callback = async (messageId: string, ms?: number) => {
    expect(await until(() => callbacks(messageId).length > 0, ms)).toBe(true);
    return callbacks(messageId)[0]!;
  };
  const notified = (name: string, iccid: string) =>
    until(() => received.some((e) => e.name === `ES2-${name}Notification` && val(e.body, 'Iccid') === iccid));
  const iccids = (eid: string) => smsr.fleet.get(eid)!.profiles.map((p) => p.iccid);

  it("answers GetEIS synchronously with the operator's profiles only", async () => {
    const eid = eids[0]!;
    const [first, second] = iccids(eid);
    smsr.fleet.get(eid)!.profiles[0]!.mnoId = OTHER_OPERATOR;
    const r = await call('GetEIS', eid, []);
    expect(r.status).toBe(200);
    const env = readEnvelope(r.text);
    expect([env.name, env.relatesTo]).toEqual(['ES2-GetEISResponse', r.messageId]);
    expect(all(el(env.body, 'Eis'), 'ProfileInfo').map((p) => val(p, 'Iccid'))).toEqual([second]);
    expect(r.text).not.toContain(first);
  });

  it('refuses a profile of another operator, an unknown one and a missing Iccid, changing nothing', async () => {
    const eid = eids[0]!;
    const [first] = iccids(eid);
    const refusal = async (body: Tree) => {
      const r = await call('DisableProfile', eid, body);
      expect(r.status).toBe(200);
      return statusOf(readEnvelope(r.text).body);
    };
    expect(await refusal([['Iccid', first]])).toEqual({ status: 'FAILED', subject: '8.2.1', reason: '1.2' });
    expect(await refusal([['Iccid', '8988247999999999999']])).toEqual({
      status: 'FAILED',
      subject: '8.2.1',
      reason: '3.9',
    });
    expect(await refusal([])).toEqual({ status: 'FAILED', subject: '1.6', reason: '2.2' });
    expect(smsr.fleet.get(eid)!.profiles[0]!.state).toBe('Enabled');
  });

  it('enables asynchronously: 202, the answer related to our MessageID, the notification forwarded', async () => {
    const eid = eids[1]!;
    const [, second] = iccids(eid);
    const r = await call('EnableProfile', eid, [['Iccid', second]]);
    expect([r.status, r.text]).toEqual([202, '']);
    const answer = await callback(r.messageId);
    expect(answer.name).toBe('ES2-EnableProfileResponse');
    expect(statusOf(answer.body).status).toBe('EXECUTED_SUCCESS');
    expect(await notified('HandleProfileEnabled', second!)).toBe(true);
    expect(smsr.fleet.get(eid)!.profiles.map((p) => p.state)).toEqual(['Disabled', 'Enabled']);
    // The SM-SR saw the SM-DP, not the operator, as requester.
    expect(smsr.fleet.get(eid)!.auditTrail.at(-1)).toMatchObject({
      operationType: 'ES3-EnableProfile',
      requesterId: SMDP,
    });
  });

  it('disables: both the disabled and the fallback enabled notifications are forwarded', async () => {
    const eid = eids[1]!;
    const [first, second] = iccids(eid);
    const r = await call('DisableProfile', eid, [['Iccid', second]]);
    expect(statusOf((await callback(r.messageId)).body).status).toBe('EXECUTED_SUCCESS');
    expect(await notified('HandleProfileDisabled', second!)).toBe(true);
    expect(await notified('HandleProfileEnabled', first!)).toBe(true);
  });

  it('deletes a profile (ES3 DeleteISDP)', async () => {
    const eid = eids[2]!;
    const [first, second] = iccids(eid);
    const r = await call('DeleteProfile', eid, [['Iccid', second]]);
    expect((await callback(r.messageId)).name).toBe('ES2-DeleteProfileResponse');
    expect(await notified('HandleProfileDeleted', second!)).toBe(true);
    expect(iccids(eid)).toEqual([first]);
  });

  it('audits asynchronously, the EIS in the answer', async () => {
    const eid = eids[3]!;
    const r = await call('AuditEIS', eid, []);
    expect(r.status).toBe(202);
    const answer = await callback(r.messageId);
    expect(answer.name).toBe('ES2-AuditEISResponse');
    expect(all(el(answer.body, 'Eis'), 'ProfileInfo').map((p) => val(p, 'Iccid'))).toEqual(iccids(eid));
  });

  it('updates the address and POL2 synchronously; a POL2 refusal of the SM-SR comes back in the answer', async () => {
    const eid = eids[4]!;
    const [first, second] = iccids(eid);
    const address = await call('UpdateSubscriptionAddress', eid, [
      ['Iccid', first],
      ['NewSubscriptionAddress', [['Imsi', '262019999999997']]],
    ]);
    expect(statusOf(readEnvelope(address.text).body).status).toBe('EXECUTED_SUCCESS');
    const pol2 = await call('UpdatePolicyRules', eid, [
      ['Iccid', first],
      [
        'pol2',
        [
          [
            'Rule',
            [
              ['Subject', 'PROFILE'],
              ['Action', 'DISABLE'],
              ['Qualification', 'Not-Allowed'],
            ],
          ],
        ],
      ],
    ]);
    expect(readEnvelope(pol2.text).name).toBe('ES2-UpdatePolicyRulesResponse');
    expect(smsr.fleet.get(eid)!.profiles[0]).toMatchObject({
      imsi: '262019999999997',
      pol2: [{ action: 'DISABLE', qualification: 'Not-Allowed' }],
    });
    const refused = await call('EnableProfile', eid, [['Iccid', second]]);
    expect(statusOf((await callback(refused.messageId)).body)).toEqual({
      status: 'FAILED',
      subject: '8.2.3',
      reason: '3.8',
    });
  });

  it('answers a retry (same FunctionCallIdentifier) from the first run, executing once', async () => {
    const eid = eids[5]!;
    const [, second] = iccids(eid);
    const before = smsr.fleet.get(eid)!.auditTrail.length;
    const a = await call('DeleteProfile', eid, [['Iccid', second]], { fcid: 'es2-retry' });
    await callback(a.messageId);
    const b = await call('DeleteProfile', eid, [['Iccid', second]], { fcid: 'es2-retry' });
    expect(statusOf((await callback(b.messageId)).body).status).toBe('EXECUTED_SUCCESS');
    expect(smsr.fleet.get(eid)!.auditTrail.length).toBe(before + 1);
  });

  it('answers FAILED 1.6 / 5.4 when the SM-SR never calls back', async () => {
    const eid = eids[3]!;
    await fetch(`${smsr.url}/sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dropNextResponse: true }),
    });
    const r = await call('AuditEIS', eid, [['ValidityPeriod', '0']]);
    expect(r.status).toBe(202);
    // Waited for the validity period and the SM-DP's margin (5 s).
    expect(statusOf((await callback(r.messageId, 10_000)).body)).toEqual({
      status: 'FAILED',
      subject: '1.6',
      reason: '5.4',
    });
  }, 15_000);
});
