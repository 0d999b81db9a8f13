// Connectors' fidelity: the demo's traffic is a sample data set turned into what each provider
// would send (demo-traffic.ts) — Zendesk and Intercom webhooks, Freshdesk and LiveAgent webhooks
// with their APIs' answers, calls from Aircall, Twilio and VoIPstudio. Posted through the real
// endpoints and normalised back, each ticket's metrics and SLA targets must be the sample's own, computed
// directly; what a provider cannot say is named below, and only that may differ.
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFetch } from '../../src/cli/demo-apis.js';
import {
  demoConfigYaml,
  postDemoTraffic,
  rememberDemoUsers,
  sampleUpTo,
} from '../../src/cli/demo-command.js';
import { demoTraffic } from '../../src/cli/demo-traffic.js';
import type { Service } from '../../src/cli/service.js';
import { buildServiceConfig } from '../../src/config/service-config.js';
import { waitUntilIdle } from '../../src/jobs/queues.js';
import { compute, EventCollector, type TicketResult } from '../../src/metrics/compute.js';
import { ticketJson } from '../../src/metrics/output.js';
import { type Group, type GroupBy, ReportBuilder } from '../../src/metrics/report.js';
import { configSchema } from '../../src/model/config.js';
import { eventSchema, type NormalizedEvent } from '../../src/model/events.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { api, startRedis, startTestService } from './harness.js';

const START = '2026-03-02T00:00:00.000Z';
const demo = demoConfigYaml();
const config = configSchema.parse(parseYaml(demo.yaml));

/**
 * Once when every ticket of the sample is done, and once mid-flight — tickets unanswered, customers
 * waiting, targets running and at risk — as the live service always is.
 */
