import { DateTime } from 'luxon';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * An instant a person typed (a report period's bound, `--now`): ISO-8601 starting with a date. One
 * with an offset (`2026-03-04T09:00:00Z`, `…+01:00`) is that instant; a date (`2026-03-04`) or a
 * date and time without an offset is read on the wall clock of `zone` — the tenant's, so that
 * "March" is the tenant's March, and never the machine's. `null` when it is not such a text.
 *
 * On the wall clock, it is the first instant the clock reads that time, or a later one: where
 * the clocks go back and a time comes twice, its first pass (New York's 01:30 on 1 November
 * 2026 is 01:30 EDT); where they skip it, the end of the gap (02:30 on 8 March is 03:00 EDT);
 * and so a date is its day's first instant, as business-hours calendars count days (Havana's
 * 1 November starts at its first midnight, Santiago's 6 September at 01:00). Luxon alone reads a
 * repeated time as its second pass and a skipped one an hour on (02:30 as 03:30).
 */
export function instantIn(text: string, zone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}(?:$|T)/.test(text)) return null;
  // Luxon keeps an offset written in the text and uses `zone` only when there is none.
  const read = DateTime.fromISO(text, { zone });
  if (!read.isValid) return null;
  if (/T.*(?:[zZ]|[+-]\d\d(?::?\d\d)?)$/.test(text)) return read.toMillis();
  return firstReading(DateTime.fromISO(text, { zone: 'UTC' }).toMillis(), zone);
}

/**
 * The first instant whose wall clock in `zone` reads `wall` (a wall time written as if UTC, in
 * milliseconds) or a later time: a time the clocks pass twice at its first pass, one they skip
 * at the end of the gap. Typed instants (`instantIn`) and the first instant of a calendar's
 * local day (business hours) are both this. Every zone changes its clocks by less than three
 * hours at a time, so the offsets three hours either side of Luxon's reading give every instant
 * that reads it; where none does (a gap), the clock jumps between those two, once.
 */
export function firstReading(wall: number, zone: string): number {
  const guess = DateTime.fromMillis(wall, { zone: 'UTC' }).setZone(zone, { keepLocalTime: true }).toMillis();
  const offset = (instant: number) => DateTime.fromMillis(instant, { zone }).offset * MINUTE_MS;
  const reads = (instant: number) => instant + offset(instant);
  const candidates = [wall - offset(guess - 3 * HOUR_MS), wall - offset(guess + 3 * HOUR_MS), guess];
  const exact = candidates.filter((instant) => reads(instant) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // Reads before `wall` at `low`, after it at `high`: the first instant reading `wall` or later.
  let low = Math.min(...candidates);
  let high = Math.max(...candidates);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (reads(middle) >= wall) high = middle;
    else low = middle;
  }
  return high;
}
