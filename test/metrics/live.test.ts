import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TenantClocks } from '../../src/metrics/clocks.js';
import { replyWaiting } from '../../src/metrics/live.js';
import { compareEvents, readTimeline, timed } from '../../src/metrics/timeline.js';
import { event, NEW_YORK_WEEKDAYS, run, tenant } from '../helpers.js';
import { eventsOf, scenario, scenarioTenant } from './reference-scenarios.js';

describe('who is waiting for a reply now (the sidebar)', () => {
  it("a wait for the first response runs on the calendar first_response will be measured on: the team's at creation", () => {
    const config = tenant({
      business_hours: NEW_YORK_WEEKDAYS,
      teams: {
        emea: { business_hours: { timezone: 'Europe/Madrid', weekly: { tue: [['08:00', '16:00']] } } },
      },
    });
    // Tuesday 3 March, created 15:00Z (10:00 in New York, 16:00 in Madrid), moved to emea at 15:30Z.
    const events = [
      event({ type: 'ticket.created', at: '2026-03-03T15:00:00Z', ticket: 't' }),
      event({ type: 'message', at: '2026-03-03T15:00:00Z', ticket: 't', author: 'customer' }),
      event({ type: 'ticket.updated', at: '2026-03-03T15:30:00Z', ticket: 't', team: 'emea' }),
    ].map((e) => timed(e));
    const facts = readTimeline('t', 'default', events.sort(compareEvents));
    const waiting = replyWaiting(facts, new TenantClocks(config), Date.parse('2026-03-03T17:00:00Z'));
    // New York's hours, 15:00–17:00Z: 2 h (Madrid's closed at 15:00Z).
    expect(waiting).toEqual({
      kind: 'first_response',
      since: Date.parse('2026-03-03T15:00:00Z'),
      calendar: 7200,
      business: 7200,
    });
  });
});

describe('the sidebar agrees with the ticket it shows', () => {
  it("who is waiting now is the ticket's open next response, or a first response not yet given", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const events = eventsOf(s);
        fc.pre(events.length > 0);
        const tenant = scenarioTenant(s);
        const now = s.start + s.now * 60_000;
        const clocks = new TenantClocks(tenant);
        const output = run(events, { tenant, now: new Date(now).toISOString() });
        for (const ticket of output.tickets) {
          const own = events
            .filter((e) => 'ticket' in e && e.ticket === ticket.ticket)
            .map((e) => timed(e))
            .sort(compareEvents);
          const waiting = replyWaiting(readTimeline(ticket.ticket, 'default', own), clocks, now);
          const open = ticket.next_response.filter((wait) => wait.at === undefined);
          expect(open.length).toBeLessThanOrEqual(1);
          const resolved = ticket.status === 'solved' || ticket.status === 'closed';
          if (open[0]) {
            expect(ticket.next_response.at(-1)).toBe(open[0]);
            expect(resolved).toBe(false);
            expect(waiting).toMatchObject({
              kind: 'next_response',
              calendar: open[0].calendar,
              business: open[0].business,
            });
          } else if (waiting?.kind === 'first_response') {
            const created = own.find((e) => e.type === 'ticket.created');
            expect(ticket.first_response).toBeNull();
            expect(resolved).toBe(false);
            expect(created?.type === 'ticket.created' && created.outbound).not.toBe(true);
            expect(waiting.calendar).toBe(Math.max(0, now - waiting.since) / 1000);
            expect(waiting.business).toBeLessThanOrEqual(waiting.calendar);
          } else {
            expect(waiting).toBeNull();
            if (!resolved && ticket.first_response === null && ticket.replies === 0) {
              // Nobody answered an unresolved ticket and nobody is waiting: it was opened by us.
              expect(own.some((e) => e.type === 'ticket.created' && e.outbound === true)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
