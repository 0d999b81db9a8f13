import { describe, expect, it } from 'vitest';
import { compute, computeRanked, EventCollector } from '../../src/metrics/compute.js';
import { call, event, run, tenant, ticketOf } from '../helpers.js';

const phone = 'phone:+14155550100';
const at = (hhmm: string, day = '2026-03-03') => `${day}T${hhmm}:00Z`;
const created = (ticket: string, hhmm: string, extra: Record<string, unknown> = {}) =>
  event({ type: 'ticket.created', at: at(hhmm), ticket, customer: phone, ...extra });
const status = (ticket: string, hhmm: string, value: string) =>
  event({ type: 'ticket.updated', at: at(hhmm), ticket, status: value });

describe('linking calls to tickets', () => {
  it('a call naming its ticket belongs to it, whatever the customer keys say', () => {
    const out = run([
      created('t', '10:00', { customer: 'email:x@example.com' }),
      call({ at: at('11:00'), ticket: 't', customer: 'phone:+19990000000' }),
    ]);
    expect(ticketOf(out, 't').calls_to_resolution).toBe(1);
    expect(out.call_cases).toEqual([]);
  });

  it('links by a shared customer key to a ticket unresolved when the call started', () => {
    const out = run([
      created('t', '10:00', { customer: ['email:ana@example.com', phone] }),
      call({ at: at('11:00'), customer: phone }),
    ]);
    expect(ticketOf(out, 't')).toMatchObject({ calls_to_resolution: 1, contacts: 2 });
  });

  it('does not link to a ticket already resolved: the call starts a call case', () => {
    const out = run([
      created('t', '10:00'),
      status('t', '10:30', 'solved'),
      call({ at: at('11:00'), customer: phone }),
    ]);
    expect(ticketOf(out, 't').calls_to_resolution).toBe(0);
    expect(out.call_cases).toHaveLength(1);
  });

  it('links to a ticket created within link_before after the call, not later', () => {
    const within = run([call({ at: at('09:00'), customer: phone }), created('t', '10:00')]);
    expect(ticketOf(within, 't').calls_to_resolution).toBe(1);
    const late = run([call({ at: at('09:00'), customer: phone }), created('t', '10:01')]);
    expect(ticketOf(late, 't').calls_to_resolution).toBe(0);
    const wider = run([call({ at: at('09:00'), customer: phone }), created('t', '10:01')], {
      tenant: tenant({ call_linking: { link_before: '2h' } }),
    });
    expect(ticketOf(wider, 't').calls_to_resolution).toBe(1);
  });

  it('when several qualify, the ticket with the most recent activity before the call wins', () => {
    const out = run([
      created('old', '08:00'),
      created('busy', '09:00'),
      event({ type: 'message', at: at('08:30'), ticket: 'old', author: 'customer' }),
      event({ type: 'message', at: at('10:30'), ticket: 'busy', author: 'customer' }),
      call({ at: at('11:00'), customer: phone }),
    ]);
    expect(ticketOf(out, 'busy').calls_to_resolution).toBe(1);
    expect(ticketOf(out, 'old').calls_to_resolution).toBe(0);
  });

  it('a ticket that gains the phone number later still links', () => {
    const out = run([
      created('t', '10:00', { customer: 'email:ana@example.com' }),
      event({
        type: 'ticket.updated',
        at: at('12:00'),
        ticket: 't',
        customer: ['email:ana@example.com', phone],
      }),
      call({ at: at('11:00'), customer: phone }),
    ]);
    expect(ticketOf(out, 't').calls_to_resolution).toBe(1);
  });

  it('an opening call started up to 5 minutes after creation is the opening contact', () => {
    const opening = run([created('t', '10:00'), call({ at: at('10:05'), customer: phone })]);
    expect(ticketOf(opening, 't').contacts).toBe(1);
    const repeat = run([created('t', '10:00'), call({ at: at('10:06'), customer: phone })]);
    expect(ticketOf(repeat, 't').contacts).toBe(2);
  });
});

describe('linking a customer at a time (no results wanted in ticket order)', () => {
  // Without onTicket, compute links the tickets and calls of one customer (keys joined through
  // tickets and calls) together: the links must be those of linking everything at once.
  const a = 'phone:+14155550111';
  const b = 'email:bo@example.com';
  const c = 'phone:+14155550122';
  const d = 'email:di@example.com';
  const events = [
    // t1 names two keys, each of some call's: both calls are t1's.
    created('t1', '10:00', { customer: [a, b], agent: 'one' }),
    call({ at: at('10:30'), customer: a }),
    call({ at: at('11:00'), customer: b }),
    status('t1', '12:00', 'solved'),
    // A call naming a key no ticket has first and t2's key second is t2's.
    created('t2', '10:00', { customer: d, agent: 'two' }),
    call({ at: at('11:00'), customer: [c, d] }),
    status('t2', '12:00', 'solved'),
  ];
  const now = Date.parse('2026-03-20T00:00:00Z');

  it('links every call as linking them all at once does', () => {
    const collector = new EventCollector();
    for (const e of events) collector.add(structuredClone(e));
    const result = compute(collector, tenant(), now);
    const callsToResolution = Object.fromEntries(
      result.measures.flatMap((m) => (m.kind === 'resolved' ? [[m.agent, m.callsToResolution]] : [])),
    );
    expect(callsToResolution).toEqual({ one: 2, two: 1 });
    expect(result.callCases).toEqual([]);

    // Sent as done, each once with its place in key order: in key order, except that t3 (a key
    // shared with t2 through a call) is done with t2, before t25; `compute` puts them back.
    const collectorOf = () => {
      const collector = new EventCollector();
      const more = [
        created('t0', '09:00', { customer: 'email:none@example.com' }),
        created('t25', '09:00', { customer: 'email:other@example.com' }),
        created('t3', '13:00', { customer: c }),
      ];
      for (const e of [...events, ...more]) collector.add(structuredClone(e));
      return collector;
    };
    const ranked: string[] = [];
    computeRanked(collectorOf(), tenant(), now, (ticket, rank) =>
      ranked.push(`${ticket.metrics.ticket}:${rank}:${ticket.metrics.callsToResolution}`),
    );
    expect(ranked).toEqual(['t0:0:0', 't1:1:2', 't2:2:1', 't3:4:0', 't25:3:0']);
    const ordered: string[] = [];
    compute(collectorOf(), tenant(), now, (ticket) => ordered.push(ticket.metrics.ticket));
    expect(ordered).toEqual(['t0', 't1', 't2', 't25', 't3']);

    const inOrder = run(events, { now: '2026-03-20T00:00:00Z' });
    expect(ticketOf(inOrder, 't1').calls_to_resolution).toBe(2);
    expect(ticketOf(inOrder, 't2').calls_to_resolution).toBe(1);
    expect(inOrder.call_cases).toEqual([]);
  });
});

