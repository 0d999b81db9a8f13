import { offeredKey, offeredSecret, parseJson, readsTicketWhenSettled, tokenMatches } from '../shared.js';
import { asList, type Connector, type Parsed, type RawDelivery } from '../types.js';
import { fetchHistory, fetchMessageGroups, fetchTicket, lookupUser, pushBack } from './api.js';
import { liveagentHistory } from './history.js';
import { ticketEvents } from './normalize.js';
import { webhookSchema } from './payloads.js';
import { liveagentSettingsSchema, type LiveagentSettings } from './settings.js';

export type LiveagentPayload = { ticket_id: string; event?: string };

function parse(body: Buffer): Parsed<LiveagentPayload> {
  return parseJson(body, webhookSchema);
}

const offered = (delivery: RawDelivery) => offeredSecret(delivery) ?? offeredKey(delivery);

/**
 * LiveAgent's rules send unsigned HTTP requests: the rule sends the tenant's deskpulse-issued
 * secret (header, basic auth or `?key=`), compared in constant time. The body only names the
 * ticket; deskpulse reads the ticket, its message groups and its history from the API.
 */
export const liveagentConnector: Connector<LiveagentSettings, LiveagentPayload> = {
  id: 'liveagent',
  kind: 'helpdesk',
  settingsSchema: liveagentSettingsSchema,
  verify: (delivery, settings) =>
    settings.webhook_secret === undefined
      ? { ok: false, reason: 'no webhook_secret is configured for liveagent' }
      : tokenMatches(offered(delivery), asList(settings.webhook_secret))
        ? { ok: true }
        : { ok: false, reason: 'the webhook secret does not match' },
  parse,
  ...readsTicketWhenSettled<LiveagentSettings>('liveagent', async (id, context, settings, io) => {
    const ticket = await fetchTicket(settings, id, io);
    if (!ticket) return [];
    const groups = await fetchMessageGroups(settings, ticket.id, io);
    const history = await fetchHistory(settings, ticket.id, io);
    return ticketEvents(ticket, groups, history, context, settings);
  }),
  history: liveagentHistory,
  lookupUser,
  pushesBack: (settings) => settings.push_back !== undefined,
  pushBack,
};
