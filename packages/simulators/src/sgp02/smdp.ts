import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { faultsSchema, type Faults } from './faults.js';
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
import { el, endpointOf, readEnvelope, val, writeEnvelope, type Tree } from './soap.js';

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
  close(): Promise<void>;
}

const refusal = (subject: string, reason: string, message: string): Status => ({
  status: 'FAILED',
  subject,
  reason,
  message,
});

/**
 * SM-DP simulator: serves ES2 to operators and prepares profiles; DownloadProfile runs over ES3
 * against the SM-SR simulator (CreateISDP, SendData, ProfileDownloadCompleted, and EnableProfile
 * when asked), so the two simulators are two peers talking SOAP, not one object.
 */
export async function startSmdp(opts: SmdpOptions): Promise<RunningSmdp> {
  const entityId = opts.entityId ?? '1.3.6.1.4.1.99999.30';
  const operators = opts.operators ?? ['1.3.6.1.4.1.99999.10'];
  const faults: Faults = { latencyMs: opts.latencyMs ?? 20 };
  const downloads: { eid: string; iccid: string; status: string }[] = [];
  const pending = new Set<Promise<unknown>>();
  const operatorEndpoints = new Map<string, string>();
  const executions = new Map<string, Promise<{ status: Status; iccid: string }>>();
  let nextIccid = 0;
  let closing = false;
  let self = '';
  const app: FastifyInstance = soapServer(opts.log ?? false);

  /** One ES3 function, answered synchronously by the SM-SR simulator. */
  async function es3(fn: string, body: Tree): Promise<{ status: Status; body?: ReturnType<typeof el> }> {
    const xml = writeEnvelope(
      {
        from: `${self}?EntityId=${entityId}`,
        to: opts.smsr,
        messageId: `urn:uuid:${randomUUID()}`,
        action: `http://gsma.com/ES3/ProfileManagement/ES3-${fn}Request`,
      },
      `ES3-${fn}Request`,
      [['FunctionCallIdentifier', randomUUID()], ...body],
    );
    try {
      const res = await fetch(opts.smsr, {
        method: 'POST',
        headers: { 'content-type': SOAP_TYPE },
        body: xml,
      });
      const env = readEnvelope(await res.text());
      const fes = el(env.body, 'FunctionExecutionStatus');
      const data = el(fes, 'StatusCodeData');
      return {
        status: {
          status: val(fes, 'Status') ?? 'FAILED',
          subject: val(data, 'Subject'),
          reason: val(data, 'Reason'),
          message: val(data, 'Message'),
        },
        body: env.body,
      };
    } catch (e) {
      return { status: refusal('1.2', '4.2', `SM-SR unreachable over ES3: ${(e as Error).message}`) };
    }
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

  /** Runs a download once per FunctionCallIdentifier. */
  async function prepare(call: Call): Promise<{ status: Status; iccid: string }> {
    await sleep(faults.latencyMs ?? 0);
    const b = call.env.body;
    const eid = (val(b, 'Eid') ?? '').toUpperCase();
    const iccid = (
      val(b, 'Iccid') ?? `89882470${String(900000000 + nextIccid++).padStart(10, '0')}`
    ).toUpperCase();
    const injected = faults.failNext;
    faults.failNext = undefined;
    const status = injected ?? (await install(call, eid, iccid));
    downloads.push({ eid, iccid, status: status.status });
    return { status, iccid };
  }

  /** The answer to `call` (a first request or a retry), then, for the first, the notification. */
  async function deliver(call: Call, r: { status: Status; iccid: string }, first: boolean): Promise<void> {
    const { status, iccid } = r;
    const eid = (val(call.env.body, 'Eid') ?? '').toUpperCase();
    if (closing) return;
    if (faults.dropNextResponse) faults.dropNextResponse = false;
    else
      await post(
        endpointOf(call.env.replyTo ?? call.env.from!),
        responseXml(
          call,
          `${self}?EntityId=${entityId}`,
          true,
          status,
          status.status === 'EXECUTED_SUCCESS' ? [['Iccid', iccid]] : [],
        ),
      );
    if (!first) return;
    const notifyTo = opts.notify ?? operatorEndpoints.get(call.requester);
    if (status.status !== 'EXECUTED_SUCCESS' || !notifyTo) return;
    if (faults.dropNotifications) {
      faults.dropNotifications -= 1;
      return;
    }
    await post(
      endpointOf(notifyTo),
      writeEnvelope(
        {
          from: `${self}?EntityId=${entityId}`,
          to: notifyTo,
          messageId: `urn:uuid:${randomUUID()}`,
          action: 'http://gsma.com/ES2/ProfileManagementCallBack/ES2-HandleProfileDownloadedNotification',
        },
        'ES2-HandleProfileDownloadedNotification',
        [
          ['Eid', eid],
          ['Iccid', iccid],
          ['CompletionTimestamp', new Date().toISOString()],
        ],
      ),
    );
  }

  app.post('/es2', async (request, reply) => {
    try {
      const call = readCall(request.body as string, 'ES2');
      const refuse = (s: Status) =>
        reply.type(SOAP_TYPE).send(responseXml(call, `${self}?EntityId=${entityId}`, false, s));
      if (!operators.includes(call.requester))
        return refuse(
          refusal('1.1', '1.2', `function requester ${call.requester} is not allowed on this SM-DP`),
        );
      if (!val(call.env.body, 'FunctionCallIdentifier'))
        return refuse(refusal('1.6', '2.2', 'FunctionCallIdentifier is missing'));
      if (!val(call.env.body, 'Eid')) return refuse(refusal('1.6', '2.2', 'Eid is missing'));
      if (call.fn !== 'DownloadProfile')
        return refuse(refusal('1.6', '2.1', `ES2.${call.fn} is not simulated by this SM-DP`));
      operatorEndpoints.set(call.requester, call.env.replyTo ?? call.env.from!);
      // A retry (same requester and FunctionCallIdentifier) is answered from the first run.
      const key = `${call.requester}|${val(call.env.body, 'FunctionCallIdentifier')}`;
      const first = executions.get(key);
      const run = first ?? prepare(call);
      if (!first) {
        executions.set(key, run);
        if (executions.size > 10_000) executions.delete(executions.keys().next().value!);
      }
      const p = run.then((r) => deliver(call, r, !first));
      pending.add(p);
      void p.finally(() => pending.delete(p));
      return reply.status(202).send();
    } catch (e) {
      return sendFault(reply, e);
    }
  });

  app.get('/sim/fleet', async () => ({ entityId, kind: 'smdp', es2: self, smsr: opts.smsr, downloads }));

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

  const url = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  self = `${url}/es2`;
  return {
    url,
    entityId,
    es2: `${url}/es2`,
    async close() {
      closing = true;
      await Promise.allSettled([...pending]);
      await app.close();
    },
  };
}
