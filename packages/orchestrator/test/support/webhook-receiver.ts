import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook subscriber on 127.0.0.1: keeps every delivery and checks their HMAC signatures. */
export class WebhookReceiver {
  readonly hooks: ReceivedHook[] = [];
  private readonly server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      this.hooks.push({ headers: req.headers, body });
      res.statusCode = 204;
      res.end();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  /** The deliveries of one event type, as parsed bodies with their headers. */
  ofType(type: string): (ReceivedHook & { json: Record<string, unknown> })[] {
    return this.hooks
      .map((h) => ({ ...h, json: JSON.parse(h.body) as Record<string, unknown> }))
      .filter((h) => h.json.type === type);
  }

  /** The signature the product must send: HMAC-SHA256 over `<timestamp>.<body>`. */
  static expectedSignature(secret: string, h: ReceivedHook): string {
    return `sha256=${createHmac('sha256', secret).update(`${h.headers['x-esim-timestamp']}.${h.body}`).digest('hex')}`;
  }
}
