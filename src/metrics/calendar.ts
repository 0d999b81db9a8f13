import { DateTime } from 'luxon';
import { type BusinessHours, parseClock, WEEKDAYS } from '../model/config.js';
import { firstReading } from '../model/period.js';

/**
 * A clock that counts only open time. `businessMs` gives the real elapsed milliseconds of an
 * interval's overlap with the open hours; `addBusinessMs` finds the instant at which a given
 * amount of open time has passed. Open hours are local wall-clock times, so a 09:00–17:00 day
 * stays 09:00–17:00 across a daylight-saving change (and that day is an hour shorter or longer
 * when the change falls inside the open hours).
 */
export interface WorkClock {
  businessMs(start: number, end: number): number;
  /** `null` when the time never passes (a calendar that never opens again). */
  addBusinessMs(start: number, amount: number): number | null;
}

/** No calendar configured: business time equals calendar time. */
export const CONTINUOUS: WorkClock = {
  businessMs: (start, end) => Math.max(0, end - start),
  addBusinessMs: (start, amount) => start + Math.max(0, amount),
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far ahead a deadline is searched before it is called never: ten years of closed days. */
const MAX_DAYS_AHEAD = 3660;

type Interval = readonly [number, number];

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export class BusinessCalendar implements WorkClock {
  private readonly zone: string;
  /** Minutes since local midnight, per weekday (Monday = 0), merged and sorted. */
  private readonly weekly: Array<Array<[number, number]>>;
  private readonly holidays: Set<number>;
  private readonly days = new Map<number, Interval[]>();
  private readonly midnights = new Map<number, number>();
  /** The UTC offset last seen, so the first guess of a local day is nearly always right. */
  private lastOffset = 0;
  /** The day last asked about: most instants in a row fall on it. */
  private lastDay = 0;
  private lastDayStart = 0;
  private lastDayEnd = 0;

  constructor(hours: BusinessHours) {
    this.zone = hours.timezone;
    this.weekly = WEEKDAYS.map((day) => mergeMinutes(hours.weekly[day] ?? []));
    this.holidays = new Set(
      hours.holidays.map((text) => {
        const [y, m, d] = text.split('-').map(Number) as [number, number, number];
        return daysFromCivil(y, m, d);
      }),
    );
  }

  /**
   * The local civil day (days since epoch) that contains an instant. Found from cached local
   * midnights rather than by asking Intl for every instant: exact across offset changes, and
   * one zone look-up per day instead of one per call.
   */
  localDay(instant: number): number {
    if (instant >= this.lastDayStart && instant < this.lastDayEnd) return this.lastDay;
    let day = Math.floor((instant + this.lastOffset) / DAY_MS);
    while (instant < this.midnight(day)) day -= 1;
    while (instant >= this.midnight(day + 1)) day += 1;
    this.lastDay = day;
    this.lastDayStart = this.midnight(day);
    this.lastDayEnd = this.midnight(day + 1);
    this.lastOffset = day * DAY_MS - this.lastDayStart;
    return day;
  }

  /**
   * The first instant of a local day: its midnight, the earlier one where the clocks go back
   * across midnight (Havana: 01:00 back to 00:00), or the end of the gap where they skip it
   * (Santiago: 00:00 forward to 01:00).
   */
  private midnight(day: number): number {
    let instant = this.midnights.get(day);
    if (instant === undefined) {
      instant = firstReading(day * DAY_MS, this.zone);
      this.midnights.set(day, instant);
    }
    return instant;
  }

  private offsetMs(instant: number): number {
    return DateTime.fromMillis(instant, { zone: this.zone }).offset * MINUTE_MS;
  }

  /**
   * Open intervals of one local day, as UTC instants: the instants of the day whose wall clock
   * reads a time inside an open interval. Where the clocks change during the day (once at most,
   * as in every zone's rules), the day is two pieces of constant offset, each mapped on its own:
   * a wall-clock time the change skips
   * opens or closes at the end of the gap, and a repeated hour counts each time it passes
   * inside the interval (and never outside it).
   */
  openIntervals(day: number): Interval[] {
    let intervals = this.days.get(day);
    if (intervals) return intervals;
    intervals = [];
    if (!this.holidays.has(day)) {
      const weekday = (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
      const start = this.midnight(day);
      const end = this.midnight(day + 1);
      const before = this.offsetMs(start);
      const after = this.offsetMs(end - 1);
      let change = end;
      if (before !== after) {
        // The first second that has the day's last offset.
        let lo = Math.floor(start / 1000);
        let hi = Math.ceil((end - 1) / 1000);
        while (lo < hi) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.offsetMs(mid * 1000) === after) hi = mid;
          else lo = mid + 1;
        }
        change = lo * 1000;
      }
      const pieces: Array<readonly [number, number, number]> = [
        [start, change, before],
        [change, end, after],
      ];
      const local = day * DAY_MS;
      for (const [from, to] of this.weekly[weekday] as Array<[number, number]>) {
        for (const [pieceStart, pieceEnd, offset] of pieces) {
          const open = Math.max(pieceStart, local + from * MINUTE_MS - offset);
          const close = Math.min(pieceEnd, local + to * MINUTE_MS - offset);
          if (close > open) intervals.push([open, close]);
        }
      }
      intervals.sort((x, y) => x[0] - y[0]);
    }
    this.days.set(day, intervals);
    return intervals;
  }

  businessMs(start: number, end: number): number {
    if (end <= start) return 0;
    const last = this.localDay(end);
    let total = 0;
    for (let day = this.localDay(start); day <= last; day += 1) {
      for (const [open, close] of this.openIntervals(day)) {
        const from = Math.max(open, start);
        const to = Math.min(close, end);
        if (to > from) total += to - from;
      }
    }
    return total;
  }

  addBusinessMs(start: number, amount: number): number | null {
    let remaining = Math.max(0, amount);
    const first = this.localDay(start);
    for (let day = first; day <= first + MAX_DAYS_AHEAD; day += 1) {
      for (const [open, close] of this.openIntervals(day)) {
        if (close <= start) continue;
        const from = Math.max(open, start);
        const available = close - from;
        if (remaining <= available) return from + remaining;
        remaining -= available;
      }
    }
    return null;
  }
}

function mergeMinutes(intervals: Array<[string, string]>): Array<[number, number]> {
  const minutes = intervals
    .map(([from, to]) => [parseClock(from, false), parseClock(to, true)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of minutes) {
    const previous = merged[merged.length - 1];
    if (previous && from <= previous[1]) previous[1] = Math.max(previous[1], to);
    else merged.push([from, to]);
  }
  return merged;
}
