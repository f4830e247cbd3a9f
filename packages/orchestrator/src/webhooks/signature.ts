import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Esim-Signature: sha256=<hex>` = HMAC-SHA256(secret, "<timestamp>.<body>"), with the timestamp
 * sent in `X-Esim-Timestamp` (Unix seconds): signing the timestamp lets a subscriber refuse replays.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For subscribers (and our tests): constant-time check of a delivery's signature. */
export function verifyWebhook(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const got = Buffer.from(signature);
  return expected.length === got.length && timingSafeEqual(expected, got);
}
