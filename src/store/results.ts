import type { Redis } from 'ioredis';
import type { Measure } from '../metrics/measures.js';
import { tenantPrefix } from './redis.js';

/**
 * A ticket's contribution to every report is its list of measures, written whole; an older
 * recompute (lower timeline version) can never overwrite a newer one.
 */
const WRITE_TICKET = `
local prefix, ticket, version = ARGV[1], ARGV[2], tonumber(ARGV[3])
local done = tonumber(redis.call('HGET', prefix .. 'done', ticket) or '0')
if done > version then return 0 end
redis.call('HSET', prefix .. 'done', ticket, version)
redis.call('HSET', prefix .. 'ticket', ticket, ARGV[4])
redis.call('HSET', prefix .. 'measures', ticket, ARGV[5])
for key in string.gmatch(ARGV[6], '[^\\n]+') do redis.call('SADD', prefix .. 'cust:' .. key, ticket) end
return 1
`;

export async function writeTicketResult(
  redis: Redis,
  tenant: string,
  ticket: string,
  version: number,
  ticketJson: unknown,
  measures: Measure[],
  customers: string[],
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
