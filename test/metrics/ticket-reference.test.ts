import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tenantSchema } from '../../src/model/config.js';
import { eventSchema, type NormalizedEvent } from '../../src/model/events.js';
import { run } from '../helpers.js';
import { businessHoursIn, windowDates, ZONE_WINDOWS } from './minute-calendar.js';
import {
  BeyondWindow,
  referenceCallCases,
  referenceCallMeasures,
  referenceClocks,
  referenceLinks,
  type ReferenceMeasure,
  referenceTicket,
} from './reference-ticket.js';

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
const KEYS = ['phone:+14155550100', 'phone:+14155550101', 'email:ana@example.com', 'email:bo@example.com'];
/** A customer key or several (a provider that knows a person's phone and e-mail). */
const customer = fc.oneof(fc.constantFrom(...KEYS), fc.subarray(KEYS, { minLength: 1, maxLength: 2 }));
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });
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
      customer: sometimes(customer),
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
      customer: sometimes(customer),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('survey'),
      kind: fc.constantFrom('csat', 'nps', 'ces'),
      score: fc.integer({ min: 0, max: 10 }),
      scale: fc.constantFrom(undefined, 1, 2, 3, 4, 5, 10),
      agent: maybe(fc.constantFrom('maria', 'ivy')),
      team: maybe(fc.constantFrom('billing', 'tier2')),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('call'),
      agent: maybe(fc.constantFrom('maria', 'lee')),
      team: maybe(fc.constantFrom('billing', 'tier2')),
      direction: fc.constantFrom('inbound', 'inbound', 'outbound'),
      outcome: fc.constantFrom('answered', 'missed', 'abandoned', 'voicemail'),
      wait: fc.integer({ min: 0, max: 300 }),
      talk: fc.oneof(fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 60 })),
      hold: fc.integer({ min: 0, max: 120 }),
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
      customer: maybe(customer),
    }),
  ),
  base: fc.integer({ min: 0, max: 2 * 24 * 60 }),
  events: fc.array(fc.record({ spec: ticketEvent, minute: offset }), { maxLength: 14 }),
});

