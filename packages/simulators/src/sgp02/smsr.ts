import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { card, type CardResult } from './card.js';
import { eisTree, makeFleet, type EisView, type Pol2Rule, type SimEuicc, type SimProfile } from './euicc.js';
import { faultsSchema, type FaultRequest, type Faults } from './faults.js';
import {
  post,
  readCall,
  responseXml,
  sendFault,
  soapServer,
  SOAP_TYPE,
  SUCCESS,
  type Call,
  type Status,
} from './peer-server.js';
import { all, el, endpointOf, readEnvelope, SoapFaultError, val, writeEnvelope, type Tree } from './soap.js';

export interface SmsrOptions {
  host?: string;
  port?: number;
  /** Our EntityId (Smsr-id in the EIS). */
  entityId?: string;
  count?: number;
  seed?: number;
  /** The SM-DP that prepared the generated fleet's profiles (their Smdp-id); default: none. */
  smdpId?: string;
  /** Operators (function requesters on ES4) allowed to call; their profiles are theirs in GetEIS. */
  operators?: string[];
  /** SM-DPs (function requesters on ES3) allowed to call; default: any. */
  smdps?: string[];
  /** Where ES4 Handle*Notifications go; default: the ReplyTo of the operator's last request. */
  notify?: string;
  /** Other SM-SRs by EntityId -> ES7 URL, for SM-SR change. */
  peers?: Record<string, string>;
  latencyMs?: number;
  /** Longest an offline card is waited for when a request has no ValidityPeriod. */
  defaultValiditySeconds?: number;
  fleet?: SimEuicc[];
  /** When set, ES4 callers must send these HTTP Basic credentials. */
  basicAuth?: { username: string; password: string };
  log?: boolean;
}

export interface RunningSmsr {
  url: string;
  entityId: string;
  /** ES4 endpoint for operators, ES3 for SM-DPs, ES7 for other SM-SRs. */
  es4: string;
  es3: string;
  es7: string;
  fleet: Map<string, SimEuicc>;
  /** Other SM-SRs by EntityId -> ES7 URL; two SM-SRs started one after the other learn each other here. */
  peers: Record<string, string>;
  close(): Promise<void>;
}

type Iface = 'ES4' | 'ES3';

/**
 * The functions each interface serves, true when asynchronous (202, then a callback to ReplyTo).
 * ES3 names the deletion DeleteISDP; the download steps exist on ES3 only.
 */
const FUNCTIONS: Record<Iface, Record<string, boolean>> = {
  ES4: {
    GetEIS: false,
    UpdatePolicyRules: false,
    UpdateSubscriptionAddress: false,
    AuditEIS: true,
    EnableProfile: true,
    DisableProfile: true,
    DeleteProfile: true,
    SetFallbackAttribute: true,
    UnsetFallbackAttribute: true,
    SetEmergencyProfileAttribute: true,
    UnsetEmergencyProfileAttribute: true,
    PrepareSMSRChange: true,
    SMSRChange: true,
  },
  ES3: {
    GetEIS: false,
    UpdatePolicyRules: false,
    UpdateSubscriptionAddress: false,
    CreateISDP: false,
    SendData: false,
    ProfileDownloadCompleted: false,
    AuditEIS: true,
    EnableProfile: true,
    DisableProfile: true,
    DeleteISDP: true,
  },
};

/** Functions whose Iccid need not name a profile of the requester (a new one, or a filter). */
const ANY_ICCID = new Set(['AuditEIS', 'CreateISDP']);

const refusal = (subject: string, reason: string, message: string): Status => ({
  status: 'FAILED',
  subject,
  reason,
  message,
});

/**
 * SM-SR simulator: ES4 for operators, ES3 for SM-DPs, ES7 for SM-SR change, with a fleet of
 * simulated SGP.02 eUICCs. ES4 and ES3 share one execution path and differ in who may call, whose
 * profiles a caller may touch and see (the operator's on ES4, the SM-DP's on ES3) and where the
 * Handle*Notifications of a function go (back to its requester, over its interface). Asynchronous
 * functions are acknowledged with 202, run on the card after the SMS/HTTPS latency and answered by
 * a callback to ReplyTo, followed by the notifications. `GET /sim/fleet` shows every EIS;
 * `POST /sim/faults` injects faults.
 */
