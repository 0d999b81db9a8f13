import type { NormalizedEvent } from '../../model/events.js';
import { eventSchema } from '../../model/events.js';
import type { HistoryPage, HistorySource, NormalizeContext } from '../types.js';
import { getJson } from '../http.js';
import { type Fetch, zendeskApi } from './api.js';
import { channel, commentAuthor, customerOf } from './normalize.js';
import type { ZendeskSettings } from './settings.js';

/** A ticket as the incremental export returns it (the fields deskpulse reads). */
export interface ExportedTicket {
  id: number;
  created_at: string;
  status: string;
  requester_id?: number | null;
  via?: { channel?: string | null } | null;
}
export interface AuditEvent {
  id: number;
  type: string;
  field_name?: string;
  value?: unknown;
  public?: boolean;
  author_id?: number;
}
export interface Audit {
  id: number;
  ticket_id: number;
  created_at: string;
  author_id?: number;
  events: AuditEvent[];
}

interface ExportPage {
  tickets: ExportedTicket[];
  after_cursor: string | null;
  end_of_stream: boolean;
}
interface AuditPage {
  audits: Audit[];
  meta?: { has_more?: boolean; after_cursor?: string | null };
  links?: { next?: string | null };
  next_page?: string | null;
}

const STATUS: Record<string, string> = {
  new: 'new',
  open: 'open',
  pending: 'pending',
  hold: 'on_hold',
  solved: 'solved',
  closed: 'closed',
};
const PRIORITY = new Set(['low', 'normal', 'high', 'urgent']);

/** One page of the cursor-based incremental ticket export: from `start` (Unix seconds) or a cursor. */
export function exportPage(
  settings: ZendeskSettings,
  from: { cursor: string } | { start: number },
  fetchImpl: Fetch,
  sleep: (ms: number) => Promise<void>,
) {
  const query = 'cursor' in from ? `cursor=${encodeURIComponent(from.cursor)}` : `start_time=${from.start}`;
  // Deleted tickets (spam among them) are left out, as Zendesk's own reports leave them out; by
  // default the export lists them with status "deleted".
  return getJson<ExportPage>(
    `/api/v2/incremental/tickets/cursor.json?${query}&exclude_deleted=true`,
    zendeskApi(settings, fetchImpl, sleep),
  );
}

export async function ticketAudits(
  settings: ZendeskSettings,
  ticket: number,
  fetchImpl: Fetch,
  sleep: (ms: number) => Promise<void>,
): Promise<Audit[]> {
  const audits: Audit[] = [];
  let path: string | null = `/api/v2/tickets/${ticket}/audits.json?page[size]=100`;
  while (path) {
    const page: AuditPage = await getJson<AuditPage>(path, zendeskApi(settings, fetchImpl, sleep));
    audits.push(...page.audits);
    path = page.meta?.has_more ? (page.links?.next ?? null) : (page.next_page ?? null);
  }
  return audits;
}

/** A ticket's history (its audits) as normalised events. */
export async function normalizeHistory(
  ticket: ExportedTicket,
  audits: Audit[],
  context: NormalizeContext,
): Promise<NormalizedEvent[]> {
  const key = `zendesk:${ticket.id}`;
  const base = { source: 'zendesk', tenant: context.tenant, ticket: key };
  const events: Array<Record<string, unknown>> = [];
  const customer = await customerOf(ticket.requester_id ? String(ticket.requester_id) : null, context);
  events.push({
    ...base,
    id: `zendesk:${ticket.id}:created`,
    type: 'ticket.created',
    at: ticket.created_at,
    channel: channel(ticket.via?.channel),
    ...(customer ? { customer } : {}),
  });
  for (const audit of [...audits].sort(
    (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id,
  )) {
    const at = audit.created_at < ticket.created_at ? ticket.created_at : audit.created_at;
    const change: Record<string, unknown> = {};
    // The audit that created the ticket (its `Create` events set its first values): its comment
    // is the description, which is no reply when an agent wrote it (see `commentAuthor`).
    const creating = audit.events.some((event) => event.type === 'Create');
    for (const event of audit.events) {
      if (event.type === 'Comment') {
        const authorId = String(event.author_id ?? audit.author_id ?? '');
        const author = authorId ? await context.users.user(authorId) : null;
        const staff = author?.role === 'agent';
        events.push({
          ...base,
          // A comment's id is its Comment event's: the id the webhooks give it (normalize.ts).
          id: `zendesk:comment:${event.id}`,
          type: 'message',
          at,
          author: commentAuthor(staff, creating),
          public: event.public !== false,
          ...(staff ? { agent: `zendesk:${authorId}` } : {}),
        });
      } else if (event.type === 'Create' || event.type === 'Change') {
        const value = event.value;
        if (event.field_name === 'status' && typeof value === 'string' && STATUS[value])
          change.status = STATUS[value];
        if (event.field_name === 'priority' && typeof value === 'string' && PRIORITY.has(value))
          change.priority = value;
        if (event.field_name === 'assignee_id') change.agent = value ? `zendesk:${value}` : null;
        if (event.field_name === 'group_id') change.team = value ? `zendesk:${value}` : null;
        if (event.field_name === 'tags' && Array.isArray(value)) change.tags = value.map(String);
      }
    }
    if (Object.keys(change).length > 0)
      events.push({ ...base, id: `zendesk:audit:${audit.id}:change`, type: 'ticket.updated', at, ...change });
  }
  return events.map((event) => eventSchema.parse(event));
}

/** The incremental ticket export, then each ticket's audits, as history pages. */
export const zendeskHistory: HistorySource<ZendeskSettings> = {
  unit: 'tickets',
  async *pages(settings, from, context): AsyncIterable<HistoryPage> {
    let position: { cursor: string } | { start: number } = from.cursor
      ? { cursor: from.cursor }
      : { start: Math.floor(from.since.getTime() / 1000) };
    for (;;) {
      const page = await exportPage(settings, position, context.fetch, context.sleep);
      const events: NormalizedEvent[] = [];
      for (const ticket of page.tickets) {
        const audits = await ticketAudits(settings, ticket.id, context.fetch, context.sleep);
        events.push(...(await normalizeHistory(ticket, audits, context)));
      }
      const done = page.end_of_stream || !page.after_cursor;
      yield { events, items: page.tickets.length, cursor: page.after_cursor ?? null, done };
      if (done) return;
      position = { cursor: page.after_cursor as string };
    }
  },
};
