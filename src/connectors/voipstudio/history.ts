import { DateTime } from 'luxon';
import { type ApiIo, getJson, getJsonOrNull, type GetOptions } from '../http.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  DirectoryUser,
  HistoryContext,
  HistoryPage,
  HistorySource,
  NormalizeContext,
} from '../types.js';
import { cdrEvents, instant, localTime } from './normalize.js';
import { cdrPageSchema, cdrSchema, userSchema } from './payloads.js';
import { API, ORIGIN, type VoipstudioSettings } from './settings.js';

const LIMIT = 500;
/**
 * A CDR is written when its call ends but dated when it began: a pull re-reads the two hours
 * before the newest call it saw, so a long call still going at the last pull is not skipped
 * (re-read CDRs are the same events, which deduplicate).
 */
export const OVERLAP_HOURS = 2;

export function voipstudioApi(settings: VoipstudioSettings, io: ApiIo): GetOptions {
  return {
    origin: ORIGIN,
    headers: { 'x-auth-token': settings.api_key },
    fetch: io.fetch,
    sleep: io.sleep,
    now: io.now,
    provider: 'VoIPstudio',
  };
}

/** `GET /cdrs?page=&limit=&filter=[…]`: the CDRs whose `calldate` is in `[from, to]` (account time). */
export async function fetchCdrs(
  settings: VoipstudioSettings,
  range: { from: string; to?: string },
  page: number,
  options: GetOptions,
): Promise<{ data: unknown[]; total: number }> {
  const filter = [
    { property: 'calldate', operator: 'gte', value: range.from },
    ...(range.to ? [{ property: 'calldate', operator: 'lte', value: range.to }] : []),
  ];
  const query = new URLSearchParams({
    page: String(page),
    limit: String(LIMIT),
    filter: JSON.stringify(filter),
  });
  return cdrPageSchema.parse(await getJson<unknown>(`${API}/cdrs?${query}`, options));
}

/** Every CDR in a range, as events (for a webhook's window). */
export async function cdrWindowEvents(
  settings: VoipstudioSettings,
  range: { from: string; to: string },
  context: NormalizeContext & ApiIo,
) {
  const options = voipstudioApi(settings, context);
  const events = [];
  for (let page = 1, read = 0; ; page += 1) {
    const result = await fetchCdrs(settings, range, page, options);
    for (const raw of result.data) {
      const cdr = cdrSchema.safeParse(raw);
      if (cdr.success) events.push(...cdrEvents(cdr.data, context, settings.time_zone));
    }
    read += result.data.length;
    if (result.data.length < LIMIT || read >= result.total) return events;
  }
}

/**
 * `deskpulse backfill voipstudio` and scheduled pulls: CDRs from a start time, 500 a page. The
 * cursor is the listing's start (account time) and the page within it; after the last page it
 * becomes the newest `calldate` read less OVERLAP_HOURS, where the next pull starts.
 */
export const voipstudioHistory: HistorySource<VoipstudioSettings> = {
  unit: 'calls',
  async *pages(settings, from, context: HistoryContext): AsyncIterable<HistoryPage> {
    const zone = settings.time_zone;
    const [cursorFrom, cursorPage] = from.cursor?.split('|') ?? [];
    const start = cursorFrom ?? localTime(DateTime.fromJSDate(from.since), zone);
    let page = cursorPage ? Number(cursorPage) : 1;
    let newest = start;
    let read = 0;
    const options = voipstudioApi(settings, context);
    for (;;) {
      const result = await fetchCdrs(settings, { from: start }, page, options);
      const events = [];
      for (const raw of result.data) {
        const cdr = cdrSchema.safeParse(raw);
        if (!cdr.success) continue;
        if (cdr.data.calldate > newest) newest = cdr.data.calldate;
        events.push(...cdrEvents(cdr.data, context, zone));
      }
      read += result.data.length;
      const more = result.data.length === LIMIT && read < result.total;
      page += 1;
      const next = more
        ? `${start}|${page}`
        : `${maxLocal(start, localTime(instant(newest, zone).minus({ hours: OVERLAP_HOURS }), zone))}|1`;
      yield { events, items: result.data.length, cursor: next, done: !more };
      if (!more) return;
    }
  },
};

const maxLocal = (a: string, b: string): string => (a > b ? a : b);

/**
 * A VoIPstudio user (`GET /users/{id}`): every user on a CDR is one of the account's agents; their
 * e-mail makes them one person across systems.
 */
export async function lookupUser(
  settings: VoipstudioSettings,
  id: string,
  fetchImpl: typeof fetch,
): Promise<DirectoryUser | null> {
  const raw = await getJsonOrNull<unknown>(
    `${API}/users/${encodeURIComponent(id)}`,
    voipstudioApi(settings, { fetch: fetchImpl, sleep }),
  );
  if (raw === null) return null;
  const email = userSchema.parse(raw).data.email;
  return { role: 'agent', ...(email ? { email } : {}) };
}
