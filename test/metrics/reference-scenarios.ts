import fc from 'fast-check';
import { type TenantConfig, tenantSchema } from '../../src/model/config.js';
import { eventSchema, type NormalizedEvent } from '../../src/model/events.js';
import { businessHoursIn, windowDates, ZONE_WINDOWS } from './minute-calendar.js';

/**
 * Random scenarios for the reference tests: a few tickets with timelines full of edge cases,
 * calls that name no ticket, calendars in zones that change their clocks, SLA policies,
 * linking windows and a `now` (see ticket-reference.test.ts).
 */

export const WINDOW_DAYS = 21;
export const TICKETS = ['t1', 't2', 't3'];
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

export const scenario = fc
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
      /** Surveys that name no ticket: counted for their own agent and team, or nobody. */
      looseSurveys: fc.array(
        fc.record({
          minute: fc.integer({ min: 0, max: 5 * 24 * 60 }),
          kind: fc.constantFrom('csat', 'nps', 'ces'),
          score: fc.integer({ min: 0, max: 10 }),
          scale: fc.constantFrom(undefined, 1, 5),
          agent: maybe(fc.constantFrom('maria', 'ivy')),
          team: maybe(fc.constantFrom('billing', 'tier2')),
        }),
        { maxLength: 2 },
      ),
      linking: fc.record({
        link_before: fc.constantFrom('30m', '60m', '4h'),
        repeat_window: fc.constantFrom('1h', '1d', '7d'),
      }),
      now: fc.integer({ min: 0, max: 7 * 24 * 60 }),
      /** Sometimes `now` is exactly `repeat_window` after a call: a case is resolved then. */
      nowAfterCall: maybe(fc.nat()),
      /** Or a whole number of minutes after a ticket's creation that a warn_at or target falls on. */
      nowAfterCreation: maybe(
        fc.record({
          ticket: fc.nat(),
          minutes: fc.constantFrom(15, 30, 45, 60, 90, 120, 180, 240, 360, 720, 1080),
        }),
      ),
      ids: fc.array(fc.integer({ min: 0, max: 9999 }), { minLength: 60, maxLength: 60 }),
    });
  });

export type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

/** The tenant a scenario runs under: its calendars (emea's own when open at all), policies and windows. */
export function scenarioTenant(s: Scenario): TenantConfig {
  return tenantSchema.parse({
    id: 'default',
    ...(s.tenantHours ? { business_hours: s.tenantHours } : {}),
    teams:
      s.teamHours && Object.values(s.teamHours.weekly).some((i) => i.length)
        ? { emea: { business_hours: s.teamHours } }
        : {},
    sla_policies: s.policies,
    call_linking: s.linking,
  });
}

export function eventsOf(s: Scenario): NormalizedEvent[] {
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
  const surveyEvent = (
    spec: { kind: string; score: number; scale: number | undefined; [k: string]: unknown },
    when: number,
    ticket: string | undefined,
  ) => {
    const { scale, kind, score, ...fields } = spec;
    // Scores within the kind's scale: csat up to scale_max, nps up to 10, ces up to 7.
    const scaleMax = kind === 'csat' ? (scale ?? 5) : undefined;
    const bounded = score % ((kind === 'nps' ? 10 : (scaleMax ?? 7)) + 1);
    return eventSchema.parse(
      clean({
        ...fields,
        type: 'survey',
        kind,
        score: bounded,
        scale_max: scaleMax,
        id: id(),
        source: 'ref',
        ticket,
        at: at(when),
      }),
    );
  };
  for (const { minute, ...spec } of s.looseSurveys) events.push(surveyEvent(spec, minute, undefined));
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
        events.push(surveyEvent(spec, when, key));
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

const weekdays = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]]),
);
/** Settings of a tenant whose calendars have bounds in the hours the clocks skip and repeat. */
export const REFERENCE_TENANT = {
  business_hours: {
    timezone: 'America/New_York',
    // Sunday's bounds inside the hours the clocks skip (March) and repeat (November).
    weekly: {
      ...weekdays,
      sun: [
        ['00:00', '01:30'],
        ['02:30', '05:00'],
      ],
    },
    holidays: ['2026-03-09'],
  },
  teams: {
    emea: {
      business_hours: {
        timezone: 'Europe/Madrid',
        weekly: { ...weekdays, sun: [['01:00', '03:30']] },
      },
    },
  },
  sla_policies: [
    {
      name: 'urgent',
      when: { priority: ['urgent'] },
      targets: { first_response: '30m', next_response: '1h', resolution: '4h' },
      business_hours: true,
      pause_on_hold: true,
    },
    { name: 'rest', targets: { first_response: '4h', resolution: '1d' }, warn_at: 0.5 },
  ],
  call_linking: { link_before: '60m', repeat_window: '1d' },
};

/** Scenario `n`'s events with its own tickets, customers and ids, so that scenarios never meet. */
export function namespaced(events: NormalizedEvent[], n: number): NormalizedEvent[] {
  const rename = (key: string) =>
    key.startsWith('phone:') ? `phone:+1415${String(n).padStart(3, '0')}${key.slice(-4)}` : `${key}.s${n}`;
  return events.map((event) => {
    const copy = { ...event, id: `s${n}-${event.id}` } as NormalizedEvent & { ticket?: string };
    if (copy.ticket !== undefined) copy.ticket = `s${n}-${copy.ticket}`;
    if (copy.customer !== undefined)
      copy.customer = typeof copy.customer === 'string' ? rename(copy.customer) : copy.customer.map(rename);
    if (copy.type === 'call') copy.call = { ...copy.call, id: `s${n}-${copy.call.id}` };
    return copy;
  });
}
