import { createHash } from 'node:crypto';
import { DelayedError, type Job } from 'bullmq';
import { z } from 'zod';
import { routes, sendSlack } from '../alerts/delivery.js';
import type { TicketResult } from '../metrics/compute.js';
import { isResolvedStatus } from '../metrics/timeline.js';
import { type Alert, alertMessage, followUpMessage } from '../alerts/messages.js';
import { tenantPrefix } from '../store/redis.js';
import type { JobContext } from './context.js';
import { processPoll } from './poll.js';
import { processDigest, processDigestCheck } from './digest.js';
import { processPushBack } from './push-back.js';
import { jobId } from './queues.js';

export const notifyJobSchema = z.object({
  tenant: z.string(),
  alert: z.string(),
  destination: z.number().int().min(0),
  /** A prepared message (a digest) to send instead of an alert: its Redis key. */
  digest: z.string().optional(),
  /** A follow-up rather than the alert: what happened to the ticket, and who did it. */
  followUp: z.object({ what: z.enum(['answered', 'resolved']), by: z.string().nullable() }).optional(),
});

/** At most one message a second per channel (Slack's own limit for posting). */
const CHANNEL_GAP_MS = 1000;
/** Reserve the channel's next free second: returns when this message may go. */
const RESERVE = `
local now, gap = tonumber(ARGV[1]), tonumber(ARGV[2])
local next = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, next)
redis.call('SET', KEYS[1], at + gap, 'PX', gap * 10 + (at - now))
return at`;

/** How long alerts, their Slack posts and follow-up marks are kept. */
export const ALERT_TTL_SECONDS = 90 * 86_400;

type Message = { text: string; blocks: unknown[]; thread_ts?: string };

/** The message a notify job sends: a prepared digest, an alert, or an alert's follow-up. */
async function messageFor(
  context: JobContext,
  data: z.output<typeof notifyJobSchema>,
  ticketUrl: string | undefined,
  posts: string,
): Promise<Message | null> {
  if (data.digest) {
    const prepared = await context.redis.get(data.digest);
    return prepared ? (JSON.parse(prepared) as Message) : null;
  }
  const alert = await readAlert(context, data.tenant, data.alert);
  if (!alert) return null;
  if (!data.followUp) return alertMessage(alert, ticketUrl);
  // In the alert's thread where Slack told us where that is (bot tokens; webhooks do not).
  const post = await context.redis.hget(posts, String(data.destination));
  const thread = post ? (JSON.parse(post) as { ts?: string }).ts : undefined;
  return {
    ...followUpMessage(alert, data.followUp.what, data.followUp.by, ticketUrl),
    ...(thread ? { thread_ts: thread } : {}),
  };
}

export async function readAlert(context: Pick<JobContext, 'redis'>, tenant: string, id: string) {
  const json = await context.redis.get(`${tenantPrefix(tenant)}alert:${id}`);
  return json ? (JSON.parse(json) as Alert) : null;
}

/**
 * Deliver one alert to one Slack destination: one message a second per channel, Slack's
 * `429 Retry-After` honoured (the job waits and tries again without spending an attempt), other
 * failures retried with backoff and, in the end, kept as failed jobs and counted.
 */
