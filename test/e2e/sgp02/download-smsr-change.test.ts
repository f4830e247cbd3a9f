import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esim/orchestrator/testing';
import { World } from './world.js';

/** ES2 DownloadProfile through the SM-DP simulator (ES3 to the SM-SR) and the SM-SR change over ES4/ES7. */
describe(`SGP.02 download and SM-SR change on ${testDatabaseKind()}`, () => {
  let w: World;
  let eids: string[];
  beforeAll(async () => {
    w = await World.start(4);
    eids = w.eids();
  });
  afterAll(() => w?.close());

  it('downloads a profile from the SM-DP and enables it', async () => {
    const eid = eids[0]!;
    const iccid = '8988247999000000017';
    const { op, dispatched } = await w.run(eid, 'download', { iccid, platformId: 'smdp-1', enable: true });
    expect(dispatched.status).toBe('sent');
    expect(op.state).toBe('succeeded');
    expect(op.result).toMatchObject({ iccid });
    await w.expectInventoryMatches(eid);
    expect((await w.inventory(eid)).find((p) => p.iccid === iccid)?.state).toBe('enabled');
    const row = await w.knex('profiles').where({ iccid }).first();
    expect(row).toMatchObject({ eid, platform_id: 'smdp-1' });
    expect(await w.received('ES2-HandleProfileDownloadedNotification')).toBe(true);
    // The SM-DP ran the ES3 sequence against the SM-SR: the card's audit trail shows it.
    const trail = w.smsr.fleet.get(eid)!.auditTrail.map((r) => r.operationType);
    expect(trail).toEqual(
      expect.arrayContaining([
        'ES3-CreateISDP',
        'ES3-SendData',
        'ES3-ProfileDownloadCompleted',
        'ES3-EnableProfile',
      ]),
    );
  });

  it('downloads a profile the SM-DP chooses, without enabling it', async () => {
    const eid = eids[1]!;
    const { op } = await w.run(eid, 'download', {});
    expect(op.state).toBe('succeeded');
    const iccid = (op.result as { iccid: string }).iccid;
    expect(iccid).toMatch(/^89/);
    await w.expectInventoryMatches(eid);
    expect((await w.inventory(eid)).find((p) => p.iccid === iccid)?.state).toBe('disabled');
  });

  it('reports a download the SM-SR refuses (profile already there) as failed', async () => {
    const eid = eids[1]!;
    const [existing] = w.iccids(eid);
    const before = await w.inventory(eid);
    const { op } = await w.run(eid, 'download', { iccid: existing });
    expect(op.state).toBe('failed');
    expect(op.error).toMatchObject({ code: 'sgp02_failed', details: { subject: '8.2.1', reason: '3.3' } });
    expect(await w.inventory(eid)).toEqual(before);
  });

  it('changes the SM-SR: PrepareSMSRChange to the new one, SMSRChange to the current one', async () => {
    const eid = eids[2]!;
    const { op } = await w.run(eid, 'smsrChange', { targetSmsrId: 'smsr-2' });
    expect(op.state).toBe('succeeded');
    expect(op.result).toMatchObject({ smsrId: 'smsr-2' });
    expect((await w.knex('euiccs').where({ eid }).first()).smsr_id).toBe('smsr-2');
    expect(w.smsr.fleet.has(eid)).toBe(false);
    expect(w.smsr2.fleet.has(eid)).toBe(true);
    const calls = await w
      .knex('sgp02_requests')
      .where({ correlation_id: op.correlationId })
      .orderBy('sent_at');
    expect(calls.map((c) => [c.function, c.platform_id])).toEqual([
      ['PrepareSMSRChange', 'smsr-2'],
      ['SMSRChange', 'smsr-1'],
    ]);
    await w.expectInventoryMatches(eid, w.smsr2);
    // The new SM-SR's HandleSMSRChangeNotification was accepted from it.
    expect(await w.received('ES4-HandleSMSRChangeNotification')).toBe(true);
    // The eUICC is now managed through the new SM-SR.
    const [, second] = w.smsr2.fleet.get(eid)!.profiles.map((p) => p.iccid);
    expect((await w.run(eid, 'enable', { iccid: second })).op.state).toBe('succeeded');
    await w.expectInventoryMatches(eid, w.smsr2);
  });

  it('refuses an SM-SR change to the current SM-SR or to an unknown platform', async () => {
    const eid = eids[3]!;
    expect((await w.run(eid, 'smsrChange', { targetSmsrId: 'smsr-1' })).op.error).toMatchObject({
      code: 'same_smsr',
    });
    expect((await w.run(eid, 'smsrChange', { targetSmsrId: 'nope' })).op.error).toMatchObject({
      code: 'no_smsr',
    });
    expect((await w.knex('euiccs').where({ eid }).first()).smsr_id).toBe('smsr-1');
  });
});
