import type { BusinessHours } from '../../src/model/config.js';
import { WEEKDAYS } from '../../src/model/config.js';

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
