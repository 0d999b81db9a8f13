import { createHash } from 'node:crypto';
import { DelayedError, type Job } from 'bullmq';
import { z } from 'zod';
import { sendSlack } from '../alerts/delivery.js';
import { type Alert, alertMessage } from '../alerts/messages.js';
import { tenantPrefix } from '../store/redis.js';
import type { JobContext } from './context.js';

export const notifyJobSchema = z.object({
  tenant: z.string(),
  alert: z.string(),
  destination: z.number().int().min(0),
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
  const data = notifyJobSchema.parse(job.data);
  const tenant = context.config.tenants.get(data.tenant)?.config;
  const destination = tenant?.slack?.destinations[data.destination];
  if (!tenant || !destination) return 'destination no longer configured';
  const alert = await readAlert(context, data.tenant, data.alert);
  if (!alert) return 'alert expired';
  const channel = createHash('sha256')
    .update(destination.webhook_url ?? `${destination.bot_token}|${destination.channel}`)
    .digest('hex')
    .slice(0, 16);
  const prefix = tenantPrefix(data.tenant);
  const at = Number(
    await context.redis.eval(RESERVE, 1, `${prefix}slack:next:${channel}`, Date.now(), CHANNEL_GAP_MS),
  );
  if (at > Date.now()) await new Promise((done) => setTimeout(done, at - Date.now()));
  const result = await sendSlack(destination, alertMessage(alert, tenant.slack?.ticket_url), context.fetch);
  if (result.ok) {
    await context.redis.hincrby(`${prefix}stats`, 'slack_sent', 1);
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
