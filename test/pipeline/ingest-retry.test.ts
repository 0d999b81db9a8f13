import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processIngest } from '../../src/jobs/ingest.js';
import { eventSchema } from '../../src/model/events.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { appendEvents } from '../../src/store/timelines.js';
import { startRedis, startTestService } from './harness.js';

let redis: EmbeddedRedis;
let connection: Redis;

beforeAll(async () => {
  redis = await startRedis();
  connection = new Redis(redis.url, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  connection.disconnect();
  await redis.stop();
});

const at = '2026-03-02T14:00:00.000Z';
const events = [
  { id: 'r-1', type: 'ticket.created', at, source: 't', ticket: 't1', customer: 'phone:+14155550100' },
  { id: 'r-2', type: 'message', at, source: 't', ticket: 't1', author: 'customer' },
  { id: 'r-3', type: 'message', at, source: 't', ticket: 't2', author: 'customer' },
  {
    id: 'r-4',
    type: 'call',
    at,
    source: 't',
    customer: 'phone:+14155550100',
    call: { id: 'c-4', direction: 'inbound', started_at: at, ended_at: at, outcome: 'missed' },
  },
].map((event) => eventSchema.parse(event));

describe('an ingest batch run again after stopping part-way', () => {
  it('reports the tickets its events are on, and asks for relinking, only when told it is a retry', async () => {
    const first = await appendEvents(connection, 'retry', events);
    expect(first.duplicates).toBe(0);
    expect(first.linkDirty).toBe(true);
    expect(first.tickets.sort((a, b) => a.ticket.localeCompare(b.ticket))).toEqual([
      { ticket: 't1', version: 2 },
      { ticket: 't2', version: 1 },
    ]);
    // A copy delivered again (a provider's retry): nothing new, nothing to do.
    const again = await appendEvents(connection, 'retry', events);
    expect(again).toEqual({ duplicates: 4, linkDirty: false, tickets: [] });
    // The same batch run again by its job after a crash between appending and scheduling: the
    // recomputes (at the tickets' current versions) and the relink are asked for again.
    const retried = await appendEvents(connection, 'retry', events, [], [], true);
    expect(retried.duplicates).toBe(4);
    expect(retried.linkDirty).toBe(true);
    expect(retried.tickets.sort((a, b) => a.ticket.localeCompare(b.ticket))).toEqual([
      { ticket: 't1', version: 2 },
      { ticket: 't2', version: 1 },
    ]);
  });

  it('the ingest job tells appendEvents it is a retry when it was started before', async () => {
    const service = await startTestService(redis, { workers: false, http: false });
    try {
      const batch = events.map((event) =>
        eventSchema.parse({
          ...event,
          id: `job-${event.id}`,
          ...('ticket' in event && event.ticket ? { ticket: `j${event.ticket}` } : {}),
        }),
      );
      // The first run appended the events and died before scheduling anything.
      await appendEvents(
        service.context.redis,
        'acme',
        batch.map((event) => ({ ...event, tenant: 'acme' })),
      );
      const job = (attemptsStarted: number) =>
        ({
          data: {
            deliveries: [
              {
                tenant: 'acme',
                connector: 'events',
                body: batch.map((event) => JSON.stringify(event)).join('\n'),
                receivedAt: Date.now(),
              },
            ],
          },
          attemptsStarted,
          stalledCounter: 0,
        }) as unknown as Job;
      const computes = async () =>
        (await service.context.queues.compute.getJobs(['waiting', 'prioritized', 'delayed']))
          .map((queued) => (queued.data as { ticket: string }).ticket)
          .sort();
      await processIngest(job(1), service.context);
      expect(await computes()).toEqual([]);
      await processIngest(job(2), service.context);
      expect(await computes()).toEqual(['jt1', 'jt2']);
    } finally {
      await service.close();
    }
  });
});
