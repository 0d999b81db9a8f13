import { TenantClocks } from '../metrics/clocks.js';
import { ticketContribution, type TicketResult } from '../metrics/compute.js';
import type { Measure } from '../metrics/measures.js';
import { compareEvents, readTimeline as readFacts, type TicketFacts, timed } from '../metrics/timeline.js';
import { IdentityMap } from '../config/identity.js';
import type { TenantConfig } from '../model/config.js';
import type { NormalizedEvent } from '../model/events.js';
import { readTimeline } from '../store/timelines.js';
import type { JobContext } from './context.js';

/** Recomputing one ticket from Redis: shared by the compute job, SLA timers, linking and the API. */
const clocksByTenant = new WeakMap<TenantConfig, TenantClocks>();
export function clocksFor(tenant: TenantConfig): TenantClocks {
  let clocks = clocksByTenant.get(tenant);
  if (!clocks) {
    clocks = new TenantClocks(tenant);
    clocksByTenant.set(tenant, clocks);
  }
  return clocks;
}

const identitiesByTenant = new WeakMap<TenantConfig, IdentityMap>();
/**
 * Stored events as the tenant's people and teams map them now (they were mapped as they arrived,
 * by the file of that time): what every computation from Redis reads.
 */
export function remapped<E extends NormalizedEvent>(tenant: TenantConfig, events: readonly E[]): E[] {
  let identities = identitiesByTenant.get(tenant);
  if (!identities) {
    identities = new IdentityMap(tenant);
    identitiesByTenant.set(tenant, identities);
  }
  return events.map((event) => identities.remap(event));
}

/** A ticket's facts from its stored events alone (what linking looks at). */
export function factsFromEvents(
  tenant: TenantConfig,
  ticket: string,
  events: NormalizedEvent[],
): TicketFacts {
  const sorted = remapped(tenant, events)
    .map((event) => timed(event))
    .sort(compareEvents);
  return readFacts(ticket, tenant.id, sorted);
}

/** Recompute one ticket from its whole stored timeline and linked calls, as of `now`. */
export async function recomputeTicket(
  context: JobContext,
  tenant: TenantConfig,
  ticket: string,
): Promise<{ version: number; result: TicketResult; measures: Measure[]; facts: TicketFacts } | null> {
  const stored = await readTimeline(context.redis, tenant.id, ticket);
  if (!stored) return null;
  const facts = factsFromEvents(tenant, ticket, stored.events);
  for (const event of remapped(tenant, stored.linkedCalls)) {
    const call = timed(event);
    if (call.type === 'call')
      facts.calls.push({ id: call.call.id, started: call.t, call: call.call, event: call, linked: true });
  }
  const { result, measures } = ticketContribution(facts, tenant, clocksFor(tenant), context.now());
  return { version: stored.version, result, measures, facts };
}
