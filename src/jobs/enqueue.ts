import { tenantPrefix } from '../store/redis.js';
import type { JobContext } from './context.js';
import { jobId } from './queues.js';

/** One compute job per ticket version: a recompute at an older version is skipped cheaply. */
export async function enqueueCompute(
  context: JobContext,
  tenant: string,
  tickets: ReadonlyArray<{ ticket: string; version: number }>,
): Promise<void> {
  if (tickets.length === 0) return;
  await context.queues.compute.addBulk(
    tickets.map(({ ticket, version }) => ({
      name: 'compute',
      data: { tenant, ticket, version },
      opts: { jobId: jobId('c', tenant, ticket, version) },
    })),
  );
}

/** How long link requests are gathered before one relink runs for all of them. */
export const LINK_DEBOUNCE_MS = 250;

/**
 * Ask for the tenant's call links to be re-derived. Requests within one 250 ms window share one
 * delayed job (a relink reads every ticketless call, so a burst of recomputes should cause one,
 * not hundreds); the link version still rises with every request, so the last run sees all.
 */
export async function enqueueLink(context: JobContext, tenant: string, version?: number): Promise<void> {
  const linkVersion = version ?? (await context.redis.hincrby(`${tenantPrefix(tenant)}meta`, 'linkver', 1));
  const window = Math.floor(Date.now() / LINK_DEBOUNCE_MS);
  await context.queues.link.add(
    'link',
    { tenant, version: linkVersion },
    { jobId: jobId('l', tenant, window), delay: (window + 1) * LINK_DEBOUNCE_MS - Date.now() },
  );
}

/** Re-derive links at an instant to come (a call case's repeat window ends): one timer per instant. */
export async function scheduleLinkRefresh(context: JobContext, tenant: string, at: number): Promise<void> {
  await context.queues.link.add(
    'link',
    { tenant, refresh: true },
    { jobId: jobId('lr', tenant, at), delay: Math.max(0, at - context.now()) },
  );
}
