import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { jobId } from '../../src/jobs/queues.js';
import { api, drained, postEvents, serviceForFile, testConfig } from './harness.js';

const T0 = Date.parse('2026-05-05T14:00:00Z');
const MINUTE = 60_000;
const clock = { now: T0 };
let service: Service;

serviceForFile(
  () => ({
    config: testConfig({
      sla_policies: [
        { name: 'standard', targets: { first_response: '1h', resolution: '8h' }, warn_at: 0.75 },
      ],
    }),
    now: () => clock.now,
  }),
  (started) => {
    service = started;
  },
);

let serial = 0;
const line = (ticket: string, minutes: number, fields: Record<string, unknown>) => {
  serial += 1;
  return JSON.stringify({
    id: `sla-${serial}`,
    at: new Date(T0 + minutes * MINUTE).toISOString(),
    source: 'custom',
    ticket,
    ...fields,
  });
};
const opened = (ticket: string) => [
  line(ticket, 0, { type: 'ticket.created', channel: 'email', agent: 'maria' }),
  line(ticket, 0, { type: 'message', author: 'customer', public: true }),
];
const timerId = (ticket: string, metric: string, kind: string, minutes: number) =>
  jobId('sla', 'acme', ticket, 'standard', metric, kind, T0 + minutes * MINUTE);

/** Move the clock and fire a timer now instead of waiting for it. */
async function fire(id: string, minutes: number): Promise<void> {
  clock.now = T0 + minutes * MINUTE;
  const job = await service.context.queues.sla.getJob(id);
  expect(job, id).toBeDefined();
  expect(await job!.getState()).toBe('delayed');
  await job!.promote();
  await drained(service);
}
const alerts = async () =>
  (await api(service, '/api/v1/alerts')).body.alerts as Array<Record<string, unknown>>;

describe('SLA timers', () => {
  it('set at the at-risk and breach instants; the at-risk alert fires; a target met meanwhile raises nothing', async () => {
    clock.now = T0 + 10 * MINUTE;
    expect((await postEvents(service, 'acme', opened('s-1'))).status).toBe(202);
    await drained(service);
    const delayed = (await service.context.queues.sla.getJobs(['delayed'])).map((job) => job.id).sort();
    expect(delayed).toEqual(
      [
        timerId('s-1', 'first_response', 'at_risk', 45),
        timerId('s-1', 'first_response', 'breached', 60),
        timerId('s-1', 'resolution', 'at_risk', 360),
        timerId('s-1', 'resolution', 'breached', 480),
      ].sort(),
    );

    await fire(timerId('s-1', 'first_response', 'at_risk', 45), 46);
    const [risk] = await alerts();
    expect(risk).toMatchObject({
      ticket: 's-1',
      kind: 'at_risk',
      metric: 'first_response',
      target_seconds: 3600,
      due_at: new Date(T0 + 60 * MINUTE).toISOString(),
      set_for: new Date(T0 + 45 * MINUTE).toISOString(),
      lag_ms: MINUTE,
      agent: 'maria',
    });

    // Maria answers at 14:50: the breach timer finds the target achieved.
    clock.now = T0 + 50 * MINUTE;
    await postEvents(service, 'acme', [
      line('s-1', 50, { type: 'message', author: 'agent', agent: 'maria' }),
    ]);
    await drained(service);
    await fire(timerId('s-1', 'first_response', 'breached', 60), 61);
    expect(await alerts()).toHaveLength(1);
  });

  it('a breach alerts once; a storm of updates sets one timer per target and kind', async () => {
    clock.now = T0 + 5 * MINUTE;
    await postEvents(service, 'acme', opened('s-2'));
    for (let i = 0; i < 20; i += 1) {
      await postEvents(service, 'acme', [line('s-2', 5, { type: 'ticket.updated', tags: [`t${i}`] })]);
    }
    await drained(service);
    const timers = (await service.context.queues.sla.getJobs(['delayed'])).filter(
      (job) => job.data.ticket === 's-2',
    );
    expect(timers).toHaveLength(4);
    const before = (await alerts()).length;
    await fire(timerId('s-2', 'first_response', 'breached', 60), 60);
    const [breach] = await alerts();
    expect(breach).toMatchObject({ ticket: 's-2', kind: 'breached', lag_ms: 0 });
    // The same timer firing again (a retry, a duplicate) raises nothing new.
    const fired = await service.context.queues.sla.getJob(timerId('s-2', 'first_response', 'breached', 60));
    await service.context.queues.sla.add('breached', fired!.data);
    await drained(service);
    expect(await alerts()).toHaveLength(before + 1);
  });
});
