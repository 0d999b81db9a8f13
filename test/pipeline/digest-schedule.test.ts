import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { processDigestCheck } from '../../src/jobs/digest.js';
import { drained, serviceForFile, testConfig } from './harness.js';

// The tenant's day is New York's; its digest is at 02:00, an hour the clocks skip on
// Sunday 2026-03-08 (01:59 EST is followed by 03:00 EDT).
const clock = { now: Date.parse('2026-03-07T12:00:00Z') };
let service: Service;

serviceForFile(
  () => ({
    config: testConfig({
      business_hours: { timezone: 'America/New_York', weekly: { mon: [['09:00', '17:00']] } },
      slack: {
        signing_secret: 'slack-signing-secret-for-tests',
        destinations: [{ webhook_url: 'https://hooks.slack.com/services/T0/B0/all' }],
        digest: { hour: 2 },
      },
    }),
    now: () => clock.now,
  }),
  (started) => {
    service = started;
  },
);

/** Run the hourly check at `iso`; how many digests it queued. */
async function checkAt(iso: string): Promise<number> {
  clock.now = Date.parse(iso);
  const queued = await processDigestCheck(service.context);
  await drained(service);
  return queued;
}

const digestDays = async () =>
  (await service.context.queues.notify.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed']))
    .filter((job) => job.name === 'digest')
    .map((job) => (job.data as { day: string }).day)
    .sort();

describe('daily digest schedule', () => {
  it('is sent once the local hour has come, on the day the clocks skip it, and after a missed check', async () => {
    // Saturday: 01:00 EST is before the hour, 02:00 EST is it, 03:00 EST is after it (once).
    expect(await checkAt('2026-03-07T06:00:00Z')).toBe(0);
    expect(await checkAt('2026-03-07T07:00:00Z')).toBe(1);
    expect(await checkAt('2026-03-07T08:00:00Z')).toBe(0);
    expect(await digestDays()).toEqual(['2026-03-06']);

    // Sunday: 06:00Z is 01:00 EST; the next hour is 03:00 EDT, there is no 02:00.
    expect(await checkAt('2026-03-08T06:00:00Z')).toBe(0);
    expect(await checkAt('2026-03-08T07:00:00Z')).toBe(1);
    expect(await digestDays()).toEqual(['2026-03-06', '2026-03-07']);

    // Monday: no check ran at 02:00 EDT (the workers were down); the first one after, at 14:00,
    // sends Sunday's digest, and later checks that day add nothing.
    expect(await checkAt('2026-03-09T18:00:00Z')).toBe(1);
    expect(await checkAt('2026-03-09T19:00:00Z')).toBe(0);
    // Tuesday 01:00 EDT: Monday's digest is not due before 02:00.
    expect(await checkAt('2026-03-10T05:00:00Z')).toBe(0);
    expect(await digestDays()).toEqual(['2026-03-06', '2026-03-07', '2026-03-08']);
  });

  it('is not queued again once its job is gone from the queue', async () => {
    // Completed jobs are kept only up to a count; the day's mark, not the job id, keeps it once.
    // Thursday 02:00 EDT, then a second check within the hour.
    expect(await checkAt('2026-03-12T06:00:00Z')).toBe(1);
    await service.context.queues.notify.clean(0, 10_000, 'completed');
    expect(await digestDays()).toEqual([]);
    expect(await checkAt('2026-03-12T06:30:00Z')).toBe(0);
    expect(await digestDays()).toEqual([]);
  });
});
