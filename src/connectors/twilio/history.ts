import { getJson } from '../http.js';
import type { HistoryPage, HistorySource } from '../types.js';
import type { TwilioSettings } from './settings.js';
import { asList } from '../types.js';
import { customerKeys, phoneKey } from '../customer.js';
import { finish, LONGEST_CALL_SECONDS } from '../shared.js';
import { VOICE_FINAL } from './payloads.js';

const ORIGIN = 'https://api.twilio.com';

interface CallResource {
  sid: string;
  parent_call_sid?: string | null;
  direction: string;
  status: string;
  from?: string | null;
  to?: string | null;
  start_time?: string | null;
  end_time?: string | null;
  date_created?: string | null;
}
interface CallsPage {
  calls: CallResource[];
  next_page_uri?: string | null;
}

/** How far before its restart instant a later run reads again (listings settle; duplicates are one event). */
const OVERLAP_MS = 3_600_000;

/**
 * Where a run is: the page it reached (`path`) and the instant it reads back to (`after`), with
 * the newest call and the earliest call still going seen so far. A bare path is a cursor saved
 * by an earlier version.
 */
interface Cursor {
  path?: string | null;
  after?: number;
  newest?: number | null;
  going?: number | null;
}
const readCursor = (cursor: string | null): Cursor =>
  !cursor ? {} : cursor.startsWith('{') ? (JSON.parse(cursor) as Cursor) : { path: cursor };

/**
 * `GET /2010-04-01/Accounts/{sid}/Calls.json?StartTime>=<day>`: the calls of the account, newest
 * first, page by page (`next_page_uri`), down to the run's start instant. The Calls API knows when
 * a call started, was picked up and ended, but not its TaskRouter queue or worker: backfilled
 * calls have no agent or team, and "answered" means the call was in progress (live callbacks know
 * more). Calls still going are left for later: after the last page the next run reads back to
 * the earliest of them (less an hour), else to the newest call read (less an hour) — so scheduled
 * pulls read only what is new, and never skip a call that was going when listed.
 */
export const twilioHistory: HistorySource<TwilioSettings> = {
  unit: 'calls',
  async *pages(settings, from, context): AsyncIterable<HistoryPage> {
    if (!settings.account_sid)
      throw new Error('the twilio connector needs account_sid to read the Calls API');
    const token = asList(settings.auth_token)[0] as string;
    const authorization = `Basic ${Buffer.from(`${settings.account_sid}:${token}`).toString('base64')}`;
    const saved = readCursor(from.cursor);
    const after = saved.after ?? from.since.getTime();
    let newest = saved.newest ?? null;
    let going = saved.going ?? null;
    // Twilio filters by UTC day: the listing starts at `after`'s day and stops once past `after`.
    let path: string | null =
      saved.path ??
      `/2010-04-01/Accounts/${settings.account_sid}/Calls.json?${new URLSearchParams({ 'StartTime>': new Date(after).toISOString().slice(0, 10), PageSize: '100' })}`;
    while (path) {
      const page: CallsPage = await getJson<CallsPage>(path, {
        origin: ORIGIN,
        headers: { authorization },
        fetch: context.fetch,
        sleep: context.sleep,
        now: context.now,
        provider: 'Twilio',
      });
      const events = [];
      let reachedAfter = false;
      for (const call of page.calls) {
        // Child legs (the <Dial> to an agent) belong to their parent call.
        if (call.parent_call_sid) continue;
        const started = Date.parse(call.start_time ?? call.date_created ?? call.end_time ?? '');
        if (Number.isNaN(started)) continue;
        if (started < after) reachedAfter = true;
        newest = Math.max(newest ?? started, started);
        if (!VOICE_FINAL.has(call.status) || !call.end_time) {
          going = Math.min(going ?? started, started);
          continue;
        }
        const ended = Date.parse(call.end_time);
        if (Number.isNaN(ended)) continue;
        const outbound = call.direction.startsWith('outbound');
        const answered = call.status === 'completed';
        events.push(
          ...finish([
            {
              id: `twilio:call:${call.sid}`,
              type: 'call',
              at: new Date(started).toISOString(),
              source: 'twilio',
              tenant: context.tenant,
              channel: 'phone',
              customer: customerKeys(
                phoneKey(outbound ? call.to : call.from, `twilio:${call.sid}`, context.defaultCountry),
              ),
              call: {
                id: `twilio:${call.sid}`,
                direction: outbound ? 'outbound' : 'inbound',
                started_at: new Date(started).toISOString(),
                ...(answered ? { answered_at: new Date(started).toISOString() } : {}),
                ended_at: new Date(Math.max(ended, started)).toISOString(),
                hold_seconds: 0,
                outcome: answered ? 'answered' : 'missed',
              },
            },
          ]),
        );
      }
      // Newest first: a page that reached calls older than `after` is the last one needed.
      path = reachedAfter ? null : (page.next_page_uri ?? null);
      if (going !== null && newest !== null && going < newest - LONGEST_CALL_SECONDS * 1000) going = null;
      const restart =
        going !== null ? going - OVERLAP_MS : newest === null ? after : Math.max(after, newest - OVERLAP_MS);
      const cursor: Cursor = path ? { path, after, newest, going } : { after: restart };
      yield { events, items: page.calls.length, cursor: JSON.stringify(cursor), done: path === null };
    }
  },
};
