import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/cli/sample-data.js';
import { compute, EventCollector } from '../../src/metrics/compute.js';
import { callCaseJson, reportJson, ticketJson } from '../../src/metrics/output.js';
import { eventSchema } from '../../src/model/events.js';
import type { Service } from '../../src/cli/service.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { api, drained, postEvents, startRedis, startTestService, testConfig, shuffled } from './harness.js';

let redis: EmbeddedRedis;
let service: Service;

// Both sides judge open waits, SLA targets and call cases at the same instant.
const NOW = Date.parse('2026-04-01T12:00:00Z');

beforeAll(async () => {
  redis = await startRedis();
  service = await startTestService(redis, { now: () => NOW });
});
afterAll(async () => {
  await service?.close();
  await redis?.stop();
});

describe('the live pipeline equals deskpulse compute', () => {
  it('for a multi-channel data set posted out of order, in batches, with duplicates', async () => {
    const events = [...generateSample({ tickets: 120, seed: 11 })].map((event) => eventSchema.parse(event));
    const lines = events.map((event) => JSON.stringify(event));
    const delivered = shuffled([...lines, ...lines.slice(0, 80)], 7);
    for (let i = 0; i < delivered.length; i += 40) {
      const response = await postEvents(service, 'acme', delivered.slice(i, i + 40));
      expect(response.status).toBe(202);
    }
    await drained(service);

    const collector = new EventCollector();
    for (const event of events) collector.add(structuredClone(event));
    const offline = compute(collector, testConfig().tenants.get('acme')!.config, NOW);
    for (const groupBy of ['agent', 'team', 'none'] as const) {
      const expected = reportJson(offline, { groupBy, from: null, to: null });
      const live = await api(service, `/api/v1/report?group_by=${groupBy}`);
      expect(live.status).toBe(200);
      expect(live.body).toEqual({
        ...JSON.parse(JSON.stringify(expected)),
        identity: { unmapped_events: 0 },
      });
    }
    const period = await api(service, '/api/v1/report?group_by=team&from=2026-03-04&to=2026-03-10');
    expect(period.body).toEqual({
      identity: { unmapped_events: 0 },
      ...JSON.parse(
        JSON.stringify(
          reportJson(offline, {
            groupBy: 'team',
            from: Date.parse('2026-03-04'),
            to: Date.parse('2026-03-10'),
          }),
        ),
      ),
    });
    expect(offline.callCases.length).toBeGreaterThan(0);
    const cases = await api(service, '/api/v1/call-cases');
    expect(cases.body.call_cases).toEqual(JSON.parse(JSON.stringify(offline.callCases.map(callCaseJson))));
    const [all] = (await api(service, '/api/v1/report?group_by=none')).body.groups;
    expect(all.resolved).toBeGreaterThan(50);
    expect(all.calls_to_resolution.count).toBeGreaterThan(5);
    expect(all.calls.inbound).toBeGreaterThan(20);
    expect(all.csat.responses).toBeGreaterThan(5);
  });

  it('each ticket from the API equals the offline ticket', async () => {
    const events = [...generateSample({ tickets: 120, seed: 11 })].map((event) => eventSchema.parse(event));
    const collector = new EventCollector();
    for (const event of events) collector.add(structuredClone(event));
    const now = NOW;
    const offline: Array<ReturnType<typeof ticketJson>> = [];
    compute(collector, testConfig().tenants.get('acme')!.config, now, (ticket) =>
      offline.push(ticketJson(ticket)),
    );
    const phoneTickets = offline.filter((ticket) => ticket.calls_to_resolution > 0);
    expect(phoneTickets.length).toBeGreaterThan(5);
    for (const expected of [...phoneTickets.slice(0, 10), ...offline.slice(0, 10)]) {
      const live = await api(service, `/api/v1/tickets/${encodeURIComponent(expected.ticket)}`);
      expect(live.status).toBe(200);
      expect(live.body).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });
});
