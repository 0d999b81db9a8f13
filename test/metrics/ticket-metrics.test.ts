import { describe, expect, it } from 'vitest';
import { call, event, NEW_YORK_WEEKDAYS, run, tenant, ticketOf } from '../helpers.js';

const at = (hhmm: string, day = '2026-03-03') => `${day}T${hhmm}:00Z`;
const created = (ticket: string, extra: Record<string, unknown> = {}) =>
  event({ type: 'ticket.created', at: at('10:00'), ticket, ...extra });
const customer = (ticket: string, hhmm: string) =>
  event({ type: 'message', at: at(hhmm), ticket, author: 'customer' });
const reply = (ticket: string, hhmm: string, agent = 'maria') =>
  event({ type: 'message', at: at(hhmm), ticket, author: 'agent', agent });
const status = (ticket: string, hhmm: string, value: string, extra: Record<string, unknown> = {}) =>
  event({ type: 'ticket.updated', at: at(hhmm), ticket, status: value, ...extra });

describe('first_response', () => {
  it('bot, system and private messages are never replies', () => {
    const out = run([
      created('t'),
      customer('t', '10:00'),
      event({ type: 'message', at: at('10:01'), ticket: 't', author: 'bot' }),
      event({ type: 'message', at: at('10:02'), ticket: 't', author: 'system' }),
      event({ type: 'message', at: at('10:03'), ticket: 't', author: 'agent', agent: 'lee', public: false }),
      reply('t', '10:30'),
    ]);
    expect(ticketOf(out, 't').first_response).toMatchObject({ calendar: 1800, agent: 'maria' });
    expect(ticketOf(out, 't').replies).toBe(1);
  });

  it('is null for an outbound ticket and while nobody has replied', () => {
    const out = run([
      created('out', { outbound: true }),
      reply('out', '10:05'),
      created('quiet'),
      customer('quiet', '10:00'),
    ]);
    expect(ticketOf(out, 'out').first_response).toBeNull();
    expect(ticketOf(out, 'quiet').first_response).toBeNull();
  });

  it('a reply stamped before creation (clock skew) counts from creation: never negative', () => {
    const out = run([created('t'), reply('t', '09:58')]);
    expect(ticketOf(out, 't').first_response).toMatchObject({ calendar: 0, business: 0 });
  });

  it('is attributed to the agent who replied and the team at that instant', () => {
    const out = run(
      [
        created('t', { team: 'tier1', agent: 'lee' }),
        event({ type: 'ticket.updated', at: at('10:10'), ticket: 't', team: 'tier2' }),
        reply('t', '10:20', 'yuki'),
      ],
      { groupBy: 'team' },
    );
    expect(out.report.groups.map((g) => [g.key, g.first_response.calendar.count])).toEqual([['tier2', 1]]);
  });

  it('a reply and the assignment made with it (one helpdesk action, one instant) count for the team set then', () => {
    // Zendesk writes an agent's reply and the group and assignee they set in one audit, so the
    // message and the update share an instant; the update comes after the reply in the timeline,
    // but the team "at that instant" is the last set at or before it (METRICS.md).
    const take = (hhmm: string, team: string) =>
      event({ type: 'ticket.updated', at: at(hhmm), ticket: 't', agent: 'maria', team });
    const out = run(
      [
        created('t'),
        customer('t', '10:00'),
        reply('t', '10:30'),
        take('10:30', 'billing'),
        customer('t', '11:00'),
        reply('t', '11:20'),
        take('11:20', 'tier2'),
      ],
      { groupBy: 'team' },
    );
    const counts = out.report.groups.map((g) => [
      g.key,
      g.first_response.calendar.count,
      g.next_response.calendar.count,
    ]);
    expect(counts).toEqual([
      ['billing', 1, 0],
      ['tier2', 0, 1],
    ]);
  });
});

