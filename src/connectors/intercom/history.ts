import { getJson, type GetOptions, postJson } from '../http.js';
import type { HistoryContext, HistoryPage, HistorySource } from '../types.js';
import { normalizeConversation } from './normalize.js';
import { conversationSchema } from './payloads.js';
import { apiHeaders, type IntercomSettings, origin } from './settings.js';

interface SearchPage {
  conversations: Array<{ id: string; updated_at: number }>;
  pages?: { next?: { starting_after?: string | null } | null };
}

const PER_PAGE = 50;

export function apiOptions(
  settings: IntercomSettings,
  context: Pick<HistoryContext, 'fetch' | 'sleep' | 'now'>,
): GetOptions {
  return {
    origin: origin(settings),
    headers: apiHeaders(settings),
    fetch: context.fetch,
    sleep: context.sleep,
    now: context.now,
    provider: 'Intercom',
    resetHeader: 'x-ratelimit-reset',
  };
}

/**
 * `POST /conversations/search` by `updated_at` (ascending), then each conversation with all its
 * parts. The cursor is the search's lower bound and Intercom's `starting_after` for the next page.
 */
export const intercomHistory: HistorySource<IntercomSettings> = {
  unit: 'conversations',
  async *pages(settings, from, context): AsyncIterable<HistoryPage> {
    const api = apiOptions(settings, context);
    const start = from.cursor
      ? (JSON.parse(from.cursor) as { since: number; after: string | null })
      : { since: Math.floor(from.since.getTime() / 1000), after: null };
    const since = start.since;
    let after = start.after;
    let newest = since;
    for (;;) {
      const page = await postJson<SearchPage>(
        '/conversations/search',
        {
          query: { field: 'updated_at', operator: '>', value: since - 1 },
          sort: { field: 'updated_at', order: 'ascending' },
          pagination: { per_page: PER_PAGE, ...(after ? { starting_after: after } : {}) },
        },
        api,
      );
      const events = [];
      for (const found of page.conversations) {
        newest = Math.max(newest, found.updated_at);
        const full = await getJson<unknown>(
          `/conversations/${encodeURIComponent(found.id)}?display_as=plaintext`,
          api,
        );
        const conversation = conversationSchema.safeParse(full);
        if (conversation.success) events.push(...(await normalizeConversation(conversation.data, context)));
      }
      after = page.pages?.next?.starting_after ?? null;
      // After the last page, the next backfill searches from the newest update seen.
      const cursor = JSON.stringify(after ? { since, after } : { since: newest, after: null });
      yield { events, items: page.conversations.length, cursor, done: !after };
      if (!after) return;
    }
  },
};
