import type { Job } from 'bullmq';
import { z } from 'zod';
import { CONNECTORS } from '../connectors/registry.js';
import { tenantPrefix } from '../store/redis.js';
import { backfill } from './backfill.js';
import type { JobContext } from './context.js';

/**
 * Scheduled pulls: a connector configured with `poll: { every: 5m }` has its history read
 * incrementally on that schedule (a BullMQ job scheduler per tenant and connector), from the same
 * cursor `deskpulse backfill` keeps — so a system without webhooks is near-real-time too.
 */
export const pollJobSchema = z.object({ tenant: z.string(), provider: z.string() });

/** How far back the first pull of a connector that was never backfilled reaches. */
export const FIRST_POLL_LOOKBACK_MS = 24 * 3600_000;

export const pollSchedulerId = (tenant: string, provider: string): string => `poll:${tenant}:${provider}`;

/** The pulls the configuration asks for, in ms, by scheduler id. */
export function configuredPolls(
  context: JobContext,
): Map<string, { tenant: string; provider: string; every: number }> {
  const polls = new Map<string, { tenant: string; provider: string; every: number }>();
  for (const [tenant, runtime] of context.config.tenants) {
    for (const [provider, settings] of runtime.connectors) {
      const every = (settings as { poll?: { every?: number } } | undefined)?.poll?.every;
      if (every === undefined || !CONNECTORS[provider]?.history) continue;
      polls.set(pollSchedulerId(tenant, provider), { tenant, provider, every: every * 1000 });
    }
  }
  return polls;
}

/** Make the schedulers match the configuration: upsert the configured ones, remove the others. */
export async function schedulePolls(context: JobContext): Promise<number> {
  const wanted = configuredPolls(context);
  for (const scheduler of await context.queues.notify.getJobSchedulers()) {
    const id = scheduler.key;
    if (id.startsWith('poll:') && !wanted.has(id)) await context.queues.notify.removeJobScheduler(id);
  }
  for (const [id, { tenant, provider, every }] of wanted) {
    // The first pull one interval after start (webhooks and backfills cover until then); a failed
    // pull is not retried: the next one comes anyway, from the same cursor.
    await context.queues.notify.upsertJobScheduler(
      id,
      { every, startDate: Date.now() + every },
      { name: 'poll', data: { tenant, provider }, opts: { attempts: 1 } },
    );
  }
  return wanted.size;
}

/** One pull; a pull still running (a slow API, a long catch-up) makes the next one skip. */
export async function processPoll(job: Job, context: JobContext): Promise<string> {
  const { tenant, provider } = pollJobSchema.parse(job.data);
  if (!configuredPolls(context).has(pollSchedulerId(tenant, provider))) return 'not configured';
  const lock = `${tenantPrefix(tenant)}polling:${provider}`;
  if ((await context.redis.set(lock, job.id ?? '1', 'PX', 15 * 60_000, 'NX')) !== 'OK')
    return 'still running';
  try {
    const progress = await backfill(
      context,
      tenant,
      provider,
      new Date(context.now() - FIRST_POLL_LOOKBACK_MS),
    );
    await context.redis.hset(
      `${tenantPrefix(tenant)}stats`,
      `polled_at:${provider}`,
      new Date(context.now()).toISOString(),
    );
    return `pulled ${progress.items} ${CONNECTORS[provider]?.history?.unit ?? 'items'}, ${progress.events} events`;
  } finally {
    await context.redis.del(lock);
  }
}
