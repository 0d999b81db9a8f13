import type { Redis } from 'ioredis';
import type { ServiceConfig } from '../config/service-config.js';
import type { Queues } from './queues.js';

/** What every processor needs: the configuration, a Redis connection, the queues and a clock. */
export interface JobContext {
  config: ServiceConfig;
  redis: Redis;
  queues: Queues;
  now: () => number;
  fetch: typeof fetch;
  log: (message: string, fields?: Record<string, unknown>) => void;
}
