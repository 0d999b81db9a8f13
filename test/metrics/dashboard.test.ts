import { describe, expect, it } from 'vitest';
import { BusinessCalendar, CONTINUOUS } from '../../src/metrics/calendar.js';
import {
  buildDashboard,
  callsPerPhoneIssue,
  dailyTrend,
  filterMeasures,
  frtDistribution,
} from '../../src/metrics/dashboard.js';
import { countdown } from '../../src/metrics/live.js';
import type { Measure } from '../../src/metrics/measures.js';

const at = (iso: string) => Date.parse(iso);
const frt = (when: string, calendar: number, extra: Partial<Measure> = {}): Measure =>
  ({
    kind: 'duration',
    metric: 'first_response',
    at: at(when),
    agent: 'maria',
    team: 'billing',
    channel: 'email',
    calendar,
    business: calendar / 2,
    ...extra,
  }) as Measure;
const resolved = (when: string, fields: Partial<Measure> = {}): Measure =>
  ({
    kind: 'resolved',
    at: at(when),
    agent: 'maria',
    team: 'billing',
    channel: 'phone',
    reopened: false,
    fcr: true,
    oneTouch: true,
    contacts: 1,
    callsToResolution: null,
    ...fields,
  }) as Measure;

describe('dashboard series', () => {
  it('FRT buckets hold values from the previous bound (inclusive) to their own (exclusive)', () => {
    const measures = [0, 899, 900, 3599, 3600, 14_400, 28_800, 86_399, 86_400, 200_000].map((seconds) =>
      frt('2026-03-02T10:00:00Z', seconds),
    );
    expect(frtDistribution(measures, 'calendar').map((bucket) => bucket.count)).toEqual([2, 2, 1, 1, 2, 2]);
    // Business seconds are half of these: 0, 449.5, 450, 1799.5, 1800, 7200, 14400, 43199.5, 43200, 100000.
    expect(frtDistribution(measures, 'business').map((bucket) => bucket.count)).toEqual([3, 2, 1, 1, 2, 1]);
  });

  it('filters by period, channel and team; measures without a channel match no channel filter', () => {
    const measures = [
      frt('2026-03-02T10:00:00Z', 60),
      frt('2026-03-03T10:00:00Z', 60, { channel: 'chat' }),
      frt('2026-03-04T10:00:00Z', 60, { team: 'emea' }),
      frt('2026-03-05T10:00:00Z', 60, { channel: undefined } as Partial<Measure>),
    ];
    const none = { from: null, to: null, channel: null, team: null };
    expect(filterMeasures(measures, none)).toHaveLength(4);
    expect(filterMeasures(measures, { ...none, channel: 'email' })).toHaveLength(2);
    expect(filterMeasures(measures, { ...none, team: 'emea' })).toHaveLength(1);
    expect(
      filterMeasures(measures, { ...none, from: at('2026-03-03T10:00:00Z'), to: at('2026-03-04T10:00:00Z') }),
    ).toEqual([measures[1]]);
  });

  it('daily trend: local days of the time zone, gaps as nulls, medians nearest-rank, FCR rate per day', () => {
    const measures = [
      // New York moves to EDT at 07:00Z on 2026-03-08: 03:30Z is still the 7th (22:30 EST), 07:30Z the 8th.
      frt('2026-03-08T03:30:00Z', 100),
      frt('2026-03-08T07:30:00Z', 300),
      frt('2026-03-08T08:30:00Z', 100),
      frt('2026-03-08T09:30:00Z', 200),
      resolved('2026-03-08T09:00:00Z'),
      resolved('2026-03-08T10:00:00Z', { fcr: false }),
      resolved('2026-03-08T11:00:00Z', { fcr: null }),
      frt('2026-03-10T15:00:00Z', 50),
    ];
    const days = dailyTrend(measures, 'America/New_York', 'calendar', { from: null, to: null });
    expect(days.map((day) => day.day)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
    expect(days[0]?.first_response).toEqual({ count: 1, median: 100 });
    expect(days[1]?.first_response).toEqual({ count: 3, median: 200 });
    expect(days[1]?.fcr).toEqual({ count: 1, eligible: 2, rate: 50 });
    expect(days[2]).toEqual({
      day: '2026-03-09',
      first_response: { count: 0, median: null },
      full_resolution: { count: 0, median: null },
      fcr: { count: 0, eligible: 0, rate: null },
    });
    // A period covers its days even without data; `to` is exclusive.
    const period = dailyTrend([], 'UTC', 'calendar', {
      from: at('2026-03-01T00:00:00Z'),
      to: at('2026-03-04T00:00:00Z'),
    });
    expect(period.map((day) => day.day)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
  });

  it('calls per resolved phone issue counts tickets with calls and resolved call cases, 4 and more together', () => {
    const measures: Measure[] = [
      resolved('2026-03-02T10:00:00Z', { callsToResolution: 1 }),
      resolved('2026-03-02T10:00:00Z', { callsToResolution: 2 }),
      resolved('2026-03-02T10:00:00Z', { callsToResolution: 7 }),
      resolved('2026-03-02T10:00:00Z'),
      {
        kind: 'call_case',
        at: at('2026-03-02T10:00:00Z'),
        agent: null,
        team: null,
        channel: 'phone',
        fcr: false,
        calls: 4,
      },
    ];
    expect(callsPerPhoneIssue(measures)).toEqual([
      { label: '1', count: 1 },
      { label: '2', count: 1 },
      { label: '3', count: 0 },
      { label: '4+', count: 2 },
    ]);
  });

  it('the dashboard: overall, per team and per agent from the filtered measures; choices from all', () => {
    const measures = [
      frt('2026-03-02T10:00:00Z', 60),
      frt('2026-03-02T11:00:00Z', 120, { agent: 'karl', team: 'emea', channel: 'chat' }),
      {
        kind: 'sla',
        at: at('2026-03-02T12:00:00Z'),
        agent: 'maria',
        team: 'billing',
        channel: 'email',
        achieved: true,
      },
      {
        kind: 'sla',
        at: at('2026-03-02T12:00:00Z'),
        agent: 'maria',
        team: 'billing',
        channel: 'email',
        achieved: false,
      },
    ] as Measure[];
    const dashboard = buildDashboard(measures, {
      from: null,
      to: null,
      channel: 'email',
      team: null,
      basis: 'calendar',
      zone: 'UTC',
    });
    expect(dashboard.overall.first_response.calendar).toMatchObject({ count: 1, median: 60 });
    expect(dashboard.agents.map((group) => group.key)).toEqual(['maria']);
    expect(dashboard.charts.sla_by_team).toEqual([{ team: 'billing', count: 1, eligible: 2, rate: 50 }]);
    expect(dashboard.choices).toEqual({ teams: ['billing', 'emea'], channels: ['chat', 'email'] });
  });
});

describe('SLA countdowns', () => {
  const calendar = new BusinessCalendar({
    timezone: 'Europe/Paris',
    weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] },
    holidays: [],
  });

  it('business time left stops at night: Monday 16:00 → Tuesday 10:00 Paris is 2 business hours', () => {
    const now = at('2026-03-02T15:00:00Z'); // Monday 16:00 in Paris
    const breach = at('2026-03-03T09:00:00Z'); // Tuesday 10:00
    expect(countdown(breach, true, calendar, now)).toEqual({ remaining_seconds: 7200, ticking: true });
    // At 20:00 the clock is stopped and one business hour is left.
    expect(countdown(breach, true, calendar, at('2026-03-02T19:00:00Z'))).toEqual({
      remaining_seconds: 3600,
      ticking: false,
    });
    // A calendar-time policy counts wall time.
    expect(countdown(breach, false, calendar, now)).toEqual({ remaining_seconds: 18 * 3600, ticking: true });
    // Overdue since Monday 10:00: negative, in business time (6 open hours).
    expect(countdown(at('2026-03-02T09:00:00Z'), true, calendar, now).remaining_seconds).toBe(-6 * 3600);
    expect(countdown(now + 1000, false, CONTINUOUS, now).remaining_seconds).toBe(1);
  });
});