describe('call cases', () => {
  const caller = 'phone:+16285550000';
  const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}T15:00:00Z`;

  it('calls within 7 days of the previous one are one case, resolved once 7 days have passed', () => {
    const events = [
      call({ at: day(2), customer: caller, outcome: 'missed' }),
      call({ at: day(5), customer: caller, agent: 'lee', team: 'billing' }),
      call({ at: day(11), customer: caller, agent: 'maria', team: 'tech' }),
    ];
    const open = run(events, { now: day(17) });
    expect(open.call_cases).toEqual([
      {
        customer: caller,
        calls: 3,
        resolved: false,
        calls_to_resolution: 3,
        fcr: null,
        agent: 'maria',
        team: 'tech',
        last_call_at: '2026-03-11T15:00:00.000Z',
      },
    ]);
    const done = run(events, { now: day(18), groupBy: 'agent' });
    expect(done.call_cases[0]).toMatchObject({ resolved: true, fcr: false });
    const maria = done.report.groups.find((g) => g.key === 'maria');
    expect(maria?.calls_to_resolution).toEqual({ count: 1, mean: 3 });
    expect(maria?.fcr).toEqual({ count: 0, eligible: 1, rate: 0 });
  });

  it('a gap of more than 7 days starts a new case; one answered call is FCR, one missed call is not', () => {
    const out = run(
      [
        call({ at: day(2), customer: caller, agent: 'lee' }),
        call({ at: day(10), customer: caller, outcome: 'abandoned' }),
      ],
      { now: '2026-04-30T00:00:00Z' },
    );
    expect(out.call_cases.map((c) => [c.calls, c.fcr])).toEqual([
      [1, true],
      [1, false],
    ]);
  });

  it('customers sharing any key are one customer', () => {
    const out = run(
      [
        call({ at: day(2), customer: [caller, 'email:bo@example.com'] }),
        call({ at: day(3), customer: 'email:bo@example.com' }),
      ],
      { now: day(30) },
    );
    expect(out.call_cases).toHaveLength(1);
    expect(out.call_cases[0]?.calls).toBe(2);
  });

  it('outbound calls and anonymous calls make no case', () => {
    const out = run([call({ at: day(2), customer: caller, direction: 'outbound' }), call({ at: day(2) })], {
      now: day(30),
    });
    expect(out.call_cases).toEqual([]);
  });
});

describe('call metrics', () => {
  it('wait, hold and talk of answered inbound calls; abandoned and missed share of inbound', () => {
    const out = run(
      [
        call({ at: at('10:00'), agent: 'maria', answered_after: 20, duration: 300, hold: 60 }),
        call({ at: at('10:10'), agent: 'maria', answered_after: 40, duration: 100 }),
        call({ at: at('10:20'), outcome: 'abandoned' }),
        call({ at: at('10:30'), outcome: 'missed' }),
        call({ at: at('10:40'), outcome: 'voicemail' }),
        call({ at: at('10:50'), agent: 'maria', direction: 'outbound' }),
      ],
      { groupBy: 'none' },
    );
    const calls = out.report.groups[0]?.calls;
    expect(calls).toMatchObject({ inbound: 5, answered: 2, abandoned: 2, abandon_rate: 40 });
    expect(calls?.wait).toEqual({ count: 2, mean: 30, median: 20, p90: 40 });
    expect(calls?.hold).toEqual({ count: 2, mean: 30, median: 0, p90: 60 });
    expect(calls?.talk).toEqual({ count: 2, mean: 170, median: 100, p90: 240 });
  });
});

describe('duplicates', () => {
  it('a call delivered once without and once with its ticket is one call', () => {
    const loose = call({ at: at('10:30'), customer: phone, agent: 'maria' });
    const linked = { ...loose, ticket: 't' } as typeof loose;
    for (const order of [
      [loose, linked],
      [linked, loose],
    ]) {
      const out = run([created('t', '10:00'), ...order], { groupBy: 'none' });
      expect(out.report.groups[0]?.calls.inbound).toBe(1);
      expect(ticketOf(out, 't').calls_to_resolution).toBe(1);
    }
  });

  it('a message delivered twice is one reply', () => {
    const reply = event({ type: 'message', at: at('10:10'), ticket: 't', author: 'agent', agent: 'maria' });
    const out = run([created('t', '10:00'), reply, reply, { ...reply }]);
    expect(ticketOf(out, 't').replies).toBe(1);
  });
});
