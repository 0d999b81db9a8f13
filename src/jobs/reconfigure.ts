import { createHash } from 'node:crypto';
import type { Job } from 'bullmq';
import { z } from 'zod';
import type { TenantConfig } from '../model/config.js';
import type { NormalizedEvent } from '../model/events.js';
import { tenantPrefix } from '../store/redis.js';
import type { JobContext } from './context.js';
import { markLinkDirty } from './enqueue.js';
import { pushFingerprint } from './push-back.js';
import { looseMeasures } from './ingest.js';
import { remapped } from './recompute.js';
import { jobId } from './queues.js';

/**
 * Bump when a change of the engine alters any figure it computes from the same events: workers
 * then recompute every stored ticket once when they start, as after a change of a tenant's
 * calendars or policies (results computed by the older code would otherwise stay until each
 * ticket changes).
 */
export const METRICS_REVISION = 1;

/**
 * Recomputes for a change of settings wait behind the live ones (BullMQ runs jobs without a
 * priority first), so a tenant's fresh events are not held up behind its whole history.
 */
const RECOMPUTE_PRIORITY = 100;

/**
 * What a ticket's stored figures depend on besides its events: calendars, policies, linking, and
 * the people and teams its agent and team keys are mapped to.
 */
export function settingsFingerprint(tenant: TenantConfig): string {
  const { business_hours, teams, people, sla_policies, call_linking } = tenant;
  return createHash('sha256')
    .update(
      JSON.stringify([
        METRICS_REVISION,
        business_hours ?? null,
        teams,
        people,
        sla_policies,
        call_linking ?? null,
      ]),
    )
    .digest('hex')
    .slice(0, 32);
}

/**
 * When workers start: every tenant whose settings differ from those its stored figures were
 * computed with gets one job that recomputes all its tickets and relinks all its calls; one whose
 * push-back settings changed (`pushFingerprint`), one that recomputes its tickets and queues all
 * their values to be written again. The job is queued before the new settings are recorded, so a
 * worker stopped between the two queues it again (the same job id) on its next start.
 */
export async function checkTenantSettings(context: JobContext): Promise<string[]> {
  const changed: string[] = [];
  for (const [id, runtime] of context.config.tenants) {
    const fingerprint = settingsFingerprint(runtime.config);
    const push = pushFingerprint(runtime.connectors);
    const prefix = tenantPrefix(id);
    const [stored, storedPush, written] = await context.redis
      .multi()
      .get(`${prefix}settings`)
      .get(`${prefix}pushsettings`)
      .exists(`${prefix}pushed`)
      .exec()
      .then((reply) => (reply ?? []).map(([, value]) => value));
    // Push-back's settings are recorded since this check exists: on an install that wrote values
    // before, the first ones seen are taken as those the values were written with.
    const repush = push !== '' && storedPush !== push && !(storedPush === null && written === 1);
    if (stored !== fingerprint || repush) {
      const run = repush ? `${fingerprint}-${push}` : fingerprint;
      const recompute = jobId('ra', id, run);
      // The same settings as some time before (changed and changed back): that run's job may be
      // kept among the done ones, and BullMQ takes a job id it keeps as the same job — it goes.
      // One waiting or running still (workers started together) is this one.
      const before = await context.queues.compute.getJob(recompute);
      if (before && ((await before.isCompleted()) || (await before.isFailed())))
        await before.remove().catch(() => {}); // another worker starting removed it first
      await context.queues.compute.add(
        'recompute-all',
        { tenant: id, fingerprint: run, repush, figures: stored !== fingerprint },
        { jobId: recompute },
      );
      changed.push(id);
    }
    if (stored !== fingerprint) await context.redis.set(`${prefix}settings`, fingerprint);
    if (storedPush !== push) await context.redis.set(`${prefix}pushsettings`, push);
  }
  return changed;
}

const recomputeAllSchema = z.object({
  tenant: z.string(),
  fingerprint: z.string(),
  /** Push-back's settings changed: every ticket's values are queued to be written again. */
  repush: z.boolean().optional(),
  /** The figures' settings changed (absent: yes): ticketless measures remade, calls relinked. */
  figures: z.boolean().optional(),
});

/**
 * One compute job per stored ticket (forced: its version is unchanged), the ticketless calls' and
 * surveys' own measures made again, and every call key marked for relinking.
 */
export async function processRecomputeAll(job: Job, context: JobContext): Promise<string> {
  const { tenant, fingerprint, repush, figures = true } = recomputeAllSchema.parse(job.data);
  const config = context.config.tenants.get(tenant)?.config;
  if (!config) return 'missing';
  const prefix = tenantPrefix(tenant);
  let tickets = 0;
  for await (const page of context.redis.sscanStream(`${prefix}tickets`, { count: 1000 }) as AsyncIterable<
    string[]
  >) {
    await context.queues.compute.addBulk(
      page.map((ticket) => ({
        name: 'compute',
        data: { tenant, ticket, version: 0, force: true, ...(repush ? { repush } : {}) },
        // Its run's own: an earlier run for the same settings may have left its jobs kept as done.
        opts: {
          jobId: jobId('cf', tenant, ticket, fingerprint, job.timestamp),
          priority: RECOMPUTE_PRIORITY,
        },
      })),
    );
    tickets += page.length;
  }
  if (!figures) return `rewriting ${tickets} tickets' values (push-back's settings changed)`;
  // What ticketless calls and surveys count on their own was made as they arrived: made again.
  let loose = 0;
  for (const [hash, field] of [
    ['loose:calls', '~call:'],
    ['loose:surveys', '~survey:'],
  ] as const) {
    for await (const page of context.redis.hscanStream(`${prefix}${hash}`, { count: 500 }) as AsyncIterable<
      string[]
    >) {
      const ids = page.filter((_, i) => i % 2 === 0);
      const events = remapped(
        config,
        page.filter((_, i) => i % 2 === 1).map((json) => JSON.parse(json) as NormalizedEvent),
      );
      const write = context.redis.multi();
      events.forEach((event, i) => {
        const measure = looseMeasures(event);
        if (measure !== '') write.hset(`${prefix}measures`, `${field}${ids[i]}`, measure);
      });
      await write.exec();
      loose += events.length;
    }
  }
  let keys = 0;
  for await (const page of context.redis.sscanStream(`${prefix}callkeys`, { count: 1000 }) as AsyncIterable<
    string[]
  >) {
    await markLinkDirty(context, tenant, page);
    keys += page.length;
  }
  return `recomputing ${tickets} tickets, ${loose} ticketless calls and surveys remade, relinking ${keys} call keys`;
}
