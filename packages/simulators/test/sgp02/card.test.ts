import { describe, expect, it } from 'vitest';
import { card } from '../../src/sgp02/card.js';
import { eisTree, makeFleet, type SimEuicc } from '../../src/sgp02/euicc.js';

const MNO = '1.3.6.1.4.1.99999.10';
const fresh = (): SimEuicc => makeFleet(1, { mnoId: MNO })[0]!;
const states = (e: SimEuicc) => e.profiles.map((p) => `${p.state}${p.fallback ? '+fb' : ''}`);

describe('simulated SGP.02 card', () => {
  it('makes a deterministic fleet with valid EIDs and Luhn ICCIDs', () => {
    const a = makeFleet(3, { mnoId: MNO, seed: 4 });
    expect(a.map((e) => e.eid)).toEqual(makeFleet(3, { mnoId: MNO, seed: 4 }).map((e) => e.eid));
    expect(new Set(a.map((e) => e.eid)).size).toBe(3);
    for (const e of a) {
      expect(e.eid).toMatch(/^[0-9]{32}$/);
      for (const p of e.profiles) expect(p.iccid).toMatch(/^89[0-9]{17}$/);
    }
    expect(states(a[0]!)).toEqual(['Enabled+fb', 'Disabled']);
  });

  it('enables one profile at a time and notifies it', () => {
    const e = fresh();
    const r = card.enable(e, e.profiles[1]!.iccid);
    expect(r).toEqual({
      ok: true,
      notify: [{ name: 'HandleProfileEnabledNotification', iccid: e.profiles[1]!.iccid }],
    });
    expect(states(e)).toEqual(['Disabled+fb', 'Enabled']);
    expect(card.enable(e, e.profiles[1]!.iccid)).toMatchObject({
      ok: false,
      refusal: { subject: '8.2.1', reason: '1.2' },
    });
    expect(card.enable(e, '8900000000000000000')).toMatchObject({
      ok: false,
      refusal: { subject: '8.2.1', reason: '3.9' },
    });
  });

  it('falls back when the enabled profile is disabled, and refuses to disable the fallback profile', () => {
    const e = fresh();
    expect(card.disable(e, e.profiles[0]!.iccid)).toMatchObject({ ok: false });
    card.enable(e, e.profiles[1]!.iccid);
    expect(card.disable(e, e.profiles[1]!.iccid)).toMatchObject({ ok: true });
    expect(states(e)).toEqual(['Enabled+fb', 'Disabled']);
  });

  it('enforces POL2: Not-Allowed refuses, Auto-Delete deletes on disable', () => {
    const e = fresh();
    e.profiles[0]!.pol2 = [{ action: 'DISABLE', qualification: 'Not-Allowed' }];
    expect(card.enable(e, e.profiles[1]!.iccid)).toMatchObject({
      ok: false,
      refusal: { subject: '8.2.3', reason: '3.8' },
    });
    expect(states(e)).toEqual(['Enabled+fb', 'Disabled']);
    const f = fresh();
    const [first, second] = f.profiles;
    card.setFallback(f, second!.iccid, true);
    first!.pol2 = [{ action: 'DISABLE', qualification: 'Auto-Delete' }];
    const r = card.enable(f, second!.iccid);
    expect(r).toMatchObject({
      ok: true,
      notify: [
        { name: 'HandleProfileDeletedNotification', iccid: first!.iccid },
        { name: 'HandleProfileEnabledNotification' },
      ],
    });
    expect(f.profiles.map((p) => p.iccid)).toEqual([second!.iccid]);
    const g = fresh();
    g.profiles[1]!.pol2 = [{ action: 'DELETE', qualification: 'Not-Allowed' }];
    expect(card.delete(g, g.profiles[1]!.iccid)).toMatchObject({ ok: false, refusal: { subject: '8.2.3' } });
  });

  it('never deletes the enabled or the fallback profile, and gives memory back on delete', () => {
    const e = fresh();
    expect(card.delete(e, e.profiles[0]!.iccid)).toMatchObject({ ok: false });
    const memory = e.remainingMemory;
    expect(card.delete(e, e.profiles[1]!.iccid)).toMatchObject({ ok: true });
    expect(e.remainingMemory).toBe(memory + 65_536);
  });

  it('moves the fallback attribute and keeps one emergency profile', () => {
    const e = fresh();
    card.setFallback(e, e.profiles[1]!.iccid, true);
    expect(states(e)).toEqual(['Enabled', 'Disabled+fb']);
    expect(card.setFallback(e, e.profiles[1]!.iccid, false)).toMatchObject({ ok: false });
    card.setEmergency(e, e.profiles[0]!.iccid, true);
    card.setEmergency(e, e.profiles[1]!.iccid, true);
    expect(e.profiles.map((p) => p.emergency)).toEqual([false, true]);
  });

  it('downloads: CreateISDP (Created, memory taken), ProfileDownloadCompleted (Disabled)', () => {
    const e = fresh();
    expect(
      card.createIsdp(e, { iccid: '8988247999000000017', mnoId: MNO, smdpId: '1.2', memory: 100 }),
    ).toMatchObject({ ok: true });
    expect(
      card.createIsdp(e, { iccid: '8988247999000000017', mnoId: MNO, smdpId: '1.2', memory: 100 }),
    ).toMatchObject({ ok: false, refusal: { reason: '3.3' } });
    expect(card.enable(e, '8988247999000000017')).toMatchObject({ ok: false });
    expect(card.downloadCompleted(e, '8988247999000000017', { msisdn: '49' })).toMatchObject({ ok: true });
    expect(e.profiles[2]).toMatchObject({ state: 'Disabled', msisdn: '49', smdpId: '1.2' });
    expect(
      card.createIsdp(e, { iccid: '8988247999000000025', mnoId: MNO, smdpId: '1.2', memory: 10 ** 9 }),
    ).toMatchObject({ ok: false, refusal: { subject: '8.1', reason: '4.8' } });
  });

  it('filters the EIS by reader', () => {
    const e = fresh();
    e.profiles[1]!.mnoId = '1.9';
    const names = (t: ReturnType<typeof eisTree>) => t.filter(([, v]) => v !== undefined).map(([n]) => n);
    const operator = eisTree(e, '1.3', { kind: 'operator', entityId: MNO });
    expect(names(operator).filter((n) => n === 'ProfileInfo')).toHaveLength(1);
    expect(names(operator)).not.toContain('Isd-r');
    e.profiles[0]!.smdpId = '1.2';
    // An SM-DP sees only the profiles it downloaded, without security domains.
    const smdp = eisTree(e, '1.3', { kind: 'smdp', entityId: '1.2' });
    expect(smdp.filter(([n]) => n === 'ProfileInfo').map(([, v]) => (v as [string, unknown][])[0])).toEqual([
      ['Iccid', e.profiles[0]!.iccid],
    ]);
    expect(names(smdp)).not.toContain('Isd-r');
    expect(names(eisTree(e, '1.3', { kind: 'smdp', entityId: '1.7' }))).not.toContain('ProfileInfo');
    expect(names(eisTree(e, '1.3', { kind: 'full' })).filter((n) => n === 'ProfileInfo')).toHaveLength(2);
  });
});
