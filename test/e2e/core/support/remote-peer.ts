import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Dispatch {
  operationId: string;
  attempt: number;
  eid: string;
  stack: string;
  type: string;
  params: { iccid?: string };
}

/**
 * The remote side of the http-peer module: a device platform that executes each (operation,
 * attempt) once, answers a repeated dispatch of it with the first answer, and reports the outcome
 * to whichever server instance said hello last, retrying until it is accepted.
 */
export class RemotePeer {
  /** Operations executed on the "device", in order; an operation twice here would be a bug. */
  readonly executed: string[] = [];
  /** Every first dispatch, as received. */
  readonly dispatches: Dispatch[] = [];
  readonly duplicates: Dispatch[] = [];
  private apiUrl: string | undefined;
  private server: Server | undefined;
  private stopped = false;
  private readonly reporting = new Set<Promise<void>>();
  /** Called with the number of executions so far, before the answer is sent. */
  onExecute: (count: number) => void = () => undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const json = JSON.parse(body || '{}');
        if (req.url === '/hello') {
          this.apiUrl = json.apiUrl;
          res.end('{}');
          return;
        }
        const d = json as Dispatch;
        const correlationId = `peer-${d.operationId}-${d.attempt}`;
        const key = `${d.operationId}/${d.attempt}`;
        if (this.seen.has(key)) this.duplicates.push(d);
        else {
          this.seen.add(key);
          this.executed.push(d.operationId);
          this.dispatches.push(d);
          this.onExecute(this.executed.length);
          this.report(d, correlationId);
        }
        // Answer a little later: a server killed meanwhile never learns the answer.
        setTimeout(() => res.end(JSON.stringify({ correlationId })), 100);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private readonly seen = new Set<string>();

  /** What the operation changed on the card, reported with the outcome. */
  private observed(d: Dispatch) {
    if ((d.type !== 'enable' && d.type !== 'disable') || !d.params.iccid) return undefined;
    return { eid: d.eid, iccid: d.params.iccid, state: d.type === 'enable' ? 'enabled' : 'disabled' };
  }

  private report(d: Dispatch, correlationId: string): void {
    const p = (async () => {
      for (let i = 0; i < 600 && !this.stopped; i++) {
        await new Promise((r) => setTimeout(r, 200));
        try {
          const res = await fetch(`${this.apiUrl}/test-peer/${d.stack}/outcome`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ correlationId, outcome: 'succeeded', observed: this.observed(d) }),
          });
          if (res.ok) return;
        } catch {
          // The server is down: try again.
        }
      }
    })();
    this.reporting.add(p);
    void p.finally(() => this.reporting.delete(p));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.reporting);
    await new Promise((r) => this.server?.close(r));
  }
}