export async function processNotify(job: Job, context: JobContext, token?: string): Promise<string> {
  if (job.name === 'digest-check') return `digests queued: ${await processDigestCheck(context)}`;
  if (job.name === 'digest') return processDigest(job, context);
  if (job.name === 'push-back') return processPushBack(job, context);
  if (job.name === 'poll') return processPoll(job, context);
  const data = notifyJobSchema.parse(job.data);
  const tenant = context.config.tenants.get(data.tenant)?.config;
  const destination = tenant?.slack?.destinations[data.destination];
  if (!tenant || !destination) return 'destination no longer configured';
  const prefix = tenantPrefix(data.tenant);
  const posts = `${prefix}alert:${data.alert}:posts`;
  // Each alert and follow-up is sent once a destination: a delivery queued again after its job
  // was done and pruned (BullMQ keeps the last 1,000), by a timer or recompute run again, finds
  // it sent. (A job stopped after Slack answered and before this mark may still send twice.)
  const sent = `${prefix}alert:${data.alert}:sent`;
  const delivery = `${data.followUp ? 'follow-up' : 'alert'}:${data.destination}`;
  if (!data.digest && (await context.redis.hexists(sent, delivery)) === 1) return 'already sent';
  const message = await messageFor(context, data, tenant.slack?.ticket_url, posts);
  if (!message) return 'message expired';
  const channel = createHash('sha256')
    .update(destination.webhook_url ?? `${destination.bot_token}|${destination.channel}`)
    .digest('hex')
    .slice(0, 16);
  const at = Number(
    await context.redis.eval(RESERVE, 1, `${prefix}slack:next:${channel}`, Date.now(), CHANNEL_GAP_MS),
  );
  if (at > Date.now()) await new Promise((done) => setTimeout(done, at - Date.now()));
  const result = await sendSlack(destination, message, context.fetch);
  if (result.ok) {
    const write = context.redis.multi().hincrby(`${prefix}stats`, 'slack_sent', 1);
    if (!data.digest) write.hset(sent, delivery, Date.now()).expire(sent, ALERT_TTL_SECONDS);
    if (!data.followUp && !data.digest && result.ts)
      write
        .hset(posts, String(data.destination), JSON.stringify({ channel: result.channel, ts: result.ts }))
        .expire(posts, ALERT_TTL_SECONDS);
    await write.exec();
    return 'sent';
  }
  if (result.retryAfterMs !== undefined) {
    await context.redis.hincrby(`${prefix}stats`, 'slack_rate_limited', 1);
    await job.moveToDelayed(Date.now() + result.retryAfterMs, token);
    throw new DelayedError();
  }
  if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
    await context.redis.hincrby(`${prefix}stats`, 'slack_failed', 1);
  throw new Error(`Slack refused the alert: ${result.reason}`);
}

/**
 * After a recompute: every alert of the ticket whose target was since met — the customer was
 * answered, or the ticket resolved — gets one follow-up at each destination it went to.
 */
export async function followUpAlerts(
  context: JobContext,
  tenant: string,
  ticket: string,
  result: TicketResult,
): Promise<number> {
  const config = context.config.tenants.get(tenant)?.config;
  // Nothing to follow up where nothing is sent (and no Redis round trip per recompute).
  if (!config?.slack?.destinations.length || config.sla_policies.length === 0) return 0;
  const prefix = tenantPrefix(tenant);
  const ids = await context.redis.smembers(`${prefix}ticketalerts:${ticket}`);
  if (ids.length === 0) return 0;
  const resolved = isResolvedStatus(result.metrics.status);
  let sent = 0;
  for (const id of ids) {
    const alert = await readAlert(context, tenant, id);
    if (!alert) continue;
    const target = result.sla.find(
      (candidate) =>
        candidate.policy === alert.policy &&
        candidate.metric === alert.metric &&
        (candidate.breachAt === null ? null : new Date(candidate.breachAt).toISOString()) === alert.due_at,
    );
    // Answered: the first reply came (whether the target was met or not); a next-response target met.
    const answered =
      (alert.metric === 'first_response' && result.metrics.firstResponse !== null) ||
      (alert.metric === 'next_response' && target?.status === 'achieved');
    const what = resolved ? 'resolved' : answered ? 'answered' : null;
    if (!what) continue;
    // Marked followed only once its deliveries are queued (one job id per alert and destination,
    // so recomputes at the same time queue one): a recompute stopped between the two leaves it
    // unmarked, and its rerun queues it (marked first, the follow-up would be lost).
    const followed = `${prefix}alert:${id}:followed`;
    if ((await context.redis.exists(followed)) === 1) continue;
    const by =
      what === 'answered' ? (target?.attribution.agent ?? result.metrics.agent) : result.metrics.agent;
    const destinations = routes(config?.slack?.destinations ?? [], alert);
    if (destinations.length > 0) {
      await context.queues.notify.addBulk(
        destinations.map((destination) => ({
          name: 'slack-follow-up',
          data: { tenant, alert: id, destination, followUp: { what, by } },
          opts: { jobId: jobId('nf', tenant, id, destination) },
        })),
      );
    }
    if ((await context.redis.set(followed, what, 'EX', ALERT_TTL_SECONDS, 'NX')) !== 'OK') continue;
    if (destinations.length > 0) sent += 1;
  }
  return sent;
}
