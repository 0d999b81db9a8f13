import { Worker } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { processCompute } from './compute.js';
import type { JobContext } from './context.js';
import { processIngest } from './ingest.js';
import { processLink } from './link.js';
import { scheduleDigests } from './digest.js';
import { schedulePolls } from './poll.js';
import { processNotify } from './notify.js';
import { EXPIRE_PATTERN, processExpireCheck } from './expire.js';
import { COMPUTE, INGEST, LINK, NOTIFY, QUEUE_PREFIX, SLA } from './queues.js';
import { processSlaTimer } from './sla-timers.js';
import { checkTenantSettings, processRecomputeAll } from './reconfigure.js';

export interface WorkerOptions {
  /** How long a job stays locked before another worker may take it over (stalled). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  concurrency?: { ingest?: number; compute?: number; link?: number };
  /** Queue key prefix (a hash tag); tests give each service its own. */
  prefix?: string;
}

export interface RunningWorkers {
  workers: Worker[];
  /** Start-up checks done (the tenants' settings compared with those their figures were computed with). */
  ready: Promise<void>;
  /** Finish the jobs in hand (or hand them back), then stop. */
  close(): Promise<void>;
}

/** Workers get connection options, not a client: each Worker then owns (and closes) its connections. */
export function startWorkers(
  context: JobContext,
  connection: RedisOptions,
  options: WorkerOptions = {},
): RunningWorkers {
  const common = {
    connection: { ...connection, maxRetriesPerRequest: null },
    prefix: options.prefix ?? QUEUE_PREFIX,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 3,
  };
  const workers = [
    new Worker(INGEST, (job) => processIngest(job, context), {
      ...common,
      concurrency: options.concurrency?.ingest ?? 4,
    }),
    new Worker(
      COMPUTE,
      (job) =>
        job.name === 'recompute-all' ? processRecomputeAll(job, context) : processCompute(job, context),
      {
        ...common,
        concurrency: options.concurrency?.compute ?? 8,
      },
    ),
    new Worker(
      LINK,
      (job, token) =>
        job.name === 'expire-check' ? processExpireCheck(context) : processLink(job, context, token),
      {
        ...common,
        concurrency: options.concurrency?.link ?? 1,
      },
    ),
    new Worker(SLA, (job) => processSlaTimer(job, context), { ...common, concurrency: 4 }),
    new Worker(NOTIFY, (job, token) => processNotify(job, context, token), { ...common, concurrency: 4 }),
  ];
  // Retention: one daily run for the tenants that have one (one scheduler, however many workers
  // upsert it; it runs on the link queue, one job at a time a worker).
  if ([...context.config.tenants.values()].some((tenant) => tenant.config.retention !== undefined)) {
    context.queues.link
      .upsertJobScheduler('expire-check', { pattern: EXPIRE_PATTERN }, { name: 'expire-check' })
      .catch((error: Error) => context.log('could not schedule retention', { error: error.message }));
  } else {
    context.queues.link.removeJobScheduler('expire-check').catch(() => {});
  }
  // Daily digests: an hourly check (one scheduler, however many workers upsert it).
  if ([...context.config.tenants.values()].some((tenant) => tenant.config.slack?.digest)) {
    scheduleDigests(context).catch((error: Error) =>
      context.log('could not schedule digests', { error: error.message }),
    );
  }
  // Tenants whose calendars, policies or linking changed since their figures were computed.
  const ready = checkTenantSettings(context).then(
    (changed) => {
      if (changed.length > 0) context.log('settings changed: recomputing every ticket', { tenants: changed });
    },
    (error: Error) => context.log("could not check the tenants' settings", { error: error.message }),
  );
  // Scheduled pulls for connectors configured with `poll` (and none left for those no longer).
  schedulePolls(context).catch((error: Error) =>
    context.log('could not schedule pulls', { error: error.message }),
  );
  for (const worker of workers) {
    worker.on('failed', (job, error) =>
      context.log('job failed', {
        queue: worker.name,
        job: job?.id,
        attempt: job?.attemptsMade,
        error: error.message,
      }),
    );
    worker.on('error', (error) => context.log('worker error', { queue: worker.name, error: error.message }));
  }
  return {
    workers,
    ready,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
