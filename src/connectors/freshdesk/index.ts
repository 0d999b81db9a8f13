import { setTimeout as sleep } from 'node:timers/promises';
import { deferredTicket, offeredSecret, parseJson, readTicketSoon, tokenMatches } from '../shared.js';
import type { NormalizedEvent } from '../../model/events.js';
import { asList, type Connector, type NormalizeContext, type Parsed } from '../types.js';
import { fetchConversations, fetchTicket, lookupUser, pushBack } from './api.js';
import { freshdeskHistory } from './history.js';
import { ticketEvents } from './normalize.js';
import { webhookSchema } from './payloads.js';
import { freshdeskSettingsSchema, type FreshdeskSettings } from './settings.js';

export type FreshdeskPayload = { ticket_id: string; event?: string };

function parse(body: Buffer): Parsed<FreshdeskPayload> {
  return parseJson(body, webhookSchema);
}

export { offeredSecret };

async function read(
  id: string,
  context: NormalizeContext,
  settings: FreshdeskSettings,
): Promise<NormalizedEvent[]> {
  if (!context.fetch) throw new Error('freshdesk: reading a ticket needs the API (no fetch given)');
  const io = { fetch: context.fetch, sleep: context.sleep ?? sleep };
  const ticket = await fetchTicket(settings, id, io);
  if (!ticket) return [];
  const conversations = await fetchConversations(settings, id, io);
  return ticketEvents(ticket, conversations, context);
}

/**
 * Freshdesk's automation webhooks are unsigned: the rule sends the tenant's deskpulse-issued
 * secret, compared in constant time. The body only names the ticket; deskpulse reads the ticket
 * and its conversations from the API, so the events carry Freshdesk's own instants.
 */
export const freshdeskConnector: Connector<FreshdeskSettings, FreshdeskPayload> = {
  id: 'freshdesk',
  kind: 'helpdesk',
  settingsSchema: freshdeskSettingsSchema,
  verify: (delivery, settings) =>
    tokenMatches(offeredSecret(delivery), asList(settings.webhook_secret))
      ? { ok: true }
      : { ok: false, reason: 'the webhook secret does not match' },
  parse,
  normalize: (payload, context, settings) =>
    readTicketSoon(payload.ticket_id, context, settings.settle_seconds * 1000, (id) =>
      read(id, context, settings),
    ),
  async finalize(key, context, settings) {
    const id = deferredTicket(key);
    return id === null ? [] : read(id, context, settings);
  },
  history: freshdeskHistory,
  lookupUser,
  pushesBack: (settings) => settings.push_back !== undefined,
  pushBack,
};
