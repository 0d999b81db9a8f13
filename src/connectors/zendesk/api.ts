import { getJson, type GetOptions, HttpError } from '../http.js';
import { authorization, baseUrl, type ZendeskSettings } from './settings.js';

export type Fetch = typeof fetch;

/**
 * Requests to the tenant's Zendesk only (a `next_page` URL elsewhere is refused), 429s waited out
 * as `Retry-After` says, up to `maxWaits` times (0: a 429 is an error).
 */
export function zendeskApi(
  settings: ZendeskSettings,
  fetchImpl: Fetch,
  sleep: (ms: number) => Promise<void> = async () => {},
  maxWaits = 10,
): GetOptions {
  return {
    origin: baseUrl(settings),
    headers: { authorization: authorization(settings) },
    fetch: fetchImpl,
    sleep,
    provider: 'Zendesk',
    maxWaits,
  };
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
      await getJson<{ user: ZendeskUser }>(
        `/api/v2/users/${encodeURIComponent(id)}.json`,
        zendeskApi(settings, fetchImpl, undefined, 0),
      )
    ).user;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return null;
    throw error;
  }
}
