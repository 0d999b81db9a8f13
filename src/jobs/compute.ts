import type { Job } from 'bullmq';
import { z } from 'zod';
import { TenantClocks } from '../metrics/clocks.js';
import { ticketContribution, type TicketResult } from '../metrics/compute.js';
import type { Measure } from '../metrics/measures.js';
import { ticketJson } from '../metrics/output.js';
import { compareEvents, readTimeline as readFacts, type TicketFacts, timed } from '../metrics/timeline.js';
import type { TenantConfig } from '../model/config.js';
import type { NormalizedEvent } from '../model/events.js';
import { tenantPrefix } from '../store/redis.js';
import { writeTicketResult } from '../store/results.js';
import { readTimeline } from '../store/timelines.js';
import type { JobContext } from './context.js';
import { markLinkDirty } from './enqueue.js';
import { followUpAlerts } from './notify.js';
import { queuePushBack } from './push-back.js';
import { scheduleSlaTimers } from './sla-timers.js';

export const computeJobSchema = z.object({ tenant: z.string(), ticket: z.string(), version: z.number() });

const clocksByTenant = new WeakMap<TenantConfig, TenantClocks>();
export function clocksFor(tenant: TenantConfig): TenantClocks {
  let clocks = clocksByTenant.get(tenant);
  if (!clocks) {
    clocks = new TenantClocks(tenant);
    clocksByTenant.set(tenant, clocks);
  }
  return clocks;
}

/** A ticket's facts from its stored events alone (what linking looks at). */
export function factsFromEvents(ticket: string, tenant: string, events: NormalizedEvent[]): TicketFacts {
  const sorted = events.map((event) => timed(event)).sort(compareEvents);
  return readFacts(ticket, tenant, sorted);
}

/** Recompute one ticket from its whole stored timeline and linked calls, as of `now`. */
export async function recomputeTicket(
  context: JobContext,
  tenant: TenantConfig,
  ticket: string,
): Promise<{ version: number; result: TicketResult; measures: Measure[]; facts: TicketFacts } | null> {
  const stored = await readTimeline(context.redis, tenant.id, ticket);
  if (!stored) return null;
  const facts = factsFromEvents(ticket, tenant.id, stored.events);
  for (const event of stored.linkedCalls) {
    const call = timed(event);
    if (call.type === 'call')
      facts.calls.push({ id: call.call.id, started: call.t, call: call.call, event: call, linked: true });
  }
  const { result, measures } = ticketContribution(facts, tenant, clocksFor(tenant), context.now());
  return { version: stored.version, result, measures, facts };
}

export async function processCompute(
  job: Job,
  context: JobContext,
): Promise<'written' | 'stale' | 'missing'> {
  const { tenant: tenantId, ticket, version } = computeJobSchema.parse(job.data);
  const tenant = context.config.tenants.get(tenantId)?.config;
  if (!tenant) return 'missing';
  const done = Number((await context.redis.hget(`${tenantPrefix(tenantId)}done`, ticket)) ?? 0);
  if (done >= version) return 'stale';
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
  );
  await scheduleSlaTimers(context, tenantId, ticket, result.sla);
  await followUpAlerts(context, tenantId, ticket, result);
  await queuePushBack(context, tenantId, ticket, result);
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