for (const [label, nowText] of [
  ['when the sample is done', '2026-03-13T12:00:00Z'],
  ['mid-flight', '2026-03-10T14:00:00Z'],
] as const) {
  const NOW = Date.parse(nowText);
  const sample = sampleUpTo(NOW, { tickets: 160, start: START, days: 10, seed: 3 });
  let redis: EmbeddedRedis;
  let service: Service;

  beforeAll(async () => {
    redis = await startRedis();
    const traffic = demoTraffic(sample);
    service = await startTestService(redis, {
      config: buildServiceConfig(config, 'demo.yaml'),
      fetch: demoFetch(traffic.apis),
      now: () => NOW,
    });
    await rememberDemoUsers(service.context.redis, traffic);
    await postDemoTraffic(service.url, traffic, demo);
    await waitUntilIdle(service.context.queues, 120_000);
  }, 180_000);
  afterAll(async () => {
    await service?.close();
    await redis?.stop();
  });

  /** The sample's events, each as `adjust` makes it, ready to compute. */
  function collected(adjust: (event: NormalizedEvent) => void = () => {}): EventCollector {
    const collector = new EventCollector();
    for (const event of sample) {
      const parsed = eventSchema.parse(event);
      adjust(parsed);
      collector.add(parsed);
    }
    return collector;
  }

  /** The sample's report, computed directly. */
  function offlineReport(groupBy: GroupBy, collector = collected()): Group[] {
    const report = new ReportBuilder({ groupBy, from: null, to: null });
    compute(collector, config.tenants[0]!, NOW, undefined, (measure) => report.add(measure));
    return report.groups();
  }

  /** The live report, from the API. */
  async function liveReport(groupBy: GroupBy): Promise<Group[]> {
    return (await api(service, `/api/v1/report?group_by=${groupBy}`, demo.token)).body.groups as Group[];
  }

  /** The sample's own tickets, computed directly, by number (`sample:12` → `12`). */
  function offlineTickets(): Map<string, ReturnType<typeof ticketJson>> {
    const collector = collected();
    const tickets: TicketResult[] = [];
    compute(collector, config.tenants[0]!, NOW, (ticket) => tickets.push(ticket));
    return new Map(tickets.map((ticket) => [ticket.metrics.ticket.split(':')[1]!, ticketJson(ticket)]));
  }

  /** The figures a support lead compares, calendar seconds to the second (webhooks may drop ms). */
  function figures(ticket: ReturnType<typeof ticketJson>) {
    const seconds = (measured: { calendar: number } | null) =>
      measured === null ? null : Math.floor(measured.calendar);
    return {
      status: ticket.status,
      agent: ticket.agent,
      team: ticket.team,
      priority: ticket.priority,
      channel: ticket.channel,
      replies: ticket.replies,
      reopens: ticket.reopens,
      contacts: ticket.contacts,
      calls_to_resolution: ticket.calls_to_resolution,
      fcr: ticket.fcr,
      touches: ticket.touches,
      first_response: seconds(ticket.first_response),
      first_resolution: seconds(ticket.first_resolution),
      full_resolution: seconds(ticket.full_resolution),
      next_responses: ticket.next_response.length,
    };
  }

  describe(`the demo's provider traffic, normalised back, gives the sample's metrics ${label}`, () => {
    it('ticket by ticket, for every helpdesk and chat connector', async () => {
      const offline = offlineTickets();
      const keys = await service.context.redis.hkeys('dp:{demo}:ver');
      const bySource = new Map<string, number>();
      const differences: string[] = [];
      let slaCompared = 0;
      for (const key of keys) {
        const [source, id] = key.split(':') as [string, string];
        const number = id.replace(/^la/, '');
        const response = await api(service, `/api/v1/tickets/${encodeURIComponent(key)}`, demo.token);
        expect(response.status, key).toBe(200);
        const liveTicket = response.body as ReturnType<typeof ticketJson>;
        const live = figures(liveTicket);
        const truth = offline.get(number);
        expect(truth, `${key} is one of the sample's tickets`).toBeDefined();
        const expected = figures(truth!);
        // What a provider cannot say. Freshdesk's API keeps only each status's latest instant, and
        // the demo's stand-in answers with the ticket as it ends: an earlier resolution and its
        // reopen are not seen. LiveAgent's tickets have no priority; Intercom's conversations are
        // prioritised (high) or not (none).
        if (source === 'freshdesk' && expected.reopens !== live.reopens) {
          expected.reopens = live.reopens;
          expected.first_resolution = live.first_resolution;
          expected.fcr = live.fcr;
          expected.contacts = live.contacts;
        }
        if (source === 'liveagent') expected.priority = null;
        if (source === 'intercom')
          expected.priority = expected.priority === 'high' || expected.priority === 'urgent' ? 'high' : null;
        // SLA targets too, where what picks the policy (the priority) and the resolutions came
        // through whole.
        if (expected.priority === truth!.priority && expected.reopens === truth!.reopens) {
          const targets = (ticket: ReturnType<typeof ticketJson>) =>
            ticket.sla.map((target) =>
              [
                target.policy,
                target.metric,
                target.status,
                target.at_risk,
                target.breach_at?.slice(0, 19),
              ].join(' '),
            );
          slaCompared += 1;
          if (targets(truth!).join(', ') !== targets(liveTicket).join(', '))
            differences.push(
              `${key} sla: sample ${targets(truth!).join(', ')}; live ${targets(liveTicket).join(', ')}`,
            );
        }
        bySource.set(source, (bySource.get(source) ?? 0) + 1);
        for (const field of Object.keys(expected) as Array<keyof typeof expected>) {
          if (expected[field] !== live[field])
            differences.push(
              `${key} ${field}: sample ${String(expected[field])}, live ${String(live[field])}`,
            );
        }
      }
      expect(differences).toEqual([]);
      expect(keys.length).toBe(offline.size);
      expect(slaCompared).toBeGreaterThan(keys.length / 2);
      // Every helpdesk and chat connector took part.
      expect([...bySource.keys()].sort()).toEqual(['freshdesk', 'intercom', 'liveagent', 'zendesk']);
    });

    it('team by team: responses and resolutions count for the same teams, within a second', async () => {
      // A chat's reply, assignment and team set in one second (Intercom writes whole seconds)
      // count for that team: the team at an instant is the last set at or before it.
      const summary = (groups: Group[]) =>
        groups
          .filter((group) => group.key !== null || group.first_response.calendar.count > 0)
          .map((group) => ({
            team: group.key,
            resolved: group.resolved,
            ...Object.fromEntries(
              (['first_response', 'next_response', 'full_resolution'] as const).flatMap((metric) =>
                (['calendar', 'business'] as const).map((clock) => {
                  const stats = group[metric][clock];
                  return [`${metric}.${clock}`, [stats.count, stats.median, stats.p90]];
                }),
              ),
            ),
          }));
      // Medians and p90s within a second: a provider that writes whole seconds may move a
      // value by a fraction of one, which rounds either way.
      const near = (live: unknown, truth: unknown): unknown => {
        if (!Array.isArray(live) || !Array.isArray(truth)) return live;
        const [count, ...values] = live as Array<number | null>;
        const within = (value: number | null, i: number) => {
          const exact = truth[i + 1] as number | null;
          return value !== null && exact !== null && Math.abs(value - exact) <= 1 ? exact : value;
        };
        return [count, ...values.map(within)];
      };
      const truth = summary(offlineReport('team'));
      const live = summary(await liveReport('team')).map((group, i) =>
        Object.fromEntries(
          Object.entries(group).map(([key, value]) => [
            key,
            near(value, (truth[i] as Record<string, unknown> | undefined)?.[key]),
          ]),
        ),
      );
      expect(live).toEqual(truth);
    });

    it('agent by agent: the calls — answered, abandoned, waits and talk', async () => {
      // None of the three call providers reports hold time: their talk time includes it.
      const withoutHold = collected((event) => {
        if (event.type === 'call') event.call.hold_seconds = 0;
      });
      const calls = (groups: Group[]) => groups.map((group) => ({ agent: group.key, ...group.calls }));
      expect(calls(await liveReport('agent'))).toEqual(calls(offlineReport('agent', withoutHold)));
    });
  });
}
