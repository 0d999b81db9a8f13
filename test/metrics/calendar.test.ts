import { describe, expect, it } from 'vitest';
import { BusinessCalendar, CONTINUOUS } from '../../src/metrics/calendar.js';
import { NEW_YORK_WEEKDAYS } from '../helpers.js';

const ms = Date.parse;
const hours = (n: number) => n * 3_600_000;
const nyWeekdays = new BusinessCalendar({ ...NEW_YORK_WEEKDAYS, holidays: ['2026-12-25'] });
const allDay = new BusinessCalendar({
  timezone: 'America/New_York',
  weekly: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
  ),
  holidays: [],
});

describe('business hours', () => {
  it('no calendar: business time equals calendar time', () => {
    expect(CONTINUOUS.businessMs(ms('2026-03-06T21:30:00Z'), ms('2026-03-09T13:15:00Z'))).toBe(229_500_000);
  });

  it('a holiday is closed all day', () => {
    // Thu 16:00 → Mon 10:00 local, Friday 25 December a holiday: 1 h + 1 h.
    expect(nyWeekdays.businessMs(ms('2026-12-24T16:00:00-05:00'), ms('2026-12-28T10:00:00-05:00'))).toBe(
      hours(2),
    );
  });

  it('the clocks go back inside the weekend: open hours stay 09:00–17:00 local', () => {
    const start = ms('2026-10-30T16:00:00-04:00');
    const end = ms('2026-11-02T10:00:00-05:00');
    expect(nyWeekdays.businessMs(start, end)).toBe(hours(2));
    expect((end - start) / 1000).toBe(67 * 3600);
  });

  it('a day open around the clock is 23 h on the spring-forward day and 25 h on the fall-back day', () => {
    expect(allDay.businessMs(ms('2026-03-08T00:00:00-05:00'), ms('2026-03-09T00:00:00-04:00'))).toBe(
      hours(23),
    );
    expect(allDay.businessMs(ms('2026-11-01T00:00:00-04:00'), ms('2026-11-02T00:00:00-05:00'))).toBe(
      hours(25),
    );
  });

  it('several intervals a day: the lunch break does not count', () => {
    const split = new BusinessCalendar({
      timezone: 'Europe/Madrid',
      weekly: {
        mon: [
          ['09:00', '12:00'],
          ['13:00', '17:00'],
        ],
      },
      holidays: [],
    });
    expect(split.businessMs(ms('2026-03-02T11:00:00+01:00'), ms('2026-03-02T14:00:00+01:00'))).toBe(hours(2));
  });

  it('an interval ending at 24:00 runs to local midnight', () => {
    const evenings = new BusinessCalendar({
      timezone: 'UTC',
      weekly: { fri: [['20:00', '24:00']] },
      holidays: [],
    });
    expect(evenings.businessMs(ms('2026-03-06T23:00:00Z'), ms('2026-03-07T01:00:00Z'))).toBe(hours(1));
  });

  it('created on Saturday, answered Monday 09:30: only Monday counts', () => {
    expect(nyWeekdays.businessMs(ms('2026-03-07T10:00:00-05:00'), ms('2026-03-09T09:30:00-04:00'))).toBe(
      1_800_000,
    );
  });

  it('a deadline one business hour after Friday 16:30 falls on Monday 09:30, after the clocks moved', () => {
    expect(
      new Date(nyWeekdays.addBusinessMs(ms('2026-03-06T16:30:00-05:00'), hours(1)) ?? 0).toISOString(),
    ).toBe('2026-03-09T13:30:00.000Z');
  });

  it('a deadline skips the holiday', () => {
    const due = nyWeekdays.addBusinessMs(ms('2026-12-24T16:00:00-05:00'), hours(2));
    expect(new Date(due ?? 0).toISOString()).toBe('2026-12-28T15:00:00.000Z');
  });

  it('adding and measuring agree', () => {
    const start = ms('2026-03-05T12:34:00Z');
    for (const amount of [0, 1, hours(3), hours(8), hours(30), hours(100)]) {
      const due = nyWeekdays.addBusinessMs(start, amount) as number;
      expect(nyWeekdays.businessMs(start, due)).toBe(amount);
    }
  });
});