/** A call that names no ticket: linked by its customer keys, or a call case, or (anonymous) neither. */
const looseCall = fc.record({
  minute: fc.oneof(fc.integer({ min: 0, max: 5 * 24 * 60 }), fc.constantFrom(0, 60, 600)),
  /** Often placed just so before a ticket's creation: `link_before` is inclusive. */
  before: maybe(fc.record({ ticket: fc.nat(), minutes: fc.constantFrom(0, 29, 30, 31, 60, 240, 241) })),
  customer: maybe(customer),
  agent: maybe(fc.constantFrom('maria', 'lee')),
  team: maybe(fc.constantFrom('billing', 'tier2')),
  direction: fc.constantFrom('inbound', 'inbound', 'inbound', 'outbound'),
  outcome: fc.constantFrom('answered', 'answered', 'missed', 'abandoned', 'voicemail'),
  wait: fc.integer({ min: 0, max: 300 }),
  talk: fc.integer({ min: 0, max: 900 }),
  hold: fc.integer({ min: 0, max: 120 }),
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
      loose: fc.array(looseCall, { maxLength: 6 }),
      linking: fc.record({
        link_before: fc.constantFrom('30m', '60m', '4h'),
        repeat_window: fc.constantFrom('1h', '1d', '7d'),
      }),
      now: fc.integer({ min: 0, max: 7 * 24 * 60 }),
      /** Sometimes `now` is exactly `repeat_window` after a call: a case is resolved then. */
      nowAfterCall: maybe(fc.nat()),
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
  const callEvent = (
    spec: {
      direction: string;
      outcome: string;
      wait: number;
      talk: number;
      hold: number;
      [k: string]: unknown;
    },
    when: number,
    ticket: string | undefined,
  ) => {
    const { direction, outcome, wait, talk, hold, ...fields } = spec;
    const started = s.start + when * 60_000;
    return eventSchema.parse(
      clean({
        ...fields,
        type: 'call',
        id: id(),
        source: 'ref',
        ticket,
        at: at(when),
        call: {
          id: `c-${n}`,
          direction,
          started_at: at(when),
          ...(outcome === 'answered' ? { answered_at: new Date(started + wait * 1000).toISOString() } : {}),
          ended_at: new Date(started + (wait + talk) * 1000).toISOString(),
          ...(outcome === 'answered' ? { hold_seconds: hold } : {}),
          outcome,
        },
      }),
    );
  };
  const bases = s.tickets.map((ticket) => (ticket.created ? ticket.created.minute : ticket.base));
  for (const { minute, before, ...spec } of s.loose) {
    const anchored = before ? (bases[before.ticket % bases.length] as number) - before.minutes : minute;
    events.push(callEvent(spec, Math.max(0, anchored), undefined));
  }
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
      if (spec.type === 'survey') {
        const { scale, kind, score, ...fields } = spec;
        // Scores within the kind's scale: csat up to scale_max, nps up to 10, ces up to 7.
        const scaleMax = kind === 'csat' ? (scale ?? 5) : undefined;
        const bounded = score % ((kind === 'nps' ? 10 : (scaleMax ?? 7)) + 1);
        events.push(
          eventSchema.parse(
            clean({
              ...fields,
              kind,
              score: bounded,
              scale_max: scaleMax,
              id: id(),
              source: 'ref',
              ticket: key,
              at: at(when),
            }),
          ),
        );
      } else if (spec.type === 'call') {
        events.push(callEvent(spec, when, key));
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

/** A report as METRICS.md "Reports" reads, from the reference's measures. */
function referenceGroups(
  measures: ReferenceMeasure[],
  groupBy: 'agent' | 'team' | 'none',
  from: number | null,
  to: number | null,
) {
  const groups = new Map<string | null, ReferenceMeasure[]>();
  for (const m of measures) {
    if ((from !== null && m.at < from) || (to !== null && m.at >= to)) continue;
    const key = groupBy === 'none' ? null : groupBy === 'agent' ? m.agent : m.team;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  if (groupBy === 'none' && groups.size === 0) groups.set(null, []);
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const n = sorted.length;
    const rank = (p: number) => (n === 0 ? null : (sorted[Math.max(1, Math.ceil(p * n)) - 1] as number));
    return {
      count: n,
      mean: n === 0 ? null : sorted.reduce((a, b) => a + b, 0) / n,
      median: rank(0.5),
      p90: rank(0.9),
    };
  };
  const rate = (count: number, eligible: number) => ({
    count,
    eligible,
    rate: eligible === 0 ? null : (count / eligible) * 100,
  });
  const keys = [...groups.keys()].sort((a, b) =>
    a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return keys.map((key) => {
    const list = groups.get(key) ?? [];
    const of = <K extends ReferenceMeasure['kind']>(kind: K) =>
      list.filter((m): m is Extract<ReferenceMeasure, { kind: K }> => m.kind === kind);
    const stats = (metric: string) => {
      const values = of('duration').filter((m) => m.metric === metric);
      return {
        calendar: summary(values.map((m) => m.calendar)),
        business: summary(values.map((m) => m.business)),
      };
    };
    const resolved = of('resolved');
    const calls = of('call');
    const surveys = (kind: string) => of('survey').filter((m) => m.survey === kind);
    const csat = surveys('csat');
    const positive = csat.filter((m) =>
      m.scaleMax >= 4 ? m.score >= m.scaleMax - 1 : m.score === m.scaleMax,
    ).length;
    const nps = surveys('nps');
    const promoters = nps.filter((m) => m.score >= 9).length;
    const detractors = nps.filter((m) => m.score <= 6).length;
    const ces = summary(surveys('ces').map((m) => m.score));
    const cases = of('call_case');
    // Phone issues: resolved tickets with a linked inbound call, and resolved call cases.
    const phoneIssues = [
      ...resolved.flatMap((m) => (m.calls === null ? [] : [m.calls])),
      ...cases.map((m) => m.calls),
    ];
    const abandoned = calls.filter((m) => m.abandoned).length;
    return {
      key,
      first_response: stats('first_response'),
      next_response: stats('next_response'),
      first_resolution: stats('first_resolution'),
      full_resolution: stats('full_resolution'),
      requester_wait: stats('requester_wait'),
      resolved: resolved.length,
      reopened: resolved.filter((m) => m.reopened).length,
      fcr: rate(
        resolved.filter((m) => m.fcr === true).length + cases.filter((m) => m.fcr).length,
        resolved.filter((m) => m.fcr !== null).length + cases.length,
      ),
      one_touch: rate(resolved.filter((m) => m.oneTouch).length, resolved.length),
      sla: rate(of('sla').filter((m) => m.achieved).length, of('sla').length),
      contacts: { count: resolved.length, mean: summary(resolved.map((m) => m.contacts)).mean },
      calls_to_resolution: { count: phoneIssues.length, mean: summary(phoneIssues).mean },
      calls: {
        inbound: calls.length,
        answered: calls.filter((m) => m.answered).length,
        abandoned,
        abandon_rate: calls.length === 0 ? null : (abandoned / calls.length) * 100,
        wait: summary(calls.flatMap((m) => (m.wait === null ? [] : [m.wait]))),
        hold: summary(calls.flatMap((m) => (m.hold === null ? [] : [m.hold]))),
        talk: summary(calls.flatMap((m) => (m.talk === null ? [] : [m.talk]))),
      },
      csat: {
        responses: csat.length,
        positive,
        score: csat.length === 0 ? null : (positive / csat.length) * 100,
      },
      nps: {
        responses: nps.length,
        promoters,
        detractors,
        score: nps.length === 0 ? null : ((promoters - detractors) / nps.length) * 100,
      },
      ces: { responses: ces.count, mean: ces.mean },
    };
  });
}

describe('tickets and reports against a plain reading of METRICS.md', () => {
  it('every ticket figure and SLA target, and the report by agent, team or none over a period, equal the reference', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.constantFrom('agent', 'team', 'none'),
        fc.option(fc.integer({ min: 0, max: 5 * 24 * 60 })),
        fc.option(fc.integer({ min: 0, max: 7 * 24 * 60 })),
        fc.nat(),
        (s, groupBy, fromMinute, toMinute, pick) => {
          const events = eventsOf(s);
          fc.pre(events.length > 0);
          // Half the time the period ends exactly at an event's instant: `to` is exclusive.
          if (toMinute !== null && pick % 2 === 0) {
            toMinute = (Date.parse((events[pick % events.length] as NormalizedEvent).at) - s.start) / 60_000;
          }
          const tenant = tenantSchema.parse({
            id: 'default',
            ...(s.tenantHours ? { business_hours: s.tenantHours } : {}),
            teams:
              s.teamHours && Object.values(s.teamHours.weekly).some((i) => i.length)
                ? { emea: { business_hours: s.teamHours } }
                : {},
            sla_policies: s.policies,
            call_linking: s.linking,
          });
          const calls = events.filter((e) => e.type === 'call');
          const windowMinutes = { '1h': 60, '1d': 1440, '7d': 10080 }[s.linking.repeat_window];
          const now =
            s.nowAfterCall !== undefined && calls.length > 0
              ? Date.parse((calls[s.nowAfterCall % calls.length] as NormalizedEvent).at) +
                windowMinutes * 60_000
              : s.start + s.now * 60_000;
          const from = fromMinute === null ? null : s.start + fromMinute * 60_000;
          const to = toMinute === null ? null : s.start + toMinute * 60_000;
          const clocks = referenceClocks(tenant, s.start, WINDOW_DAYS * 24 * 60);
          const output = run(events, {
            tenant,
            now: new Date(now).toISOString(),
            groupBy,
            ...(from === null ? {} : { from: new Date(from).toISOString() }),
            ...(to === null ? {} : { to: new Date(to).toISOString() }),
          });
          const links = referenceLinks(events, tenant);
          const cases = referenceCallCases(events, links, tenant, now);
          const measures: ReferenceMeasure[] = [...referenceCallMeasures(events), ...cases.measures];
          for (const ticket of output.tickets) {
            let expected;
            const linked = events.filter((e) => links.get(e.id) === ticket.ticket);
            try {
              expected = referenceTicket(ticket.ticket, events, tenant, clocks, now, linked);
            } catch (error) {
              if (error instanceof BeyondWindow) return fc.pre(false);
              throw error;
            }
            expect({ ...ticket }).toEqual(expected.json);
            measures.push(...expected.measures);
          }
          expect(output.tickets.map((t) => t.ticket).sort()).toEqual(
            [
              ...new Set(events.flatMap((e) => ('ticket' in e && e.ticket !== undefined ? [e.ticket] : []))),
            ].sort(),
          );
          expect(output.call_cases).toEqual(cases.json);
          expect(output.report.groups).toEqual(referenceGroups(measures, groupBy, from, to));
        },
      ),
      { numRuns: 300 },
    );
  });
});
