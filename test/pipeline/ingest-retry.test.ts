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

  it('counts a named batch in the stats once, with its append, and knows when it ran before', async () => {
    const stats = () => connection.hgetall('dp:{named}:stats');
    const byTicket = (result: { tickets: Array<{ ticket: string }> }) =>
      [...result.tickets].sort((a, b) => a.ticket.localeCompare(b.ticket));
    const first = await appendEvents(connection, 'named', events, [], [], false, { id: 'b1', ignored: 2 });
    expect(await stats()).toEqual({ events: '4', ignored_deliveries: '2' });
    // The same batch again (its job rerun after a crash past the append): counted once, and its
    // tickets and relink asked for again although the job did not say it was a retry.
    const rerun = await appendEvents(connection, 'named', events, [], [], false, { id: 'b1', ignored: 2 });
    expect(rerun.duplicates).toBe(4);
    expect(rerun.linkDirty).toBe(true);
    expect(byTicket(rerun)).toEqual(byTicket(first));
    expect(await stats()).toEqual({ events: '4', ignored_deliveries: '2' });
    // Another batch of the same events (a provider delivering again): duplicates, nothing to do.
    const other = await appendEvents(connection, 'named', events, [], [], false, { id: 'b2' });
    expect(other).toEqual({ duplicates: 4, linkDirty: false, tickets: [] });
    expect(await stats()).toEqual({ events: '4', duplicates: '4', ignored_deliveries: '2' });
    // A batch of ignored deliveries only is counted too.
    await appendEvents(connection, 'named', [], [], [], false, { id: 'b3', ignored: 1 });
    expect(await stats()).toEqual({ events: '4', duplicates: '4', ignored_deliveries: '3' });
  });

  it('the ingest job names its batch and tells appendEvents it is a retry when started before', async () => {
    const service = await startTestService(redis, { workers: false, http: false });
    try {
      const batch = events.map((event) =>
        eventSchema.parse({
          ...event,
          id: `job-${event.id}`,
          ...('ticket' in event && event.ticket ? { ticket: `j${event.ticket}` } : {}),
        }),
      );
      // Job 41's first run appended the events and died before scheduling anything.
      await appendEvents(
        service.context.redis,
        'acme',
        batch.map((event) => ({ ...event, tenant: 'acme' })),
        [],
        [],
        false,
        { id: '41@1000' },
      );
      const job = (id: string, attemptsStarted: number) =>
        ({
          id,
          timestamp: 1000,
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
      const stats = () => service.context.redis.hgetall('dp:{acme}:stats');
      // Another job with the same events (delivered again): duplicates, nothing to schedule.
      await processIngest(job('99', 1), service.context);
      expect(await computes()).toEqual([]);
      expect(await stats()).toMatchObject({ events: '4', duplicates: '4' });
      // Job 41 run again: its batch is known, so its recomputes are scheduled, its counts not again.
      await processIngest(job('41', 2), service.context);
      expect(await computes()).toEqual(['jt1', 'jt2']);
      expect(await stats()).toMatchObject({ events: '4', duplicates: '4' });
      // A job started before whose batch is not known (kept an hour) is still treated as a retry.
      await service.context.queues.compute.drain(true);
      await processIngest(job('77', 2), service.context);
      expect(await computes()).toEqual(['jt1', 'jt2']);
    } finally {
      await service.close();
    }
  });
});
