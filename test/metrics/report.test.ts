import { describe, expect, it } from 'vitest';
import { isPositiveCsat, nearestRank, summarize } from '../../src/metrics/report.js';
import { event, run } from '../helpers.js';

const at = (hhmm: string, day = '2026-03-03') => `${day}T${hhmm}:00Z`;

describe('nearest-rank percentiles', () => {
  it('is the value at rank ⌈p·n⌉', () => {
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(summarize([...ten])).toEqual({ count: 10, mean: 5.5, median: 5, p90: 9 });
    expect(summarize([30, 10, 20])).toEqual({ count: 3, mean: 20, median: 20, p90: 30 });
    expect(nearestRank([7], 0.9)).toBe(7);
  });
  it('no values: count 0 and nulls', () => {
    expect(summarize([])).toEqual({ count: 0, mean: null, median: null, p90: null });
  });
});

describe('surveys', () => {
  it('CSAT positive is scale_max − 1 or more on 4+ point scales, scale_max on smaller ones', () => {
    expect([1, 2, 3, 4, 5].map((s) => isPositiveCsat(s, 5))).toEqual([false, false, false, true, true]);
    expect([0, 1].map((s) => isPositiveCsat(s, 1))).toEqual([false, true]);
    expect([1, 2, 3].map((s) => isPositiveCsat(s, 3))).toEqual([false, false, true]);
  });

  it('CSAT, NPS and CES per agent, falling back to the ticket assignee at the survey instant', () => {
    const survey = (kind: string, score: number, extra: Record<string, unknown> = {}) =>
      event({ type: 'survey', at: at('12:00'), kind, score, ...extra });
    const out = run([
      event({ type: 'ticket.created', at: at('10:00'), ticket: 't', agent: 'lee' }),
      event({ type: 'ticket.updated', at: at('13:00'), ticket: 't', agent: 'yuki' }),
      survey('csat', 5, { ticket: 't' }),
      survey('csat', 3, { ticket: 't' }),
      survey('csat', 0, { scale_max: 1, agent: 'lee' }),
      survey('nps', 10, { agent: 'lee' }),
      survey('nps', 8, { agent: 'lee' }),
      survey('nps', 6, { agent: 'lee' }),
      survey('nps', 9, { agent: 'lee' }),
      survey('ces', 6, { agent: 'lee' }),
      survey('ces', 3, { agent: 'lee' }),
    ]);
    const lee = out.report.groups.find((g) => g.key === 'lee');
    expect(lee?.csat).toEqual({ responses: 3, positive: 1, score: (1 / 3) * 100 });
    expect(lee?.nps).toEqual({ responses: 4, promoters: 2, detractors: 1, score: 25 });
    expect(lee?.ces).toEqual({ responses: 2, mean: 4.5 });
    expect(out.report.groups.find((g) => g.key === 'yuki')).toBeUndefined();
  });
});

describe('reports', () => {
  const tickets = () => [
    event({ type: 'ticket.created', at: at('10:00'), ticket: 'a', agent: 'lee', team: 'billing' }),
    event({ type: 'message', at: at('10:10'), ticket: 'a', author: 'agent', agent: 'lee' }),
    event({ type: 'ticket.updated', at: at('11:00'), ticket: 'a', status: 'solved' }),
    event({ type: 'ticket.created', at: at('10:00', '2026-03-04'), ticket: 'b' }),
    event({ type: 'message', at: at('10:30', '2026-03-04'), ticket: 'b', author: 'agent', agent: 'maria' }),
  ];

  it('a period is [from, to): each metric counts at its own instant', () => {
    const out = run(tickets(), { groupBy: 'none', from: at('10:10'), to: at('11:00') });
    const [all] = out.report.groups;
    expect(all?.first_response.calendar.count).toBe(1);
    expect(all?.resolved).toBe(0);
    expect(out.report).toMatchObject({
      group_by: 'none',
      from: '2026-03-03T10:10:00.000Z',
      to: '2026-03-03T11:00:00.000Z',
    });
  });

  it('groups by agent with the unassigned last; rates carry numerator and denominator', () => {
    const out = run(tickets(), { groupBy: 'agent' });
    expect(out.report.groups.map((g) => g.key)).toEqual(['lee', 'maria']);
    const lee = out.report.groups[0];
    expect(lee?.fcr).toEqual({ count: 1, eligible: 1, rate: 100 });
    expect(lee?.one_touch).toEqual({ count: 1, eligible: 1, rate: 100 });
    const byTeam = run(tickets(), { groupBy: 'team' });
    expect(byTeam.report.groups.map((g) => g.key)).toEqual(['billing', null]);
  });

  it('an empty period still has one group under none, with counts of 0 and null rates', () => {
    const [all] = run(tickets(), { groupBy: 'none', from: '2027-01-01T00:00:00Z' }).report.groups;
    expect(all).toMatchObject({ key: null, resolved: 0, fcr: { count: 0, eligible: 0, rate: null } });
  });
});
