import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantIn } from '../../src/model/period.js';
import { localMinutes } from '../metrics/minute-calendar.js';

describe('instants people type (report periods, --now)', () => {
  it('a date, or a date and time without an offset, is on the tenant’s wall clock', () => {
    expect(instantIn('2026-03-04', 'America/New_York')).toBe(Date.parse('2026-03-04T05:00:00Z'));
    expect(instantIn('2026-07-04', 'America/New_York')).toBe(Date.parse('2026-07-04T04:00:00Z'));
    expect(instantIn('2026-03-04T09:30', 'Europe/Madrid')).toBe(Date.parse('2026-03-04T08:30:00Z'));
    expect(instantIn('2026-03-04', 'UTC')).toBe(Date.parse('2026-03-04T00:00:00Z'));
  });

  it('on the days the clocks change: the first instant the wall clock reads that time or a later one', () => {
    const at = (text: string, zone: string) => new Date(instantIn(text, zone) as number).toISOString();
    // New York springs forward at 02:00 on 8 March 2026: 02:30 never shows; the gap ends at 03:00 EDT.
    expect(at('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(at('2026-03-08T03:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    // …and falls back at 02:00 on 1 November: 01:30 comes twice, EDT first.
    expect(at('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    // Madrid: 02:30 twice on 25 October (CEST first), never on 29 March (the gap ends at 03:00 CEST).
    expect(at('2026-10-25T02:30', 'Europe/Madrid')).toBe('2026-10-25T00:30:00.000Z');
    expect(at('2026-03-29T02:30', 'Europe/Madrid')).toBe('2026-03-29T01:00:00.000Z');
    // A date is its day's first instant: Havana's 1 November has two midnights (01:00 goes back
    // to 00:00), Santiago's 6 September none (00:00 jumps to 01:00) — as calendars count days.
    expect(at('2026-11-01', 'America/Havana')).toBe('2026-11-01T04:00:00.000Z');
    expect(at('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
    expect(at('2026-09-05T23:59:59.999', 'America/Santiago')).toBe('2026-09-06T03:59:59.999Z');
  });

  it('reads every wall-clock minute around the 2026 changes as a minute-by-minute reference does', () => {
    // Zones that move their clocks by an hour, at midnight, by half an hour, or not at all.
    const days: [string, string][] = [
      ['America/New_York', '2026-03-08'],
      ['America/New_York', '2026-11-01'],
      ['Europe/Madrid', '2026-10-25'],
      ['America/Havana', '2026-11-01'],
      ['America/Santiago', '2026-09-06'],
      ['America/Santiago', '2026-04-05'],
      ['Australia/Lord_Howe', '2026-10-04'],
      ['Asia/Kolkata', '2026-03-08'],
    ];
    const day = fc.constantFrom(...days);
    fc.assert(
      fc.property(day, fc.integer({ min: -120, max: 24 * 60 + 120 }), ([zone, date], minute) => {
        // Every instant from 16 hours before the day's wall-clock midnight read as UTC, by minute.
        const midnight = Date.parse(`${date}T00:00:00Z`);
        const start = midnight - 16 * 3_600_000;
        const local = localMinutes(zone, start, 56 * 60);
        const wall = midnight + minute * 60_000;
        const text = new Date(wall).toISOString().slice(0, 16);
        const [typedDate, typedMinutes] = [
          text.slice(0, 10),
          wall / 60_000 - Date.parse(`${text.slice(0, 10)}T00:00:00Z`) / 60_000,
        ];
        const first = local.findIndex(
          (m) => m.date > typedDate || (m.date === typedDate && m.minutes >= typedMinutes),
        );
        expect(first).toBeGreaterThan(0);
        expect(new Date(instantIn(text, zone) as number).toISOString(), `${text} ${zone}`).toBe(
          new Date(start + first * 60_000).toISOString(),
        );
      }),
      { numRuns: 600 },
    );
  });

  it('an offset written in the text wins over the zone', () => {
    expect(instantIn('2026-03-04T14:00:00Z', 'America/New_York')).toBe(Date.parse('2026-03-04T14:00:00Z'));
    expect(instantIn('2026-03-04T14:00:00.250+01:00', 'America/New_York')).toBe(
      Date.parse('2026-03-04T13:00:00.250Z'),
    );
  });

  it('anything else is not an instant', () => {
    for (const text of ['yesterday', '2026-02-30', '2026-03-04 09:00', '20260304', '2026-03-04Tnoon', ''])
      expect(instantIn(text, 'UTC'), text).toBeNull();
  });
});
