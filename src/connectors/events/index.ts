import { z } from 'zod';
import type { NormalizedEvent } from '../../model/events.js';
import { parseEventLine, validateEvent } from '../../model/validate.js';
import { asList, type Connector, header } from '../types.js';
import { verify } from './standard-webhooks.js';
import { withoutBom } from '../../model/ndjson.js';

/** Normalised events (EVENTS.md) posted by custom sources and imports, signed per Standard Webhooks. */
export const eventsSettingsSchema = z.strictObject({
  secret: z.union([
    z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, { error: 'must be a whsec_… secret' }),
    z.array(z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, { error: 'must be a whsec_… secret' })).min(1),
  ]),
});
export type EventsSettings = z.output<typeof eventsSettingsSchema>;

/**
 * A body is NDJSON or a JSON array (a byte-order mark before either is passed over); every event
 * must be valid, or the delivery is refused whole.
 */
export function parseEventsBody(
  body: Buffer,
): { ok: true; payload: NormalizedEvent[] } | { ok: false; reason: string } {
  const text = withoutBom(body.toString('utf8'));
  const errors: string[] = [];
  const events: NormalizedEvent[] = [];
  if (text.trimStart().startsWith('[')) {
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (error) {
      return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
    }
    (items as unknown[]).forEach((item, index) => {
      const result = validateEvent(item);
      if (result.ok) events.push(result.value);
      else errors.push(`[${index}]: ${result.error}`);
    });
  } else {
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      const result = parseEventLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      if (result.ok) events.push(result.value);
      else errors.push(`line ${index + 1}: ${result.error}`);
    });
  }
  if (errors.length > 0) return { ok: false, reason: errors.slice(0, 20).join('; ') };
  if (events.length === 0) return { ok: false, reason: 'no events' };
  return { ok: true, payload: events };
}

export const eventsConnector: Connector<EventsSettings, NormalizedEvent[]> = {
  id: 'events',
  kind: 'events',
  settingsSchema: eventsSettingsSchema,
  verify: (delivery, settings, nowMs) =>
    verify(
      asList(settings.secret),
      header(delivery.headers, 'webhook-id'),
      header(delivery.headers, 'webhook-timestamp'),
      header(delivery.headers, 'webhook-signature'),
      delivery.body,
      Math.floor(nowMs / 1000),
    ),
  parse: parseEventsBody,
  // The tenant comes from the verified credential, never from the body.
  normalize: async (events, context) => events.map((event) => ({ ...event, tenant: context.tenant })),
};
