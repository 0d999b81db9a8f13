// Jobs that stop part-way (a worker killed, Redis or a queue failing between two steps) are run
// again by BullMQ. Each test makes one queue call fail right after a job's first write, then
// runs the job again as BullMQ would, and checks that the work the write should have led to is
// done (recomputes, SLA timers, Slack alerts and follow-ups) and that nothing is counted twice.
import type { Job } from 'bullmq';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { processCompute } from '../../src/jobs/compute.js';
import type { JobContext } from '../../src/jobs/context.js';
import { processLink } from '../../src/jobs/link.js';
import { processNotify } from '../../src/jobs/notify.js';
import type { Queues } from '../../src/jobs/queues.js';
import { processSlaTimer, readAlerts } from '../../src/jobs/sla-timers.js';
import { eventSchema } from '../../src/model/events.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { appendEvents } from '../../src/store/timelines.js';
import { startRedis, startTestService, testConfig, ZENDESK_SECRET } from './harness.js';

const T0 = Date.parse('2026-05-05T14:00:00Z');
const MINUTE = 60_000;
const clock = { now: T0 };
let redis: EmbeddedRedis;
let service: Service;

beforeAll(async () => {
  redis = await startRedis();
  service = await startTestService(redis, {
    workers: false,
    http: false,
    now: () => clock.now,
    config: testConfig(
      {
        sla_policies: [{ name: 'standard', targets: { first_response: '1h' }, warn_at: 0.75 }],
        slack: {
          signing_secret: 'slack-signing-secret-for-tests',
          destinations: [{ webhook_url: 'https://hooks.slack.com/services/T0/B0/all' }],
        },
      },
      {
        zendesk: {
          subdomain: 'acme',
          email: 'api@acme.test',
          api_token: 'zd-token',
          signing_secret: ZENDESK_SECRET,
          push_back: { fields: { first_response_minutes: 111 } },
        },
      },
    ),
  });
});
afterAll(async () => {
  await service.close();
  await redis.stop();
});

/** A job as BullMQ hands it to a processor: `attemptsStarted` 1 on its first run. */
const job = (data: unknown, attemptsStarted: number, id = 'job-1') =>
  ({ id, name: 'test', data, attemptsStarted, stalledCounter: 0, timestamp: T0 }) as unknown as Job;