describe('next_response', () => {
  it('customer messages before the first reply are the first response, not a next response', () => {
    const out = run([created('t'), customer('t', '10:00'), customer('t', '10:10'), reply('t', '10:30')]);
    expect(ticketOf(out, 't').next_response).toEqual([]);
  });

  it('a resolution answers a waiting customer: no reply is owed', () => {
    const out = run([
      created('t'),
      customer('t', '10:00'),
      reply('t', '10:10'),
      customer('t', '10:20'),
      status('t', '10:25', 'solved'),
      reply('t', '12:00'),
    ]);
    expect(ticketOf(out, 't').next_response).toEqual([]);
  });

  it('a customer who writes after the resolution, the ticket staying resolved, is owed no reply', () => {
    const config = tenant({ sla_policies: [{ name: 'all', targets: { next_response: '1h' } }] });
    const thanks = [
      created('t'),
      customer('t', '10:00'),
      reply('t', '10:10'),
      status('t', '10:15', 'solved'),
      customer('t', '10:20'),
    ];
    const quiet = ticketOf(run(thanks, { tenant: config, now: '2026-03-03T18:00:00Z' }), 't');
    expect(quiet.next_response).toEqual([]);
    expect(quiet.sla).toEqual([]);
    expect(quiet.contacts).toBe(2);
    // Reopened by that message (one instant), the reply is owed from the message on.
    const reopened = ticketOf(
      run([...thanks, status('t', '10:20', 'open')], { tenant: config, now: '2026-03-03T18:00:00Z' }),
      't',
    );
    expect(reopened.next_response).toEqual([{ calendar: 7 * 3600 + 40 * 60, business: 7 * 3600 + 40 * 60 }]);
    expect(reopened.sla.map((target) => [target.metric, target.status, target.breached_at])).toEqual([
      ['next_response', 'breached', '2026-03-03T11:20:00.000Z'],
    ]);
  });

  it("an unanswered customer is an open next response: measured to now, with no instant and nobody's, and in no report", () => {
    // Tuesday 3 March: New York's 09:00–17:00 is 14:00–22:00Z; `now` is 17:00Z.
    const out = run(
      [
        created('t', { agent: 'lee' }),
        customer('t', '15:00'),
        reply('t', '15:10'),
        customer('t', '15:20'),
        reply('t', '15:50'),
        customer('t', '16:00'),
        customer('t', '16:30'),
      ],
      { now: '2026-03-03T17:00:00Z', tenant: tenant({ business_hours: NEW_YORK_WEEKDAYS }) },
    );
    expect(ticketOf(out, 't').next_response).toEqual([
      { calendar: 1800, business: 1800, at: '2026-03-03T15:50:00.000Z', agent: 'maria' },
      { calendar: 3600, business: 3600 },
    ]);
    expect(out.report.groups.map((g) => [g.key, g.next_response.calendar.count])).toEqual([['maria', 1]]);
  });
});

describe('resolution, waits and on-hold', () => {
  const events = () => [
    created('t', { agent: 'lee' }),
    customer('t', '10:00'),
    status('t', '10:10', 'open'),
    reply('t', '10:30'),
    status('t', '10:30', 'pending'),
    status('t', '11:30', 'open'),
    status('t', '12:00', 'on_hold'),
    status('t', '12:30', 'open', { agent: 'maria' }),
    status('t', '13:00', 'solved'),
    status('t', '14:00', 'closed'),
  ];

  it('requester_wait counts new, open and on_hold; agent_wait pending; on_hold on_hold', () => {
    const t = ticketOf(run(events()), 't');
    expect(t.requester_wait.calendar).toBe(120 * 60);
    expect(t.agent_wait.calendar).toBe(60 * 60);
    expect(t.on_hold.calendar).toBe(30 * 60);
    expect(t.full_resolution).toEqual({
      calendar: 3 * 3600,
      business: 3 * 3600,
      at: at('13:00').replace('Z', '.000Z'),
      agent: 'maria',
    });
    expect(t.first_resolution?.at).toBe('2026-03-03T13:00:00.000Z');
    expect(t.status).toBe('closed');
  });

  it('a resolution counts for the assignee and team set at its instant, whichever event came first', () => {
    // The status change and the reassignment share an instant but are separate events (ids
    // put the status first): the resolution is still the new assignee's and team's.
    const out = run(
      [
        created('t', { agent: 'lee', team: 'tier1' }),
        customer('t', '10:00'),
        reply('t', '10:20', 'lee'),
        event({ id: 'same-1', type: 'ticket.updated', at: at('11:00'), ticket: 't', status: 'solved' }),
        event({
          id: 'same-2',
          type: 'ticket.updated',
          at: at('11:00'),
          ticket: 't',
          agent: 'yuki',
          team: 'tier2',
        }),
      ],
      { groupBy: 'team' },
    );
    const t = ticketOf(out, 't');
    expect(t.first_resolution?.agent).toBe('yuki');
    expect(t.full_resolution?.agent).toBe('yuki');
    expect(out.report.groups.map((g) => [g.key, g.resolved, g.full_resolution.calendar.count])).toEqual([
      ['tier1', 0, 0],
      ['tier2', 1, 1],
    ]);
  });

  it('solved to closed is not a second resolution', () => {
    expect(ticketOf(run(events()), 't').reopens).toBe(0);
  });

  it('while unresolved, waits run to now and resolution metrics are null', () => {
    const t = ticketOf(run(events().slice(0, 6), { now: at('12:00') }), 't');
    expect(t.full_resolution).toBeNull();
    expect(t.first_resolution).toBeNull();
    expect(t.requester_wait.calendar).toBe(60 * 60); // 10:00–10:30 and 11:30–12:00
    expect(t.requester_wait.at).toBeUndefined();
    expect(t.fcr).toBeNull();
    expect(t.touches).toBeNull();
  });

  it('business time uses the calendar of the team at creation', () => {
    const config = tenant({
      business_hours: NEW_YORK_WEEKDAYS,
      teams: {
        emea: { business_hours: { timezone: 'Europe/Madrid', weekly: { tue: [['08:00', '16:00']] } } },
      },
    });
    const out = run(
      [created('ny'), reply('ny', '16:00'), created('eu', { team: 'emea' }), reply('eu', '16:00')],
      { tenant: config },
    );
    // 10:00–16:00Z is 05:00–11:00 in New York (2 h open) and 11:00–17:00 in Madrid (5 h open).
    expect(ticketOf(out, 'ny').first_response?.business).toBe(2 * 3600);
    expect(ticketOf(out, 'eu').first_response?.business).toBe(5 * 3600);
  });
});

