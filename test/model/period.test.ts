import { describe, expect, it } from 'vitest';
import { instantIn } from '../../src/model/period.js';

describe('instants people type (report periods, --now)', () => {
  it('a date, or a date and time without an offset, is on the tenant’s wall clock', () => {
    expect(instantIn('2026-03-04', 'America/New_York')).toBe(Date.parse('2026-03-04T05:00:00Z'));
    expect(instantIn('2026-07-04', 'America/New_York')).toBe(Date.parse('2026-07-04T04:00:00Z'));
    expect(instantIn('2026-03-04T09:30', 'Europe/Madrid')).toBe(Date.parse('2026-03-04T08:30:00Z'));
    expect(instantIn('2026-03-04', 'UTC')).toBe(Date.parse('2026-03-04T00:00:00Z'));
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
