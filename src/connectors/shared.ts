import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { eventSchema, type NormalizedEvent } from '../model/events.js';
import { describeError } from '../model/validate.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiIo } from './http.js';
import { type Connector, header, type NormalizeContext, type Parsed, type RawDelivery } from './types.js';

/**
 * History pulls leave calls still going for a later run; one listed as going that started this
 * long before the newest call read is a stuck record, not waited for.
 */
export const LONGEST_CALL_SECONDS = 12 * 3600;

/** Decode a JSON body and check it against a provider's documented shape (the reason names the field). */
export function parseJson<T>(body: Buffer, schema: z.ZodType<T>): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  const result = schema.safeParse(json, { reportInput: true });
  return result.success
    ? { ok: true, payload: result.data }
    : { ok: false, reason: describeError(result.error) };
}

/** Events built by a connector, without their undefined fields, checked against EVENTS.md. */
export function finish(events: Array<Record<string, unknown>>): NormalizedEvent[] {
  return events.map((event) =>
    eventSchema.parse(Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined))),
  );
}

/** Constant-time comparison of a shared token with each configured one (hashed to equal length). */
export function tokenMatches(offered: string | undefined, secrets: readonly string[]): boolean {
  if (offered === undefined) return false;
  const digest = createHash('sha256').update(offered).digest();
  let match = false;
  for (const secret of secrets) {
    if (timingSafeEqual(digest, createHash('sha256').update(secret).digest())) match = true;
  }
  return match;
}

export const isoFromUnix = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** The secret an unsigned webhook sends: `X-Deskpulse-Secret`, or the password of basic auth. */
export function offeredSecret(delivery: RawDelivery): string | undefined {
  const direct = header(delivery.headers, 'x-deskpulse-secret');
  if (direct !== undefined) return direct;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header(delivery.headers, 'authorization') ?? '');
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/** The `key` query parameter of the webhook URL, for providers whose webhooks take no headers. */
export function offeredKey(delivery: RawDelivery): string | undefined {
  if (!delivery.url) return undefined;
  return new URL(delivery.url, 'http://deskpulse.invalid').searchParams.get('key') ?? undefined;
}

/**
 * `normalize` and `finalize` for webhooks that only name a ticket (Freshdesk, LiveAgent): the
 * ticket is read `settle_seconds` after the first delivery, so a burst of rule triggers for one
 * ticket (every chat line, every update) is one read; without a way to defer (a direct call), now.
 */
export function readsTicketWhenSettled<Settings extends { settle_seconds: number }>(
  provider: string,
  read: (id: string, context: NormalizeContext, settings: Settings, io: ApiIo) => Promise<NormalizedEvent[]>,
): Pick<Connector<Settings, { ticket_id: string }>, 'normalize' | 'finalize'> {
  const readNow = (id: string, context: NormalizeContext, settings: Settings) => {
    if (!context.fetch) throw new Error(`${provider}: reading a ticket needs the API (no fetch given)`);
    return read(id, context, settings, { fetch: context.fetch, sleep: context.sleep ?? sleep });
  };
  return {
    async normalize(payload, context, settings) {
      if (!context.defer) return readNow(payload.ticket_id, context, settings);
      await context.defer(`ticket:${payload.ticket_id}`, settings.settle_seconds * 1000);
      return [];
    },
    finalize: async (key, context, settings) =>
      key.startsWith('ticket:') ? readNow(key.slice('ticket:'.length), context, settings) : [],
  };
}
