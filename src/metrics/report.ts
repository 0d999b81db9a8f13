import type { DurationMetric, Measure } from './measures.js';
import { sortedNumbers } from './sorted-numbers.js';

export type GroupBy = 'agent' | 'team' | 'none';

export interface Summary {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}
export interface Stats {
  calendar: Summary;
  business: Summary;
}
export interface Rate {
  count: number;
  eligible: number;
  rate: number | null;
}
export interface Group {
  key: string | null;
  first_response: Stats;
  next_response: Stats;
  first_resolution: Stats;
  full_resolution: Stats;
  requester_wait: Stats;
  resolved: number;
  reopened: number;
  fcr: Rate;
  one_touch: Rate;
  sla: Rate;
  contacts: { count: number; mean: number | null };
  calls_to_resolution: { count: number; mean: number | null };
  calls: {
    inbound: number;
    answered: number;
    abandoned: number;
    abandon_rate: number | null;
    wait: Summary;
    hold: Summary;
    talk: Summary;
  };
  csat: { responses: number; positive: number; score: number | null };
  nps: { responses: number; promoters: number; detractors: number; score: number | null };
  ces: { responses: number; mean: number | null };
}

/** The value at rank ⌈p·n⌉ of the sorted values (nearest rank). */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] as number;
}

/** Sum in sorted order so that the same values give the same mean bit for bit, whatever came first. */
function sortedMean(sorted: ArrayLike<number>): number | null {
  if (sorted.length === 0) return null;
  let total = 0;
  for (let i = 0; i < sorted.length; i += 1) total += sorted[i] as number;
  return total / sorted.length;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = sortedNumbers(values);
  return {
    count: sorted.length,
    mean: sortedMean(sorted),
    median: nearestRank(sorted, 0.5),
    p90: nearestRank(sorted, 0.9),
  };
}

export function rate(count: number, eligible: number): Rate {
  return { count, eligible, rate: eligible === 0 ? null : (count / eligible) * 100 };
}

/** A survey answer is positive at `scale_max − 1` or above on scales of 4 points or more. */
export function isPositiveCsat(score: number, scaleMax: number): boolean {
  return scaleMax >= 4 ? score >= scaleMax - 1 : score === scaleMax;
}

const DURATION_METRICS: DurationMetric[] = [
  'first_response',
  'next_response',
  'first_resolution',
  'full_resolution',
  'requester_wait',
];

class GroupTally {
  readonly durations = new Map<DurationMetric, { calendar: number[]; business: number[] }>(
    DURATION_METRICS.map((metric) => [metric, { calendar: [], business: [] }]),
  );
  resolved = 0;
  reopened = 0;
  fcr = 0;
  fcrEligible = 0;
  oneTouch = 0;
  slaAchieved = 0;
  slaEnded = 0;
  contacts: number[] = [];
  callsToResolution: number[] = [];
  inbound = 0;
  answered = 0;
  abandoned = 0;
  wait: number[] = [];
  hold: number[] = [];
  talk: number[] = [];
  csatResponses = 0;
  csatPositive = 0;
  npsScores = 0;
  promoters = 0;
  detractors = 0;
  ces: number[] = [];

  add(measure: Measure): void {
    switch (measure.kind) {
      case 'duration': {
        const lists = this.durations.get(measure.metric) as { calendar: number[]; business: number[] };
        lists.calendar.push(measure.calendar);
        lists.business.push(measure.business);
        break;
      }
      case 'resolved':
        this.resolved += 1;
        if (measure.reopened) this.reopened += 1;
        if (measure.fcr !== null) {
          this.fcrEligible += 1;
          if (measure.fcr) this.fcr += 1;
        }
        if (measure.oneTouch) this.oneTouch += 1;
        this.contacts.push(measure.contacts);
        if (measure.callsToResolution !== null) this.callsToResolution.push(measure.callsToResolution);
        break;
      case 'sla':
        this.slaEnded += 1;
        if (measure.achieved) this.slaAchieved += 1;
        break;
      case 'call':
        this.inbound += 1;
        if (measure.answered) this.answered += 1;
        if (measure.abandoned) this.abandoned += 1;
        if (measure.wait !== null) this.wait.push(measure.wait);
        if (measure.hold !== null) this.hold.push(measure.hold);
        if (measure.talk !== null) this.talk.push(measure.talk);
        break;
      case 'call_case':
        this.fcrEligible += 1;
        if (measure.fcr) this.fcr += 1;
        this.callsToResolution.push(measure.calls);
        break;
      case 'survey':
        if (measure.survey === 'csat') {
          this.csatResponses += 1;
          if (isPositiveCsat(measure.score, measure.scaleMax)) this.csatPositive += 1;
        } else if (measure.survey === 'nps') {
          this.npsScores += 1;
          if (measure.score >= 9) this.promoters += 1;
          else if (measure.score <= 6) this.detractors += 1;
        } else {
          this.ces.push(measure.score);
        }
        break;
    }
  }

