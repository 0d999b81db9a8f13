import { DateTime } from 'luxon';
import type { Job } from 'bullmq';
import { z } from 'zod';
import { routes } from '../alerts/delivery.js';
import { digestMessage } from '../alerts/digest.js';
import { buildReport } from '../metrics/report.js';
import { readMeasures } from '../store/results.js';
import { tenantPrefix } from '../store/redis.js';
import type { JobContext } from './context.js';
import { jobId } from './queues.js';
import { tenantZone } from '../model/config.js';

export const digestJobSchema = z.object({ tenant: z.string().optional(), day: z.string().optional() });

/**
 * Every hour: each tenant whose digest hour has come today (local) gets yesterday's digest,
 * once. "Has come", not "is": a check missed or run late (workers down at that hour) sends it
 * at the next check that day, and an hour the clocks skip (02:00 on the spring change) at the
 * first check after it.
 */
export async function scheduleDigests(context: JobContext): Promise<void> {
  await context.queues.notify.upsertJobScheduler(
    'digest-check',
    { pattern: '0 * * * *' },
    { name: 'digest-check' },
  );
}

/** How long a day's digest is remembered as queued: past the day after it, when it could be due. */
const QUEUED_MARK_SECONDS = 3 * 86_400;

export async function processDigestCheck(context: JobContext): Promise<number> {
  let queued = 0;
  for (const [id, runtime] of context.config.tenants) {
    const digest = runtime.config.slack?.digest;
    if (!digest) continue;
    const zone = tenantZone(runtime.config);
    const local = DateTime.fromMillis(context.now(), { zone });
    if (local.hour < digest.hour) continue;
    const day = local.minus({ days: 1 }).toISODate() as string;
    // The mark is written after the job is queued: a check stopped between the two queues the
    // same job id again, which BullMQ takes as the same job while it is kept.
    const mark = `${tenantPrefix(id)}digest-queued:${day}`;
    if ((await context.redis.exists(mark)) === 1) continue;
    await context.queues.notify.add('digest', { tenant: id, day }, { jobId: jobId('digest', id, day) });
    await context.redis.set(mark, String(context.now()), 'EX', QUEUED_MARK_SECONDS);
    queued += 1;
  }
  return queued;
}

/**
 * One tenant's digest for a local day: per team, that day against the 7 days before, posted to
 * the destinations routed to the team (kind `digest`).
 */
export async function processDigest(job: Job, context: JobContext): Promise<string> {
  const { tenant: tenantId, day } = digestJobSchema.parse(job.data);
  const runtime = tenantId ? context.config.tenants.get(tenantId) : undefined;
  if (!runtime || !day || !tenantId) return 'missing';
  const tenant = runtime.config;
  const zone = tenantZone(tenant);
  const start = DateTime.fromISO(day, { zone }).startOf('day');
  const from = start.toMillis();
  const to = start.plus({ days: 1 }).toMillis();
  const weekFrom = start.minus({ days: 7 }).toMillis();
  const measures = await readMeasures(context.redis, tenantId);
  const yesterday = buildReport(measures, { groupBy: 'team', from, to });
  const weekBefore = buildReport(measures, { groupBy: 'team', from: weekFrom, to: from });
  const teams = new Set([...Object.keys(tenant.teams), ...yesterday.map((group) => group.key)]);
  const jobs = [];
  for (const team of teams) {
    const destinations = routes(tenant.slack?.destinations ?? [], { team, priority: null, kind: 'digest' });
    const today = yesterday.find((group) => group.key === team);
    if (destinations.length === 0 || !today) continue;
    const message = digestMessage(
      team,
      day,
      today,
      weekBefore.find((group) => group.key === team),
      tenant.business_hours !== undefined,
    );
    const key = `${tenantPrefix(tenantId)}digest:${day}:${team ?? '~none'}`;
    await context.redis.set(key, JSON.stringify(message), 'EX', 7 * 86_400);
    for (const destination of destinations) {
      jobs.push({
        name: 'slack-digest',
        data: { tenant: tenantId, alert: '', destination, digest: key },
        opts: { jobId: jobId('nd', tenantId, day, team ?? '~none', destination) },
      });
    }
  }
  if (jobs.length > 0) await context.queues.notify.addBulk(jobs);
  return `digest of ${day}: ${jobs.length} messages`;
}
