import { setTimeout as sleep } from 'node:timers/promises';
import { offeredKey, parseJson, tokenMatches } from '../shared.js';
import { asList, type Connector, type Parsed } from '../types.js';
import { cdrWindowEvents, lookupUser, OVERLAP_HOURS, voipstudioHistory } from './history.js';
import { instant, localTime } from './normalize.js';
import { CALL_FINISHED, type VoipstudioWebhook, webhookSchema } from './payloads.js';
import { voipstudioSettingsSchema, type VoipstudioSettings } from './settings.js';

function parse(body: Buffer): Parsed<VoipstudioWebhook> {
  const parsed = parseJson(body, webhookSchema);
  if (!parsed.ok) return parsed;
  const name = parsed.payload.event_name;
  return CALL_FINISHED.has(name) ? parsed : { ok: true, payload: parsed.payload, ignored: name };
}

export { offeredKey };

/**
 * VoIPstudio's webhooks are unsigned and take no custom header: the URL carries the tenant's
 * deskpulse-issued key. A webhook is only a trigger — deskpulse reads the CDRs from the API (with
 * the tenant's API key), so an event's content never becomes data. Hang-ups in the same minute
 * share one read of the CDRs that began in the two hours before it.
 */
export const voipstudioConnector: Connector<VoipstudioSettings, VoipstudioWebhook> = {
  id: 'voipstudio',
  kind: 'calls',
  settingsSchema: voipstudioSettingsSchema,
  verify: (delivery, settings) =>
    settings.webhook_key === undefined
      ? { ok: false, reason: 'no webhook_key is configured for voipstudio' }
      : tokenMatches(offeredKey(delivery), asList(settings.webhook_key))
        ? { ok: true }
        : { ok: false, reason: 'the webhook key does not match' },
  parse,
  async normalize(payload, context, settings) {
    if (!CALL_FINISHED.has(payload.event_name)) return [];
    const at = instant(payload.event_time, settings.time_zone);
    if (!at.isValid) return [];
    const minute = localTime(at.startOf('minute'), settings.time_zone);
    if (context.defer) {
      await context.defer(`cdrs:${minute}`, settings.settle_seconds * 1000);
      return [];
    }
    return voipstudioConnector.finalize!(`cdrs:${minute}`, context, settings);
  },
  async finalize(key, context, settings) {
    if (!context.fetch) throw new Error('voipstudio: reading CDRs needs the API (no fetch given)');
    const minute = instant(key.replace(/^cdrs:/, ''), settings.time_zone);
    if (!minute.isValid) return [];
    const zone = settings.time_zone;
    return cdrWindowEvents(
      settings,
      {
        from: localTime(minute.minus({ hours: OVERLAP_HOURS }), zone),
        to: localTime(minute.plus({ minutes: 1 }), zone),
      },
      { ...context, fetch: context.fetch, sleep: context.sleep ?? sleep },
    );
  },
  history: voipstudioHistory,
  lookupUser,
};
