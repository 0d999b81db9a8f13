import { linkWindows } from '../metrics/compute.js';
import { buildCallCases, type TimedCall } from '../metrics/linking.js';
import { timed } from '../metrics/timeline.js';
import { customerKeys, type NormalizedEvent } from '../model/events.js';
import { instantMs } from '../model/instant.js';
import { tenantPrefix } from '../store/redis.js';
import { readTimeline } from '../store/timelines.js';
import type { JobContext } from './context.js';
import { enqueueLink } from './enqueue.js';
import { underLinkLock } from './link.js';

/** Tickets (or ticketless calls, or surveys) looked at, and removed, under one hold of the link lock. */
const BATCH = 500;

/** When the daily removal runs (UTC): a quiet hour for most helpdesks. */
export const EXPIRE_PATTERN = '30 3 * * *';

/**
 * A ticketless call removed, atomically, only while `links` names the same `owner` for it: none
 * (`false`, a call of a call case), or the ticket being removed. Its keys lose it; a key left
 * with no call leaves `callkeys`; each key is marked for relinking, which rebuilds its call cases.
 */
const REMOVE_CALL = `
local function removeCall(prefix, id, keys, owner)
  local link = redis.call('HGET', prefix .. 'links', id)
  if link ~= owner then return 0 end
  redis.call('HDEL', prefix .. 'loose:calls', id)
  redis.call('HDEL', prefix .. 'measures', '~call:' .. id)
  redis.call('HDEL', prefix .. 'links', id)
  for key in string.gmatch(keys, '[^\\n]+') do
    redis.call('SREM', prefix .. 'kcalls:' .. key, id)
    if redis.call('SCARD', prefix .. 'kcalls:' .. key) == 0 then redis.call('SREM', prefix .. 'callkeys', key) end
    redis.call('HINCRBY', prefix .. 'linkdirty', key, 1)
  end
  return 1
end
`;

/**
 * A resolved ticket removed, atomically, if no event came in since it was read (its version is
 * the one read): its timeline, result, measures, indexes, SLA and push-back entries, and the
 * ticketless calls linked to it. The event ids stay in `seen`, so a late copy of one is still a
 * duplicate, and its last version in `expiredver`, from which a new event of it goes on.
 */
const REMOVE_TICKET = `${REMOVE_CALL}
local prefix, ticket, version = ARGV[1], ARGV[2], ARGV[3]
if redis.call('HGET', prefix .. 'ver', ticket) ~= version then return -1 end
local i = 4
local count = tonumber(ARGV[i])
for j = 1, count do redis.call('SREM', prefix .. 'cust:' .. ARGV[i + j], ticket) end
i = i + count + 1
count = tonumber(ARGV[i])
local calls = 0
for j = 0, count - 1 do
  calls = calls + removeCall(prefix, ARGV[i + 1 + 2 * j], ARGV[i + 2 + 2 * j], ticket)
end
redis.call('DEL', prefix .. 'tl:' .. ticket, prefix .. 'linked:' .. ticket, prefix .. 'ticketalerts:' .. ticket)
for _, hash in ipairs({'ver', 'done', 'ticket', 'measures', 'slaopen', 'pushpending', 'pushed', 'pushrefused', 'pushdropped'}) do
  redis.call('HDEL', prefix .. hash, ticket)
end
redis.call('ZREM', prefix .. 'slaopen:warn', ticket)
redis.call('SREM', prefix .. 'tickets', ticket)
redis.call('HSET', prefix .. 'expiredver', ticket, version)
redis.call('HINCRBY', prefix .. 'stats', 'expired_tickets', 1)
if calls > 0 then redis.call('HINCRBY', prefix .. 'stats', 'expired_calls', calls) end
return calls
`;

const REMOVE_LOOSE_CALL = `${REMOVE_CALL}
local removed = removeCall(ARGV[1], ARGV[2], ARGV[3], false)
if removed > 0 then redis.call('HINCRBY', ARGV[1] .. 'stats', 'expired_calls', 1) end
return removed
`;

export interface ExpireSummary {
  tickets: number;
  calls: number;
  surveys: number;
}

/** The daily removal, for every tenant with a `retention`. */
export async function processExpireCheck(context: JobContext): Promise<string> {
  const done: string[] = [];
  for (const [id, runtime] of context.config.tenants) {
    if (runtime.config.retention === undefined) continue;
    const summary = await expireTenant(context, id);
    done.push(`${id}: ${summary.tickets} tickets, ${summary.calls} calls, ${summary.surveys} surveys`);
  }
  return done.length > 0 ? `expired ${done.join('; ')}` : 'no tenant has a retention';
}

/**
 * Remove what is older than the tenant's `retention` (README "Retention"): resolved tickets whose
 * latest event is older (with the ticketless calls linked to them), the ticketless calls of call
 * cases that ended before it (and are resolved) and older ones in no case, and ticketless surveys
 * answered before it.
 * Unresolved tickets are kept whatever their age. Figures of what is kept do not change.
 */