export async function startSmsr(opts: SmsrOptions = {}): Promise<RunningSmsr> {
  const entityId = opts.entityId ?? '1.3.6.1.4.1.99999.20';
  const operators = opts.operators ?? ['1.3.6.1.4.1.99999.10'];
  const fleet = new Map(
    (
      opts.fleet ??
      makeFleet(opts.count ?? 10, { mnoId: operators[0]!, seed: opts.seed, smdpId: opts.smdpId })
    ).map((e) => [e.eid, e]),
  );
  const peers: Record<string, string> = { ...(opts.peers ?? {}) };
  const faults: Faults = { latencyMs: opts.latencyMs ?? 20 };
  // Answers by interface + requester + function + FunctionCallIdentifier, for retries; the oldest are forgotten.
  const replies = new Map<string, string>();
  const executions = new Map<string, Promise<Outcome>>();
  const remember = <V>(map: Map<string, V>, key: string, value: V) => {
    map.set(key, value);
    if (map.size > 10_000) map.delete(map.keys().next().value!);
  };
  /** Where each requester is called back, by interface and EntityId. */
  const requesterEndpoints = new Map<string, string>();
  /** PrepareSMSRChange: EIDs we agreed to take over, with the operator to notify. */
  const expected = new Map<string, { current: string; operator: string }>();
  const pending = new Set<Promise<unknown>>();
  let closing = false;
  let self = '';
  /** Our address on an interface: answers and notifications come from the endpoint called. */
  const selfOn = (iface: string) => self.replace('/es4?', `/${iface.toLowerCase()}?`);
  const app: FastifyInstance = soapServer(opts.log ?? false);

  /** What differs between the two interfaces function requesters call. */
  const sides: Record<
    Iface,
    {
      allowed(requester: string): boolean;
      owner(p: SimProfile): string | undefined;
      view(requester: string): EisView;
    }
  > = {
    ES4: {
      allowed: (r) => operators.includes(r),
      owner: (p) => p.mnoId,
      view: (r) => ({ kind: 'operator', entityId: r }),
    },
    ES3: {
      allowed: (r) => !opts.smdps || opts.smdps.includes(r),
      owner: (p) => p.smdpId,
      view: (r) => ({ kind: 'smdp', entityId: r }),
    },
  };

  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const notifyUrl = (iface: Iface, requester: string) =>
    (iface === 'ES4' ? opts.notify : undefined) ?? requesterEndpoints.get(`${iface}|${requester}`);

  async function notify(iface: Iface, requester: string, name: string, body: Tree): Promise<void> {
    const url = notifyUrl(iface, requester);
    if (!url || closing) return;
    if (faults.dropNotifications) {
      faults.dropNotifications -= 1;
      return;
    }
    const xml = writeEnvelope(
      {
        from: selfOn(iface),
        to: url,
        messageId: `urn:uuid:${randomUUID()}`,
        action: `http://gsma.com/${iface}/ProfileManagementCallBack/${iface}-${name}`,
      },
      `${iface}-${name}`,
      body,
    );
    await post(endpointOf(url), xml);
    if (faults.duplicateNextNotification) {
      faults.duplicateNextNotification = false;
      await post(endpointOf(url), xml);
    }
  }

  const notifyCard = async (iface: Iface, requester: string, e: SimEuicc, r: CardResult) => {
    if (!r.ok) return;
    for (const n of r.notify)
      await notify(iface, requester, n.name, [
        ['Eid', e.eid],
        ['Iccid', n.iccid],
        ['CompletionTimestamp', new Date().toISOString()],
      ]);
  };

  const audit = (e: SimEuicc, call: Call, status: string, iccid?: string) =>
    e.auditTrail.push({
      operationDate: new Date().toISOString(),
      operationType: call.iface === 'ES4' ? call.fn : `${call.iface}-${call.fn}`,
      requesterId: call.requester,
      status,
      iccid,
    });

  /** Waits for the card to be reachable within the validity period; false when it never was. */
  async function reachCard(e: SimEuicc, validitySeconds: number): Promise<boolean> {
    await sleep(faults.latencyMs ?? 0);
    const deadline = Date.now() + validitySeconds * 1000;
    while (e.offline && !closing) {
      if (Date.now() >= deadline) return false;
      await sleep(20);
    }
    return !closing;
  }

  function profileFunction(e: SimEuicc, fn: string, iccid: string): CardResult {
    switch (fn) {
      case 'EnableProfile':
        return card.enable(e, iccid);
      case 'DisableProfile':
        return card.disable(e, iccid);
      case 'DeleteProfile':
      case 'DeleteISDP':
        return card.delete(e, iccid);
      case 'SetFallbackAttribute':
      case 'UnsetFallbackAttribute':
        return card.setFallback(e, iccid, fn.startsWith('Set'));
      default:
        return card.setEmergency(e, iccid, fn.startsWith('Set'));
    }
  }

  /** The SM-SR change, current side: hand the eUICC over to the target over ES7. */
  async function handover(e: SimEuicc, target: string): Promise<Status> {
    const url = peers[target];
    if (!url) return refusal('8.7', '3.9', `unknown target SM-SR ${target}`);
    const xml = writeEnvelope(
      {
        from: self,
        to: url,
        messageId: `urn:uuid:${randomUUID()}`,
        action: 'http://gsma.com/ES7/eUICCManagement/ES7-HandoverEUICCRequest',
      },
      'ES7-HandoverEUICCRequest',
      [
        ['FunctionCallIdentifier', randomUUID()],
        ['Eis', eisTree(e, entityId, { kind: 'full' })],
        // Simulator to simulator: the card's whole state travels along (ES7 carries keys instead).
        ['State', JSON.stringify(e)],
      ],
    );
    const status = await post(endpointOf(url), xml);
    if (status !== 200)
      return refusal('8.7', '4.2', `target SM-SR ${target} refused the handover (HTTP ${status})`);
    fleet.delete(e.eid);
    return SUCCESS;
  }

  interface Outcome {
    status: Status;
    extra: Tree;
    /** The notifications the execution causes, sent after the answer. */
    after?: () => Promise<void>;
  }

  const cardStatus = (r: CardResult): Status =>
    r.ok ? SUCCESS : refusal(r.refusal.subject, r.refusal.reason, r.refusal.message);

  const eisOf = (call: Call, e: SimEuicc): Tree => [
    ['Eis', eisTree(e, entityId, sides[call.iface as Iface].view(call.requester))],
  ];

  /** An asynchronous function, once the card is reached. */
  async function execute(call: Call, e: SimEuicc, validity: number): Promise<Outcome> {
    const { fn, requester } = call;
    const iface = call.iface as Iface;
    const injected = faults.failNext;
    faults.failNext = undefined;
    if (injected) return { status: injected, extra: [] };
    if (fn === 'PrepareSMSRChange') {
      expected.set(e.eid, { current: val(call.env.body, 'CurrentSMSRid') ?? '', operator: requester });
      return { status: SUCCESS, extra: [] };
    }
    if (!(await reachCard(e, validity))) return { status: expiredStatus(), extra: [] };
    if (fn === 'AuditEIS') return { status: SUCCESS, extra: eisOf(call, e) };
    if (fn === 'SMSRChange')
      return { status: await handover(e, val(call.env.body, 'Target-Smsr-id') ?? ''), extra: [] };
    const r = profileFunction(e, fn, val(call.env.body, 'Iccid') ?? '');
    const status = cardStatus(r);
    audit(e, call, status.status, val(call.env.body, 'Iccid'));
    return { status, extra: [], after: r.ok ? () => notifyCard(iface, requester, e, r) : undefined };
  }

  /** A synchronous function: SM-SR data (EIS, POL2, address) or a download step on the card. */
  async function runSync(call: Call, e: SimEuicc): Promise<{ status: Status; extra?: Tree }> {
    const b = call.env.body;
    const iccid = (val(b, 'Iccid') ?? '').toUpperCase();
    if (call.fn === 'GetEIS') return { status: SUCCESS, extra: eisOf(call, e) };
    if (call.fn === 'UpdatePolicyRules' || call.fn === 'UpdateSubscriptionAddress') {
      const p = e.profiles.find((x) => x.iccid === iccid);
      if (!p) return { status: refusal('8.2.1', '3.9', `unknown profile ${iccid}`) };
      if (call.fn === 'UpdatePolicyRules') {
        p.pol2 = all(el(b, 'pol2'), 'Rule').map((r) => ({
          action: (val(r, 'Action') ?? '') as Pol2Rule['action'],
          qualification: (val(r, 'Qualification') ?? '') as Pol2Rule['qualification'],
        }));
      } else {
        const a = el(b, 'NewSubscriptionAddress');
        if (!a) return { status: refusal('1.6', '2.2', 'NewSubscriptionAddress is missing') };
        p.msisdn = val(a, 'Msisdn') ?? p.msisdn;
        p.imsi = val(a, 'Imsi') ?? p.imsi;
      }
      audit(e, call, 'EXECUTED_SUCCESS', iccid);
      return { status: SUCCESS };
    }
    if (!(await reachCard(e, Number(val(b, 'ValidityPeriod') ?? opts.defaultValiditySeconds ?? 30))))
      return { status: expiredStatus() };
    let r: CardResult;
    let extra: Tree = [];
    if (call.fn === 'CreateISDP') {
      r = card.createIsdp(e, {
        iccid,
        mnoId: val(b, 'Mno-id') ?? '',
        smdpId: call.requester,
        memory: Number(val(b, 'RequiredMemory') ?? 65536),
        profileType: val(b, 'ProfileType'),
      });
      const p = e.profiles.find((x) => x.iccid === iccid);
      if (r.ok && p) extra = [['Isd-p-aid', p.isdpAid]];
    } else if (call.fn === 'SendData') {
      r = e.profiles.some((x) => x.isdpAid === val(b, 'Sd-aid')?.toUpperCase())
        ? { ok: true, notify: [] }
        : { ok: false, refusal: { subject: '8.3.1', reason: '3.9', message: 'unknown ISD-P' } };
    } else {
      const a = el(b, 'SubscriptionAddress');
      r = card.downloadCompleted(e, iccid, { msisdn: val(a, 'Msisdn'), imsi: val(a, 'Imsi') });
    }
    const status = cardStatus(r);
    audit(e, call, status.status, iccid || undefined);
    return { status, extra };
  }

  /** The `...Response` callback of an asynchronous call, to its ReplyTo. */
  async function answer(call: Call, o: Outcome): Promise<void> {
    if (closing) return;
    if (faults.dropNextResponse) faults.dropNextResponse = false;
    else
      await post(
        endpointOf(call.env.replyTo ?? call.env.from!),
        responseXml(call, selfOn(call.iface), true, o.status, o.extra),
      );
  }

  const expiredStatus = (): Status => ({
    status: 'EXPIRED',
    subject: '1.6',
    reason: '5.3',
    message: 'the eUICC was not reachable within the validity period',
  });

  /** Checks common to every ES4 and ES3 function; a refusal is answered at once. */
  function check(call: Call): { e: SimEuicc } | { refused: Status } {
    const iface = call.iface as Iface;
    const side = sides[iface];
    if (!side.allowed(call.requester))
      return {
        refused: refusal(
          '1.1',
          '1.2',
          `function requester ${call.requester} is not allowed on ${iface} of this SM-SR`,
        ),
      };
    if (!(call.fn in FUNCTIONS[iface]))
      return { refused: refusal('1.6', '2.1', `unknown function ${iface}.${call.fn}`) };
    if (!val(call.env.body, 'FunctionCallIdentifier'))
      return { refused: refusal('1.6', '2.2', 'FunctionCallIdentifier is missing') };
    const eid = val(call.env.body, 'Eid')?.toUpperCase();
    if (!eid) return { refused: refusal('1.6', '2.2', 'Eid is missing') };
    const e = fleet.get(eid);
    // PrepareSMSRChange names an eUICC this SM-SR does not hold yet.
    if (call.fn === 'PrepareSMSRChange')
      return e
        ? { refused: refusal('8.1.1', '3.3', `eUICC ${eid} is already on this SM-SR`) }
        : { e: { eid } as SimEuicc };
    if (!e) return { refused: refusal('8.1.1', '3.9', `unknown eUICC ${eid}`) };
    const iccid = val(call.env.body, 'Iccid')?.toUpperCase();
    const p = iccid && !ANY_ICCID.has(call.fn) ? e.profiles.find((x) => x.iccid === iccid) : undefined;
    if (p && side.owner(p) !== call.requester)
      return { refused: refusal('8.2.1', '1.2', `profile ${iccid} is not managed by ${call.requester}`) };
    return { e };
  }

  const expectedAuthorization = opts.basicAuth
    ? `Basic ${Buffer.from(`${opts.basicAuth.username}:${opts.basicAuth.password}`).toString('base64')}`
    : undefined;

  /** One endpoint per interface, over the same checks, retry handling and execution. */
  const serve = (iface: Iface) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      if (iface === 'ES4' && expectedAuthorization && request.headers.authorization !== expectedAuthorization)
        throw new SoapFaultError(401, 'Sender', 'HTTP Basic credentials missing or wrong');
      const call = readCall(request.body as string, iface);
      const fcid = val(call.env.body, 'FunctionCallIdentifier');
      // A retry (same requester and FunctionCallIdentifier) gets the first execution's answer,
      // related to its own MessageID, and runs nothing a second time.
      const key = `${iface}|${call.requester}|${call.fn}|${fcid}`;
      const first = fcid ? executions.get(key) : undefined;
      if (first) {
        track(first.then((o) => answer(call, o)));
        return reply.status(202).send();
      }
      const seen = fcid ? replies.get(key) : undefined;
      if (seen) return reply.type(SOAP_TYPE).send(seen);
      const checked = check(call);
      if ('refused' in checked)
        return reply.type(SOAP_TYPE).send(responseXml(call, selfOn(iface), false, checked.refused));
      if (call.env.replyTo ?? call.env.from)
        requesterEndpoints.set(`${iface}|${call.requester}`, call.env.replyTo ?? call.env.from!);
      if (FUNCTIONS[iface][call.fn]) {
        const validity = Number(val(call.env.body, 'ValidityPeriod') ?? opts.defaultValiditySeconds ?? 30);
        const outcome = execute(call, checked.e, validity);
        remember(executions, key, outcome);
        track(
          outcome.then(async (o) => {
            await answer(call, o);
            await o.after?.();
          }),
        );
        return reply.status(202).send();
      }
      const injected = faults.failNext;
      faults.failNext = undefined;
      const r = injected ? { status: injected } : await runSync(call, checked.e);
      const xml = responseXml(call, selfOn(iface), false, r.status, r.extra);
      remember(replies, key, xml);
      return reply.type(SOAP_TYPE).send(xml);
    } catch (e) {
      return sendFault(reply, e);
    }
  };

  app.post('/es4', serve('ES4'));
  /** ES3 from an SM-DP: its download steps, and the profile management it relays from operators. */
  app.post('/es3', serve('ES3'));

  /** ES7 HandoverEUICC from the current SM-SR of an eUICC we prepared to take over. */
  app.post('/es7', async (request, reply) => {
    try {
      const env = readEnvelope(request.body as string);
      const eis = el(env.body, 'Eis');
      const eid = val(el(eis, 'EumSignedInfo'), 'Eid')?.toUpperCase() ?? '';
      const prepared = expected.get(eid);
      if (env.name !== 'ES7-HandoverEUICCRequest' || !prepared)
        throw new SoapFaultError(403, 'Sender', `no prepared SM-SR change for eUICC ${eid}`);
      const e = JSON.parse(val(env.body, 'State') ?? '{}') as SimEuicc;
      e.auditTrail.push({
        operationDate: new Date().toISOString(),
        operationType: 'SMSRChange',
        requesterId: prepared.operator,
        status: 'EXECUTED_SUCCESS',
      });
      fleet.set(eid, e);
      expected.delete(eid);
      track(
        (async () => {
          await sleep(faults.latencyMs ?? 0);
          await notify('ES4', prepared.operator, 'HandleSMSRChangeNotification', [
            ['Eis', eisTree(e, entityId, { kind: 'operator', entityId: prepared.operator })],
            ['CompletionTimestamp', new Date().toISOString()],
          ]);
        })(),
      );
      return reply
        .status(200)
        .type(SOAP_TYPE)
        .send(
          writeEnvelope({ from: self, relatesTo: env.messageId }, 'ES7-HandoverEUICCResponse', [
            ['FunctionExecutionStatus', [['Status', 'EXECUTED_SUCCESS']]],
          ]),
        );
    } catch (e) {
      return sendFault(reply, e);
    }
  });

  /** The simulated fleet as it is, for registering it in an inventory (no filtering, no keys). */
  app.get('/sim/fleet', async () => ({
    entityId,
    kind: 'smsr',
    es4: `${self.split('?')[0]}`,
    es3: self.replace(/\/es4\?.*$/, '/es3'),
    es7: self.replace(/\/es4\?.*$/, '/es7'),
    euiccs: [...fleet.values()].map((e) => ({
      eid: e.eid,
      eumId: e.eumId,
      smsrId: entityId,
      offline: e.offline,
      remainingMemory: e.remainingMemory,
      profiles: e.profiles.map((p) => ({
        iccid: p.iccid,
        state: p.state,
        fallback: p.fallback,
        emergency: p.emergency,
        mnoId: p.mnoId,
        smdpId: p.smdpId ?? null,
        isdpAid: p.isdpAid,
        msisdn: p.msisdn ?? null,
        imsi: p.imsi ?? null,
        pol2: p.pol2,
      })),
      auditTrail: e.auditTrail,
    })),
  }));

  app.post('/sim/faults', { schema: { body: faultsSchema } }, async (request, reply) => {
    const f = request.body as FaultRequest;
    const unknown = [
      ...(f.offline ?? []),
      ...(f.online ?? []),
      ...(f.loseNetwork ? [f.loseNetwork] : []),
    ].filter((eid) => !fleet.has(eid.toUpperCase()));
    if (unknown.length)
      return reply.status(404).send({ error: 'not_found', message: `unknown EID(s) ${unknown.join(', ')}` });
    for (const eid of f.offline ?? []) fleet.get(eid.toUpperCase())!.offline = true;
    for (const eid of f.online ?? []) fleet.get(eid.toUpperCase())!.offline = false;
    const { offline: _o, online: _on, loseNetwork, ...rest } = f;
    Object.assign(faults, rest);
    if (loseNetwork) {
      const e = fleet.get(loseNetwork.toUpperCase())!;
      const r = card.loseNetwork(e);
      if (!r.ok) return reply.status(409).send({ error: 'conflict', message: r.refusal.message });
      const owner = e.profiles.find((p) => p.state === 'Enabled')?.mnoId ?? operators[0]!;
      track(notifyCard('ES4', owner, e, r));
    }
    return { faults };
  });

  const url = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  self = `${url}/es4?EntityId=${entityId}`;
  return {
    url,
    entityId,
    es4: `${url}/es4`,
    es3: `${url}/es3`,
    es7: `${url}/es7`,
    fleet,
    peers,
    async close() {
      closing = true;
      await Promise.allSettled([...pending]);
      await app.close();
    },
  };
}
