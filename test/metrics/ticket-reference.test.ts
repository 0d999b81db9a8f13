import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tenantSchema } from '../../src/model/config.js';
import { eventSchema, type NormalizedEvent } from '../../src/model/events.js';
import { run } from '../helpers.js';
import { businessHoursIn, windowDates, ZONE_WINDOWS } from './minute-calendar.js';
import { BeyondWindow, referenceClocks, referenceTicket } from './reference-ticket.js';

/**
 * The engine's tickets against a second, plain reading of METRICS.md (reference-ticket.ts):
 * random timelines of a few tickets — ties at one instant, events before creation, reopens,
 * pending and on-hold spells, private notes, bots, outbound tickets, calls that name their
 * ticket — under random calendars in zones that change their clocks, team calendars and SLA
 * policies, judged at a random `now`.
 */

const WINDOW_DAYS = 21;
const TICKETS = ['t1', 't2', 't3'];
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Minutes after the ticket's creation: often the same few, so that events share instants. */
const offset = fc.oneof(
  fc.integer({ min: 0, max: 4 * 24 * 60 }),
  fc.constantFrom(0, 0, 5, 6, 30, 60, 61, 600),
  fc.integer({ min: -90, max: -1 }),
);

const ticketEvent = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('ticket.updated'),
      status: maybe(fc.constantFrom('open', 'pending', 'on_hold', 'solved', 'closed', 'new')),
      agent: maybe(fc.constantFrom('maria', 'lee', null)),
      team: maybe(fc.constantFrom('billing', 'emea')),
      priority: maybe(fc.constantFrom('normal', 'urgent')),
      tags: maybe(fc.subarray(['vip', 'refund'])),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('message'),
      author: fc.constantFrom('customer', 'customer', 'agent', 'agent', 'bot', 'system'),
      public: fc.constantFrom(true, true, true, false),
      agent: maybe(fc.constantFrom('maria', 'lee')),
      channel: maybe(fc.constantFrom('email', 'chat')),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('call'),
      agent: maybe(fc.constantFrom('maria', 'lee')),
      direction: fc.constantFrom('inbound', 'inbound', 'outbound'),
      outcome: fc.constantFrom('answered', 'missed', 'abandoned', 'voicemail'),
    }),
  },
);

const ticketArb = fc.record({
  created: maybe(
    fc.record({
      minute: fc.integer({ min: 0, max: 2 * 24 * 60 }),
      outbound: maybe(fc.boolean()),
      agent: maybe(fc.constantFrom('maria', 'lee')),
      team: maybe(fc.constantFrom('billing', 'emea')),
      priority: maybe(fc.constantFrom('normal', 'urgent')),
      channel: maybe(fc.constantFrom('email', 'phone', 'web')),
      tags: maybe(fc.subarray(['vip', 'refund'])),
    }),
  ),
  base: fc.integer({ min: 0, max: 2 * 24 * 60 }),
  events: fc.array(fc.record({ spec: ticketEvent, minute: offset }), { maxLength: 14 }),
});

const policyArb = fc.record({
  name: fc.constantFrom('p1', 'p2'),
  when: fc.oneof(
    fc.constant({}),
    fc.constant({ priority: ['urgent'] }),
    fc.constant({ team: ['emea'] }),
    fc.constant({ tags: ['vip'] }),
    fc.constant({ channel: ['phone', 'email'] }),
  ),
  targets: fc.record(
    {
      first_response: fc.constantFrom('30m', '1h', '4h'),
      next_response: fc.constantFrom('1h', '2h'),
      resolution: fc.constantFrom('2h', '8h', '1d'),
    },
    { requiredKeys: [] },
  ),
  business_hours: fc.boolean(),
  warn_at: fc.constantFrom(0.5, 0.75, 1),
  pause_on_hold: fc.boolean(),
});

