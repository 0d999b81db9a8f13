import { describeError } from '../../model/validate.js';
import { parseJson, tokenMatches } from '../shared.js';
import { asList, type Connector, type Parsed } from '../types.js';
import { aircallHistory } from './history.js';
import { normalizeCall } from './normalize.js';
import { type AircallCall, aircallCallSchema, CALL_ENDED, webhookSchema } from './payloads.js';
import { aircallSettingsSchema, type AircallSettings } from './settings.js';

export type AircallPayload = { kind: 'call'; call: AircallCall } | { kind: 'ignored'; event: string };

function parse(body: Buffer): Parsed<AircallPayload> {
  const envelope = parseJson(body, webhookSchema);
  if (!envelope.ok) return envelope;
  const { event, data } = envelope.payload;
  if (event !== CALL_ENDED) return { ok: true, payload: { kind: 'ignored', event }, ignored: event };
  const call = aircallCallSchema.safeParse(data, { reportInput: true });
  if (!call.success) return { ok: false, reason: describeError(call.error, 'data') };
  return { ok: true, payload: { kind: 'call', call: call.data } };
}

/** The token sits in the body: read it from the raw bytes and compare it in constant time. */
function offeredToken(body: Buffer): string | undefined {
  try {
    const token = (JSON.parse(body.toString('utf8')) as { token?: unknown }).token;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

export const aircallConnector: Connector<AircallSettings, AircallPayload> = {
  id: 'aircall',
  kind: 'calls',
  settingsSchema: aircallSettingsSchema,
  verify: (delivery, settings) =>
    tokenMatches(offeredToken(delivery.body), asList(settings.webhook_token))
      ? { ok: true }
      : { ok: false, reason: 'the webhook token does not match' },
  parse,
  normalize: (payload, context) =>
    payload.kind === 'call' ? normalizeCall(payload.call, context) : Promise.resolve([]),
  history: aircallHistory,
};
