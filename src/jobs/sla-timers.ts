import type { Job } from 'bullmq';
import { z } from 'zod';
import type { SlaTarget } from '../metrics/sla.js';
import { tenantPrefix } from '../store/redis.js';
import { createHash } from 'node:crypto';
import { routes } from '../alerts/delivery.js';
import type { Alert } from '../alerts/messages.js';
import { countdown } from '../metrics/live.js';
import { clocksFor, recomputeTicket } from './recompute.js';
import type { JobContext } from './context.js';
import { ALERT_TTL_SECONDS } from './notify.js';
import { jobId, startedBefore } from './queues.js';

export const slaTimerSchema = z.object({
  tenant: z.string(),
  ticket: z.string(),
  policy: z.string(),
  metric: z.enum(['first_response', 'next_response', 'resolution']),
  kind: z.enum(['at_risk', 'breached']),
  /** The instant the timer was set for (ms). */
  at: z.number(),
});
export type SlaTimer = z.output<typeof slaTimerSchema>;

/** Alerts kept per tenant for the API (newest first). */
const KEEP_ALERTS = 1000;

/** Record an alert unless it exists: 1 when recorded (listed, counted, indexed by ticket). */
const RECORD_ALERT = `
local prefix, id, ticket, json, counter = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local ttl, keep = tonumber(ARGV[6]), tonumber(ARGV[7])
if not redis.call('SET', KEYS[1], json, 'EX', ttl, 'NX') then return 0 end
redis.call('LPUSH', prefix .. 'alerts', json)
redis.call('LTRIM', prefix .. 'alerts', 0, keep - 1)
redis.call('HINCRBY', prefix .. 'stats', counter, 1)
redis.call('SADD', prefix .. 'ticketalerts:' .. ticket, id)
redis.call('EXPIRE', prefix .. 'ticketalerts:' .. ticket, ttl)
return 1
`;

/**
 * One delayed job per active target and kind, at the instant it becomes at risk and at the one it
 * is breached. The job id names the ticket, target and instant, so recomputes never multiply
 * timers; a target whose instant moved (a pause) gets a new timer and the old one finds nothing.
 */
export async function scheduleSlaTimers(
  context: JobContext,
  tenant: string,
  ticket: string,
  targets: readonly SlaTarget[],
): Promise<number> {
  const now = context.now();
  const jobs = [];
  for (const target of targets) {
    if (target.status !== 'active') continue;
    const instants: Array<[SlaTimer['kind'], number | null]> = [
      ['at_risk', target.atRisk ? null : target.warnAt],
      ['breached', target.breachAt],
    ];
    for (const [kind, at] of instants) {
      if (at === null || at <= now) continue;
      const data: SlaTimer = { tenant, ticket, policy: target.policy, metric: target.metric, kind, at };
      jobs.push({
        name: kind,
        data,
        opts: {
          jobId: jobId('sla', tenant, ticket, target.policy, target.metric, kind, at),
          delay: at - now,
        },
      });
    }
  }
  if (jobs.length > 0) await context.queues.sla.addBulk(jobs);
  return jobs.length;
}

/**
 * A timer fired: recompute the ticket now and alert only if the target is still at risk (or was
 * breached) at the instant the timer was set for — a target met meanwhile raises nothing. Each
 * target and kind alerts once, however often its timer is set or fires.
 */
export async function processSlaTimer(job: Job, context: JobContext): Promise<string> {
  const timer = slaTimerSchema.parse(job.data);
  const tenant = context.config.tenants.get(timer.tenant)?.config;
  if (!tenant) return 'missing';
  const computed = await recomputeTicket(context, tenant, timer.ticket);
  if (!computed) return 'missing';
  const target = computed.result.sla.find(
    (candidate) =>
      candidate.policy === timer.policy &&
      candidate.metric === timer.metric &&
      (timer.kind === 'at_risk'
        ? candidate.status === 'active' && candidate.atRisk && candidate.warnAt === timer.at
        : candidate.status === 'breached' && candidate.breachedAt === timer.at),
  );
  if (!target) return 'no longer due';
  const prefix = tenantPrefix(timer.tenant);
  const once = `${timer.ticket}|${timer.policy}|${timer.metric}|${timer.kind}|${timer.at}`;
  const id = createHash('sha256').update(once).digest('hex').slice(0, 20);
  const firedAt = context.now();
  const business = target.businessHours;
  const due = target.breachAt ?? timer.at;
  // On the target's own clock: the calendar of the team it started under, as the sidebar and the
  // at-risk list count it (the ticket's current team may keep other hours).
  const secondsLeft = countdown(
    due,
    business,
    clocksFor(tenant).forTeam(target.clockTeam),
    firedAt,
  ).remaining_seconds;
  const alert: Alert = {
    id,
    tenant: timer.tenant,
    ticket: timer.ticket,
    kind: timer.kind,
    policy: timer.policy,
    metric: timer.metric,
    target_seconds: target.targetSeconds,
    due_at: target.breachAt === null ? null : new Date(target.breachAt).toISOString(),
    seconds_left: secondsLeft,
    business,
    set_for: new Date(timer.at).toISOString(),
    fired_at: new Date(firedAt).toISOString(),
    // How late the alert is against its instant (timers are delayed jobs: seconds at most).
    lag_ms: firedAt - timer.at,
    agent: computed.result.metrics.agent,
    team: computed.result.metrics.team,
    priority: computed.result.metrics.priority,
  };
  // One alert per target, kind and instant, however often its timer is set or fires: recorded,
  // listed and counted in one step.
  const recorded =
    (await context.redis.eval(
      RECORD_ALERT,
      1,
      `${prefix}alert:${id}`,
      prefix,
      id,
      timer.ticket,
      JSON.stringify(alert),
      `alerts_${timer.kind}`,
      String(ALERT_TTL_SECONDS),
      String(KEEP_ALERTS),
    )) === 1;
  // A timer run before may have recorded its alert and stopped before queueing the deliveries
  // (one job id per alert and destination, so those queued already are not sent twice).
  if (!recorded && !startedBefore(job)) return 'already alerted';
  const destinations = routes(tenant.slack?.destinations ?? [], alert);
  if (destinations.length > 0) {
    await context.queues.notify.addBulk(
      destinations.map((destination) => ({
        name: 'slack',
        data: { tenant: timer.tenant, alert: id, destination },
        opts: { jobId: jobId('n', timer.tenant, id, destination) },
      })),
    );
  }
  if (!recorded) return 'already alerted (deliveries queued again)';
  context.log('sla alert', {
    tenant: timer.tenant,
    ticket: timer.ticket,
    kind: timer.kind,
    metric: timer.metric,
  });
  return `alerted ${timer.kind}`;
}

export async function readAlerts(context: Pick<JobContext, 'redis'>, tenant: string): Promise<unknown[]> {
  const items = await context.redis.lrange(`${tenantPrefix(tenant)}alerts`, 0, KEEP_ALERTS - 1);
  return items.map((json) => JSON.parse(json) as unknown);
}
