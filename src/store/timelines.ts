import type { Redis } from 'ioredis';
import { customerKeys, type NormalizedEvent } from '../model/events.js';
import { tenantPrefix } from './redis.js';

/**
 * How long a batch's name is kept: well beyond its job's own reruns (8 attempts backing off over
 * ~2 min; a stalled job is taken over within a minute), at one key per ingest job.
 */
const APPLIED_SECONDS = 3_600;

/**
 * Append events atomically: the same id twice is one event (the first copy wins, tenant-wide),
 * a new event of a ticket bumps that ticket's version, and calls or surveys without a ticket go
 * to the tenant's loose lists with their measures (which depend on nothing else). A loose call
 * also enters the customer-key index (`kcalls:<key>`) and marks its keys for relinking.
 * The events, duplicates and ignored deliveries are counted in the tenant's stats in the same
 * step; a named batch is counted once: its name is kept an hour (`applied:<batch>`), and a batch
 * found there ran before, so it is also treated as retried.
 */
const APPEND = `
local prefix = ARGV[1]
local count = tonumber(ARGV[2])
local retried = ARGV[3] == '1'
local batch = ARGV[4]
local ignored = tonumber(ARGV[5])
local counted = true
if batch ~= '' then
  counted = redis.call('SET', prefix .. 'applied:' .. batch, '1', 'NX', 'EX', ${APPLIED_SECONDS}) ~= false
  if not counted then retried = true end
end
local duplicates = 0
local dirty = 0
local versions = {}
local i = 6
for _ = 1, count do
  local id, ticket, kind, json, keys, unmapped, measure = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6]
  i = i + 7
  if redis.call('HSETNX', prefix .. 'seen', id, ticket) == 1 then
    if unmapped == '1' then redis.call('HINCRBY', prefix .. 'stats', 'unmapped_events', 1) end
    if ticket ~= '' then
      redis.call('HSET', prefix .. 'tl:' .. ticket, id, json)
      local version = redis.call('HINCRBY', prefix .. 'ver', ticket, 1)
      if version == 1 then
        -- A ticket removed by the retention goes on from its last version: its jobs' ids name
        -- versions, and one of its old ones may still be kept among the done jobs.
        local last = redis.call('HGET', prefix .. 'expiredver', ticket)
        if last then
          version = tonumber(last) + 1
          redis.call('HSET', prefix .. 'ver', ticket, version)
          redis.call('HDEL', prefix .. 'expiredver', ticket)
        end
      end
      versions[ticket] = version
      redis.call('SADD', prefix .. 'tickets', ticket)
    elseif kind == 'call' then
      redis.call('HSET', prefix .. 'loose:calls', id, json)
      if measure ~= '' then redis.call('HSET', prefix .. 'measures', '~call:' .. id, measure) end
      for key in string.gmatch(keys, '[^\\n]+') do
        redis.call('SADD', prefix .. 'callkeys', key)
        redis.call('SADD', prefix .. 'kcalls:' .. key, id)
        redis.call('HINCRBY', prefix .. 'linkdirty', key, 1)
        dirty = 1
      end
    elseif kind == 'survey' then
      redis.call('HSET', prefix .. 'loose:surveys', id, json)
      redis.call('HSET', prefix .. 'measures', '~survey:' .. id, measure)
    end
  else
    duplicates = duplicates + 1
    -- A batch run again after its first run stopped part-way (a crash between this script and
    -- the jobs it should have led to): what its events touched is reported again.
    if retried then
      local owner = redis.call('HGET', prefix .. 'seen', id)
      if owner ~= '' and owner ~= false then
        if versions[owner] == nil then
          versions[owner] = tonumber(redis.call('HGET', prefix .. 'ver', owner) or '0')
        end
      elseif kind == 'call' and keys ~= '' then
        dirty = 1
      end
    end
  end
end
if counted then
  local stats = prefix .. 'stats'
  if count > duplicates then redis.call('HINCRBY', stats, 'events', count - duplicates) end
  if duplicates > 0 then redis.call('HINCRBY', stats, 'duplicates', duplicates) end
  if ignored > 0 then redis.call('HINCRBY', stats, 'ignored_deliveries', ignored) end
end
local out = { duplicates, dirty }
for ticket, version in pairs(versions) do
  out[#out + 1] = ticket
  out[#out + 1] = version
end
return out
`;

export interface AppendResult {
  duplicates: number;
  /** Loose calls with customer keys arrived: their keys await relinking. */
  linkDirty: boolean;
  /** Tickets that gained events, with their new version (and, retried, all the batch's). */
  tickets: Array<{ ticket: string; version: number }>;
}

