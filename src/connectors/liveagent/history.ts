import { getJson } from '../http.js';
import type { HistoryContext, HistoryPage, HistorySource } from '../types.js';
import { fetchHistory, fetchMessageGroups, liveagentApi, PER_PAGE } from './api.js';
import { localTime, ticketEvents } from './normalize.js';
import { liveagentTicketSchema } from './payloads.js';
import type { LiveagentSettings } from './settings.js';

/**
 * `GET /api/v3/tickets?_filters=[["date_changed","D>=",…]]&_sortField=date_changed&_sortDir=ASC`
 * 100 a page, and each ticket's message groups. The cursor is the listing's start (account time)
 * and the page within it; after the last page it is the newest `date_changed` read, where the next
 * pull starts (that ticket is read again, which adds nothing).
 */
export const liveagentHistory: HistorySource<LiveagentSettings> = {
  unit: 'tickets',
  async *pages(settings, from, context: HistoryContext): AsyncIterable<HistoryPage> {
    const [cursorFrom, cursorPage] = from.cursor?.split('|') ?? [];
    const start = cursorFrom ?? localTime(from.since, settings.time_zone);
    let page = cursorPage ? Number(cursorPage) : 1;
    let newest = start;
    const io = { fetch: context.fetch, sleep: context.sleep, now: context.now };
    for (;;) {
      const query = new URLSearchParams({
        _filters: JSON.stringify([['date_changed', 'D>=', start]]),
        _sortField: 'date_changed',
        _sortDir: 'ASC',
        _page: String(page),
        _perPage: String(PER_PAGE),
      });
      const raw = await getJson<unknown[]>(`/api/v3/tickets?${query}`, liveagentApi(settings, io));
      const events = [];
      for (const item of raw) {
        const ticket = liveagentTicketSchema.safeParse(item);
        if (!ticket.success) continue;
        if (ticket.data.date_changed > newest) newest = ticket.data.date_changed;
        const groups = await fetchMessageGroups(settings, ticket.data.id, io);
        const history = await fetchHistory(settings, ticket.data.id, io);
        events.push(...(await ticketEvents(ticket.data, groups, history, context, settings)));
      }
      const more = raw.length === PER_PAGE;
      page += 1;
      yield { events, items: raw.length, cursor: more ? `${start}|${page}` : `${newest}|1`, done: !more };
      if (!more) return;
    }
  },
};
