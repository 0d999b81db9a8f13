import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, dueSoon, type Queues } from '../../src/jobs/queues.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { startRedis } from './harness.js';

let redis: EmbeddedRedis;
let connection: Redis;
let queues: Queues;

beforeAll(async () => {
  redis = await startRedis();
  connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  queues = createQueues(connection, '{deskpulse-queues-test}');
});
afterAll(async () => {
  await queues.close();
  connection.disconnect();
  await redis.stop();
});

describe('waiting for the queues', () => {
  it('a job due now is seen behind hundreds of far-off timers (soonest first)', async () => {
    const far = Array.from({ length: 250 }, (_, i) => ({
      name: 'timer',
      data: {},
      opts: { delay: 86_400_000 + i * 1000 },
    }));
    await queues.sla.addBulk(far);
    expect(await dueSoon(queues.sla)).toBe(0);
    await queues.sla.add('timer', {}, { delay: 1000 });
    expect(await dueSoon(queues.sla)).toBe(1);
  });
});
