import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { compute, EventCollector } from '../../src/metrics/compute.js';
import { callCaseJson, reportJson, ticketJson } from '../../src/metrics/output.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import {
  eventsOf,
  namespaced,
  REFERENCE_TENANT as TENANT,
  scenario,
} from '../metrics/reference-scenarios.js';
import { api, drained, postEvents, startRedis, startTestService, testConfig, shuffled } from './harness.js';

/**
 * The live pipeline on the reference test's edge cases: sixty random scenarios (ties at one
 * instant, events before creation, reopens, calls linked by customer keys or making call cases,
 * surveys) posted in a shuffled order, in batches, with duplicates, under calendars that change
 * their clocks inside open hours, must give what `deskpulse compute` gives on the same events —
 * every ticket, the call cases and the report — however the webhooks arrived.
 */

const NOW = Date.parse('2026-10-05T12:00:00Z');
let redis: EmbeddedRedis;
let service: Service;

beforeAll(async () => {
  redis = await startRedis();
  service = await startTestService(redis, { config: testConfig(TENANT), now: () => NOW });
});
afterAll(async () => {
  await service?.close();
  await redis?.stop();
});

describe('the live pipeline on the reference scenarios', () => {
  it('equals deskpulse compute on the same events, posted shuffled, batched and duplicated', async () => {
    const events = fc
      .sample(scenario, { seed: 20261123, numRuns: 60 })
      .flatMap((s, n) => namespaced(eventsOf(s), n));
    const lines = events.map((event) => JSON.stringify(event));
    const delivered = shuffled([...lines, ...lines.slice(0, Math.floor(lines.length / 6))], 11);
    for (let i = 0; i < delivered.length; i += 50) {
      expect((await postEvents(service, 'acme', delivered.slice(i, i + 50))).status).toBe(202);
    }
    await drained(service);

    const collector = new EventCollector();
    for (const event of events) collector.add(structuredClone(event));
    const tickets: Array<ReturnType<typeof ticketJson>> = [];
    const offline = compute(collector, testConfig(TENANT).tenants.get('acme')!.config, NOW, (ticket) =>
      tickets.push(ticketJson(ticket)),
    );
    for (const groupBy of ['agent', 'team', 'none'] as const) {
      const live = await api(service, `/api/v1/report?group_by=${groupBy}`);
      expect(live.body).toEqual({
        ...JSON.parse(JSON.stringify(reportJson(offline, { groupBy, from: null, to: null }))),
        identity: { unmapped_events: 0 },
      });
    }
    // A period in the tenant's days (New York, across the change to summer time on 8 March).
    const period = await api(service, '/api/v1/report?group_by=none&from=2026-03-06&to=2026-03-09T12:00');
    const [from, to] = [Date.parse('2026-03-06T05:00:00Z'), Date.parse('2026-03-09T16:00:00Z')];
    expect([period.body.from, period.body.to]).toEqual([
      new Date(from).toISOString(),
      new Date(to).toISOString(),
    ]);
    expect(period.body.groups).toEqual(
      JSON.parse(JSON.stringify(reportJson(offline, { groupBy: 'none', from, to }).groups)),
    );
    const cases = await api(service, '/api/v1/call-cases');
    expect(cases.body.call_cases).toEqual(JSON.parse(JSON.stringify(offline.callCases.map(callCaseJson))));
    for (const expected of tickets) {
      const live = await api(service, `/api/v1/tickets/${encodeURIComponent(expected.ticket)}`);
      expect(live.body, expected.ticket).toEqual(JSON.parse(JSON.stringify(expected)));
    }
    // The scenarios reach what they are for.
    expect(tickets.length).toBeGreaterThan(60);
    expect(offline.callCases.length).toBeGreaterThan(5);
    expect(tickets.filter((t) => t.reopens > 0).length).toBeGreaterThan(5);
    expect(tickets.filter((t) => t.sla.length > 0).length).toBeGreaterThan(20);
  });
});