const scenario = fc
  .constantFrom(
    ...Object.entries(ZONE_WINDOWS).flatMap(([zone, firsts]) => firsts.map((first) => ({ zone, first }))),
  )
  .chain(({ zone, first }) => {
    const start = Date.parse(`${first}T00:00:00Z`) - 12 * 3_600_000;
    const dates = windowDates(first);
    const hours = businessHoursIn(zone, dates).filter((h) =>
      Object.values(h.weekly).some((intervals) => intervals.length > 0),
    );
    return fc.record({
      start: fc.constant(start),
      tenantHours: maybe(hours),
      teamHours: maybe(
        fc
          .constantFrom('Europe/Madrid', 'America/New_York')
          .chain((teamZone) => businessHoursIn(teamZone, dates)),
      ),
      policies: fc
        .array(policyArb, { maxLength: 2 })
        .map((list) => list.map((p, i) => ({ ...p, name: `p${i}` }))),
      tickets: fc.array(ticketArb, { minLength: 1, maxLength: TICKETS.length }),
      now: fc.integer({ min: 0, max: 7 * 24 * 60 }),
      ids: fc.array(fc.integer({ min: 0, max: 9999 }), { minLength: 60, maxLength: 60 }),
    });
  });

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

function eventsOf(s: Scenario): NormalizedEvent[] {
  const events: NormalizedEvent[] = [];
  let n = 0;
  // Ids in a random order, so that events at one instant are taken in an order the test did not choose.
  const id = () => `e${String(s.ids[n % s.ids.length]).padStart(4, '0')}-${String(n++).padStart(3, '0')}`;
  const at = (minute: number) => new Date(s.start + minute * 60_000).toISOString();
  s.tickets.forEach((ticket, index) => {
    const key = TICKETS[index] as string;
    const base = ticket.created ? ticket.created.minute : ticket.base;
    if (ticket.created) {
      const { minute, ...fields } = ticket.created;
      events.push(
        eventSchema.parse(
          clean({ ...fields, id: id(), source: 'ref', type: 'ticket.created', ticket: key, at: at(minute) }),
        ),
      );
    }
    for (const { spec, minute } of ticket.events) {
      const when = Math.max(0, base + minute);
      if (spec.type === 'call') {
        const { direction, outcome, ...fields } = spec;
        const started = s.start + when * 60_000;
        events.push(
          eventSchema.parse(
            clean({
              ...fields,
              id: id(),
              source: 'ref',
              ticket: key,
              at: at(when),
              call: {
                id: `c-${n}`,
                direction,
                started_at: at(when),
                ...(outcome === 'answered' ? { answered_at: new Date(started + 20_000).toISOString() } : {}),
                ended_at: new Date(started + 300_000).toISOString(),
                outcome,
              },
            }),
          ),
        );
      } else {
        events.push(
          eventSchema.parse(clean({ ...spec, id: id(), source: 'ref', ticket: key, at: at(when) })),
        );
      }
    }
  });
  return events;
}

const clean = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

describe('tickets against a plain reading of METRICS.md', () => {
  it('every ticket figure and SLA target equals the reference', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const events = eventsOf(s);
        fc.pre(events.length > 0);
        const tenant = tenantSchema.parse({
          id: 'default',
          ...(s.tenantHours ? { business_hours: s.tenantHours } : {}),
          teams:
            s.teamHours && Object.values(s.teamHours.weekly).some((i) => i.length)
              ? { emea: { business_hours: s.teamHours } }
              : {},
          sla_policies: s.policies,
        });
        const now = s.start + s.now * 60_000;
        const clocks = referenceClocks(tenant, s.start, WINDOW_DAYS * 24 * 60);
        const output = run(events, { tenant, now: new Date(now).toISOString() });
        for (const ticket of output.tickets) {
          let expected;
          try {
            expected = referenceTicket(ticket.ticket, events, tenant, clocks, now);
          } catch (error) {
            if (error instanceof BeyondWindow) return fc.pre(false);
            throw error;
          }
          expect({ ...ticket }).toEqual(expected);
        }
        expect(output.tickets.map((t) => t.ticket).sort()).toEqual(
          [...new Set(events.map((e) => ('ticket' in e ? e.ticket : '')))].sort(),
        );
      }),
      { numRuns: 300 },
    );
  });
});