describe('contacts, fcr and touches', () => {
  it('one reply, solved: one contact, FCR, one touch', () => {
    const t = ticketOf(
      run([created('t'), customer('t', '10:00'), reply('t', '10:20'), status('t', '10:21', 'solved')]),
      't',
    );
    expect(t).toMatchObject({ contacts: 1, fcr: true, touches: 'one_touch', replies: 1 });
  });

  it('each run of customer messages after a reply is one more contact', () => {
    const t = ticketOf(
      run([
        created('t'),
        customer('t', '10:00'),
        reply('t', '10:20'),
        customer('t', '10:30'),
        customer('t', '10:31'),
        reply('t', '10:40'),
        customer('t', '10:50'),
        status('t', '11:00', 'solved'),
      ]),
      't',
    );
    expect(t).toMatchObject({ contacts: 3, fcr: false, touches: 'two_touch' });
  });

  it('three replies are multi_touch; solved without a reply is zero_touch and nobody answered: no FCR', () => {
    const multi = ticketOf(
      run([
        created('t'),
        reply('t', '10:01'),
        reply('t', '10:02'),
        reply('t', '10:03'),
        status('t', '10:04', 'solved'),
      ]),
      't',
    );
    expect(multi.touches).toBe('multi_touch');
    const spam = ticketOf(run([created('s'), customer('s', '10:00'), status('s', '10:05', 'closed')]), 's');
    expect(spam).toMatchObject({ touches: 'zero_touch', fcr: null, contacts: 1 });
  });

  it('an outbound ticket has no opening contact and no FCR; the customer answering is a contact', () => {
    const t = ticketOf(
      run([
        created('o', { outbound: true }),
        reply('o', '10:00'),
        customer('o', '11:00'),
        reply('o', '11:10'),
        status('o', '11:20', 'solved'),
      ]),
      'o',
    );
    expect(t).toMatchObject({ contacts: 1, fcr: null });
  });

  it('a customer writing after a resolution is a new contact even without a reopen', () => {
    const t = ticketOf(
      run([
        created('t'),
        customer('t', '10:00'),
        reply('t', '10:10'),
        status('t', '10:11', 'solved'),
        customer('t', '10:30'),
      ]),
      't',
    );
    expect(t).toMatchObject({ contacts: 2, reopens: 0, fcr: false });
  });
});

describe('partial tickets', () => {
  it('without ticket.created a ticket starts at its earliest event and is partial', () => {
    const t = ticketOf(
      run([customer('p', '09:00'), reply('p', '09:30'), status('p', '10:00', 'solved')]),
      'p',
    );
    expect(t.partial).toBe(true);
    expect(t.first_response?.calendar).toBe(1800);
    expect(t.full_resolution?.calendar).toBe(3600);
  });
});

describe('calls on a ticket', () => {
  it('an answered linked call counts as an answer for FCR even with no written reply', () => {
    const out = run([
      created('t', { customer: 'phone:+14155550100', channel: 'phone' }),
      call({ at: at('10:02'), customer: 'phone:+14155550100', agent: 'maria' }),
      status('t', '10:10', 'solved'),
    ]);
    expect(ticketOf(out, 't')).toMatchObject({ contacts: 1, calls_to_resolution: 1, fcr: true });
  });

  it('calls after the latest resolution are not calls to resolution', () => {
    const out = run([
      created('t', { customer: 'phone:+14155550100' }),
      call({ at: at('10:01'), ticket: 't' }),
      status('t', '10:10', 'solved'),
      call({ at: at('11:00'), ticket: 't' }),
    ]);
    expect(ticketOf(out, 't')).toMatchObject({ calls_to_resolution: 1, contacts: 2, fcr: false });
  });

  it('outbound calls are neither contacts nor calls to resolution', () => {
    const out = run([
      created('t'),
      call({ at: at('10:30'), ticket: 't', direction: 'outbound' }),
      status('t', '11:00', 'solved'),
    ]);
    expect(ticketOf(out, 't')).toMatchObject({ calls_to_resolution: 0, contacts: 1, fcr: true });
  });
});
