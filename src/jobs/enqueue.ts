import type { NormalizedEvent } from '../model/events.js';
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
 * Ask for the tenant's dirty customer keys to be relinked. Requests within one 250 ms window
 * share one delayed job: a burst of arrivals causes one relink of everything they touched.
 */
export async function enqueueLink(context: JobContext, tenant: string): Promise<void> {
  const window = Math.floor(Date.now() / LINK_DEBOUNCE_MS);
  await context.queues.link.add(
    'link',
    { tenant },
    { jobId: jobId('l', tenant, window), delay: (window + 1) * LINK_DEBOUNCE_MS - Date.now() },
  );
}

/** Mark customer keys for relinking (a ticket now carries keys some ticketless call has). */
export async function markLinkDirty(
  context: JobContext,
  tenant: string,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  const mark = context.redis.multi();
  for (const key of keys) mark.hincrby(`${tenantPrefix(tenant)}linkdirty`, key, 1);
  await mark.exec();
  await enqueueLink(context, tenant);
}

/** Relink a call case's keys when its repeat window ends: one timer per case and instant. */
export async function scheduleLinkRefresh(
  context: JobContext,
  tenant: string,
  at: number,
  keys: readonly string[],
): Promise<void> {
  await context.queues.link.add(
    'link',
    { tenant, keys },
    { jobId: jobId('lr', tenant, [...keys].sort()[0] ?? '', at), delay: Math.max(0, at - context.now()) },
  );
}

/**
 * Normalised events into a tenant through the ingest queue, as one delivery of the events
 * connector (`name` says where they came from: a backfill, an import).
 */
export async function enqueueEvents(
  context: JobContext,
  tenant: string,
  name: string,
  events: readonly NormalizedEvent[],
): Promise<void> {
  await context.queues.ingest.add(name, {
    deliveries: [
      {
        tenant,
        connector: 'events',
        body: events.map((event) => JSON.stringify(event)).join('\n'),
        receivedAt: context.now(),
      },
    ],
  });
}
