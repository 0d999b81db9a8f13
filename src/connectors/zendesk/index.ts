import { describeError } from '../../model/validate.js';
import { asList, type Connector, header, type Parsed } from '../types.js';
import { fetchUser } from './api.js';
import { zendeskHistory } from './history.js';
import { normalizeZendesk } from './normalize.js';
import { ticketUpdate, updateMany } from './push-back.js';
import { ticketEventSchema, triggerBodySchema, type ZendeskPayload } from './payloads.js';
import { zendeskSettingsSchema, type ZendeskSettings } from './settings.js';
import { verify } from './signature.js';

function parse(body: Buffer): Parsed<ZendeskPayload> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof json === 'object' && json !== null && 'deskpulse' in json) {
    const trigger = triggerBodySchema.safeParse(json);
    return trigger.success
      ? { ok: true, payload: { kind: 'trigger', body: trigger.data } }
      : { ok: false, reason: describeError(trigger.error) };
  }
  const event = ticketEventSchema.safeParse(json, { reportInput: true });
  return event.success
    ? { ok: true, payload: { kind: 'event', event: event.data } }
    : { ok: false, reason: describeError(event.error) };
}

export const zendeskConnector: Connector<ZendeskSettings, ZendeskPayload> = {
  id: 'zendesk',
  kind: 'helpdesk',
  settingsSchema: zendeskSettingsSchema,
  verify: (delivery, settings, nowMs) =>
    verify(
      asList(settings.signing_secret),
      header(delivery.headers, 'x-zendesk-webhook-signature'),
      header(delivery.headers, 'x-zendesk-webhook-signature-timestamp'),
      delivery.body,
      nowMs,
    ),
  parse,
  normalize: (payload, context) => normalizeZendesk(payload, context),
  history: zendeskHistory,
  pushesBack: (settings) => settings.push_back !== undefined,
  // A closed ticket can no longer be changed, by anyone (Zendesk: "closed prevents ticket update").
  writableIn: (status) => status !== 'closed',
  async pushBack(settings, tickets, io) {
    const push = settings.push_back;
    if (!push)
      return { updated: [], failed: tickets.map(({ id }) => ({ id, error: 'push_back is not configured' })) };
    const { updated, failed } = await updateMany(
      settings,
      tickets.map(({ id, values }) => ticketUpdate(id, values, push)),
      io,
    );
    return {
      updated: updated.map(String),
      failed: failed.map(({ id, error }) => ({ id: String(id), error })),
    };
  },
  async lookupUser(settings, id, fetchImpl) {
    const user = await fetchUser(settings, id, fetchImpl);
    if (!user) return null;
    return {
      role: user.role === 'end-user' ? 'end-user' : 'agent',
      ...(user.email ? { email: user.email } : {}),
      ...(user.phone ? { phone: user.phone } : {}),
    };
  },
};
