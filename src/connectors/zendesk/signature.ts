import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Zendesk webhooks: `X-Zendesk-Webhook-Signature` is base64(HMAC-SHA256(timestamp + body)) keyed
 * with the webhook's signing secret; `X-Zendesk-Webhook-Signature-Timestamp` is that timestamp.
 */
export const MAX_AGE_MS = 5 * 60_000;

export function sign(secret: string, timestamp: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(timestamp).update(body).digest('base64');
}

export function verify(
  secrets: readonly string[],
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
  nowMs: number,
): { ok: true } | { ok: false; reason: string } {
  if (!signature || !timestamp)
    return { ok: false, reason: 'missing X-Zendesk-Webhook-Signature or -Timestamp' };
  const sentAt = Date.parse(timestamp);
  if (Number.isNaN(sentAt)) return { ok: false, reason: 'the signature timestamp is not a date' };
  if (Math.abs(nowMs - sentAt) > MAX_AGE_MS)
    return { ok: false, reason: 'the signature timestamp is older than 5 minutes' };
  const offered = Buffer.from(signature, 'base64');
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret, timestamp, body), 'base64');
    if (offered.length === expected.length && timingSafeEqual(offered, expected)) return { ok: true };
  }
  return { ok: false, reason: 'the signature does not match' };
}
