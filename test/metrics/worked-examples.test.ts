import { describe, expect, it } from 'vitest';
import { call, event, NEW_YORK_WEEKDAYS, run, tenant, ticketOf } from '../helpers.js';

const ny = tenant({ business_hours: NEW_YORK_WEEKDAYS });

describe('METRICS.md worked examples', () => {
  it('1. created Tue 14:00, reply 14:25: first_response 1,500 s calendar and business', () => {
    const out = run(
      [
        event({ type: 'ticket.created', at: '2026-03-03T19:00:00Z', ticket: 't1', channel: 'email' }),
        event({ type: 'message', at: '2026-03-03T19:00:00Z', ticket: 't1', author: 'customer' }),
        event({ type: 'message', at: '2026-03-03T19:25:00Z', ticket: 't1', author: 'agent', agent: 'maria' }),
      ],
      { tenant: ny },
    );
    expect(ticketOf(out, 't1').first_response).toEqual({
      calendar: 1500,
      business: 1500,
      at: '2026-03-03T19:25:00.000Z',
      agent: 'maria',
    });
  });

  it('2. created Friday 16:30, first reply Monday 09:15 across the spring-forward change', () => {
    const out = run(
      [
        event({ type: 'ticket.created', at: '2026-03-06T16:30:00-05:00', ticket: 't2' }),
        event({
          type: 'message',
          at: '2026-03-09T09:15:00-04:00',
          ticket: 't2',
          author: 'agent',
          agent: 'maria',
        }),
      ],
      { tenant: ny },
    );
    const frt = ticketOf(out, 't2').first_response;
    expect(frt?.business).toBe(2700);
    expect(frt?.calendar).toBe(229_500);
  });

  it('3. next_response waits start at the first unanswered customer message', () => {
    const at = (hhmm: string) => `2026-03-03T${hhmm}:00-05:00`;
    const out = run([
      event({ type: 'ticket.created', at: at('09:00'), ticket: 't3' }),
      event({ type: 'message', at: at('09:00'), ticket: 't3', author: 'customer' }),
      event({ type: 'message', at: at('09:30'), ticket: 't3', author: 'agent', agent: 'maria' }),
      event({ type: 'message', at: at('10:00'), ticket: 't3', author: 'customer' }),
      event({ type: 'message', at: at('10:20'), ticket: 't3', author: 'agent', agent: 'maria' }),
      event({ type: 'message', at: at('11:00'), ticket: 't3', author: 'customer' }),
      event({ type: 'message', at: at('11:05'), ticket: 't3', author: 'customer' }),
      event({ type: 'message', at: at('11:30'), ticket: 't3', author: 'agent', agent: 'lee' }),
    ]);
    const t = ticketOf(out, 't3');
    expect(t.next_response.map((d) => d.calendar)).toEqual([1200, 1800]);
    expect(t.next_response.map((d) => d.agent)).toEqual(['maria', 'lee']);
  });

  it('4. reply, solve, customer writes back, reopen, reply, solve: counted once at the second resolution', () => {
    const at = (hhmm: string) => `2026-03-03T${hhmm}:00Z`;
    const out = run(
      [
        event({
          type: 'ticket.created',
          at: at('14:00'),
          ticket: 't4',
          channel: 'email',
          agent: 'maria',
          team: 'billing',
        }),
        event({ type: 'message', at: at('14:00'), ticket: 't4', author: 'customer' }),
        event({ type: 'message', at: at('14:20'), ticket: 't4', author: 'agent', agent: 'maria' }),
        event({ type: 'ticket.updated', at: at('14:21'), ticket: 't4', status: 'solved' }),
        event({ type: 'message', at: at('15:00'), ticket: 't4', author: 'customer' }),
        event({ type: 'ticket.updated', at: at('15:00'), ticket: 't4', status: 'open' }),
        event({ type: 'message', at: at('15:30'), ticket: 't4', author: 'agent', agent: 'maria' }),
        event({ type: 'ticket.updated', at: at('15:31'), ticket: 't4', status: 'solved' }),
      ],
      { groupBy: 'none' },
    );
    const t = ticketOf(out, 't4');
    expect(t).toMatchObject({ reopens: 1, contacts: 2, fcr: false, touches: 'two_touch' });
    expect(t.first_resolution?.at).toBe('2026-03-03T14:21:00.000Z');
    expect(t.full_resolution).toMatchObject({ calendar: 91 * 60, at: '2026-03-03T15:31:00.000Z' });
    const [group] = out.report.groups;
    expect(group?.resolved).toBe(1);
    expect(group?.full_resolution.calendar.count).toBe(1);
    expect(group?.reopened).toBe(1);
    expect(group?.fcr).toEqual({ count: 0, eligible: 1, rate: 0 });
  });

  describe('5. a phone call that opens a ticket', () => {
    const phone = 'phone:+14155550100';
    const opening = () => [
      call({
        at: '2026-03-03T09:00:00-05:00',
        answered_after: 10,
        customer: phone,
        agent: 'maria',
        team: 'billing',
      }),
      event({
        type: 'ticket.created',
        at: '2026-03-03T09:04:00-05:00',
        ticket: 't5',
        channel: 'phone',
        customer: ['email:ana@example.com', phone],
        agent: 'maria',
        team: 'billing',
      }),
    ];

    it('solved at 09:10: an opening call, one contact, one call, FCR', () => {
      const out = run([
        ...opening(),
        event({ type: 'ticket.updated', at: '2026-03-03T09:10:00-05:00', ticket: 't5', status: 'solved' }),
      ]);
      expect(ticketOf(out, 't5')).toMatchObject({ contacts: 1, calls_to_resolution: 1, fcr: true });
      expect(out.call_cases).toEqual([]);
    });

    it('still open at 14:00 after a second call at 13:00: two contacts, two calls, no FCR', () => {
      const out = run([
        ...opening(),
        call({ at: '2026-03-03T13:00:00-05:00', answered_after: 30, customer: phone, agent: 'maria' }),
        event({ type: 'ticket.updated', at: '2026-03-03T14:00:00-05:00', ticket: 't5', status: 'solved' }),
      ]);
      expect(ticketOf(out, 't5')).toMatchObject({ contacts: 2, calls_to_resolution: 2, fcr: false });
    });
  });
});
