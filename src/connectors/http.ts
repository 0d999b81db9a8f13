import type { z } from 'zod';
/**
 * Outbound GETs to a provider's API: only to the provider's own origin (credentials never go
 * elsewhere, even when a `next` link says so), JSON in, and rate limits waited out as the
 * provider says — `Retry-After` (seconds or a date), else a reset instant in Unix seconds.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface GetOptions {
  origin: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  /** Provider name for error messages. */
  provider: string;
  /** Header carrying the reset instant (Unix seconds) when `Retry-After` is absent. */
  resetHeader?: string;
  maxWaits?: number;
  now?: () => number;
}

export function waitMs(response: Response, resetHeader: string | undefined, now: number): number {
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = resetHeader ? Number(response.headers.get(resetHeader)) : Number.NaN;
  if (Number.isFinite(reset) && reset > 0) return Math.max(1000, reset * 1000 - now);
  return 60_000;
}

export function getJson<T>(pathOrUrl: string, options: GetOptions): Promise<T> {
  return requestJson<T>('GET', pathOrUrl, undefined, options);
}

/** Same, for a POST with a JSON body (search APIs). */
export function postJson<T>(path: string, body: unknown, options: GetOptions): Promise<T> {
  return requestJson<T>('POST', path, body, options);
}

/** Same, for a PUT with a JSON body (bulk updates). */
export function putJson<T>(path: string, body: unknown, options: GetOptions): Promise<T> {
  return requestJson<T>('PUT', path, body, options);
}

async function requestJson<T>(
  method: 'GET' | 'POST' | 'PUT',
  pathOrUrl: string,
  body: unknown,
  options: GetOptions,
): Promise<T> {
  const url = new URL(pathOrUrl, options.origin);
  if (url.origin !== options.origin) throw new Error(`refusing to call ${url.origin}: not ${options.origin}`);
  const maxWaits = options.maxWaits ?? 10;
  for (let waits = 0; ; waits += 1) {
    const response = await options.fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 429 && waits < maxWaits) {
      await response.body?.cancel();
      await options.sleep(waitMs(response, options.resetHeader, (options.now ?? Date.now)()));
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new HttpError(response.status, `${options.provider} ${url.pathname}: HTTP ${response.status}`);
    }
    return (await response.json()) as T;
  }
}

/**
 * Write each ticket in turn (providers without a bulk update): a ticket the provider refuses (a
 * 4xx: not found, a field it rejects) is reported for that ticket and the rest go on; anything
 * else — the provider failing (5xx, 429 past its waits), the network, a bug — stops the push,
 * whose job is retried later.
 */
export async function writeEach<T extends { id: string }>(
  tickets: readonly T[],
  write: (ticket: T) => Promise<unknown>,
): Promise<{ updated: string[]; failed: Array<{ id: string; error: string }> }> {
  const updated: string[] = [];
  const failed: Array<{ id: string; error: string }> = [];
  for (const ticket of tickets) {
    try {
      await write(ticket);
      updated.push(ticket.id);
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500 || error.status === 429) throw error;
      failed.push({ id: ticket.id, error: error.message });
    }
  }
  return { updated, failed };
}

/** `getJson`, or `null` when the provider answers 404 (a ticket or user that is not there). */
export async function getJsonOrNull<T>(pathOrUrl: string, options: GetOptions): Promise<T | null> {
  try {
    return await getJson<T>(pathOrUrl, options);
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return null;
    throw error;
  }
}

/**
 * Every item of a paged list (`pathOf(page)`, pages from 1), until a page holds fewer than
 * `perPage`; items that do not fit `schema` are left out (a provider's odd record never stops a read).
 */
export async function readPages<T>(
  pathOf: (page: number) => string,
  perPage: number,
  schema: z.ZodType<T>,
  options: GetOptions,
): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page += 1) {
    const raw = await getJson<unknown[]>(pathOf(page), options);
    for (const item of raw) {
      const parsed = schema.safeParse(item);
      if (parsed.success) all.push(parsed.data);
    }
    if (raw.length < perPage) return all;
  }
}

/** What a connector needs to call its provider's API. */
export type ApiIo = Pick<GetOptions, 'fetch' | 'sleep' | 'now'>;
