import { isdpAidFor, type Pol2Rule, type SimEuicc, type SimProfile } from './euicc.js';

/** FunctionExecutionStatus of a refusal: Subject and Reason codes as SGP.02 lists them. */
export interface Refusal {
  subject: string;
  reason: string;
  message: string;
}

/** What a card function did: the notifications it causes, or why it was refused. */
export type CardResult =
  { ok: true; notify: { name: string; iccid: string }[]; iccid?: string } | { ok: false; refusal: Refusal };

const refuse = (subject: string, reason: string, message: string): CardResult => ({
  ok: false,
  refusal: { subject, reason, message },
});
const unknownProfile = (iccid: string) => refuse('8.2.1', '3.9', `unknown profile ${iccid}`);
const pol2Refuses = (p: SimProfile, action: Pol2Rule['action']) =>
  p.pol2.some((r) => r.action === action && r.qualification === 'Not-Allowed');
const pol2AutoDelete = (p: SimProfile) =>
  p.pol2.some((r) => r.action === 'DISABLE' && r.qualification === 'Auto-Delete');

function find(e: SimEuicc, iccid: string): SimProfile | undefined {
  return e.profiles.find((p) => p.iccid === iccid.toUpperCase());
}

function remove(e: SimEuicc, p: SimProfile): void {
  e.profiles = e.profiles.filter((x) => x !== p);
  e.remainingMemory += p.allocatedMemory;
}

/**
 * The ES4/ES3 functions as the simulated card executes them, with the rules an SM-SR and an
 * eUICC enforce: one enabled profile, one fallback profile, POL2 rules (Not-Allowed refuses,
 * Auto-Delete on DISABLE deletes), no deletion of the enabled or fallback profile.
 */
