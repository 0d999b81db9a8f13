import { describe, expect, it } from 'vitest';
import { compute, EventCollector, type TicketResult } from '../../src/metrics/compute.js';
import type { NormalizedEvent } from '../../src/model/events.js';
import { event, NEW_YORK_WEEKDAYS, tenant } from '../helpers.js';

/** The engine's SLA targets of ticket `t` (with the instants alert timers are set for). */
function targets(events: NormalizedEvent[], config: ReturnType<typeof tenant>, now: string) {
  const collector = new EventCollector();
  for (const e of events) collector.add(structuredClone(e));
  const results: TicketResult[] = [];
  compute(collector, config, Date.parse(now), (result) => results.push(result));
  return results[0]?.sla ?? [];
}
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('the instants SLA alert timers are set for', () => {
  it('calendar: at risk at warn_at of the target, breached at the target', () => {
    const config = tenant({
      sla_policies: [{ name: 'p', targets: { first_response: '1h' }, warn_at: 0.75 }],
    });
    const [target] = targets(
      [event({ type: 'ticket.created', at: '2026-03-03T15:00:00Z', ticket: 't' })],
      config,
      '2026-03-03T15:10:00Z',
    );
    expect(target).toMatchObject({ status: 'active', atRisk: false });
    expect(iso(target!.warnAt)).toBe('2026-03-03T15:45:00.000Z');
    expect(iso(target!.breachAt)).toBe('2026-03-03T16:00:00.000Z');
  });

  it('business hours: the warning waits over the night like the breach', () => {
    // Created Tuesday 16:30 New York with a 1 h business target: 30 min left that day.
    const config = tenant({
      business_hours: NEW_YORK_WEEKDAYS,
      sla_policies: [{ name: 'p', targets: { first_response: '1h' }, business_hours: true, warn_at: 0.75 }],
    });
    const [target] = targets(
      [event({ type: 'ticket.created', at: '2026-03-03T16:30:00-05:00', ticket: 't' })],
      config,
      '2026-03-03T16:40:00-05:00',
    );
    expect(iso(target!.warnAt)).toBe('2026-03-04T14:15:00.000Z'); // Wednesday 09:15 New York
    expect(iso(target!.breachAt)).toBe('2026-03-04T14:30:00.000Z'); // Wednesday 09:30
  });

  it('resolution: pending time does not count, and a paused target has no timers', () => {
    const config = tenant({ sla_policies: [{ name: 'p', targets: { resolution: '4h' }, warn_at: 0.5 }] });
    const events = [
      event({ type: 'ticket.created', at: '2026-03-03T10:00:00Z', ticket: 't' }),
      event({ type: 'ticket.updated', at: '2026-03-03T11:00:00Z', ticket: 't', status: 'pending' }),
      event({ type: 'ticket.updated', at: '2026-03-03T13:00:00Z', ticket: 't', status: 'open' }),
    ];
    const [open] = targets(events, config, '2026-03-03T13:30:00Z');
    // 1 h before pending, then from 13:00: the 2 h warning at 14:00, the 4 h breach at 16:00.
    expect(iso(open!.warnAt)).toBe('2026-03-03T14:00:00.000Z');
    expect(iso(open!.breachAt)).toBe('2026-03-03T16:00:00.000Z');
    const [paused] = targets(events.slice(0, 2), config, '2026-03-03T12:00:00Z');
    expect(paused).toMatchObject({ status: 'paused', warnAt: null, breachAt: null });
  });
});
