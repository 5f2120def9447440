/**
 * How OpenCCS signs webhook deliveries, and how a receiver checks them. Headers:
 *   x-openccs-delivery:  the delivery id (the same on every retry: receivers drop duplicates by it)
 *   x-openccs-timestamp: Unix seconds when this attempt was signed
 *   x-openccs-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the webhook secret>
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True when the signature matches and the timestamp is within `toleranceSeconds` of `now`. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  toleranceSeconds = 300,
  now = Date.now(),
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