/** The service's context with one queue's `addBulk` (or `add`) failing once (the worker died there). */
function failingOnce(queue: keyof Omit<Queues, 'close'>, method: 'add' | 'addBulk' = 'addBulk'): JobContext {
  let failed = false;
  const real = service.context.queues[queue];
  const broken = new Proxy(real, {
    get(target, property) {
      if (property === method && !failed) {
        return () => {
          failed = true;
          return Promise.reject(new Error(`${queue}.${method}: connection lost`));
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...service.context, queues: { ...service.context.queues, [queue]: broken } };
}

let serial = 0;
async function append(ticket: string | null, minutes: number, fields: Record<string, unknown>) {
  serial += 1;
  const event = eventSchema.parse({
    id: `rerun-${serial}`,
    at: new Date(T0 + minutes * MINUTE).toISOString(),
    source: 'custom',
    tenant: 'acme',
    ...(ticket ? { ticket } : {}),
    ...fields,
  });
  await appendEvents(service.context.redis, 'acme', [event]);
  return event.id;
}
const open = async (ticket: string, fields: Record<string, unknown> = {}) => {
  await append(ticket, 0, { type: 'ticket.created', channel: 'email', agent: 'maria', ...fields });
  return append(ticket, 0, { type: 'message', author: 'customer', public: true });
};
/** The at-risk timer of a ticket opened at T0 (first response due in 1 h, warned at 45 min). */
const atRisk = (ticket: string) => ({
  tenant: 'acme',
  ticket,
  policy: 'standard',
  metric: 'first_response',
  kind: 'at_risk',
  at: T0 + 45 * MINUTE,
});
const version = async (ticket: string) => Number(await service.context.redis.hget('dp:{acme}:ver', ticket));
const queued = async (queue: keyof Omit<Queues, 'close'>, ticket?: string) =>
  (await service.context.queues[queue].getJobs(['waiting', 'prioritized', 'delayed']))
    .filter((found) => ticket === undefined || (found.data as { ticket?: string }).ticket === ticket)
    .map((found) => found.name)
    .sort();

describe('jobs run again after stopping part-way', () => {
  it('a recompute that wrote its result but set no SLA timers sets them when run again', async () => {
    clock.now = T0 + 10 * MINUTE;
    await open('custom:c1');
    const data = { tenant: 'acme', ticket: 'custom:c1', version: await version('custom:c1') };
    await expect(processCompute(job(data, 1), failingOnce('sla'))).rejects.toThrow('connection lost');
    expect(await service.context.redis.hget('dp:{acme}:done', 'custom:c1')).toBe(String(data.version));
    expect(await queued('sla', 'custom:c1')).toEqual([]);
    // Another job for a version already written is stale; the same job run again is not.
    expect(await processCompute(job(data, 1), service.context)).toBe('stale');
    expect(await queued('sla', 'custom:c1')).toEqual([]);
    expect(await processCompute(job(data, 2), service.context)).toBe('written');
    expect(await queued('sla', 'custom:c1')).toEqual(['at_risk', 'breached']);
  });

  it('a relink that moved a call but scheduled no recompute schedules it when run again', async () => {
    const phone = 'phone:+14155550111';
    await open('custom:l1', { customer: phone });
    const computed = { tenant: 'acme', ticket: 'custom:l1', version: await version('custom:l1') };
    expect(await processCompute(job(computed, 1), service.context)).toBe('written');
    await service.context.queues.compute.drain(true);
    const call = await append(null, 5, {
      type: 'call',
      customer: phone,
      call: {
        id: 'rerun-call-1',
        direction: 'inbound',
        started_at: new Date(T0 + 5 * MINUTE).toISOString(),
        ended_at: new Date(T0 + 6 * MINUTE).toISOString(),
        outcome: 'missed',
      },
    });
    const linkJob = job({ tenant: 'acme' }, 1, 'link-1');
    await expect(processLink(linkJob, failingOnce('compute'))).rejects.toThrow('connection lost');
    expect(await service.context.redis.hget('dp:{acme}:links', call)).toBe('custom:l1');
    expect(await version('custom:l1')).toBe(computed.version + 1);
    expect(await queued('compute')).toEqual([]);
    // Run again: the call no longer moves, but the ticket's result is older than its timeline.
    await processLink(job({ tenant: 'acme' }, 2, 'link-1'), service.context);
    const jobs = await service.context.queues.compute.getJobs(['waiting', 'prioritized', 'delayed']);
    expect(jobs.map((found) => found.data)).toEqual([{ ...computed, version: computed.version + 1 }]);
  });

  it('an SLA alert recorded before its Slack deliveries were queued is delivered when run again', async () => {
    clock.now = T0 + 10 * MINUTE;
    await open('custom:s1');
    await service.context.queues.notify.drain(true);
    clock.now = T0 + 46 * MINUTE;
    const timer = atRisk('custom:s1');
    await expect(processSlaTimer(job(timer, 1, 'sla-1'), failingOnce('notify'))).rejects.toThrow(
      'connection lost',
    );
    const alerts = async () =>
      (await readAlerts(service.context, 'acme')).filter(
        (alert) => (alert as { ticket: string }).ticket === 'custom:s1',
      );
    expect(await alerts()).toHaveLength(1);
    expect(await queued('notify')).toEqual([]);
    // The timer firing again (set again by a recompute) does not alert twice…
    expect(await processSlaTimer(job(timer, 1, 'sla-2'), service.context)).toBe('already alerted');
    expect(await queued('notify')).toEqual([]);
    // …but the job that recorded it, run again, queues its deliveries, counted and listed once.
    expect(await processSlaTimer(job(timer, 2, 'sla-1'), service.context)).toMatch(/queued again/);
    expect(await queued('notify')).toEqual(['slack']);
    expect(await alerts()).toHaveLength(1);
    expect(await service.context.redis.hget('dp:{acme}:stats', 'alerts_at_risk')).toBe('1');
    await service.context.queues.notify.drain(true);

    // The agent answers: the recompute that finds it follows the alert up, even if it stopped
    // before queueing the follow-up the first time.
    await append('custom:s1', 50, { type: 'message', author: 'agent', agent: 'maria', public: true });
    clock.now = T0 + 51 * MINUTE;
    const data = { tenant: 'acme', ticket: 'custom:s1', version: await version('custom:s1') };
    await expect(processCompute(job(data, 1), failingOnce('notify'))).rejects.toThrow('connection lost');
    expect(await queued('notify')).toEqual([]);
    expect(await processCompute(job(data, 2), service.context)).toBe('written');
    expect(await queued('notify')).toEqual(['slack-follow-up']);
    // Followed up once: a later recompute does not queue it again.
    await service.context.queues.notify.drain(true);
    expect(await processCompute(job(data, 3), service.context)).toBe('written');
    expect(await queued('notify')).toEqual([]);
  });

  it('a delivery queued again after its job was sent and removed is not sent again', async () => {
    clock.now = T0 + 10 * MINUTE;
    await service.context.queues.notify.drain(true);
    await open('custom:s3');
    clock.now = T0 + 46 * MINUTE;
    const timer = atRisk('custom:s3');
    const deliveries = async () =>
      (await service.context.queues.notify.getJobs(['waiting', 'prioritized', 'delayed'])).filter((found) =>
        found.name.startsWith('slack'),
      );
    expect(await processSlaTimer(job(timer, 1, 'sla-3'), service.context)).toMatch(/alert/);
    const [first] = await deliveries();
    const posted: string[] = [];
    const slack = nock('https://hooks.slack.com')
      .post('/services/T0/B0/all', (body: { text: string }) => {
        posted.push(body.text);
        return true;
      })
      .times(2)
      .reply(200, 'ok');
    expect(await processNotify(first!, service.context)).toBe('sent');
    // Done and pruned (BullMQ keeps only the last 1,000 completed jobs)…
    await first!.remove();
    // …when the timer job runs again (it had stopped after recording the alert): its delivery is
    // queued again under the same job id, and finds the alert sent to that destination.
    expect(await processSlaTimer(job(timer, 2, 'sla-3'), service.context)).toMatch(/queued again/);
    const [again] = await deliveries();
    expect(again!.id).toBe(first!.id);
    expect(await processNotify(again!, service.context)).toBe('already sent');
    await again!.remove();
    expect(posted).toEqual([':warning: SLA at risk: first response of custom:s3']);
    // The follow-up is a delivery of its own, sent once too.
    const followUp = { ...(first!.data as object), followUp: { what: 'answered', by: 'maria' } };
    expect(await processNotify(job(followUp, 1, 'nf-1'), service.context)).toBe('sent');
    expect(await processNotify(job(followUp, 1, 'nf-2'), service.context)).toBe('already sent');
    expect(slack.isDone()).toBe(true);
    expect(posted).toHaveLength(2);
    expect(posted[1]).toMatch(/custom:s3 answered by maria/);
  });

  it('a recompute that left values to push but scheduled no push schedules one when run again', async () => {
    clock.now = T0 + 10 * MINUTE;
    await service.context.queues.notify.drain(true);
    await open('zendesk:900');
    const data = { tenant: 'acme', ticket: 'zendesk:900', version: await version('zendesk:900') };
    await expect(processCompute(job(data, 1), failingOnce('notify', 'add'))).rejects.toThrow(
      'connection lost',
    );
    expect(await service.context.redis.hget('dp:{acme}:pushpending', 'zendesk:900')).not.toBeNull();
    expect(await queued('notify')).toEqual([]);
    expect(await processCompute(job(data, 2), service.context)).toBe('written');
    expect(await queued('notify')).toEqual(['push-back']);
  });
});
