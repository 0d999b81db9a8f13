import { DateTime } from 'luxon';
import type { Channel } from '../model/events.js';
import type { Measure } from './measures.js';
import { buildReport, type Group, type Rate, rate, summarize } from './report.js';

/**
 * What the team lead's dashboard shows, from the same measures as every report: the tables
 * per team and per agent, and the series behind its charts. Pure: the caller reads the measures.
 */
export type Basis = 'calendar' | 'business';

export interface DashboardFilter {
  /** Inclusive start, epoch ms (`null`: no bound); each measure counts at its own instant. */
  from: number | null;
  /** Exclusive end, epoch ms. */
  to: number | null;
  channel: Channel | null;
  team: string | null;
}

export function filterMeasures(measures: Iterable<Measure>, filter: DashboardFilter): Measure[] {
  const kept: Measure[] = [];
  for (const measure of measures) {
    if (filter.from !== null && measure.at < filter.from) continue;
    if (filter.to !== null && measure.at >= filter.to) continue;
    // Measures stored before channels were recorded have none: they match no channel filter.
    if (filter.channel !== null && (measure.channel ?? null) !== filter.channel) continue;
    if (filter.team !== null && measure.team !== filter.team) continue;
    kept.push(measure);
  }
  return kept;
}

/** First-response buckets: each holds the values at or above the previous bound and below its own. */
export const FRT_BUCKETS: ReadonlyArray<{ label: string; below: number | null }> = [
  { label: '< 15m', below: 15 * 60 },
  { label: '15m–1h', below: 3600 },
  { label: '1h–4h', below: 4 * 3600 },
  { label: '4h–8h', below: 8 * 3600 },
  { label: '8h–24h', below: 24 * 3600 },
  { label: '≥ 24h', below: null },
];

export function frtDistribution(
  measures: readonly Measure[],
  basis: Basis,
): Array<{ label: string; count: number }> {
  const counts = FRT_BUCKETS.map(() => 0);
  for (const measure of measures) {
    if (measure.kind !== 'duration' || measure.metric !== 'first_response') continue;
    const value = measure[basis];
    const index = FRT_BUCKETS.findIndex((bucket) => bucket.below === null || value < bucket.below);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return FRT_BUCKETS.map((bucket, index) => ({ label: bucket.label, count: counts[index] ?? 0 }));
}

export interface DayPoint {
  /** The local date (`2026-11-20`) in the tenant's time zone. */
  day: string;
  first_response: { count: number; median: number | null };
  full_resolution: { count: number; median: number | null };
  fcr: Rate;
}

/** Count and median (nearest rank) of a day's values, as the reports summarise them. */
function median(values: number[] = []): { count: number; median: number | null } {
  const { count, median: middle } = summarize(values);
  return { count, median: middle };
}

/** Longest trend drawn: a year of days; a longer period shows its last 366 days. */
const MAX_DAYS = 366;

/**
 * Per local day of the period: the median first response and resolution of the measures counted
 * that day, and the FCR rate of the issues resolved that day. Days without data are present with
 * nulls, so a chart shows the gap.
 */
export function dailyTrend(
  measures: readonly Measure[],
  zone: string,
  basis: Basis,
  period: { from: number | null; to: number | null },
): DayPoint[] {
  const dayOf = (ms: number) => DateTime.fromMillis(ms, { zone }).toISODate() as string;
  const days = new Map<string, { frt: number[]; resolution: number[]; fcr: number; eligible: number }>();
  const bucket = (ms: number) => {
    const key = dayOf(ms);
    let entry = days.get(key);
    if (!entry) {
      entry = { frt: [], resolution: [], fcr: 0, eligible: 0 };
      days.set(key, entry);
    }
    return entry;
  };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const measure of measures) {
    let counted = true;
    if (measure.kind === 'duration' && measure.metric === 'first_response')
      bucket(measure.at).frt.push(measure[basis]);
    else if (measure.kind === 'duration' && measure.metric === 'full_resolution')
      bucket(measure.at).resolution.push(measure[basis]);
    else if ((measure.kind === 'resolved' && measure.fcr !== null) || measure.kind === 'call_case') {
      const entry = bucket(measure.at);
      entry.eligible += 1;
      if (measure.fcr) entry.fcr += 1;
    } else counted = false;
    if (counted) {
      first = Math.min(first, measure.at);
      last = Math.max(last, measure.at);
    }
  }
  const start = period.from ?? (Number.isFinite(first) ? first : null);
  const end = period.to !== null ? period.to - 1 : Number.isFinite(last) ? last : null;
  if (start === null || end === null || end < start) return [];
  let day = DateTime.fromMillis(start, { zone }).startOf('day');
  const lastDay = DateTime.fromMillis(end, { zone }).startOf('day');
  if (lastDay.diff(day, 'days').days >= MAX_DAYS) day = lastDay.minus({ days: MAX_DAYS - 1 });
  const points: DayPoint[] = [];
  while (day <= lastDay) {
    const key = day.toISODate() as string;
    const entry = days.get(key);
    points.push({
      day: key,
      first_response: median(entry?.frt),
      full_resolution: median(entry?.resolution),
      fcr: rate(entry?.fcr ?? 0, entry?.eligible ?? 0),
    });
    day = day.plus({ days: 1 });
  }
  return points;
}