  toGroup(key: string | null): Group {
    const stats = (metric: DurationMetric): Stats => {
      const lists = this.durations.get(metric) as { calendar: number[]; business: number[] };
      return { calendar: summarize(lists.calendar), business: summarize(lists.business) };
    };
    const countMean = (values: number[]) => ({
      count: values.length,
      mean: sortedMean(sortedNumbers(values)),
    });
    const ces = countMean(this.ces);
    return {
      key,
      first_response: stats('first_response'),
      next_response: stats('next_response'),
      first_resolution: stats('first_resolution'),
      full_resolution: stats('full_resolution'),
      requester_wait: stats('requester_wait'),
      resolved: this.resolved,
      reopened: this.reopened,
      fcr: rate(this.fcr, this.fcrEligible),
      one_touch: rate(this.oneTouch, this.resolved),
      sla: rate(this.slaAchieved, this.slaEnded),
      contacts: countMean(this.contacts),
      calls_to_resolution: countMean(this.callsToResolution),
      calls: {
        inbound: this.inbound,
        answered: this.answered,
        abandoned: this.abandoned,
        abandon_rate: this.inbound === 0 ? null : (this.abandoned / this.inbound) * 100,
        wait: summarize(this.wait),
        hold: summarize(this.hold),
        talk: summarize(this.talk),
      },
      csat: {
        responses: this.csatResponses,
        positive: this.csatPositive,
        score: this.csatResponses === 0 ? null : (this.csatPositive / this.csatResponses) * 100,
      },
      nps: {
        responses: this.npsScores,
        promoters: this.promoters,
        detractors: this.detractors,
        score: this.npsScores === 0 ? null : ((this.promoters - this.detractors) / this.npsScores) * 100,
      },
      ces: { responses: ces.count, mean: ces.mean },
    };
  }
}

export interface ReportOptions {
  groupBy: GroupBy;
  /** Inclusive start, epoch ms; `null` for no lower bound. */
  from: number | null;
  /** Exclusive end, epoch ms; `null` for no upper bound. */
  to: number | null;
}

/**
 * Group measures by agent, team or none over `[from, to)`: each measure counts in the period of
 * its own instant. Groups come sorted by key, the unassigned (`null`) group last.
 */
export function buildReport(measures: Iterable<Measure>, options: ReportOptions): Group[] {
  const report = new ReportBuilder(options);
  for (const measure of measures) report.add(measure);
  return report.groups();
}

/** `buildReport` one measure at a time, for measures that are counted as made and not kept. */
export class ReportBuilder {
  private readonly tallies = new Map<string | null, GroupTally>();
  private lastKey: string | null | undefined = undefined;
  private lastTally: GroupTally | undefined;

  constructor(private readonly options: ReportOptions) {}

  add(measure: Measure): void {
    const options = this.options;
    if (options.from !== null && measure.at < options.from) return;
    if (options.to !== null && measure.at >= options.to) return;
    const key =
      options.groupBy === 'none' ? null : options.groupBy === 'agent' ? measure.agent : measure.team;
    // A ticket's measures mostly count for one group: the last one's tally spares a look-up.
    let tally = key === this.lastKey ? this.lastTally : this.tallies.get(key);
    if (!tally) {
      tally = new GroupTally();
      this.tallies.set(key, tally);
    }
    this.lastKey = key;
    this.lastTally = tally;
    tally.add(measure);
  }

  groups(): Group[] {
    if (this.options.groupBy === 'none' && this.tallies.size === 0) this.tallies.set(null, new GroupTally());
    return [...this.tallies.entries()]
      .sort(([a], [b]) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1))
      .map(([key, tally]) => tally.toGroup(key));
  }
}
