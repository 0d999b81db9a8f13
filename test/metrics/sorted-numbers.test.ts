import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedNumbers } from '../../src/metrics/sorted-numbers.js';

/** The definition: the typed array's own ascending order. */
const byTypedSort = (values: number[]) => Float64Array.from(values).sort();

describe('sortedNumbers', () => {
  it('orders long lists of durations as the typed array sort does', () => {
    // Long enough for the radix passes; durations of whole seconds, of milliseconds, and huge.
    const duration = fc.oneof(
      fc.integer({ min: 0, max: 90 * 86_400 }),
      fc.integer({ min: 0, max: 90 * 86_400_000 }).map((ms) => ms / 1000),
      fc.double({ min: 0, max: 1e300, noNaN: true }).filter((value) => !Object.is(value, -0)),
    );
    fc.assert(
      fc.property(fc.array(duration, { minLength: 256, maxLength: 3000 }), (values) => {
        expect(sortedNumbers(values)).toEqual(byTypedSort(values));
      }),
      { numRuns: 200 },
    );
  });

  it('orders lists of milliseconds ÷ 1000 alone (sorted as whole milliseconds), up to and past 2³² ms', () => {
    // Below 2³² ms (every digit used), and lists with some past it (sorted as doubles).
    const below = fc.oneof(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.integer({ min: 2 ** 31, max: 2 ** 32 - 1 }),
      fc.integer({ min: 0, max: 30 * 86_400_000 }),
      fc.integer({ min: 0, max: 2047 }),
    );
    const around = fc.integer({ min: 2 ** 32 - 3000, max: 2 ** 32 + 3000 });
    for (const ms of [below, fc.oneof(below, around)]) {
      fc.assert(
        fc.property(fc.array(ms, { minLength: 256, maxLength: 3000 }), (list) => {
          const values = list.map((n) => n / 1000);
          expect(sortedNumbers(values)).toEqual(byTypedSort(values));
        }),
        { numRuns: 200 },
      );
    }
    // -0 among them goes first, as -0.
    const withMinusZero = [...Array.from({ length: 300 }, (_, i) => i / 1000), -0];
    const sorted = sortedNumbers(withMinusZero);
    expect(Object.is(sorted[0], -0)).toBe(true);
    expect(sorted).toEqual(byTypedSort(withMinusZero));
  });

  it('keeps every value, repeated ones too, and leaves its input as it was', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 300);
    const copy = [...values];
    const sorted = sortedNumbers(values);
    expect(values).toEqual(copy);
    expect(sorted).toHaveLength(1000);
    expect(sorted[0]).toBe(0);
    expect(sorted[999]).toBe(299);
    for (let i = 1; i < sorted.length; i += 1)
      expect(sorted[i]).toBeGreaterThanOrEqual(sorted[i - 1] as number);
  });

  it('sorts lists with negative numbers, -0, infinities and NaN as the typed array sort does', () => {
    const odd = fc.oneof(fc.double(), fc.constantFrom(-0, 0, Number.NaN, Infinity, -Infinity));
    fc.assert(
      fc.property(fc.array(odd, { minLength: 0, maxLength: 600 }), (values) => {
        expect(sortedNumbers(values)).toEqual(byTypedSort(values));
      }),
      { numRuns: 200 },
    );
  });

  it('sorts whole seconds that share their low bytes (passes skipped) and mixed magnitudes', () => {
    const seconds = Array.from({ length: 5000 }, (_, i) => ((i * 104_729) % 86_400) * 60);
    expect(sortedNumbers(seconds)).toEqual(byTypedSort(seconds));
    const mixed = Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? i * 1e12 : i % 3 === 1 ? i / 7 : i));
    expect(sortedNumbers(mixed)).toEqual(byTypedSort(mixed));
    const same = new Array<number>(700).fill(42.5);
    expect(sortedNumbers(same)).toEqual(byTypedSort(same));
    // One value differs from the rest in its lowest byte only: that pass is not skipped.
    const next = new Float64Array(
      new BigUint64Array([new BigUint64Array(new Float64Array([42.5]).buffer)[0]! + 1n]).buffer,
    )[0]!;
    const allButOne = [next, ...same];
    expect(sortedNumbers(allButOne)).toEqual(byTypedSort(allButOne));
    expect(sortedNumbers(allButOne)[700]).toBe(next);
  });
});
