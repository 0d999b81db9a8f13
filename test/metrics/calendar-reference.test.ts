import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../src/metrics/calendar.js';
import { MinuteCalendar, WINDOW_MINUTES, zonedHours } from './minute-calendar.js';

describe('business hours against a minute-by-minute reference', () => {
  it('businessMs counts the open minutes, DST days and their repeated or skipped hours included', () => {
    fc.assert(
      fc.property(
        zonedHours,
        fc.integer({ min: 0, max: WINDOW_MINUTES }),
        fc.integer({ min: 0, max: WINDOW_MINUTES }),
        ({ hours, start }, a, b) => {
          const reference = new MinuteCalendar(start, WINDOW_MINUTES, hours);
          const engine = new BusinessCalendar(hours);
          const from = start + Math.min(a, b) * 60_000;
          const to = start + Math.max(a, b) * 60_000;
          expect(engine.businessMs(from, to) / 60_000).toBe(reference.businessMs(from, to) / 60_000);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('addBusinessMs finds the first instant by which that much open time has passed', () => {
    fc.assert(
      fc.property(
        zonedHours,
        fc.integer({ min: 0, max: WINDOW_MINUTES }),
        fc.integer({ min: 1, max: 3000 }),
        ({ hours, start }, a, amount) => {
          const reference = new MinuteCalendar(start, WINDOW_MINUTES, hours);
          const from = start + a * 60_000;
          const expected = reference.addBusinessMs(from, amount * 60_000);
          fc.pre(expected !== null);
          const due = new BusinessCalendar(hours).addBusinessMs(from, amount * 60_000);
          expect(new Date(due ?? 0).toISOString()).toBe(new Date(expected as number).toISOString());
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the hours the clocks repeat or skip count as the wall clock says', () => {
    const ms = Date.parse;
    const sunday = (zone: string, open: [string, string]) =>
      new BusinessCalendar({ timezone: zone, weekly: { sun: [open] }, holidays: [] });
    const hours = (n: number) => n * 3_600_000;
    // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST, so 01:00–02:00 happens twice.
    const fallDay = [ms('2026-11-01T00:00:00-04:00'), ms('2026-11-02T00:00:00-05:00')] as const;
    expect(sunday('America/New_York', ['00:00', '01:00']).businessMs(...fallDay)).toBe(hours(1));
    expect(sunday('America/New_York', ['01:00', '09:00']).businessMs(...fallDay)).toBe(hours(9));
    expect(sunday('America/New_York', ['00:00', '01:30']).businessMs(...fallDay)).toBe(hours(2));
    // 2026-03-08: 02:00 EST becomes 03:00 EDT; 02:30 never happens, so 02:30–05:00 is 03:00–05:00.
    const springDay = [ms('2026-03-08T00:00:00-05:00'), ms('2026-03-09T00:00:00-04:00')] as const;
    expect(sunday('America/New_York', ['02:30', '05:00']).businessMs(...springDay)).toBe(hours(2));
    expect(sunday('America/New_York', ['00:00', '02:30']).businessMs(...springDay)).toBe(hours(2));
    // Madrid, 2026-10-25: 03:00 CEST becomes 02:00 CET.
    const madrid = [ms('2026-10-25T00:00:00+02:00'), ms('2026-10-26T00:00:00+01:00')] as const;
    expect(sunday('Europe/Madrid', ['00:00', '02:00']).businessMs(...madrid)).toBe(hours(2));
    expect(sunday('Europe/Madrid', ['02:00', '06:00']).businessMs(...madrid)).toBe(hours(5));
  });
});
