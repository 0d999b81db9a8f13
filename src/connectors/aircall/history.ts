import { getJson } from '../http.js';
import type { HistoryContext, HistoryPage, HistorySource } from '../types.js';
import { LONGEST_CALL_SECONDS } from '../shared.js';
import { normalizeCall } from './normalize.js';
import { aircallCallSchema } from './payloads.js';
import { authorization, type AircallSettings, ORIGIN } from './settings.js';

interface CallsPage {
  calls: unknown[];
  meta?: { next_page_link?: string | null };
}

const PER_PAGE = 50;

/**
 * `GET /v1/calls?from=<unix>&order=asc`: calls by start time. The cursor is the start second of
 * the last call read and the page within that second (Aircall caps one listing at 10,000 calls, so
 * each page starts a new listing from the cursor), and the start of the earliest call still in
 * progress: those are left for later, so after the last page the next run starts from the
 * earliest of them (listed again, finished by then), else from the newest call.
 */
export const aircallHistory: HistorySource<AircallSettings> = {
  unit: 'calls',
  async *pages(settings, from, context: HistoryContext): AsyncIterable<HistoryPage> {
    const saved = from.cursor?.split(':').map(Number);
    let [second, page] = saved ? (saved as [number, number]) : [Math.floor(from.since.getTime() / 1000), 1];
    let going = saved?.[2] !== undefined && Number.isFinite(saved[2]) ? saved[2] : null;
    for (;;) {
      const query = new URLSearchParams({
        from: String(second),
        order: 'asc',
        per_page: String(PER_PAGE),
        page: String(page),
      });
      const result = await getJson<CallsPage>(`/v1/calls?${query}`, {
        origin: ORIGIN,
        headers: { authorization: authorization(settings) },
        fetch: context.fetch,
        sleep: context.sleep,
        now: context.now,
        provider: 'Aircall',
        resetHeader: 'x-aircallapi-reset',
      });
      const events = [];
      let last = second;
      for (const raw of result.calls) {
        const call = aircallCallSchema.safeParse(raw);
        if (!call.success) continue;
        last = Math.max(last, call.data.started_at);
        if ((call.data.status !== undefined && call.data.status !== 'done') || !call.data.ended_at) {
          going = Math.min(going ?? Infinity, call.data.started_at);
          continue;
        }
        events.push(...(await normalizeCall(call.data, context)));
      }
      const more = Boolean(result.meta?.next_page_link) && result.calls.length > 0;
      // A page that did not move past its start second is followed by the next page of that second.
      [second, page] = !more ? [last, 1] : last > second ? [last, 1] : [second, page + 1];
      if (going !== null && going < last - LONGEST_CALL_SECONDS) going = null;
      // After the last page the next run starts at the earliest call still going, else the newest.
      const cursor = more ? `${second}:${page}${going === null ? '' : `:${going}`}` : `${going ?? second}:1`;
      yield { events, items: result.calls.length, cursor, done: !more };
      if (!more) return;
    }
  },
};
