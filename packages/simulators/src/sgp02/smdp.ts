import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { faultsSchema, type Faults } from './faults.js';
import {
  post,
  readCall,
  readStatus,
  responseXml,
  sendFault,
  soapServer,
  SOAP_TYPE,
  SUCCESS,
  type Call,
  type Status,
} from './peer-server.js';
import {
  all,
  el,
  endpointOf,
  readEnvelope,
  SoapFaultError,
  treeOf,
  val,
  writeEnvelope,
  type Element,
  type Envelope,
  type Tree,
} from './soap.js';

export interface SmdpOptions {
  host?: string;
  port?: number;
  entityId?: string;
  /** The SM-SR's ES3 endpoint. */
  smsr: string;
  operators?: string[];
  /** Where ES2 Handle*Notifications go; default: the ReplyTo of the operator's last request. */
  notify?: string;
  latencyMs?: number;
  log?: boolean;
}

export interface RunningSmdp {
  url: string;
  entityId: string;
  es2: string;
  /** Where the SM-SR sends its ES3 callbacks and Handle*Notifications. */
  es3: string;
  close(): Promise<void>;
}

const refusal = (subject: string, reason: string, message: string): Status => ({
  status: 'FAILED',
  subject,
  reason,
  message,
});

/**
 * The ES2 functions, whether each is asynchronous, and the ES3 function it is relayed as
 * (DownloadProfile is a sequence of ES3 functions of its own). ES3 names the deletion DeleteISDP.
 */
const ES2: Record<string, { async: boolean; es3?: string }> = {
  DownloadProfile: { async: true },
  GetEIS: { async: false, es3: 'GetEIS' },
  UpdatePolicyRules: { async: false, es3: 'UpdatePolicyRules' },
  UpdateSubscriptionAddress: { async: false, es3: 'UpdateSubscriptionAddress' },
  AuditEIS: { async: true, es3: 'AuditEIS' },
  EnableProfile: { async: true, es3: 'EnableProfile' },
  DisableProfile: { async: true, es3: 'DisableProfile' },
  DeleteProfile: { async: true, es3: 'DeleteISDP' },
};

/** The functions on one profile: it must be one of the calling operator's. */
const ON_PROFILE = new Set([
  'UpdatePolicyRules',
  'UpdateSubscriptionAddress',
  'EnableProfile',
  'DisableProfile',
  'DeleteProfile',
]);

/** ES2 elements that stay here: the call identifier is sent separately, the SM-SR is the receiver. */
const NOT_RELAYED = new Set(['functioncallidentifier', 'smsr-id']);

/** A callback not received within the validity period and this margin is reported as lost. */
const CALLBACK_MARGIN_SECONDS = 5;

interface Outcome {
  status: Status;
  extra: Tree;
  /** The notification the execution causes, sent after the answer. */
  after?: () => Promise<void>;
}

/**
 * SM-DP simulator: serves ES2 to operators. DownloadProfile runs over ES3 against the SM-SR
 * simulator (CreateISDP, SendData, ProfileDownloadCompleted, and EnableProfile when asked); the
 * other functions are relayed to the SM-DP's ES3 counterpart, synchronous or asynchronous as on
 * ES2, each ES2 answer related to the operator's MessageID. The SM-SR's ES3 notifications are
 * forwarded over ES2 to the operator who last managed the eUICC through us. Two peers talking
 * SOAP, not one object.
 */
