import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iso } from '../../src/metrics/output.js';

describe('iso', () => {
  it('writes every instant exactly as Date.prototype.toISOString', () => {
    const instants = fc.oneof(
      // Around now, to the millisecond: the instants of real data.
      fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
      // The whole range toISOString writes, and past its four-digit years.
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.constantFrom(
        -62_167_219_200_000,
        -62_167_219_200_001,
        253_402_300_799_999,
        253_402_300_800_000,
        0,
        -1,
      ),
      fc.double({ min: -1e13, max: 1e13, noNaN: true }),
    );
    fc.assert(
      fc.property(instants, (ms) => {
        expect(iso(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 50_000 },
    );
  });

  it('throws as toISOString does on an invalid instant', () => {
    expect(() => iso(Number.NaN)).toThrow(RangeError);
    expect(() => iso(8.64e15 + 1)).toThrow(RangeError);
  });
});
