import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantPattern } from '../../src/model/events.js';
import { instantMs, usualInstantMs } from '../../src/model/instant.js';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Strings of the usual instant's shape, with fields in and out of range and stray characters. */
const usualShape = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    ms: fc.integer({ min: 0, max: 999 }),
    // Now and then one character replaced: a separator, a digit, the Z.
    stray: fc.option(
      fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom('x', ' ', '+', '9', ':', '-', '/')),
    ),
  })
  .map(({ year, month, day, hour, minute, second, ms, stray }) => {
    const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(ms, 3)}Z`;
    if (!stray) return text;
    const [at, char] = stray;
    return text.slice(0, at) + char + text.slice(at + 1);
  });

describe('instantMs', () => {
  it('is Date.parse for every string of the usual shape, valid or not', () => {
    fc.assert(
      fc.property(usualShape, (text) => {
        expect(Object.is(instantMs(text), Date.parse(text))).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('reads the usual form itself only when zod would accept the instant', () => {
    fc.assert(
      fc.property(usualShape, (text) => {
        if (!Number.isNaN(usualInstantMs(text))) expect(instantPattern.test(text)).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('leaves other forms to Date.parse', () => {
    for (const text of [
      '2026-03-09T17:29:00Z',
      '2026-03-09T17:29:00.5+02:00',
      '2026-02-29T10:00:00.000Z',
      '1900-02-29T10:00:00.000Z',
      '2026-04-31T23:59:59.999Z',
      '0099-01-01T00:00:00.000Z',
      '2026-03-09T24:00:00.000Z',
      'not an instant',
    ]) {
      expect(Number.isNaN(usualInstantMs(text))).toBe(true);
      expect(Object.is(instantMs(text), Date.parse(text))).toBe(true);
    }
    expect(usualInstantMs('2026-03-09T17:29:00.123Z')).toBe(Date.UTC(2026, 2, 9, 17, 29, 0, 123));
    // Days past the 28th that the month has, leap days, the turn of eras and centuries.
    for (const text of [
      '2024-02-29T10:00:00.000Z',
      '2000-02-29T00:00:00.000Z',
      '2026-03-31T23:59:59.999Z',
      '2026-12-31T23:59:59.999Z',
      '2000-03-01T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '0100-03-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ]) {
      expect(usualInstantMs(text)).toBe(Date.parse(text));
    }
  });
});
