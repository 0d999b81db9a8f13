import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack signs requests (`X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">`,
 * keyed with the app's signing secret) and dates them (`X-Slack-Request-Timestamp`, Unix
 * seconds); requests older than 5 minutes are refused as replays.
 */
export const MAX_AGE_SECONDS = 5 * 60;

export function sign(secret: string, timestamp: string, body: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

export function verify(
  secrets: readonly string[],
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
  nowSeconds: number,
): { ok: true } | { ok: false; reason: string } {
  if (!signature || !timestamp || !/^\d+$/.test(timestamp))
    return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_AGE_SECONDS)
    return { ok: false, reason: 'the request timestamp is older than 5 minutes' };
  const offered = Buffer.from(signature);
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret, timestamp, body));
    if (offered.length === expected.length && timingSafeEqual(offered, expected)) return { ok: true };
  }
  return { ok: false, reason: 'the signature does not match' };
}
