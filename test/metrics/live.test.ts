import { describe, expect, it } from 'vitest';
import { TenantClocks } from '../../src/metrics/clocks.js';
import { replyWaiting } from '../../src/metrics/live.js';
import { compareEvents, readTimeline, timed } from '../../src/metrics/timeline.js';
import { event, NEW_YORK_WEEKDAYS, tenant } from '../helpers.js';

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
