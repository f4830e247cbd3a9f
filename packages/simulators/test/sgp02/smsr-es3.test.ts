import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingPeer, type RecordingPeer } from './support/recording-peer.js';
import { all, el, readEnvelope, val, writeEnvelope, type Envelope, type Tree } from '../../src/sgp02/soap.js';
import { startSmsr, type RunningSmsr } from '../../src/sgp02/smsr.js';

const OPERATOR = '1.3.6.1.4.1.99999.10';
const SMDP = '1.3.6.1.4.1.99999.30';
const OTHER_SMDP = '1.3.6.1.4.1.99999.31';

/**
 * The SM-SR simulator's ES3, seen by a scripted SM-DP: profile management on the SM-DP's own
 * profiles, answered synchronously or by callback as on ES4, notified back over ES3.
 */
describe('SM-SR simulator over ES3', () => {
  let smsr: RunningSmsr;
  let smdp: RecordingPeer;
  let smdpUrl: string;
  let received: Envelope[];
  let eids: string[];

  beforeAll(async () => {
    smsr = await startSmsr({ count: 6, operators: [OPERATOR], smdps: [SMDP], smdpId: SMDP, latencyMs: 0 });
    eids = [...smsr.fleet.keys()];
    smdp = await startRecordingPeer('/es3');
    ({ url: smdpUrl, received } = smdp);
  });
  afterAll(async () => {
    await smsr?.close();
    await smdp?.close();
  });

  const call = async (fn: string, body: Tree, from = SMDP) => {
    const messageId = `urn:uuid:${randomUUID()}`;
    const res = await fetch(smsr.es3, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml' },
      body: writeEnvelope(
        { from: `${smdpUrl}?EntityId=${from}`, to: smsr.es3, messageId, replyTo: smdpUrl },
        `ES3-${fn}Request`,
        [['FunctionCallIdentifier', randomUUID()], ...body],
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
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    return check();
  };
  /** The callback related to `messageId`, once it arrived. */
  const callback = async (messageId: string) => {
    expect(await until(() => received.some((e) => e.relatesTo === messageId))).toBe(true);
    return received.find((e) => e.relatesTo === messageId)!;
  };
  const notified = (name: string, iccid: string) =>
    until(() => received.some((e) => e.name === `ES3-${name}Notification` && val(e.body, 'Iccid') === iccid));
  const iccids = (eid: string) => smsr.fleet.get(eid)!.profiles.map((p) => p.iccid);

  it('shows an SM-DP only the profiles it downloaded in GetEIS', async () => {
    const eid = eids[0]!;
    const [first, second] = iccids(eid);
    smsr.fleet.get(eid)!.profiles[0]!.smdpId = OTHER_SMDP;
    const r = await call('GetEIS', [['Eid', eid]]);
    expect(r.status).toBe(200);
    const env = readEnvelope(r.text);
    expect(env.name).toBe('ES3-GetEISResponse');
    const shown = all(el(env.body, 'Eis'), 'ProfileInfo').map((p) => val(p, 'Iccid'));
    expect(shown).toEqual([second]);
    expect(shown).not.toContain(first);
    expect(el(el(env.body, 'Eis'), 'Isd-r')).toBeUndefined();
  });

  it("refuses an SM-DP it does not serve, and a function on another SM-DP's profile", async () => {
    const eid = eids[0]!;
    const [first] = iccids(eid);
    expect(statusOf(readEnvelope((await call('GetEIS', [['Eid', eid]], OTHER_SMDP)).text).body)).toEqual({
      status: 'FAILED',
      subject: '1.1',
      reason: '1.2',
    });
    const r = await call('DisableProfile', [
      ['Eid', eid],
      ['Iccid', first],
    ]);
    expect(r.status).toBe(200);
    expect(statusOf(readEnvelope(r.text).body)).toEqual({
      status: 'FAILED',
      subject: '8.2.1',
      reason: '1.2',
    });
    expect(smsr.fleet.get(eid)!.profiles[0]!.state).toBe('Enabled');
  });

  it('refuses the ES4 name of a deletion: ES3 calls it DeleteISDP', async () => {
    const r = await call('DeleteProfile', [
      ['Eid', eids[1]],
      ['Iccid', iccids(eids[1]!)[1]],
    ]);
    expect(statusOf(readEnvelope(r.text).body)).toMatchObject({ subject: '1.6', reason: '2.1' });
    expect(smsr.fleet.get(eids[1]!)!.profiles).toHaveLength(2);
  });

  it('enables asynchronously: 202, the callback to ReplyTo, then the notification over ES3', async () => {
    const eid = eids[1]!;
    const [, second] = iccids(eid);
    const r = await call('EnableProfile', [
      ['Eid', eid],
      ['Iccid', second],
    ]);
    expect([r.status, r.text]).toEqual([202, '']);
    const answer = await callback(r.messageId);
    expect(answer.name).toBe('ES3-EnableProfileResponse');
    expect(answer.from).toBe(`${smsr.es3}?EntityId=${smsr.entityId}`);
    expect(statusOf(answer.body).status).toBe('EXECUTED_SUCCESS');
    expect(await notified('HandleProfileEnabled', second!)).toBe(true);
    expect(smsr.fleet.get(eid)!.profiles.map((p) => p.state)).toEqual(['Disabled', 'Enabled']);
    expect(smsr.fleet.get(eid)!.auditTrail.at(-1)).toMatchObject({
      operationType: 'ES3-EnableProfile',
      requesterId: SMDP,
      iccid: second,
    });
  });

  it('disables: the eUICC falls back, both changes notified over ES3', async () => {
    const eid = eids[1]!;
    const [first, second] = iccids(eid);
    const r = await call('DisableProfile', [
      ['Eid', eid],
      ['Iccid', second],
    ]);
    expect(statusOf((await callback(r.messageId)).body).status).toBe('EXECUTED_SUCCESS');
    expect(await notified('HandleProfileDisabled', second!)).toBe(true);
    expect(await notified('HandleProfileEnabled', first!)).toBe(true);
  });

  it('deletes with DeleteISDP and reports a card refusal (the enabled profile) in the callback', async () => {
    const eid = eids[2]!;
    const [first, second] = iccids(eid);
    const refused = await call('DeleteISDP', [
      ['Eid', eid],
      ['Iccid', first],
    ]);
    expect(statusOf((await callback(refused.messageId)).body)).toEqual({
      status: 'FAILED',
      subject: '8.2.1',
      reason: '1.2',
    });
    const r = await call('DeleteISDP', [
      ['Eid', eid],
      ['Iccid', second],
    ]);
    expect((await callback(r.messageId)).name).toBe('ES3-DeleteISDPResponse');
    expect(await notified('HandleProfileDeleted', second!)).toBe(true);
    expect(iccids(eid)).toEqual([first]);
  });

  it('audits asynchronously, with the EIS of its profiles in the callback', async () => {
    const eid = eids[3]!;
    const r = await call('AuditEIS', [['Eid', eid]]);
    expect(r.status).toBe(202);
    const answer = await callback(r.messageId);
    expect(answer.name).toBe('ES3-AuditEISResponse');
    expect(all(el(answer.body, 'Eis'), 'ProfileInfo').map((p) => val(p, 'Iccid'))).toEqual(iccids(eid));
  });

  it('updates POL2 and the subscription address synchronously', async () => {
    const eid = eids[4]!;
    const [first] = iccids(eid);
    const pol2 = await call('UpdatePolicyRules', [
      ['Eid', eid],
      ['Iccid', first],
      [
        'pol2',
        [
          [
            'Rule',
            [
              ['Subject', 'PROFILE'],
              ['Action', 'DELETE'],
              ['Qualification', 'Not-Allowed'],
            ],
          ],
        ],
      ],
    ]);
    expect(pol2.status).toBe(200);
    expect(statusOf(readEnvelope(pol2.text).body).status).toBe('EXECUTED_SUCCESS');
    const address = await call('UpdateSubscriptionAddress', [
      ['Eid', eid],
      ['Iccid', first],
      ['NewSubscriptionAddress', [['Msisdn', '491700000099']]],
    ]);
    expect(readEnvelope(address.text).name).toBe('ES3-UpdateSubscriptionAddressResponse');
    expect(smsr.fleet.get(eid)!.profiles[0]).toMatchObject({
      msisdn: '491700000099',
      pol2: [{ action: 'DELETE', qualification: 'Not-Allowed' }],
    });
    const missing = await call('UpdateSubscriptionAddress', [
      ['Eid', eid],
      ['Iccid', first],
    ]);
    expect(statusOf(readEnvelope(missing.text).body)).toMatchObject({ subject: '1.6', reason: '2.2' });
  });
});
