import { authorization, baseUrl, type ZendeskSettings } from './settings.js';

export type Fetch = typeof fetch;

/** A 429 from Zendesk: wait `retryAfterMs`, then try again. */
export class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Zendesk rate limit: retry after ${Math.round(retryAfterMs / 1000)} s`);
  }
}

export function retryAfterMs(value: string | null): number {
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value ?? '');
  return Number.isNaN(date) ? 60_000 : Math.max(0, date - Date.now());
}

/** GET a Zendesk API path (or a full `next_page` URL on the same host) as JSON. */
export async function zendeskGet<T>(
  settings: ZendeskSettings,
  pathOrUrl: string,
  fetchImpl: Fetch = fetch,
): Promise<T> {
  const url = new URL(pathOrUrl, baseUrl(settings));
  // Never follow a URL to another host: the credentials go only to the tenant's Zendesk.
  if (url.origin !== baseUrl(settings))
    throw new Error(`refusing to call ${url.origin}: not ${baseUrl(settings)}`);
  const response = await fetchImpl(url, {
    headers: { authorization: authorization(settings), accept: 'application/json' },
  });
  if (response.status === 429) throw new RateLimited(retryAfterMs(response.headers.get('retry-after')));
  if (!response.ok) throw new Error(`Zendesk ${url.pathname}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export interface ZendeskUser {
  id: number;
  role: 'end-user' | 'agent' | 'admin';
  email?: string | null;
  phone?: string | null;
}

export async function fetchUser(
  settings: ZendeskSettings,
  id: string,
  fetchImpl: Fetch = fetch,
): Promise<ZendeskUser | null> {
  try {
    return (
      await zendeskGet<{ user: ZendeskUser }>(
        settings,
        `/api/v2/users/${encodeURIComponent(id)}.json`,
        fetchImpl,
      )
    ).user;
  } catch (error) {
    if (error instanceof Error && /HTTP 404/.test(error.message)) return null;
    throw error;
  }
}
