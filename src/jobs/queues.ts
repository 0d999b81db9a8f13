import { type Job, type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** `{deskpulse}` is a hash tag: all of a queue's keys live in one Redis Cluster slot. */
export const QUEUE_PREFIX = '{deskpulse}';
export const INGEST = 'ingest';
export const COMPUTE = 'compute';
export const LINK = 'link';
export const SLA = 'sla';
export const NOTIFY = 'notify';

export const RETRIES: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  // Failed jobs stay for inspection for a week.
  removeOnFail: { age: 7 * 86_400 },
};

export interface Queues {
  ingest: Queue;
  compute: Queue;
  link: Queue;
  /** SLA timers: delayed jobs at the instants targets become at risk or breached. */
  sla: Queue;
  /** Slack deliveries of alerts. */
  notify: Queue;
  close(): Promise<void>;
}

/**
 * Ingest jobs hold the raw deliveries (up to 1 MiB each, up to 500 a job): a thousand of them
 * kept after they are done could hold gigabytes of an import in a Redis that must not evict. Their
 * events are in the timelines by then; the last 100 of the last hour are kept to look at.
 */
export const INGEST_KEEP_COMPLETED = { count: 100, age: 3_600 };

export function createQueues(connection: Redis, prefix = QUEUE_PREFIX): Queues {
  const options = { connection, prefix, defaultJobOptions: RETRIES };
  const ingest = new Queue(INGEST, {
    ...options,
    defaultJobOptions: { ...RETRIES, removeOnComplete: INGEST_KEEP_COMPLETED },
  });
  const compute = new Queue(COMPUTE, options);
  const link = new Queue(LINK, options);
  const sla = new Queue(SLA, options);
  const notify = new Queue(NOTIFY, options);
  return {
    ingest,
    compute,
    link,
    sla,
    notify,
    async close() {
      await Promise.all([ingest.close(), compute.close(), link.close(), sla.close(), notify.close()]);
    },
  };
}

/**
 * The job ran before (an attempt failed, or its worker died and it stalled), so it may have
 * stopped between a write and the work that write should lead to: reruns redo that work.
 */
export const startedBefore = (job: Pick<Job, 'attemptsStarted' | 'stalledCounter'>): boolean =>
  job.attemptsStarted > 1 || job.stalledCounter > 0;

/** BullMQ job ids may not contain `:`; ticket keys do. */
export const jobId = (...parts: Array<string | number>): string =>
  parts.map((part) => encodeURIComponent(String(part)).replaceAll('%', '_')).join('-');

/** Delayed jobs due within `withinMs` (debounced links), as opposed to far-off timers. */
export async function dueSoon(queue: Queue, withinMs = 5_000): Promise<number> {
  // Soonest first (BullMQ lists delayed jobs latest first by default): with hundreds of far-off SLA
  // timers, the first 200 would otherwise hide the ones due now.
  const delayed = await queue.getJobs(['delayed'], 0, 200, true);
  const horizon = Date.now() + withinMs;
  return delayed.filter((job) => job.timestamp + (job.opts.delay ?? 0) <= horizon).length;
}

/**
 * Wait until no queue has waiting, active or soon-due work (far-off timers may remain), three
 * checks in a row.
 */
export async function waitUntilIdle(queues: Queues, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    let busy = 0;
    for (const queue of [queues.ingest, queues.compute, queues.link, queues.sla, queues.notify]) {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
      busy += Object.values(counts).reduce((a, b) => a + b, 0);
      busy += await dueSoon(queue);
    }
    quiet = busy === 0 ? quiet + 1 : 0;
    if (quiet >= 3) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('the queues did not drain in time');
}
