import fc from 'fast-check';
import { type BusinessHours, WEEKDAYS } from '../../src/model/config.js';

/**
 * A reference for business hours that shares no code with the engine: it asks Intl for the
 * local date and wall-clock time of every minute of a window and counts the minutes whose wall
 * time lies in an open interval of their local day (METRICS.md "Business hours": the real
 * elapsed time of the overlap with the open hours, which stay the same local hours across a
 * daylight-saving change). Exact for instants, intervals and zone changes on whole minutes.
 */
export interface LocalMinute {
  date: string;
  weekday: (typeof WEEKDAYS)[number];
  minutes: number;
}

const localCache = new Map<string, LocalMinute[]>();

/** The local date, weekday and minutes since local midnight of each minute from `start`. */
export function localMinutes(zone: string, start: number, count: number): LocalMinute[] {
  const key = `${zone} ${start} ${count}`;
  const cached = localCache.get(key);
  if (cached) return cached;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  });
  const result: LocalMinute[] = [];
  for (let i = 0; i < count; i += 1) {
    const parts = Object.fromEntries(
      format.formatToParts(new Date(start + i * 60_000)).map((part) => [part.type, part.value]),
    );
    result.push({
      date: `${parts.year}-${parts.month}-${parts.day}`,
      weekday: (parts.weekday as string).toLowerCase() as LocalMinute['weekday'],
      minutes: Number(parts.hour) * 60 + Number(parts.minute),
    });
  }
  localCache.set(key, result);
  return result;
}

const clock = (text: string): number => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));

export class MinuteCalendar {
  /** open[i]: whether minute i of the window is open; before[i]: open minutes before minute i. */
  readonly open: boolean[];
  private readonly before: number[];

  constructor(
    readonly start: number,
    readonly count: number,
    hours: BusinessHours | null,
  ) {
    const locals = hours ? localMinutes(hours.timezone, start, count) : null;
    this.open = [];
    this.before = [0];
    for (let i = 0; i < count; i += 1) {
      let open = true;
      if (hours && locals) {
        const local = locals[i] as LocalMinute;
        open =
          !hours.holidays.includes(local.date) &&
          (hours.weekly[local.weekday] ?? []).some(
            ([from, to]) => local.minutes >= clock(from) && local.minutes < clock(to),
          );
      }
      this.open.push(open);
      this.before.push((this.before[i] as number) + (open ? 1 : 0));
    }
  }

  private index(instant: number): number {
    const offset = instant - this.start;
    if (offset % 60_000 !== 0 || offset < 0 || offset > this.count * 60_000) {
      throw new Error(`${new Date(instant).toISOString()} is not a whole minute of the window`);
    }
    return offset / 60_000;
  }

  /** Open milliseconds in [from, to). */
  businessMs(from: number, to: number): number {
    if (to <= from) return 0;
    return ((this.before[this.index(to)] as number) - (this.before[this.index(from)] as number)) * 60_000;
  }

  /** The first instant by which `amount` ms (whole minutes) of open time have passed since `from`, or null within the window. */
  addBusinessMs(from: number, amount: number): number | null {
    const first = this.index(from);
    const wanted = (this.before[first] as number) + amount / 60_000;
    for (let i = first; i <= this.count; i += 1)
      if ((this.before[i] as number) >= wanted) return this.start + i * 60_000;
    return null;
  }
}

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
