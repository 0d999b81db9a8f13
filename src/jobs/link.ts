import { setTimeout as wait } from 'node:timers/promises';
import { DelayedError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { linkLooseCalls, linkWindows } from '../metrics/compute.js';
import { buildCallCases, type CallCase, CustomerIndex, type TimedCall } from '../metrics/linking.js';
import { callCaseMeasure } from '../metrics/measures.js';
import { callCaseJson } from '../metrics/output.js';
import { compareEvents, type TicketFacts, timed } from '../metrics/timeline.js';
import { customerKeys } from '../model/events.js';
import { deleteUnchanged, releaseLock, tenantPrefix } from '../store/redis.js';
import { readLooseCalls, readTimeline } from '../store/timelines.js';
import type { JobContext } from './context.js';
import { factsFromEvents, remapped } from './recompute.js';
import { enqueueCompute, enqueueLink, scheduleLinkRefresh } from './enqueue.js';

export const linkJobSchema = z.object({
  tenant: z.string(),
  /** Keys to relink now (a call case's repeat window ends); else the tenant's dirty keys. */
  keys: z.array(z.string()).optional(),
});

/** A tenant's relinks hold this lock, one at a time (`deskpulse forget` and the retention take it too). */
export const LINK_LOCK_MS = 60_000;
export const linkLock = (prefix: string): string => `${prefix}lock:link`;

/**
 * Run `work` holding the tenant's link lock, waiting for it (relinks read and write the keys,
 * calls and indexes `work` changes), as `owner`.
 */
export async function underLinkLock<T>(
  redis: Redis,
  prefix: string,
  owner: string,
  work: () => Promise<T>,
): Promise<T> {
  const lock = linkLock(prefix);
  while ((await redis.set(lock, owner, 'PX', LINK_LOCK_MS, 'NX')) !== 'OK') await wait(100);
  try {
    return await work();
  } finally {
    await releaseLock(redis, lock, owner);
  }
}
/** Dirty keys taken per run; the rest wait for the next run. */
const MAX_KEYS_PER_RUN = 2_000;
const CASE_FIELD = '~case:';

/**
 * Re-derive where ticketless calls belong (METRICS.md "Linking calls") for the customer keys that
 * changed, and nothing else: from those keys, through the index of customer keys in Redis, every
 * ticketless call and ticket they reach (and the keys those carry, until nothing new is reached)
 * is one component that links the same way alone as within the whole tenant. Calls whose ticket
 * changed move, both tickets are recomputed, and the component's call cases are rewritten.
 */
export async function processLink(job: Job, context: JobContext, token?: string): Promise<string> {
  const data = linkJobSchema.parse(job.data);
  const tenant = context.config.tenants.get(data.tenant)?.config;
  if (!tenant) return 'missing';
  const prefix = tenantPrefix(tenant.id);
  const redis = context.redis;
  if (data.keys && data.keys.length > 0) {
    const mark = redis.multi();
    for (const key of data.keys) mark.hincrby(`${prefix}linkdirty`, key, 1);
    await mark.exec();
  }
  const lock = linkLock(prefix);
  if ((await redis.set(lock, String(job.id), 'PX', LINK_LOCK_MS, 'NX')) !== 'OK') {
    // Another worker is linking this tenant: come back shortly.
    await job.moveToDelayed(context.now() + 250, token);
    throw new DelayedError();
  }
  try {
    const dirty = Object.entries(await redis.hgetall(`${prefix}linkdirty`)).slice(0, MAX_KEYS_PER_RUN);
    if (dirty.length === 0) return 'idle';
    const result = await relink(
      context,
      tenant,
      dirty.map(([key]) => key),
    );
    // Dirty keys marked again during the run stay for the next one.
    const left = await deleteUnchanged(redis, `${prefix}linkdirty`, dirty);
    if (left > 0) await enqueueLink(context, tenant.id);
    return result;
  } finally {
    await releaseLock(redis, lock, String(job.id));
  }
}

type Tenant = NonNullable<ReturnType<JobContext['config']['tenants']['get']>>['config'];

async function relink(context: JobContext, tenant: Tenant, start: string[]): Promise<string> {
  const prefix = tenantPrefix(tenant.id);
  const redis = context.redis;
  // The component: keys ⇄ ticketless calls and tickets, until closed.
  const keys = new Set<string>(start);
  const calls = new Map<string, TimedCall>();
  const tickets = new Map<string, TicketFacts>();
  let frontier = [...start];
  while (frontier.length > 0) {
    const read = redis.pipeline();
    for (const key of frontier) read.smembers(`${prefix}kcalls:${key}`).smembers(`${prefix}cust:${key}`);
    const replies = (await read.exec()) ?? [];
    const newCalls = new Set<string>();
    const newTickets = new Set<string>();
    replies.forEach(([error, members], index) => {
      if (error) throw error;
      for (const id of members as string[]) {
        if (index % 2 === 0 && !calls.has(id)) newCalls.add(id);
        if (index % 2 === 1 && !tickets.has(id)) newTickets.add(id);
      }
    });
    frontier = [];
    const reach = (found: readonly string[]) => {
      for (const key of found) {
        if (keys.has(key)) continue;
        keys.add(key);
        frontier.push(key);
      }
    };
    for (const event of remapped(tenant, await readLooseCalls(redis, tenant.id, [...newCalls]))) {
      const call = timed(event) as TimedCall;
      calls.set(call.id, call);
      reach(customerKeys(call));
    }
    for (const ticket of [...newTickets].sort()) {
      const stored = await readTimeline(redis, tenant.id, ticket);
      if (!stored) continue;
      const facts = factsFromEvents(tenant, ticket, stored.events);
      tickets.set(ticket, facts);
      reach(facts.customers);
    }
  }

  const windows = linkWindows(tenant);
  const index = new CustomerIndex();
  for (const ticket of [...tickets.keys()].sort()) index.add(tickets.get(ticket) as TicketFacts);
  const sorted = [...calls.values()].sort(compareEvents);
  const unlinked = linkLooseCalls(sorted, index, windows);
  const assignment = new Map<string, string>();
  for (const facts of tickets.values())
    for (const call of facts.calls) if (call.linked) assignment.set(call.event.id, facts.ticket);

  // Calls whose ticket changed move; both the old and the new ticket are recomputed.
  const ids = sorted.map((call) => call.id);
  const previous = ids.length > 0 ? await redis.hmget(`${prefix}links`, ...ids) : [];
  const changed = new Set<string>();
  const write = redis.multi();
  ids.forEach((id, i) => {
    const before = previous[i] ?? null;
    const after = assignment.get(id) ?? null;
    if (before === after) return;
    if (before) {
      changed.add(before);
      write.srem(`${prefix}linked:${before}`, id);
    }
    if (after) {
      changed.add(after);
      write.sadd(`${prefix}linked:${after}`, id).hset(`${prefix}links`, id, after);
    } else {
      write.hdel(`${prefix}links`, id);
    }
  });
  for (const ticket of changed) write.hincrby(`${prefix}ver`, ticket, 1);

  // The component's call cases replace the ones its keys had.
  const now = context.now();
  const cases = buildCallCases(unlinked, windows, now);
  const byCustomer = new Map<string, CallCase[]>();
  for (const callCase of cases)
    byCustomer.set(callCase.customer, [...(byCustomer.get(callCase.customer) ?? []), callCase]);
  const componentKeys = [...keys];
  const owners = componentKeys.length > 0 ? await redis.hmget(`${prefix}caseowner`, ...componentKeys) : [];
  for (const old of new Set(owners.filter((owner): owner is string => owner !== null))) {
    if (!byCustomer.has(old))
      write.hdel(`${prefix}measures`, `${CASE_FIELD}${old}`).hdel(`${prefix}cases`, old);
  }
  if (componentKeys.length > 0) write.hdel(`${prefix}caseowner`, ...componentKeys);
  for (const [customer, list] of byCustomer) {
    const measures = list.map((callCase) => callCaseMeasure(callCase)).filter((m) => m !== null);
    write.hset(`${prefix}measures`, `${CASE_FIELD}${customer}`, JSON.stringify(measures));
    write.hset(`${prefix}cases`, customer, JSON.stringify(list.map(callCaseJson)));
    for (const callCase of list)
      for (const call of callCase.calls)
        for (const key of customerKeys(call)) write.hset(`${prefix}caseowner`, key, customer);
  }
  await write.exec();

  // Recomputed: the component's tickets whose results are older than their timelines — those
  // whose calls moved now, and any whose calls moved in a run that stopped before this step
  // (its rerun finds no call moving). Tickets already waiting for that version share its job.
  const component = [...new Set([...tickets.keys(), ...changed])];
  if (component.length > 0) {
    const [versions, written] = await Promise.all([
      redis.hmget(`${prefix}ver`, ...component),
      redis.hmget(`${prefix}done`, ...component),
    ]);
    await enqueueCompute(
      context,
      tenant.id,
      component
        .map((ticket, i) => ({ ticket, version: Number(versions[i] ?? 0) }))
        .filter(({ version }, i) => Number(written[i] ?? 0) < version),
    );
  }
  // An open call case resolves when its repeat window passes: look at its keys again then.
  for (const callCase of cases) {
    if (callCase.resolved) continue;
    const caseKeys = [...new Set(callCase.calls.flatMap((call) => customerKeys(call)))];
    await scheduleLinkRefresh(context, tenant.id, callCase.lastCallAt + windows.repeatWindowMs, caseKeys);
  }
  return `linked ${assignment.size} of ${calls.size} calls over ${keys.size} keys; ${cases.length} call cases`;
}