export const card = {
  enable(e: SimEuicc, iccid: string): CardResult {
    const p = find(e, iccid);
    if (!p) return unknownProfile(iccid);
    if (p.state === 'Enabled') return refuse('8.2.1', '1.2', `profile ${p.iccid} is already enabled`);
    if (p.state === 'Created') return refuse('8.2.1', '1.2', `profile ${p.iccid} is not fully installed`);
    if (pol2Refuses(p, 'ENABLE')) return refuse('8.2.3', '3.8', `POL2 of ${p.iccid} forbids enabling it`);
    const current = e.profiles.find((x) => x.state === 'Enabled');
    if (current && pol2Refuses(current, 'DISABLE'))
      return refuse('8.2.3', '3.8', `POL2 of ${current.iccid} forbids disabling it`);
    const notify: { name: string; iccid: string }[] = [];
    if (current) {
      current.state = 'Disabled';
      if (pol2AutoDelete(current)) {
        remove(e, current);
        notify.push({ name: 'HandleProfileDeletedNotification', iccid: current.iccid });
      }
    }
    p.state = 'Enabled';
    notify.push({ name: 'HandleProfileEnabledNotification', iccid: p.iccid });
    return { ok: true, notify };
  },

  disable(e: SimEuicc, iccid: string): CardResult {
    const p = find(e, iccid);
    if (!p) return unknownProfile(iccid);
    if (p.state !== 'Enabled') return refuse('8.2.1', '1.2', `profile ${p.iccid} is not enabled`);
    if (pol2Refuses(p, 'DISABLE')) return refuse('8.2.3', '3.8', `POL2 of ${p.iccid} forbids disabling it`);
    const fallback = e.profiles.find((x) => x.fallback && x !== p);
    if (p.fallback || !fallback)
      return refuse('8.2.1', '1.2', `disabling ${p.iccid} would leave no profile to fall back to`);
    p.state = 'Disabled';
    // The eUICC falls back: the fallback profile takes over so the device stays reachable.
    fallback.state = 'Enabled';
    const notify = [
      { name: 'HandleProfileDisabledNotification', iccid: p.iccid },
      { name: 'HandleProfileEnabledNotification', iccid: fallback.iccid },
    ];
    if (pol2AutoDelete(p)) {
      remove(e, p);
      notify.push({ name: 'HandleProfileDeletedNotification', iccid: p.iccid });
    }
    return { ok: true, notify };
  },

  delete(e: SimEuicc, iccid: string): CardResult {
    const p = find(e, iccid);
    if (!p) return unknownProfile(iccid);
    if (p.state === 'Enabled') return refuse('8.2.1', '1.2', `profile ${p.iccid} is enabled`);
    if (p.fallback) return refuse('8.2.1', '1.2', `profile ${p.iccid} has the fallback attribute`);
    if (pol2Refuses(p, 'DELETE')) return refuse('8.2.3', '3.8', `POL2 of ${p.iccid} forbids deleting it`);
    remove(e, p);
    return { ok: true, notify: [{ name: 'HandleProfileDeletedNotification', iccid: p.iccid }] };
  },

  setFallback(e: SimEuicc, iccid: string, on: boolean): CardResult {
    const p = find(e, iccid);
    if (!p) return unknownProfile(iccid);
    if (!on && p.fallback)
      return refuse('8.2.1', '1.2', `the fallback attribute cannot be removed, only moved`);
    if (on) for (const x of e.profiles) x.fallback = x === p;
    return {
      ok: true,
      notify: [{ name: `HandleFallbackAttribute${on ? 'Set' : 'Unset'}Notification`, iccid: p.iccid }],
    };
  },

  setEmergency(e: SimEuicc, iccid: string, on: boolean): CardResult {
    const p = find(e, iccid);
    if (!p) return unknownProfile(iccid);
    if (on) for (const x of e.profiles) x.emergency = x === p;
    else p.emergency = false;
    return {
      ok: true,
      notify: [
        { name: `HandleEmergencyProfileAttribute${on ? 'Set' : 'Unset'}Notification`, iccid: p.iccid },
      ],
    };
  },

  /** ES3.CreateISDP: a new ISD-P for a profile, in state Created. */
  createIsdp(
    e: SimEuicc,
    p: { iccid: string; mnoId: string; smdpId: string; memory: number; profileType?: string },
  ): CardResult {
    if (find(e, p.iccid)) return refuse('8.2.1', '3.3', `profile ${p.iccid} already exists`);
    if (e.remainingMemory < p.memory) return refuse('8.1', '4.8', 'insufficient memory');
    e.remainingMemory -= p.memory;
    e.profiles.push({
      iccid: p.iccid.toUpperCase(),
      isdpAid: isdpAidFor(e.nextIsdp++),
      mnoId: p.mnoId,
      state: 'Created',
      fallback: false,
      emergency: false,
      smdpId: p.smdpId,
      profileType: p.profileType,
      allocatedMemory: p.memory,
      pol2: [],
    });
    return { ok: true, notify: [], iccid: p.iccid };
  },

  /** ES3.ProfileDownloadCompleted: the installed profile becomes Disabled, with its address and POL2. */
  downloadCompleted(
    e: SimEuicc,
    iccid: string,
    a: { msisdn?: string; imsi?: string; pol2?: Pol2Rule[] },
  ): CardResult {
    const p = find(e, iccid);
    if (!p) return unknownProfile(iccid);
    if (p.state !== 'Created') return refuse('8.2.1', '1.2', `profile ${p.iccid} is not being downloaded`);
    p.state = 'Disabled';
    p.msisdn = a.msisdn;
    p.imsi = a.imsi;
    p.pol2 = a.pol2 ?? [];
    return { ok: true, notify: [], iccid: p.iccid };
  },

  /** The enabled profile lost its network: the eUICC enables the fallback profile by itself. */
  loseNetwork(e: SimEuicc): CardResult {
    const current = e.profiles.find((x) => x.state === 'Enabled');
    const fallback = e.profiles.find((x) => x.fallback);
    if (!fallback || fallback === current) return refuse('8.1', '3.8', 'no other fallback profile');
    if (current) current.state = 'Disabled';
    fallback.state = 'Enabled';
    return {
      ok: true,
      notify: [
        ...(current ? [{ name: 'HandleProfileDisabledNotification', iccid: current.iccid }] : []),
        { name: 'HandleProfileEnabledNotification', iccid: fallback.iccid },
      ],
    };
  },
};