/** Calls per resolved phone issue (tickets with linked calls and call cases): 1, 2, 3, 4 or more. */
export function callsPerPhoneIssue(measures: readonly Measure[]): Array<{ label: string; count: number }> {
  const counts = [0, 0, 0, 0];
  for (const measure of measures) {
    const calls =
      measure.kind === 'resolved'
        ? measure.callsToResolution
        : measure.kind === 'call_case'
          ? measure.calls
          : null;
    if (calls === null || calls < 1) continue;
    const index = Math.min(calls, 4) - 1;
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return ['1', '2', '3', '4+'].map((label, index) => ({ label, count: counts[index] ?? 0 }));
}

export interface DashboardOptions extends DashboardFilter {
  basis: Basis;
  /** The tenant's time zone, for the days of the trend. */
  zone: string;
}

export interface Dashboard {
  overall: Group;
  teams: Group[];
  agents: Group[];
  charts: {
    frt_distribution: Array<{ label: string; count: number }>;
    daily: DayPoint[];
    sla_by_team: Array<{ team: string | null } & Rate>;
    calls_per_phone_issue: Array<{ label: string; count: number }>;
  };
  /** What the filters can choose from: every team and channel seen in the tenant's measures. */
  choices: { teams: string[]; channels: Channel[] };
}

export function buildDashboard(all: readonly Measure[], options: DashboardOptions): Dashboard {
  const measures = filterMeasures(all, options);
  const unbounded = { from: null, to: null };
  const teams = buildReport(measures, { groupBy: 'team', ...unbounded });
  const teamChoices = new Set<string>();
  const channelChoices = new Set<Channel>();
  for (const measure of all) {
    if (measure.team !== null) teamChoices.add(measure.team);
    if (measure.channel) channelChoices.add(measure.channel);
  }
  return {
    overall: buildReport(measures, { groupBy: 'none', ...unbounded })[0] as Group,
    teams,
    agents: buildReport(measures, { groupBy: 'agent', ...unbounded }),
    charts: {
      frt_distribution: frtDistribution(measures, options.basis),
      daily: dailyTrend(measures, options.zone, options.basis, options),
      sla_by_team: teams
        .filter((group) => group.sla.eligible > 0)
        .map((group) => ({ team: group.key, ...group.sla })),
      calls_per_phone_issue: callsPerPhoneIssue(measures),
    },
    choices: { teams: [...teamChoices].sort(), channels: [...channelChoices].sort() },
  };
}
