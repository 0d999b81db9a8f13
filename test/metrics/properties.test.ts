import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../src/model/events.js';
import { eventSchema } from '../../src/model/events.js';
import { TenantClocks } from '../../src/metrics/clocks.js';
import {
  compute,
  EventCollector,
  linkLooseCalls,
  linkWindows,
  looseContribution,
  ticketContribution,
} from '../../src/metrics/compute.js';
import { CustomerIndex, type TimedCall } from '../../src/metrics/linking.js';
import { compareEvents, readTimeline } from '../../src/metrics/timeline.js';
import { NEW_YORK_WEEKDAYS, run, tenant } from '../helpers.js';

const START = Date.parse('2026-03-06T12:00:00Z'); // a Friday, two days before the clocks change
const config = tenant({
  business_hours: NEW_YORK_WEEKDAYS,
  teams: {
    emea: {
      business_hours: {
        timezone: 'Europe/Madrid',
        weekly: { mon: [['08:00', '16:00']], fri: [['08:00', '16:00']] },
      },
    },
  },
  sla_policies: [
    {
      name: 'urgent',
      when: { priority: ['urgent'] },
      targets: { first_response: '1h', next_response: '2h', resolution: '8h' },
      business_hours: true,
    },
    { name: 'rest', targets: { first_response: '4h', resolution: '2d' }, pause_on_hold: true },
  ],
});
const customers = [
  'phone:+14155550100',
  'phone:+14155550101',
  'email:ana@example.com',
  'email:bo@example.com',
  'phone:+14155550102',
];
const minutes = fc.integer({ min: 0, max: 6 * 24 * 60 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const eventArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({
    type: fc.constant('ticket.created'),
    ticket: fc.constantFrom('t1', 't2', 't3', 't4'),
    priority: maybe(fc.constantFrom('normal', 'urgent')),
    team: maybe(fc.constantFrom('billing', 'emea')),
    agent: maybe(fc.constantFrom('maria', 'lee')),
    customer: maybe(fc.subarray(customers, { minLength: 1 })),
    outbound: maybe(fc.boolean()),
  }),
  fc.record({
    type: fc.constant('ticket.updated'),
    ticket: fc.constantFrom('t1', 't2', 't3', 't4'),
    status: maybe(fc.constantFrom('open', 'pending', 'on_hold', 'solved', 'closed')),
    agent: maybe(fc.constantFrom('maria', 'lee', null)),
    team: maybe(fc.constantFrom('billing', 'emea')),
  }),
  fc.record({
    type: fc.constant('message'),
    ticket: fc.constantFrom('t1', 't2', 't3', 't4'),
    author: fc.constantFrom('customer', 'customer', 'agent', 'bot'),
    public: fc.boolean(),
    agent: maybe(fc.constantFrom('maria', 'lee')),
  }),
  fc.record({
    type: fc.constant('call'),
    ticket: maybe(fc.constantFrom('t1', 't2')),
    // A key or several: a call's keys join customers as a ticket's do.
    customer: maybe(fc.oneof(fc.constantFrom(...customers), fc.subarray(customers, { minLength: 1 }))),
    agent: maybe(fc.constantFrom('maria', 'lee')),
    direction: fc.constantFrom('inbound', 'inbound', 'outbound'),
    outcome: fc.constantFrom('answered', 'missed', 'abandoned', 'voicemail'),
    wait: fc.integer({ min: 0, max: 600 }),
    talk: fc.integer({ min: 0, max: 3600 }),
    hold: fc.integer({ min: 0, max: 120 }),
  }),
  fc.record({
    type: fc.constant('survey'),
    ticket: maybe(fc.constantFrom('t1', 't2')),
    kind: fc.constantFrom('csat', 'nps', 'ces'),
    score: fc.integer({ min: 0, max: 5 }),
  }),
);

function materialize(specs: Array<{ spec: Record<string, unknown>; minute: number }>): NormalizedEvent[] {
  return specs.map(({ spec, minute }, index) => {
    const at = new Date(START + minute * 60_000).toISOString();
    const { wait, talk, hold, direction, outcome, ...rest } = spec as Record<string, unknown> & {
      wait: number;
      talk: number;
      hold: number;
    };
    const base: Record<string, unknown> = Object.fromEntries(
      Object.entries({ ...rest, id: `p-${index}`, source: 'prop', at }).filter(([, v]) => v !== undefined),
    );
    if (spec.type === 'call') {
      const started = Date.parse(at);
      base.call = {
        id: `call-${index}`,
        direction,
        started_at: at,
        ...(outcome === 'answered' ? { answered_at: new Date(started + wait * 1000).toISOString() } : {}),
        ended_at: new Date(started + (wait + talk) * 1000).toISOString(),
        hold_seconds: outcome === 'answered' ? Math.min(hold, talk) : 0,
        outcome,
      };
    }
    return eventSchema.parse(base);
  });
}

const datasets = fc
  .array(fc.record({ spec: eventArb, minute: minutes }), { minLength: 1, maxLength: 40 })
  .map(materialize);
const NOW = new Date(START + 8 * 86_400_000).toISOString();

function durations(output: ReturnType<typeof run>): Array<{ calendar: number; business: number }> {
  return output.tickets.flatMap((t) =>
    [
      t.first_response,
      ...t.next_response,
      t.first_resolution,
      t.full_resolution,
      t.requester_wait,
      t.agent_wait,
      t.on_hold,
    ].filter((d): d is NonNullable<typeof d> => d !== null),
  );
}

describe('properties of the engine', () => {
  it('linking a customer at a time gives what linking every call at once gives, in key order or not', () => {
    // compute links the tickets and calls of one customer (keys joined through both) together,
    // with or without onTicket. The reference here reads every ticket, indexes them all and
    // links every call against the whole index (as the live pipeline does).
    const measuresOf = (events: NormalizedEvent[], inOrder: boolean) => {
      const collector = new EventCollector();
      for (const event of events) collector.add(structuredClone(event));
      const ticketsSeen: string[] = [];
      const result = compute(
        collector,
        config,
        Date.parse(NOW),
        inOrder ? (ticket) => ticketsSeen.push(ticket.metrics.ticket) : undefined,
      );
      if (inOrder) expect(ticketsSeen).toEqual([...ticketsSeen].sort());
      return {
        measures: result.measures.map((measure) => JSON.stringify(measure)).sort(),
        cases: result.callCases,
      };
    };
    const allAtOnce = (events: NormalizedEvent[]) => {
      const collector = new EventCollector();
      for (const event of events) collector.add(structuredClone(event));
      const now = Date.parse(NOW);
      const clocks = new TenantClocks(config);
      const windows = linkWindows(config);
      const index = new CustomerIndex();
      const tickets = collector
        .tickets()
        .map((key) => readTimeline(key, config.id, collector.takeTimeline(key)));
      for (const facts of tickets) index.add(facts);
      const calls = [...collector.looseCalls].sort(compareEvents) as TimedCall[];
      const unlinked = linkLooseCalls(calls, index, windows);
      const measures = tickets.flatMap((facts) => ticketContribution(facts, config, clocks, now).measures);
      const loose = looseContribution(calls, collector.looseSurveys, unlinked, windows, now);
      measures.push(...loose.measures);
      return { measures: measures.map((measure) => JSON.stringify(measure)).sort(), cases: loose.callCases };
    };
    fc.assert(
      fc.property(datasets, (events) => {
        const expected = allAtOnce(events);
        expect(measuresOf(events, false)).toEqual(expected);
        expect(measuresOf(events, true)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('shuffling and duplicating events never changes the output', () => {
    fc.assert(
      fc.property(
        datasets,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer(),
        (events, duplicates, seed) => {
          const expected = run(events, { tenant: config, now: NOW });
          const copies = [...events, ...duplicates.map((n) => events[n % events.length] as NormalizedEvent)];
          const shuffled = fc.sample(
            fc.shuffledSubarray(copies, { minLength: copies.length, maxLength: copies.length }),
            { seed, numRuns: 1 },
          )[0] as NormalizedEvent[];
          expect(run(shuffled, { tenant: config, now: NOW })).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('business seconds never exceed calendar seconds, and no duration is negative', () => {
    fc.assert(
      fc.property(datasets, (events) => {
        const output = run(events, { tenant: config, now: NOW, groupBy: 'team' });
        for (const d of durations(output)) {
          expect(d.calendar).toBeGreaterThanOrEqual(0);
          expect(d.business).toBeGreaterThanOrEqual(0);
          expect(d.business).toBeLessThanOrEqual(d.calendar);
        }
        for (const group of output.report.groups) {
          for (const metric of [
            'first_response',
            'next_response',
            'first_resolution',
            'full_resolution',
            'requester_wait',
          ] as const) {
            for (const clock of ['calendar', 'business'] as const)
              expect(group[metric][clock].median ?? 0).toBeGreaterThanOrEqual(0);
          }
          expect(group.calls.wait.median ?? 0).toBeGreaterThanOrEqual(0);
          expect(group.calls.talk.median ?? 0).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every resolved ticket counts once in the report however often it was reopened', () => {
    fc.assert(
      fc.property(datasets, (events) => {
        const output = run(events, { tenant: config, now: NOW, groupBy: 'none' });
        const resolved = output.tickets.filter((t) => t.status === 'solved' || t.status === 'closed').length;
        expect(output.report.groups[0]?.resolved).toBe(resolved);
      }),
      { numRuns: 200 },
    );
  });
});
