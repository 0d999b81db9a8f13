import { randomUUID } from 'node:crypto';
import { customerKeys, type NormalizedEvent } from '../model/events.js';
import { tenantPrefix } from '../store/redis.js';
import { underLinkLock } from './link.js';
import type { JobContext } from './context.js';
import { enqueueCompute, markLinkDirty } from './enqueue.js';

export interface ForgetSummary {
  /** The random key that now stands for the customer. */
  pseudonym: string;
  tickets: number;
  calls: number;
  surveys: number;
  /** Provider users dropped from the tenant's cache. */
  cachedUsers: number;
  /** Done ingest jobs removed (every tenant's: they hold raw deliveries). */
  doneJobs: number;
}

/**
 * Erase a customer (an erasure request): every stored event, index and call case naming one of
 * `keys` (`email:…`, `phone:+…`: the keys of one person) names instead one random pseudonym
 * (`forgotten:<uuid>`), so their tickets, calls and call cases keep their figures and links while
 * the address and number are gone; the tenant's cache of provider users is emptied. Events that
 * arrive later with those keys (the helpdesk still has them) are stored as they come.
 */
export async function forgetCustomer(
  context: JobContext,
  tenant: string,
  keys: readonly string[],
): Promise<ForgetSummary> {
  const redis = context.redis;
  const prefix = tenantPrefix(tenant);
  const forgotten = new Set(keys);
  const pseudonym = `forgotten:${randomUUID()}`;
  const rewrite = (json: string): string | null => {
    const event = JSON.parse(json) as NormalizedEvent & { customer?: string | string[] };
    const before = customerKeys(event);
    if (!before.some((key) => forgotten.has(key))) return null;
    const after = [...new Set(before.map((key) => (forgotten.has(key) ? pseudonym : key)))];
    event.customer = after.length === 1 ? after[0] : after;
    return JSON.stringify(event);
  };

  const summary: ForgetSummary = { pseudonym, tickets: 0, calls: 0, surveys: 0, cachedUsers: 0, doneJobs: 0 };
  const changed: Array<{ ticket: string; version: number }> = [];
  // No relink runs while the keys change under it.
  await underLinkLock(redis, prefix, `forget-${pseudonym}`, async () => {
    for (const key of forgotten) {
      // Tickets carrying the key: their timelines.
      for (const ticket of await redis.smembers(`${prefix}cust:${key}`)) {
        const events = await redis.hgetall(`${prefix}tl:${ticket}`);
        const rewritten = Object.entries(events).flatMap(([id, json]) => {
          const now = rewrite(json);
          return now === null ? [] : [[id, now] as const];
        });
        if (rewritten.length === 0) continue;
        const reply = await redis
          .multi()
          .hset(`${prefix}tl:${ticket}`, Object.fromEntries(rewritten))
          .hincrby(`${prefix}ver`, ticket, 1)
          .exec();
        changed.push({ ticket, version: Number(reply?.[1]?.[1]) });
        summary.tickets += 1;
      }
      // Calls without a ticket carrying it (linked to one or not).
      const calls = await redis.smembers(`${prefix}kcalls:${key}`);
      if (calls.length > 0) {
        const stored = await redis.hmget(`${prefix}loose:calls`, ...calls);
        const rewritten = calls.flatMap((id, i) => {
          const now = stored[i] ? rewrite(stored[i]) : null;
          return now === null ? [] : [[id, now] as const];
        });
        if (rewritten.length > 0) await redis.hset(`${prefix}loose:calls`, Object.fromEntries(rewritten));
        summary.calls += rewritten.length;
      }
      // Its indexes move to the pseudonym.
      const move = redis.multi();
      move.sunionstore(`${prefix}cust:${pseudonym}`, `${prefix}cust:${pseudonym}`, `${prefix}cust:${key}`);
      move.sunionstore(
        `${prefix}kcalls:${pseudonym}`,
        `${prefix}kcalls:${pseudonym}`,
        `${prefix}kcalls:${key}`,
      );
      move.del(`${prefix}cust:${key}`, `${prefix}kcalls:${key}`);
      move.srem(`${prefix}callkeys`, key);
      move.hdel(`${prefix}linkdirty`, key);
      await move.exec();
      if (calls.length > 0) await redis.sadd(`${prefix}callkeys`, pseudonym);
      const caseOwner = await redis.hget(`${prefix}caseowner`, key);
      if (caseOwner !== null)
        await redis
          .multi()
          .hdel(`${prefix}caseowner`, key)
          .hset(`${prefix}caseowner`, pseudonym, caseOwner)
          .exec();
    }
    // Surveys without a ticket are not indexed by customer: all are looked at.
    for await (const page of redis.hscanStream(`${prefix}loose:surveys`, { count: 500 }) as AsyncIterable<
      string[]
    >) {
      const rewritten: Array<[string, string]> = [];
      for (let i = 0; i + 1 < page.length; i += 2) {
        const now = rewrite(page[i + 1]!);
        if (now !== null) rewritten.push([page[i]!, now]);
      }
      if (rewritten.length > 0) await redis.hset(`${prefix}loose:surveys`, Object.fromEntries(rewritten));
      summary.surveys += rewritten.length;
    }
    // Cached provider users carry e-mails and phone numbers: the cache fills again as needed.
    for await (const page of redis.scanStream({ match: `${prefix}user:*`, count: 500 }) as AsyncIterable<
      string[]
    >) {
      if (page.length > 0) summary.cachedUsers += await redis.del(...page);
    }
  });
  // Done ingest jobs are kept only to be looked at, with the raw deliveries: they go.
  summary.doneJobs = (await context.queues.ingest.clean(0, 10_000, 'completed')).length;
  // The call cases named by a forgotten key are made again under the pseudonym, and the tickets
  // recomputed (same figures).
  await markLinkDirty(context, tenant, [pseudonym]);
  await enqueueCompute(context, tenant, changed);
  return summary;
}
