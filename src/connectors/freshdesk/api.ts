import { setTimeout as sleep } from 'node:timers/promises';
import { type ApiIo, getJsonOrNull, type GetOptions, putJson, readPages, writeEach } from '../http.js';
import type { DirectoryUser, TicketValues } from '../types.js';
import {
  agentSchema,
  conversationSchema,
  type FreshdeskConversation,
  type FreshdeskTicket,
  freshdeskTicketSchema,
} from './payloads.js';
import { authorization, type FreshdeskSettings, origin } from './settings.js';

/** Requests to the tenant's own Freshdesk only; 429s waited out as `Retry-After` says. */
export function freshdeskApi(settings: FreshdeskSettings, io: ApiIo): GetOptions {
  return {
    origin: origin(settings),
    headers: { authorization: authorization(settings) },
    fetch: io.fetch,
    sleep: io.sleep,
    now: io.now,
    provider: 'Freshdesk',
  };
}

const PER_PAGE = 100;

/** `GET /api/v2/tickets/{id}?include=stats,requester`; `null` when the ticket is gone (deleted, spam). */
export async function fetchTicket(
  settings: FreshdeskSettings,
  id: string,
  io: ApiIo,
): Promise<FreshdeskTicket | null> {
  const raw = await getJsonOrNull<unknown>(
    `/api/v2/tickets/${encodeURIComponent(id)}?include=stats,requester`,
    freshdeskApi(settings, io),
  );
  return raw === null ? null : freshdeskTicketSchema.parse(raw);
}

/** Every conversation of a ticket (`GET /api/v2/tickets/{id}/conversations`, 100 a page). */
export async function fetchConversations(
  settings: FreshdeskSettings,
  id: string,
  io: ApiIo,
): Promise<FreshdeskConversation[]> {
  return readPages(
    (page) => `/api/v2/tickets/${encodeURIComponent(id)}/conversations?per_page=${PER_PAGE}&page=${page}`,
    PER_PAGE,
    conversationSchema,
    freshdeskApi(settings, io),
  );
}

/** An agent (`/api/v2/agents/{id}`), else a contact (`/api/v2/contacts/{id}`). */
export async function lookupUser(
  settings: FreshdeskSettings,
  id: string,
  fetchImpl: typeof fetch,
): Promise<DirectoryUser | null> {
  const options = freshdeskApi(settings, { fetch: fetchImpl, sleep });
  const agent = await getJsonOrNull<unknown>(`/api/v2/agents/${encodeURIComponent(id)}`, options);
  if (agent !== null) {
    const { email } = agentSchema.parse(agent).contact;
    return { role: 'agent', ...(email ? { email } : {}) };
  }
  const contact = await getJsonOrNull<{
    email?: string | null;
    phone?: string | null;
    mobile?: string | null;
  }>(`/api/v2/contacts/${encodeURIComponent(id)}`, options);
  if (contact === null) return null;
  const phone = contact.phone ?? contact.mobile ?? undefined;
  return {
    role: 'end-user',
    ...(contact.email ? { email: contact.email } : {}),
    ...(phone ? { phone } : {}),
  };
}

/** The custom fields deskpulse writes on one ticket, by their API names. */
export function customFields(
  values: TicketValues,
  fields: Record<string, string | undefined>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (field !== undefined) out[field] = values[name as keyof TicketValues];
  }
  return out;
}

/** `PUT /api/v2/tickets/{id}` with the custom fields, ticket by ticket (Freshdesk has no bulk field update). */
export async function pushBack(
  settings: FreshdeskSettings,
  tickets: ReadonlyArray<{ id: string; values: TicketValues }>,
  io: ApiIo,
): Promise<{ updated: string[]; failed: Array<{ id: string; error: string }> }> {
  const fields = settings.push_back?.fields ?? {};
  return writeEach(tickets, ({ id, values }) =>
    putJson(
      `/api/v2/tickets/${encodeURIComponent(id)}`,
      { custom_fields: customFields(values, fields) },
      freshdeskApi(settings, io),
    ),
  );
}
