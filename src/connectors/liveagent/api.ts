import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ApiIo,
  getJson,
  getJsonOrNull,
  type GetOptions,
  HttpError,
  putJson,
  readPages,
  writeEach,
} from '../http.js';
import type { DirectoryUser, TicketValues } from '../types.js';
import {
  agentSchema,
  contactSchema,
  historySchema,
  type LiveagentHistory,
  type LiveagentMessageGroup,
  type LiveagentTicket,
  liveagentTicketSchema,
  messageGroupSchema,
} from './payloads.js';
import { type LiveagentSettings, origin } from './settings.js';

/** Requests to the tenant's own LiveAgent only (`apikey` header); 429s waited out as `Retry-After` says. */
export function liveagentApi(settings: LiveagentSettings, io: ApiIo): GetOptions {
  return {
    origin: origin(settings),
    headers: { apikey: settings.api_key },
    fetch: io.fetch,
    sleep: io.sleep,
    now: io.now,
    provider: 'LiveAgent',
  };
}

export const PER_PAGE = 100;

/** `GET /api/v3/tickets/{id}`; `null` when the ticket is gone. */
export async function fetchTicket(
  settings: LiveagentSettings,
  id: string,
  io: ApiIo,
): Promise<LiveagentTicket | null> {
  const raw = await getJsonOrNull<unknown>(
    `/api/v3/tickets/${encodeURIComponent(id)}`,
    liveagentApi(settings, io),
  );
  return raw === null ? null : liveagentTicketSchema.parse(raw);
}

/** Every message group of a ticket (`GET /api/v3/tickets/{id}/messages`, 100 a page). */
export async function fetchMessageGroups(
  settings: LiveagentSettings,
  id: string,
  io: ApiIo,
): Promise<LiveagentMessageGroup[]> {
  return readPages(
    (page) => `/api/v3/tickets/${encodeURIComponent(id)}/messages?_page=${page}&_perPage=${PER_PAGE}`,
    PER_PAGE,
    messageGroupSchema,
    liveagentApi(settings, io),
  );
}

/**
 * The ticket's history (`GET /api/v3/tickets/{id}/history`), oldest first; `null` when the key may
 * not read it (401, 403) or it is not there (404): the ticket's current state stands in.
 */
export async function fetchHistory(
  settings: LiveagentSettings,
  id: string,
  io: ApiIo,
): Promise<LiveagentHistory[] | null> {
  try {
    const raw = await getJson<unknown[]>(
      `/api/v3/tickets/${encodeURIComponent(id)}/history`,
      liveagentApi(settings, io),
    );
    const rows: LiveagentHistory[] = [];
    for (const item of raw) {
      const parsed = historySchema.safeParse(item);
      if (parsed.success) rows.push(parsed.data);
    }
    return rows.sort((a, b) => (a.date_from < b.date_from ? -1 : a.date_from > b.date_from ? 1 : 0));
  } catch (error) {
    if (error instanceof HttpError && [401, 403, 404].includes(error.status)) return null;
    throw error;
  }
}

/** The custom field values deskpulse writes on one ticket, by their codes. */
export function customFields(
  values: TicketValues,
  fields: Record<string, string | undefined>,
): Array<{ code: string; value: string }> {
  const out: Array<{ code: string; value: string }> = [];
  for (const [name, code] of Object.entries(fields)) {
    if (code === undefined) continue;
    const value = values[name as keyof TicketValues];
    out.push({ code, value: value === null ? '' : String(value) });
  }
  return out;
}

/** `PUT /api/v3/tickets/{id}` with `custom_fields`, ticket by ticket. */
export async function pushBack(
  settings: LiveagentSettings,
  tickets: ReadonlyArray<{ id: string; values: TicketValues }>,
  io: ApiIo,
): Promise<{ updated: string[]; failed: Array<{ id: string; error: string }> }> {
  const fields = settings.push_back?.fields ?? {};
  return writeEach(tickets, ({ id, values }) =>
    putJson(
      `/api/v3/tickets/${encodeURIComponent(id)}`,
      { custom_fields: customFields(values, fields) },
      liveagentApi(settings, io),
    ),
  );
}

/** An agent (`/api/v3/agents/{id}`), else a contact (`/api/v3/contacts/{id}`), else nobody known. */
export async function lookupUser(
  settings: LiveagentSettings,
  id: string,
  fetchImpl: typeof fetch,
): Promise<DirectoryUser | null> {
  const options = liveagentApi(settings, { fetch: fetchImpl, sleep });
  const agent = await getJsonOrNull<unknown>(`/api/v3/agents/${encodeURIComponent(id)}`, options);
  if (agent !== null) {
    const { email } = agentSchema.parse(agent);
    return { role: 'agent', ...(email ? { email } : {}) };
  }
  const contact = await getJsonOrNull<unknown>(`/api/v3/contacts/${encodeURIComponent(id)}`, options);
  if (contact === null) return null;
  const { emails, phones } = contactSchema.parse(contact);
  const [email, phone] = [emails?.[0], phones?.[0]];
  return { role: 'end-user', ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}
