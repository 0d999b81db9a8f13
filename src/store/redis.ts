import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connections. Workers block on Redis and must wait through outages (`maxRetriesPerRequest:
 * null`, BullMQ's requirement); the webhook receiver must fail fast so it can answer 503 and
 * let the provider retry (`enableOfflineQueue: false`).
 */
export function workerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, ...options });
}

export function receiverConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...options,
  });
}

/** All of a tenant's keys share one hash tag, so a Lua script or MULTI over them works on Redis Cluster. */
export const tenantPrefix = (tenant: string): string => `dp:{${tenant}}:`;

/** ioredis options from a `redis://` or `rediss://` URL. */
export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Delete a lock only if `owner` still holds it (it may have expired and been taken since). */
export async function releaseLock(redis: Redis, key: string, owner: string): Promise<void> {
  await redis.eval(
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
    1,
    key,
    owner,
  );
}

const DELETE_UNCHANGED = `
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return redis.call('HLEN', KEYS[1])`;

/**
 * Delete the fields of a work hash that were handled, unless they changed meanwhile (compare and
 * delete, atomically); returns how many fields are left.
 */
export async function deleteUnchanged(
  redis: Redis,
  key: string,
  handled: ReadonlyArray<readonly [string, string]>,
): Promise<number> {
  return (await redis.eval(DELETE_UNCHANGED, 1, key, ...handled.flat())) as number;
}
