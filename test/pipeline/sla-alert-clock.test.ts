import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { jobId } from '../../src/jobs/queues.js';
import { api, drained, postEvents, serviceForFile, testConfig, weekdays } from './harness.js';

// Tuesday 5 May 2026, 14:30Z: 10:30 in New York (open), 16:30 in Madrid (closed since 16:00).
const T0 = Date.parse('2026-05-05T14:30:00Z');
const MINUTE = 60_000;
const clock = { now: T0 };
let service: Service;

serviceForFile(
  () => ({
    config: testConfig({
      business_hours: { timezone: 'America/New_York', weekly: weekdays(['09:00', '17:00']) },
      teams: {
        emea: { business_hours: { timezone: 'Europe/Madrid', weekly: weekdays(['08:00', '16:00']) } },
      },
      sla_policies: [
        { name: 'standard', targets: { first_response: '1h' }, business_hours: true, warn_at: 0.75 },
      ],
    }),
    now: () => clock.now,
  }),
  (started) => {
    service = started;
  },
);

const line = (id: string, minutes: number, fields: Record<string, unknown>) =>
  JSON.stringify({
    id,
    at: new Date(T0 + minutes * MINUTE).toISOString(),
    source: 'custom',
    ticket: 'c-1',
    ...fields,
  });

describe("an SLA alert's time left", () => {
  it("counts on the calendar the target runs on (the team's at its start), not the current team's", async () => {
    // Opened with no team (New York's hours: due 15:30Z, at risk from 15:15Z), then moved to emea.
    await postEvents(service, 'acme', [
      line('c-1', 0, { type: 'ticket.created', channel: 'email' }),
      line('c-2', 0, { type: 'message', author: 'customer', public: true }),
      line('c-3', 5, { type: 'ticket.updated', team: 'emea' }),
    ]);
    await drained(service);
    const warnAt = T0 + 45 * MINUTE;
    const job = await service.context.queues.sla.getJob(
      jobId('sla', 'acme', 'c-1', 'standard', 'first_response', 'at_risk', warnAt),
    );
    expect(job).toBeDefined();
    clock.now = warnAt + MINUTE;
    await job!.promote();
    await drained(service);

    const [alert] = (await api(service, '/api/v1/alerts')).body.alerts;
    // 15:16Z → 15:30Z in New York's open hours; Madrid's would say 0 (closed since 14:00Z).
    expect(alert).toMatchObject({
      kind: 'at_risk',
      due_at: new Date(T0 + 60 * MINUTE).toISOString(),
      business: true,
      seconds_left: 14 * 60,
    });
    const [listed] = (await api(service, '/api/v1/at-risk')).body.targets;
    expect(listed).toMatchObject({ team: 'emea', remaining_seconds: 14 * 60, ticking: true });
  });
});
