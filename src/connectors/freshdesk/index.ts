import { offeredSecret, parseJson, readsTicketWhenSettled, tokenMatches } from '../shared.js';
import { asList, type Connector, type Parsed } from '../types.js';
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
  ...readsTicketWhenSettled<FreshdeskSettings>('freshdesk', async (id, context, settings, io) => {
    const ticket = await fetchTicket(settings, id, io);
    if (!ticket) return [];
    return ticketEvents(ticket, await fetchConversations(settings, id, io), context);
  }),
  history: freshdeskHistory,
  lookupUser,
  pushesBack: (settings) => settings.push_back !== undefined,
  pushBack,
};
