import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-signature: v1,<base64>` is the
 * HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>` keyed with the base64 part of a
 * `whsec_…` secret. The header may carry several space-separated signatures, and we may hold
 * several secrets while one is rotated: any match is enough.
 */
export const TOLERANCE_SECONDS = 5 * 60;

function key(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

export function sign(secret: string, id: string, timestamp: number, body: Buffer | string): string {
  const mac = createHmac('sha256', key(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return `v1,${mac.digest('base64')}`;
}

export function verify(
  secrets: readonly string[],
  id: string | undefined,
  timestamp: string | undefined,
  signatures: string | undefined,
  body: Buffer,
  nowSeconds: number,
): { ok: true } | { ok: false; reason: string } {
  if (!id || !timestamp || !signatures)
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'webhook-timestamp is not a number of seconds' };
  const sent = Number(timestamp);
  if (Math.abs(nowSeconds - sent) > TOLERANCE_SECONDS)
    return { ok: false, reason: 'webhook-timestamp is outside the 5-minute window' };
  const offered = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret, id, sent, body).slice(3), 'base64');
    for (const candidate of offered) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return { ok: true };
    }
  }
  return { ok: false, reason: 'no signature matches' };
}
