import { DelayedError, type Job } from 'bullmq';
import { z } from 'zod';
import { linkLooseCalls, linkWindows, looseContribution } from '../metrics/compute.js';
import { CustomerIndex, type TimedCall } from '../metrics/linking.js';
import { callCaseJson } from '../metrics/output.js';
import { compareEvents, timed } from '../metrics/timeline.js';
import { customerKeys, type SurveyEvent } from '../model/events.js';
import { tenantPrefix } from '../store/redis.js';
import { CASES_FIELD, LOOSE_FIELD, writeTenantMeasures } from '../store/results.js';
import { readLoose, readTimeline } from '../store/timelines.js';
import type { JobContext } from './context.js';
import { enqueueCompute, scheduleLinkRefresh } from './enqueue.js';
import { factsFromEvents } from './compute.js';

export const linkJobSchema = z.object({
  tenant: z.string(),
  version: z.number().optional(),
  refresh: z.boolean().optional(),
});

const LOCK_MS = 60_000;

/**
 * Re-derive where every ticketless call of a tenant belongs (METRICS.md "Linking calls"), move
 * calls whose ticket changed, and rewrite the tenant's loose-call and call-case measures. Runs at
 * the newest link version; older link jobs find the work done and return.
 */
export async function processLink(job: Job, context: JobContext, token?: string): Promise<string> {
  const data = linkJobSchema.parse(job.data);
  const tenant = context.config.tenants.get(data.tenant)?.config;
  if (!tenant) return 'missing';
  const prefix = tenantPrefix(tenant.id);
  const redis = context.redis;
  if (data.refresh) await redis.hincrby(`${prefix}meta`, 'linkver', 1);
  const [versionText, doneText] = await redis.hmget(`${prefix}meta`, 'linkver', 'linkdone');
  const version = Number(versionText ?? 0);
  if (Number(doneText ?? 0) >= version) return 'stale';

  const lock = `${prefix}lock:link`;
  if ((await redis.set(lock, String(job.id), 'PX', LOCK_MS, 'NX')) !== 'OK') {
    // Another worker is linking this tenant: come back shortly.
    await job.moveToDelayed(context.now() + 250, token);
    throw new DelayedError();
  }
  try {
    const loose = await readLoose(redis, tenant.id);
    const calls = loose.calls.map((event) => timed(event)).sort(compareEvents) as TimedCall[];
    const surveys = loose.surveys.map((event) => timed(event)) as Array<SurveyEvent & { t: number }>;

    const keys = [...new Set(calls.flatMap((call) => customerKeys(call)))];
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.smembers(`${prefix}cust:${key}`);
    const candidates = new Set<string>();
    for (const [error, members] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      for (const ticket of members as string[]) candidates.add(ticket);
    }
    const index = new CustomerIndex();
    for (const ticket of [...candidates].sort()) {
      const stored = await readTimeline(redis, tenant.id, ticket);
      if (stored) index.add(factsFromEvents(ticket, tenant.id, stored.events));
    }
    const windows = linkWindows(tenant);
    const assignment = new Map<string, string>();
    const before = new Set(calls.map((call) => call.id));
    const unlinkedCalls = linkLooseCalls(calls, index, windows);
    const unlinked = new Set(unlinkedCalls.map((call) => call.id));
    for (const ticket of index.tickets()) {
      for (const call of ticket.calls)
        if (call.linked && before.has(call.event.id)) assignment.set(call.event.id, ticket.ticket);
    }
    for (const id of unlinked) assignment.delete(id);

    // Move calls whose ticket changed, and recompute both the old and the new ticket.
    const previous = await redis.hgetall(`${prefix}links`);
    const changed = new Set<string>();
    for (const [callId, ticket] of Object.entries(previous))
      if (assignment.get(callId) !== ticket) changed.add(ticket);
    for (const [callId, ticket] of assignment) if (previous[callId] !== ticket) changed.add(ticket);
    if (changed.size > 0) {
      const write = redis.multi().del(`${prefix}links`);
      if (assignment.size > 0) write.hset(`${prefix}links`, Object.fromEntries(assignment));
      for (const ticket of changed) {
        write.del(`${prefix}linked:${ticket}`);
        const ids = [...assignment].filter(([, owner]) => owner === ticket).map(([callId]) => callId);
        if (ids.length > 0) write.sadd(`${prefix}linked:${ticket}`, ...ids);
        write.hincrby(`${prefix}ver`, ticket, 1);
      }
      await write.exec();
      const bumped = await redis.hmget(`${prefix}ver`, ...changed);
      await enqueueCompute(
        context,
        tenant.id,
        [...changed].map((ticket, i) => ({ ticket, version: Number(bumped[i] ?? 0) })),
      );
    }

    const now = context.now();
    const { measures, callCases } = looseContribution(calls, surveys, unlinkedCalls, windows, now);
    await writeTenantMeasures(
      redis,
      tenant.id,
      version,
      {
        [LOOSE_FIELD]: measures.filter((m) => m.kind !== 'call_case'),
        [CASES_FIELD]: measures.filter((m) => m.kind === 'call_case'),
      },
      callCases.map(callCaseJson),
    );
    // An open call case resolves when its repeat window passes: look again then.
    const next = Math.min(
      ...callCases.filter((c) => !c.resolved).map((c) => c.lastCallAt + windows.repeatWindowMs),
    );
    if (Number.isFinite(next)) await scheduleLinkRefresh(context, tenant.id, next);
    return `linked ${assignment.size} of ${calls.length} calls; ${callCases.length} call cases`;
  } finally {
    await redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      lock,
      String(job.id),
    );
  }
}
