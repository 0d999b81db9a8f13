import type { Redis } from 'ioredis';
import { tenantPrefix } from './redis.js';

export interface CachedUser {
  role: 'agent' | 'end-user';
  email?: string;
  phone?: string;
}

/** Provider users (role, e-mail, phone) cached for a day; unknown users for an hour. */
export class UserCache {
  constructor(
    private readonly redis: Redis,
    private readonly tenant: string,
    private readonly source: string,
  ) {}

  private key(id: string): string {
    return `${tenantPrefix(this.tenant)}user:${this.source}:${id}`;
  }

  async get(id: string): Promise<CachedUser | null | undefined> {
    const json = await this.redis.get(this.key(id));
    return json === null ? undefined : (JSON.parse(json) as CachedUser | null);
  }

  async set(id: string, user: CachedUser | null): Promise<void> {
    await this.redis.set(this.key(id), JSON.stringify(user), 'EX', user ? 86_400 : 3_600);
  }
}
