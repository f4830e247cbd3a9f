import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingPeer, type RecordingPeer } from './support/recording-peer.js';
import { el, readEnvelope, val, writeEnvelope, type Envelope } from '../../src/sgp02/soap.js';
import { startSmdp, type RunningSmdp } from '../../src/sgp02/smdp.js';
import { startSmsr, type RunningSmsr } from '../../src/sgp02/smsr.js';

const OPERATOR = '1.3.6.1.4.1.99999.10';

/** The SM-DP simulator downloading over ES3 into the SM-SR simulator, seen by a scripted operator. */
describe('SM-DP simulator', () => {
  let smsr: RunningSmsr;
  let smdp: RunningSmdp;
  let operator: RecordingPeer;
  let operatorUrl: string;
  let received: Envelope[];

  beforeAll(async () => {
    smsr = await startSmsr({ count: 1, operators: [OPERATOR], latencyMs: 0 });
    smdp = await startSmdp({ smsr: smsr.es3, operators: [OPERATOR], latencyMs: 0 });
    operator = await startRecordingPeer('/cb');
    ({ url: operatorUrl, received } = operator);
  });
  afterAll(async () => {
    await smdp?.close();
    await smsr?.close();
    await operator?.close();
  });

  const download = (from: string, iccid: string | undefined, enable: boolean, fcid: string = randomUUID()) =>
    fetch(smdp.es2, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml' },
      body: writeEnvelope(
        {
          from: `${operatorUrl}?EntityId=${from}`,
          messageId: `urn:uuid:${randomUUID()}`,
          replyTo: operatorUrl,
        },
        'ES2-DownloadProfileRequest',
        [
          ['FunctionCallIdentifier', fcid],
          ['Eid', [...smsr.fleet.keys()][0]],
          ['Smsr-id', smsr.entityId],
          ['Iccid', iccid],
          ['EnableProfile', String(enable)],
        ],
      ),
    });

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    return check();
  };

  it('refuses an operator it does not serve with FAILED 1.1 / 1.2', async () => {
    const res = await download('1.2.3.4', '8988247999000000017', false);
    const env = readEnvelope(await res.text());
    const fes = el(env.body, 'FunctionExecutionStatus');
    expect(env.name).toBe('ES2-DownloadProfileResponse');
    expect([
      val(fes, 'Status'),
      val(el(fes, 'StatusCodeData'), 'Subject'),
      val(el(fes, 'StatusCodeData'), 'Reason'),
    ]).toEqual(['FAILED', '1.1', '1.2']);
  });

  it('downloads over ES3, answers to ReplyTo and notifies HandleProfileDownloaded', async () => {
    const res = await download(OPERATOR, '8988247999000000017', true);
    expect(res.status).toBe(202);
    const named = (name: string) => received.find((e) => e.name === name);
    expect(await until(() => Boolean(named('ES2-HandleProfileDownloadedNotification')))).toBe(true);
    const answer = named('ES2-DownloadProfileResponse');
    expect(val(el(answer!.body, 'FunctionExecutionStatus'), 'Status')).toBe('EXECUTED_SUCCESS');
    expect(val(answer!.body, 'Iccid')).toBe('8988247999000000017');
    // Enabling it over ES3 made the SM-SR notify the SM-DP, which forwarded that to the operator.
    expect(await until(() => Boolean(named('ES2-HandleProfileEnabledNotification')))).toBe(true);
    expect(val(named('ES2-HandleProfileEnabledNotification')!.body, 'Iccid')).toBe('8988247999000000017');
    const card = [...smsr.fleet.values()][0]!;
    expect(card.profiles.find((p) => p.iccid === '8988247999000000017')).toMatchObject({
      state: 'Enabled',
      mnoId: OPERATOR,
      smdpId: smdp.entityId,
    });
  });

  it('reports the SM-SR refusing the ISD-P (ICCID in use) in its answer', async () => {
    received.length = 0;
    await download(OPERATOR, '8988247999000000017', false);
    expect(await until(() => received.length >= 1)).toBe(true);
    const fes = el(received[0]!.body, 'FunctionExecutionStatus');
    expect(val(fes, 'Status')).toBe('FAILED');
    expect(val(el(fes, 'StatusCodeData'), 'Reason')).toBe('3.3');
  });

  it('answers a retry (same FunctionCallIdentifier) from the first download, without a second profile', async () => {
    received.length = 0;
    const card = [...smsr.fleet.values()][0]!;
    const before = card.profiles.length;
    await download(OPERATOR, undefined, false, 'fcid-retry');
    expect(await until(() => received.length >= 2)).toBe(true);
    await download(OPERATOR, undefined, false, 'fcid-retry');
    expect(await until(() => received.length >= 3)).toBe(true);
    const answers = received.filter((e) => e.name === 'ES2-DownloadProfileResponse');
    expect(answers).toHaveLength(2);
    expect(answers.map((a) => val(el(a.body, 'FunctionExecutionStatus'), 'Status'))).toEqual([
      'EXECUTED_SUCCESS',
      'EXECUTED_SUCCESS',
    ]);
    expect(val(answers[1]!.body, 'Iccid')).toBe(val(answers[0]!.body, 'Iccid'));
    expect(card.profiles).toHaveLength(before + 1);
  });
});