export async function appendEvents(
  redis: Redis,
  tenant: string,
  events: NormalizedEvent[],
  /** Per event: its agent or team stayed a provider id (counted once, duplicates aside). */
  unmapped: boolean[] = [],
  /** Per event: a ticketless call's or survey's own measures (JSON), else ''. */
  looseMeasures: string[] = [],
  /**
   * The batch ran before and may have stopped after appending: report the tickets its events
   * are on (at their current version) and ask for relinking as if they were new, so that the
   * recomputes the first run never scheduled are scheduled now.
   */
  retried = false,
  /**
   * The batch's deliveries ignored (counted in the stats with its events) and its name (its
   * job's id): a named batch is counted once however often it runs.
   */
  batch: { id?: string; ignored?: number } = {},
): Promise<AppendResult> {
  if (events.length === 0 && !batch.ignored) return { duplicates: 0, linkDirty: false, tickets: [] };
  const prefix = tenantPrefix(tenant);
  const args: string[] = [
    prefix,
    String(events.length),
    retried ? '1' : '0',
    batch.id ?? '',
    String(batch.ignored ?? 0),
  ];
  events.forEach((event, index) => {
    const ticket = 'ticket' in event && event.ticket ? event.ticket : '';
    const keys = customerKeys(event).join('\n');
    args.push(
      event.id,
      ticket,
      event.type,
      JSON.stringify(event),
      keys,
      unmapped[index] ? '1' : '0',
      looseMeasures[index] ?? '',
    );
  });
  const reply = (await redis.eval(APPEND, 1, `${prefix}seen`, ...args)) as Array<number | string>;
  const tickets: AppendResult['tickets'] = [];
  for (let i = 2; i < reply.length; i += 2)
    tickets.push({ ticket: String(reply[i]), version: Number(reply[i + 1]) });
  return { duplicates: Number(reply[0]), linkDirty: Number(reply[1]) === 1, tickets };
}

export interface StoredTimeline {
  version: number;
  events: NormalizedEvent[];
  linkedCalls: NormalizedEvent[];
}

/** A ticket's events and the calls linked to it, read at one version. */
export async function readTimeline(
  redis: Redis,
  tenant: string,
  ticket: string,
): Promise<StoredTimeline | null> {
  const prefix = tenantPrefix(tenant);
  const reply = await redis
    .multi()
    .hget(`${prefix}ver`, ticket)
    .hvals(`${prefix}tl:${ticket}`)
    .smembers(`${prefix}linked:${ticket}`)
    .exec();
  if (!reply) throw new Error('the timeline read was aborted');
  const [version, values, linked] = reply.map(([error, value]) => {
    if (error) throw error;
    return value;
  }) as [string | null, string[], string[]];
  if (version === null) return null;
  const calls = linked.length > 0 ? await redis.hmget(`${prefix}loose:calls`, ...linked) : [];
  return {
    version: Number(version),
    events: values.map((json) => JSON.parse(json) as NormalizedEvent),
    linkedCalls: calls
      .filter((json): json is string => json !== null)
      .map((json) => JSON.parse(json) as NormalizedEvent),
  };
}

export async function readLoose(
  redis: Redis,
  tenant: string,
): Promise<{ calls: NormalizedEvent[]; surveys: NormalizedEvent[] }> {
  const prefix = tenantPrefix(tenant);
  const [calls, surveys] = await Promise.all([
    redis.hvals(`${prefix}loose:calls`),
    redis.hvals(`${prefix}loose:surveys`),
  ]);
  return {
    calls: calls.map((json) => JSON.parse(json) as NormalizedEvent),
    surveys: surveys.map((json) => JSON.parse(json) as NormalizedEvent),
  };
}

/** A ticket removed by the tenant's retention (jobs/expire.ts), and not started again since. */
export async function wasRemoved(redis: Redis, tenant: string, ticket: string): Promise<boolean> {
  return (await redis.hexists(`${tenantPrefix(tenant)}expiredver`, ticket)) === 1;
}

export async function ticketExists(redis: Redis, tenant: string, ticket: string): Promise<boolean> {
  return (await redis.hexists(`${tenantPrefix(tenant)}ver`, ticket)) === 1;
}

/** Ticketless calls by id (those still stored). */
export async function readLooseCalls(
  redis: Redis,
  tenant: string,
  ids: string[],
): Promise<NormalizedEvent[]> {
  if (ids.length === 0) return [];
  const values = await redis.hmget(`${tenantPrefix(tenant)}loose:calls`, ...ids);
  return values
    .filter((json): json is string => json !== null)
    .map((json) => JSON.parse(json) as NormalizedEvent);
}
