import type { Redis } from 'ioredis';
import type { ScratchPad } from '../connectors/types.js';
import { tenantPrefix } from './redis.js';

const TTL_SECONDS = 2 * 86_400;
const CLAIMED = '~claimed';

/** `ScratchPad` on Redis hashes under `dp:{tenant}:scratch:<source>:<key>`. */
export function redisScratchPad(redis: Redis, tenant: string, source: string): ScratchPad {
  const key = (name: string) => `${tenantPrefix(tenant)}scratch:${source}:${name}`;
  return {
    async merge(name, fields) {
      const write = redis.multi();
      if (Object.keys(fields).length > 0) write.hset(key(name), fields).expire(key(name), TTL_SECONDS);
      const reply = await write.hgetall(key(name)).exec();
      const [error, all] = reply?.at(-1) ?? [new Error('the scratch write was aborted'), null];
      if (error) throw error;
      const { [CLAIMED]: _claimed, ...rest } = all as Record<string, string>;
      return rest;
    },
    async claim(name) {
      return (await redis.hsetnx(key(name), CLAIMED, '1')) === 1;
    },
  };
}