export async function startSmdp(opts: SmdpOptions): Promise<RunningSmdp> {
  const entityId = opts.entityId ?? '1.3.6.1.4.1.99999.30';
  const operators = opts.operators ?? ['1.3.6.1.4.1.99999.10'];
  const faults: Faults = { latencyMs: opts.latencyMs ?? 20 };
  const downloads: { eid: string; iccid: string; status: string }[] = [];
  const pending = new Set<Promise<unknown>>();
  const operatorEndpoints = new Map<string, string>();
  /** The operator whose request on an eUICC we relayed last: the SM-SR's notifications about it go there. */
  const operatorOfEuicc = new Map<string, string>();
  const executions = new Map<string, Promise<Outcome>>();
  /** Our asynchronous ES3 requests waiting for the SM-SR's callback, by wsa:MessageID. */
  const awaiting = new Map<string, (env: Envelope) => void>();
  const closer = new AbortController();
  let nextIccid = 0;
  let closing = false;
  let base = '';
  const es2From = () => `${base}/es2?EntityId=${entityId}`;
  const app: FastifyInstance = soapServer(opts.log ?? false);

  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  /** The SM-SR's callback to `messageId`, or undefined when none came in time. */
  async function callback(answered: Promise<Envelope>, seconds: number): Promise<Envelope | undefined> {
    const timer = new AbortController();
    try {
      return await Promise.race([
        answered,
        sleep(seconds * 1000, undefined, { signal: AbortSignal.any([timer.signal, closer.signal]) }).then(
          () => undefined,
          () => undefined,
        ),
      ]);
    } finally {
      timer.abort();
    }
  }

  /** One ES3 function: answered in the HTTP response, or with 202 and a callback to our /es3. */
  async function es3(
    fn: string,
    body: Tree,
    fcid: string = randomUUID(),
  ): Promise<{ status: Status; body?: Element }> {
    const messageId = `urn:uuid:${randomUUID()}`;
    const answered = new Promise<Envelope>((resolve) => awaiting.set(messageId, resolve));
    const xml = writeEnvelope(
      {
        from: `${base}/es3?EntityId=${entityId}`,
        to: opts.smsr,
        messageId,
        action: `http://gsma.com/ES3/ProfileManagement/ES3-${fn}Request`,
        replyTo: `${base}/es3`,
      },
      `ES3-${fn}Request`,
      [['FunctionCallIdentifier', fcid], ...body],
    );
    try {
      const res = await fetch(opts.smsr, {
        method: 'POST',
        headers: { 'content-type': SOAP_TYPE },
        body: xml,
      });
      const text = await res.text();
      const validity = Number(body.find(([n]) => n === 'ValidityPeriod')?.[1] ?? 30);
      const env =
        res.status === 202
          ? await callback(answered, validity + CALLBACK_MARGIN_SECONDS)
          : readEnvelope(text);
      if (!env)
        return { status: refusal('1.6', '5.4', `ES3.${fn} was accepted by the SM-SR but never answered`) };
      return { status: readStatus(env.body), body: env.body };
    } catch (e) {
      return { status: refusal('1.2', '4.2', `SM-SR unreachable over ES3: ${(e as Error).message}`) };
    } finally {
      awaiting.delete(messageId);
    }
  }

  async function notifyOperator(operator: string, name: string, body: Tree): Promise<void> {
    const to = opts.notify ?? operatorEndpoints.get(operator);
    if (!to || closing) return;
    if (faults.dropNotifications) {
      faults.dropNotifications -= 1;
      return;
    }
    await post(
      endpointOf(to),
      writeEnvelope(
        {
          from: es2From(),
          to,
          messageId: `urn:uuid:${randomUUID()}`,
          action: `http://gsma.com/ES2/ProfileManagementCallBack/ES2-${name}`,
        },
        `ES2-${name}`,
        body,
      ),
    );
  }

  /** The ES3 sequence of a download; the first refusal ends it. */
  async function install(call: Call, eid: string, iccid: string): Promise<Status> {
    const b = call.env.body;
    const created = await es3('CreateISDP', [
      ['Eid', eid],
      ['Iccid', iccid],
      ['Mno-id', call.requester],
      ['RequiredMemory', '65536'],
      ['ProfileType', val(b, 'ProfileType')],
    ]);
    if (created.status.status !== 'EXECUTED_SUCCESS') return created.status;
    const steps: [string, Tree][] = [
      [
        'SendData',
        [
          ['Eid', eid],
          ['Sd-aid', val(created.body, 'Isd-p-aid')],
          ['Data', 'A0B1C2D3'],
        ],
      ],
      [
        'ProfileDownloadCompleted',
        [
          ['Eid', eid],
          ['Iccid', iccid],
          [
            'SubscriptionAddress',
            [
              ['Imsi', `26201${iccid.slice(-10)}`],
              ['Msisdn', `4917${iccid.slice(-9)}`],
            ],
          ],
        ],
      ],
    ];
    if (/^true$/i.test(val(b, 'EnableProfile') ?? ''))
      steps.push([
        'EnableProfile',
        [
          ['Eid', eid],
          ['Iccid', iccid],
        ],
      ]);
    for (const [fn, body] of steps) {
      const r = await es3(fn, body);
      if (r.status.status !== 'EXECUTED_SUCCESS') return r.status;
    }
    return SUCCESS;
  }

  async function download(call: Call): Promise<Outcome> {
    await sleep(faults.latencyMs ?? 0);
    const b = call.env.body;
    const eid = (val(b, 'Eid') ?? '').toUpperCase();
    const iccid = (
      val(b, 'Iccid') ?? `89882470${String(900000000 + nextIccid++).padStart(10, '0')}`
    ).toUpperCase();
    const status = await install(call, eid, iccid);
    downloads.push({ eid, iccid, status: status.status });
    if (status.status !== 'EXECUTED_SUCCESS') return { status, extra: [] };
    return {
      status,
      extra: [['Iccid', iccid]],
      after: () =>
        notifyOperator(call.requester, 'HandleProfileDownloadedNotification', [
          ['Eid', eid],
          ['Iccid', iccid],
          ['CompletionTimestamp', new Date().toISOString()],
        ]),
    };
  }

  /** An ES2 function done by its ES3 counterpart; an EIS goes back with the operator's profiles only. */
  async function relay(call: Call): Promise<Outcome> {
    const b = call.env.body;
    const r = await es3(
      ES2[call.fn]!.es3!,
      treeOf(b, (c) => !NOT_RELAYED.has(c.localName?.toLowerCase() ?? '')),
      val(b, 'FunctionCallIdentifier'),
    );
    const eis = el(r.body, 'Eis');
    return {
      status: r.status,
      extra: eis
        ? [['Eis', treeOf(eis, (c) => c.localName !== 'ProfileInfo' || val(c, 'Mno-id') === call.requester)]]
        : [],
    };
  }

  async function run(call: Call): Promise<Outcome> {
    const injected = faults.failNext;
    faults.failNext = undefined;
    if (injected) return { status: injected, extra: [] };
    return call.fn === 'DownloadProfile' ? download(call) : relay(call);
  }

  /**
   * A function on a profile needs the profile to be the operator's: the SM-DP reads that in the
   * EIS the SM-SR shows it over ES3 (the profiles it downloaded), so it keeps no register of its own.
   */
  async function refusalOnProfile(call: Call, eid: string): Promise<Status | undefined> {
    const iccid = val(call.env.body, 'Iccid')?.toUpperCase();
    if (!iccid) return refusal('1.6', '2.2', 'Iccid is missing');
    const r = await es3('GetEIS', [['Eid', eid]]);
    if (r.status.status !== 'EXECUTED_SUCCESS') return r.status;
    const p = all(el(r.body, 'Eis'), 'ProfileInfo').find((x) => val(x, 'Iccid')?.toUpperCase() === iccid);
    if (!p) return refusal('8.2.1', '3.9', `profile ${iccid} is not one this SM-DP manages`);
    if (val(p, 'Mno-id') !== call.requester)
      return refusal('8.2.1', '1.2', `profile ${iccid} belongs to another operator`);
    return undefined;
  }

  /** The answer to `call` (a first request or a retry), then, for the first, the notification. */
  async function deliver(call: Call, o: Outcome, first: boolean): Promise<void> {
    if (closing) return;
    if (faults.dropNextResponse) faults.dropNextResponse = false;
    else
      await post(
        endpointOf(call.env.replyTo ?? call.env.from!),
        responseXml(call, es2From(), true, o.status, o.extra),
      );
    if (first) await o.after?.();
  }

  app.post('/es2', async (request, reply) => {
    try {
      const call = readCall(request.body as string, 'ES2');
      const answerNow = (s: Status, extra?: Tree) =>
        reply.type(SOAP_TYPE).send(responseXml(call, es2From(), false, s, extra));
      const fn = ES2[call.fn];
      const fcid = val(call.env.body, 'FunctionCallIdentifier');
      const eid = val(call.env.body, 'Eid')?.toUpperCase();
      if (!operators.includes(call.requester))
        return answerNow(
          refusal('1.1', '1.2', `function requester ${call.requester} is not allowed on this SM-DP`),
        );
      if (!fn) return answerNow(refusal('1.6', '2.1', `unknown function ES2.${call.fn}`));
      if (!fcid) return answerNow(refusal('1.6', '2.2', 'FunctionCallIdentifier is missing'));
      if (!eid) return answerNow(refusal('1.6', '2.2', 'Eid is missing'));
      // A retry (same requester and FunctionCallIdentifier) is answered from the first run.
      const key = `${call.requester}|${call.fn}|${fcid}`;
      const first = executions.get(key);
      if (!first && ON_PROFILE.has(call.fn)) {
        const refused = await refusalOnProfile(call, eid);
        if (refused) return answerNow(refused);
      }
      operatorEndpoints.set(call.requester, call.env.replyTo ?? call.env.from!);
      operatorOfEuicc.set(eid, call.requester);
      if (!fn.async) {
        const o = await run(call);
        return answerNow(o.status, o.extra);
      }
      const execution = first ?? run(call);
      if (!first) {
        executions.set(key, execution);
        if (executions.size > 10_000) executions.delete(executions.keys().next().value!);
      }
      track(execution.then((o) => deliver(call, o, !first)));
      return reply.status(202).send();
    } catch (e) {
      return sendFault(reply, e);
    }
  });

  /** The SM-SR's ES3 callbacks (to a request awaiting one) and Handle*Notifications. */
  app.post('/es3', async (request, reply) => {
    try {
      const env = readEnvelope(request.body as string);
      const m = /^ES3-(\w+?)(Response|Notification)$/.exec(env.name);
      if (!m) throw new SoapFaultError(400, 'Sender', `${env.name} is not an ES3 answer or notification`);
      if (m[2] === 'Response') {
        const waiting = env.relatesTo ? awaiting.get(env.relatesTo) : undefined;
        if (!waiting)
          throw new SoapFaultError(
            404,
            'Sender',
            `${env.name} relates to no ES3 request awaiting its answer`,
          );
        waiting(env);
      } else {
        const operator = operatorOfEuicc.get(val(env.body, 'Eid')?.toUpperCase() ?? '');
        if (operator) track(notifyOperator(operator, `${m[1]}Notification`, treeOf(env.body)));
      }
      return reply.status(202).send();
    } catch (e) {
      return sendFault(reply, e);
    }
  });

  app.get('/sim/fleet', async () => ({
    entityId,
    kind: 'smdp',
    es2: `${base}/es2`,
    es3: `${base}/es3`,
    smsr: opts.smsr,
    downloads,
  }));

  app.post('/sim/faults', { schema: { body: faultsSchema } }, async (request) => {
    const {
      offline: _o,
      online: _on,
      loseNetwork: _l,
      ...rest
    } = request.body as Faults & Record<string, unknown>;
    Object.assign(faults, rest);
    return { faults };
  });

  base = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  return {
    url: base,
    entityId,
    es2: `${base}/es2`,
    es3: `${base}/es3`,
    async close() {
      closing = true;
      closer.abort();
      await Promise.allSettled([...pending]);
      await app.close();
    },
  };
}
