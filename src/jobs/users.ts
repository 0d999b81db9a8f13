import { CONNECTORS } from '../connectors/registry.js';
import type { UserDirectory } from '../connectors/types.js';
import { UserCache } from '../store/user-cache.js';
import type { JobContext } from './context.js';

/** A connector's user look-ups (agent or end user, e-mail, phone) behind the tenant's Redis cache. */
export function userDirectory(
  context: JobContext,
  tenant: string,
  connectorId: string,
  settings: unknown,
): UserDirectory {
  const connector = CONNECTORS[connectorId];
  const cache = new UserCache(context.redis, tenant, connectorId);
  return {
    async user(id) {
      // What payloads taught the cache first: some providers have no user look-up at all.
      const cached = await cache.get(id);
      if (cached !== undefined) return cached;
      if (!connector?.lookupUser) return null;
      const user = await connector.lookupUser(settings, id, context.fetch);
      await cache.set(id, user);
      return user;
    },
    async remember(id, user) {
      await cache.set(id, user);
    },
  };
}
