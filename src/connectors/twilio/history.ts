import { getJson } from '../http.js';
import type { HistoryPage, HistorySource } from '../types.js';
import type { TwilioSettings } from './settings.js';
import { asList } from '../types.js';
import { customerKeys, phoneKey } from '../customer.js';
import { finish } from '../shared.js';
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

/**
 * `GET /2010-04-01/Accounts/{sid}/Calls.json?StartTime>=<day>`: the calls of the account, newest
 * first, page by page (`next_page_uri` is the cursor). The Calls API knows when a call started,
 * was picked up and ended, but not its TaskRouter queue or worker: backfilled calls have no agent
 * or team, and "answered" means the call was in progress (live callbacks know more).
 */
export const twilioHistory: HistorySource<TwilioSettings> = {
  unit: 'calls',
  async *pages(settings, from, context): AsyncIterable<HistoryPage> {
    if (!settings.account_sid)
      throw new Error('the twilio connector needs account_sid to read the Calls API');
    const token = asList(settings.auth_token)[0] as string;
    const authorization = `Basic ${Buffer.from(`${settings.account_sid}:${token}`).toString('base64')}`;
    const day = from.since.toISOString().slice(0, 10);
    let path: string | null =
      from.cursor ??
      `/2010-04-01/Accounts/${settings.account_sid}/Calls.json?${new URLSearchParams({ 'StartTime>': day, PageSize: '100' })}`;
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
      for (const call of page.calls) {
        // Child legs (the <Dial> to an agent) belong to their parent call.
        if (call.parent_call_sid || !VOICE_FINAL.has(call.status) || !call.end_time) continue;
        const ended = Date.parse(call.end_time);
        const started = Date.parse(call.start_time ?? call.date_created ?? call.end_time);
        if (Number.isNaN(ended) || Number.isNaN(started)) continue;
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
      path = page.next_page_uri ?? null;
      yield { events, items: page.calls.length, cursor: path, done: path === null };
    }
  },
};
