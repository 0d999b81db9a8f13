import type { Redis } from 'ioredis';
import type { Measure } from '../metrics/measures.js';
import { tenantPrefix } from './redis.js';

/**
 * A ticket's contribution to every report is its list of measures, written whole; an older
 * recompute (lower timeline version) can never overwrite a newer one, and a recompute that read
 * a ticket removed since (retention, jobs/expire.ts) writes nothing.
 */
const WRITE_TICKET = `
local prefix, ticket, version = ARGV[1], ARGV[2], tonumber(ARGV[3])
if redis.call('HEXISTS', prefix .. 'ver', ticket) == 0 then return 0 end
local done = tonumber(redis.call('HGET', prefix .. 'done', ticket) or '0')
if done > version then return 0 end
redis.call('HSET', prefix .. 'done', ticket, version)
redis.call('HSET', prefix .. 'ticket', ticket, ARGV[4])
redis.call('HSET', prefix .. 'measures', ticket, ARGV[5])
for key in string.gmatch(ARGV[6], '[^\\n]+') do redis.call('SADD', prefix .. 'cust:' .. key, ticket) end
if ARGV[7] == '' then
  redis.call('ZREM', prefix .. 'slaopen:warn', ticket)
  redis.call('HDEL', prefix .. 'slaopen', ticket)
else
  redis.call('ZADD', prefix .. 'slaopen:warn', ARGV[7], ticket)
  redis.call('HSET', prefix .. 'slaopen', ticket, ARGV[8])
end
return 1
`;

/** A ticket's running SLA targets, kept for the at-risk list (`GET /api/v1/at-risk`). */
export interface OpenSla {
  ticket: string;
  agent: string | null;
  team: string | null;
  priority: string | null;
  channel: string | null;
  status: string | null;
  targets: Array<{
    policy: string;
    metric: string;
    target_seconds: number;
    business_hours: boolean;
    /** Whose calendar counts its business time (`null`: the tenant's). */
    clock_team: string | null;
    /** Epoch ms; the ticket is at risk from the earliest `warn_at` of its targets. */
    warn_at: number;
    breach_at: number;
  }>;
}

export async function writeTicketResult(
  redis: Redis,
  tenant: string,
  ticket: string,
  version: number,
  ticketJson: unknown,
  measures: Measure[],
  customers: string[],
  openSla: OpenSla | null = null,
): Promise<boolean> {
  const prefix = tenantPrefix(tenant);
  const written = await redis.eval(
    WRITE_TICKET,
    1,
    `${prefix}done`,
    prefix,
    ticket,
    String(version),
    JSON.stringify(ticketJson),
    JSON.stringify(measures),
    customers.join('\n'),
    openSla && openSla.targets.length > 0 ? String(Math.min(...openSla.targets.map((t) => t.warn_at))) : '',
    openSla ? JSON.stringify(openSla) : '',
  );
  return written === 1;
}

/** Every measure of a tenant, streamed from Redis a page at a time. */
export async function readMeasures(redis: Redis, tenant: string): Promise<Measure[]> {
  const measures: Measure[] = [];
  const stream = redis.hscanStream(`${tenantPrefix(tenant)}measures`, { count: 500 });
  for await (const page of stream as AsyncIterable<string[]>) {
    for (let i = 1; i < page.length; i += 2)
      for (const measure of JSON.parse(page[i] as string) as Measure[]) measures.push(measure);
  }
  return measures;
}

/** The open and resolved call cases of a tenant (what `deskpulse compute` lists as `call_cases`). */
export async function readCallCases(redis: Redis, tenant: string): Promise<unknown[]> {
  const groups = await redis.hvals(`${tenantPrefix(tenant)}cases`);
  return groups.flatMap((json) => JSON.parse(json) as unknown[]);
}

/** The running SLA targets of the tickets that are at risk at `now` (past the `warn_at` of one). */
export async function readAtRisk(redis: Redis, tenant: string, now: number, limit = 500): Promise<OpenSla[]> {
  const prefix = tenantPrefix(tenant);
  const tickets = await redis.zrangebyscore(`${prefix}slaopen:warn`, '-inf', now, 'LIMIT', 0, limit);
  if (tickets.length === 0) return [];
  const values = await redis.hmget(`${prefix}slaopen`, ...tickets);
  return values
    .filter((value): value is string => value !== null)
    .map((value) => JSON.parse(value) as OpenSla);
}
