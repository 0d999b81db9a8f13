import { getJson } from '../http.js';
import type { HistoryContext, HistoryPage, HistorySource } from '../types.js';
import { fetchConversations, freshdeskApi } from './api.js';
import { ticketEvents } from './normalize.js';
import { freshdeskTicketSchema } from './payloads.js';
import type { FreshdeskSettings } from './settings.js';

const PER_PAGE = 100;
/** Freshdesk serves at most this many pages of one listing; a new listing starts from the cursor. */
const MAX_PAGE = 300;

/**
 * `GET /api/v2/tickets?updated_since=…&order_by=updated_at&order_type=asc&include=stats,requester`
 * 100 a page, and each ticket's conversations. The cursor is the `updated_at` of the last ticket
 * read and the page within that listing, so a stopped backfill resumes where it was and a later
 * (or scheduled) pull reads only what changed since.
 */
export const freshdeskHistory: HistorySource<FreshdeskSettings> = {
  unit: 'tickets',
  async *pages(settings, from, context: HistoryContext): AsyncIterable<HistoryPage> {
    const [cursorAt, cursorPage] = from.cursor?.split('|') ?? [];
    let since = cursorAt ?? from.since.toISOString();
    let page = cursorPage ? Number(cursorPage) : 1;
    const io = { fetch: context.fetch, sleep: context.sleep, now: context.now };
    for (;;) {
      const query = new URLSearchParams({
        updated_since: since,
        order_by: 'updated_at',
        order_type: 'asc',
        per_page: String(PER_PAGE),
        page: String(page),
        include: 'stats,requester',
      });
      const raw = await getJson<unknown[]>(`/api/v2/tickets?${query}`, freshdeskApi(settings, io));
      const events = [];
      let last = since;
      for (const item of raw) {
        const ticket = freshdeskTicketSchema.safeParse(item);
        if (!ticket.success) continue;
        const conversations = await fetchConversations(settings, String(ticket.data.id), io);
        events.push(...ticketEvents(ticket.data, conversations, context));
        if (ticket.data.updated_at > last) last = ticket.data.updated_at;
      }
      const more = raw.length === PER_PAGE;
      // Within one listing pages follow each other; past Freshdesk's page limit a new listing starts at the last update.
      [since, page] = !more ? [last, 1] : page + 1 > MAX_PAGE ? [last, 1] : [since, page + 1];
      yield { events, items: raw.length, cursor: `${since}|${page}`, done: !more };
      if (!more) return;
    }
  },
};
