import type { Job } from 'bullmq';
import { z } from 'zod';
import type { TicketResult } from '../metrics/compute.js';
import { ticketJson } from '../metrics/output.js';
import { tenantPrefix } from '../store/redis.js';
import { type OpenSla, writeTicketResult } from '../store/results.js';
import type { JobContext } from './context.js';
import { markLinkDirty } from './enqueue.js';
import { followUpAlerts } from './notify.js';
import { queuePushBack } from './push-back.js';
import { startedBefore } from './queues.js';
import { recomputeTicket } from './recompute.js';
import { scheduleSlaTimers } from './sla-timers.js';

export const computeJobSchema = z.object({
  tenant: z.string(),
  ticket: z.string(),
  version: z.number(),
  /** Recompute whatever the version (the tenant's settings changed: reconfigure.ts). */
  force: z.boolean().optional(),
  /** Queue its push-back values even if written before (push-back's settings changed: reconfigure.ts). */
  repush: z.boolean().optional(),
});

export async function processCompute(
  job: Job,
  context: JobContext,
): Promise<'written' | 'stale' | 'missing'> {
  const { tenant: tenantId, ticket, version, force, repush } = computeJobSchema.parse(job.data);
  const tenant = context.config.tenants.get(tenantId)?.config;
  if (!tenant) return 'missing';
  const done = Number((await context.redis.hget(`${tenantPrefix(tenantId)}done`, ticket)) ?? 0);
  // Run before, it may have written this version and stopped before the SLA timers, follow-ups,
  // push-back and relink below (nothing else would do them): it does it all again.
  const rerun = startedBefore(job);
  if (!force && (done > version || (done === version && !rerun))) return 'stale';
  const computed = await recomputeTicket(context, tenant, ticket);
  if (!computed) return 'missing';
  const { result, measures, facts } = computed;
  await writeTicketResult(
    context.redis,
    tenantId,
    ticket,
    computed.version,
    ticketJson(result),
    measures,
    facts.customers,
    openSla(result),
  );
  await scheduleSlaTimers(context, tenantId, ticket, result.sla);
  await followUpAlerts(context, tenantId, ticket, result);
  await queuePushBack(context, tenantId, ticket, result, rerun, repush === true);
  // A ticket sharing a customer key with a ticketless call may change where that call belongs.
  if (facts.customers.length > 0) {
    const shared = await context.redis.smismember(`${tenantPrefix(tenantId)}callkeys`, ...facts.customers);
    await markLinkDirty(
      context,
      tenantId,
      facts.customers.filter((_, i) => shared[i] === 1),
    );
  }
  return 'written';
}

/** The ticket's active SLA targets with a known warn and breach instant, for the at-risk list. */
export function openSla({ metrics, sla }: TicketResult): OpenSla | null {
  const targets: OpenSla['targets'] = [];
  for (const target of sla) {
    if (target.status !== 'active' || target.breachAt === null) continue;
    targets.push({
      policy: target.policy,
      metric: target.metric,
      target_seconds: target.targetSeconds,
      business_hours: target.businessHours,
      clock_team: target.clockTeam,
      warn_at: target.warnAt ?? target.breachAt,
      breach_at: target.breachAt,
    });
  }
  if (targets.length === 0) return null;
  const { ticket, agent, team, priority, channel, status } = metrics;
  return { ticket, agent, team, priority, channel, status, targets };
}
