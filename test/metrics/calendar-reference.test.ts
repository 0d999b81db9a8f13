import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../src/metrics/calendar.js';
import { type BusinessHours, WEEKDAYS } from '../../src/model/config.js';
import { MinuteCalendar } from './minute-calendar.js';

/**
 * Windows of five days around each zone's daylight-saving changes in 2026 (and quiet ones for
 * zones without): New York and Madrid change an hour at 02:00/03:00, Lord Howe half an hour,
 * Santiago at midnight (the day starts at 01:00 in September), Havana back from 01:00 to 00:00
 * in November (midnight happens twice).
 */
export const ZONE_WINDOWS: Record<string, string[]> = {
  'America/New_York': ['2026-03-06', '2026-10-30'],
  'Europe/Madrid': ['2026-03-27', '2026-10-23'],
  'Australia/Lord_Howe': ['2026-04-03', '2026-10-02'],
  'America/Santiago': ['2026-04-03', '2026-09-04'],
  'America/Havana': ['2026-03-06', '2026-10-30'],
  'Asia/Kolkata': ['2026-03-06'],
  UTC: ['2026-03-06'],
};
export const WINDOW_MINUTES = 5 * 24 * 60;

const clockText = (halfHours: number): string =>
  `${String(Math.floor(halfHours / 2)).padStart(2, '0')}:${halfHours % 2 ? '30' : '00'}`;

/** One open interval on half-hour boundaries ("24:00" allowed as an end). */
const interval = fc
  .tuple(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 48 }))
  .filter(([a, b]) => a < b)
  .map(([a, b]) => [clockText(a), clockText(b)] as [string, string]);

/** Weekly hours (some days closed, some with two intervals), and holidays among the window's dates. */
export const businessHoursIn = (zone: string, dates: string[]): fc.Arbitrary<BusinessHours> =>
  fc.record({
    timezone: fc.constant(zone),
    weekly: fc
      .tuple(...WEEKDAYS.map(() => fc.array(interval, { maxLength: 2 })))
      .map((days) => Object.fromEntries(WEEKDAYS.map((day, i) => [day, days[i]]))),
    holidays: fc.subarray(dates, { maxLength: 2 }),
  });

export const windowDates = (first: string): string[] =>
  Array.from({ length: 6 }, (_, i) =>
    new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
  );

/** A zone, a window start (UTC midnight of its first date, less a day so local days are whole) and hours. */
export const zonedHours = fc
  .constantFrom(
    ...Object.entries(ZONE_WINDOWS).flatMap(([zone, firsts]) => firsts.map((first) => ({ zone, first }))),
  )
  .chain(({ zone, first }) =>
    businessHoursIn(zone, windowDates(first)).map((hours) => ({
      hours,
      start: Date.parse(`${first}T00:00:00Z`) - 12 * 3_600_000,
    })),
  );

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