export async function expireTenant(context: JobContext, tenant: string): Promise<ExpireSummary> {
  const config = context.config.tenants.get(tenant)?.config;
  const summary: ExpireSummary = { tickets: 0, calls: 0, surveys: 0 };
  if (config?.retention === undefined) return summary;
  const cutoff = context.now() - config.retention * 1000;
  const redis = context.redis;
  const prefix = tenantPrefix(tenant);
  const parse = (json: string) => JSON.parse(json) as NormalizedEvent;

  // Tickets: read a page, then remove its old resolved ones under the link lock.
  for await (const page of redis.sscanStream(`${prefix}tickets`, { count: BATCH }) as AsyncIterable<
    string[]
  >) {
    const results = page.length > 0 ? await redis.hmget(`${prefix}ticket`, ...page) : [];
    // Resolved, and not resolved since the horizon (then its latest event is not older either):
    // only those have their timelines read.
    const resolved = page.filter((_, i) => {
      if (!results[i]) return false;
      const result = JSON.parse(results[i] as string) as {
        status?: string;
        full_resolution?: { at?: string } | null;
      };
      if (result.status !== 'solved' && result.status !== 'closed') return false;
      const at = result.full_resolution?.at;
      return at === undefined || instantMs(at) < cutoff;
    });
    await underLinkLock(redis, prefix, `expire-${process.pid}-${Date.now()}`, async () => {
      for (const ticket of resolved) {
        const stored = await readTimeline(redis, tenant, ticket);
        if (!stored) continue;
        const { events, linkedCalls } = stored;
        if (events.length === 0 || events.some((event) => instantMs(event.at) >= cutoff)) continue;
        const keys = [...new Set(events.flatMap((event) => customerKeys(event)))];
        const callArgs = linkedCalls.flatMap((call) => [call.id, customerKeys(call).join('\n')]);
        const removed = Number(
          await redis.eval(
            REMOVE_TICKET,
            0,
            prefix,
            ticket,
            String(stored.version),
            String(keys.length),
            ...keys,
            String(linkedCalls.length),
            ...callArgs,
          ),
        );
        if (removed < 0) continue;
        summary.tickets += 1;
        summary.calls += removed;
      }
    });
  }

  // Ticketless calls linked to no ticket: a call case (as relinking builds it) goes whole, once
  // resolved and its last call past the horizon, so that no case kept loses its older calls; a
  // call in no case (outbound, or without keys) goes by its own age.
  const unlinked: TimedCall[] = [];
  for await (const page of redis.hscanStream(`${prefix}loose:calls`, { count: BATCH }) as AsyncIterable<
    string[]
  >) {
    const ids = page.filter((_, i) => i % 2 === 0);
    const links = ids.length > 0 ? await redis.hmget(`${prefix}links`, ...ids) : [];
    ids.forEach((_, i) => {
      if (links[i] === null) unlinked.push(timed(parse(page[2 * i + 1] as string)) as TimedCall);
    });
  }
  const cases = buildCallCases(unlinked, linkWindows(config), context.now());
  const inCase = new Set(cases.flatMap((callCase) => callCase.calls.map((call) => call.id)));
  const old = [
    ...cases.filter((callCase) => callCase.resolved && callCase.lastCallAt < cutoff).flatMap((c) => c.calls),
    ...unlinked.filter((call) => !inCase.has(call.id) && call.t < cutoff),
  ];
  for (let i = 0; i < old.length; i += BATCH) {
    await underLinkLock(redis, prefix, `expire-${process.pid}-${Date.now()}`, async () => {
      for (const call of old.slice(i, i + BATCH))
        summary.calls += Number(
          await redis.eval(REMOVE_LOOSE_CALL, 0, prefix, call.id, customerKeys(call).join('\n')),
        );
    });
  }
  for await (const page of redis.hscanStream(`${prefix}loose:surveys`, { count: BATCH }) as AsyncIterable<
    string[]
  >) {
    const old: string[] = [];
    for (let i = 0; i < page.length; i += 2)
      if (instantMs(parse(page[i + 1] as string).at) < cutoff) old.push(page[i] as string);
    if (old.length === 0) continue;
    await redis
      .multi()
      .hdel(`${prefix}loose:surveys`, ...old)
      .hdel(`${prefix}measures`, ...old.map((id) => `~survey:${id}`))
      .hincrby(`${prefix}stats`, 'expired_surveys', old.length)
      .exec();
    summary.surveys += old.length;
  }
  // The keys whose calls went: their call cases are rebuilt from the calls left.
  if ((await redis.hlen(`${prefix}linkdirty`)) > 0) await enqueueLink(context, tenant);
  return summary;
}
