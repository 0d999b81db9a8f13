import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../src/model/events.js';
import { run } from '../helpers.js';
import { eventsOf, scenario, scenarioTenant, WINDOW_DAYS } from './reference-scenarios.js';
import {
  BeyondWindow,
  referenceCallCases,
  referenceCallMeasures,
  referenceClocks,
  referenceLinks,
  referenceLooseSurveys,
  type ReferenceMeasure,
  referenceTicket,
} from './reference-ticket.js';

/**
 * The engine's tickets against a second, plain reading of METRICS.md (reference-ticket.ts):
 * random timelines of a few tickets — ties at one instant, events before creation, reopens,
 * pending and on-hold spells, private notes, bots, outbound tickets, calls that name their
 * ticket — under random calendars in zones that change their clocks, team calendars and SLA
 * policies, judged at a random `now`.
 */

/** A report as METRICS.md "Reports" reads, from the reference's measures. */
function referenceGroups(
  measures: ReferenceMeasure[],
  groupBy: 'agent' | 'team' | 'none',
  from: number | null,
  to: number | null,
) {
  const groups = new Map<string | null, ReferenceMeasure[]>();
  for (const m of measures) {
    if ((from !== null && m.at < from) || (to !== null && m.at >= to)) continue;
    const key = groupBy === 'none' ? null : groupBy === 'agent' ? m.agent : m.team;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  if (groupBy === 'none' && groups.size === 0) groups.set(null, []);
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const n = sorted.length;
    const rank = (p: number) => (n === 0 ? null : (sorted[Math.max(1, Math.ceil(p * n)) - 1] as number));
    return {
      count: n,
      mean: n === 0 ? null : sorted.reduce((a, b) => a + b, 0) / n,
      median: rank(0.5),
      p90: rank(0.9),
    };
  };
  const rate = (count: number, eligible: number) => ({
    count,
    eligible,
    rate: eligible === 0 ? null : (count / eligible) * 100,
  });
  const keys = [...groups.keys()].sort((a, b) =>
    a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return keys.map((key) => {
    const list = groups.get(key) ?? [];
    const of = <K extends ReferenceMeasure['kind']>(kind: K) =>
      list.filter((m): m is Extract<ReferenceMeasure, { kind: K }> => m.kind === kind);
    const stats = (metric: string) => {
      const values = of('duration').filter((m) => m.metric === metric);
      return {
        calendar: summary(values.map((m) => m.calendar)),
        business: summary(values.map((m) => m.business)),
      };
    };
    const resolved = of('resolved');
    const calls = of('call');
    const surveys = (kind: string) => of('survey').filter((m) => m.survey === kind);
    const csat = surveys('csat');
    const positive = csat.filter((m) =>
      m.scaleMax >= 4 ? m.score >= m.scaleMax - 1 : m.score === m.scaleMax,
    ).length;
    const nps = surveys('nps');
    const promoters = nps.filter((m) => m.score >= 9).length;
    const detractors = nps.filter((m) => m.score <= 6).length;
    const ces = summary(surveys('ces').map((m) => m.score));
    const cases = of('call_case');
    // Phone issues: resolved tickets with a linked inbound call, and resolved call cases.
    const phoneIssues = [
      ...resolved.flatMap((m) => (m.calls === null ? [] : [m.calls])),
      ...cases.map((m) => m.calls),
    ];
    const abandoned = calls.filter((m) => m.abandoned).length;
    return {
      key,
      first_response: stats('first_response'),
      next_response: stats('next_response'),
      first_resolution: stats('first_resolution'),
      full_resolution: stats('full_resolution'),
      requester_wait: stats('requester_wait'),
      resolved: resolved.length,
      reopened: resolved.filter((m) => m.reopened).length,
      fcr: rate(
        resolved.filter((m) => m.fcr === true).length + cases.filter((m) => m.fcr).length,
        resolved.filter((m) => m.fcr !== null).length + cases.length,
      ),
      one_touch: rate(resolved.filter((m) => m.oneTouch).length, resolved.length),
      sla: rate(of('sla').filter((m) => m.achieved).length, of('sla').length),
      contacts: { count: resolved.length, mean: summary(resolved.map((m) => m.contacts)).mean },
      calls_to_resolution: { count: phoneIssues.length, mean: summary(phoneIssues).mean },
      calls: {
        inbound: calls.length,
        answered: calls.filter((m) => m.answered).length,
        abandoned,
        abandon_rate: calls.length === 0 ? null : (abandoned / calls.length) * 100,
        wait: summary(calls.flatMap((m) => (m.wait === null ? [] : [m.wait]))),
        hold: summary(calls.flatMap((m) => (m.hold === null ? [] : [m.hold]))),
        talk: summary(calls.flatMap((m) => (m.talk === null ? [] : [m.talk]))),
      },
      csat: {
        responses: csat.length,
        positive,
        score: csat.length === 0 ? null : (positive / csat.length) * 100,
      },
      nps: {
        responses: nps.length,
        promoters,
        detractors,
        score: nps.length === 0 ? null : ((promoters - detractors) / nps.length) * 100,
      },
      ces: { responses: ces.count, mean: ces.mean },
    };
  });
}

describe('tickets and reports against a plain reading of METRICS.md', () => {
  it('every ticket figure and SLA target, and the report by agent, team or none over a period, equal the reference', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.constantFrom('agent', 'team', 'none'),
        fc.option(fc.integer({ min: 0, max: 5 * 24 * 60 })),
        fc.option(fc.integer({ min: 0, max: 7 * 24 * 60 })),
        fc.nat(),
        (s, groupBy, fromMinute, toMinute, pick) => {
          const events = eventsOf(s);
          fc.pre(events.length > 0);
          // Half the time the period ends exactly at an event's instant: `to` is exclusive.
          if (toMinute !== null && pick % 2 === 0) {
            toMinute = (Date.parse((events[pick % events.length] as NormalizedEvent).at) - s.start) / 60_000;
          }
          const tenant = scenarioTenant(s);
          const calls = events.filter((e) => e.type === 'call');
          const windowMinutes = { '1h': 60, '1d': 1440, '7d': 10080 }[s.linking.repeat_window];
          const creations = events.filter((e) => e.type === 'ticket.created');
          const anchor = s.nowAfterCreation;
          const now =
            s.nowAfterCall !== undefined && calls.length > 0
              ? Date.parse((calls[s.nowAfterCall % calls.length] as NormalizedEvent).at) +
                windowMinutes * 60_000
              : anchor !== undefined && creations.length > 0
                ? Date.parse((creations[anchor.ticket % creations.length] as NormalizedEvent).at) +
                  anchor.minutes * 60_000
                : s.start + s.now * 60_000;
          const from = fromMinute === null ? null : s.start + fromMinute * 60_000;
          const to = toMinute === null ? null : s.start + toMinute * 60_000;
          const clocks = referenceClocks(tenant, s.start, WINDOW_DAYS * 24 * 60);
          const output = run(events, {
            tenant,
            now: new Date(now).toISOString(),
            groupBy,
            ...(from === null ? {} : { from: new Date(from).toISOString() }),
            ...(to === null ? {} : { to: new Date(to).toISOString() }),
          });
          const links = referenceLinks(events, tenant);
          const cases = referenceCallCases(events, links, tenant, now);
          const measures: ReferenceMeasure[] = [
            ...referenceCallMeasures(events),
            ...referenceLooseSurveys(events),
            ...cases.measures,
          ];
          for (const ticket of output.tickets) {
            let expected;
            const linked = events.filter((e) => links.get(e.id) === ticket.ticket);
            try {
              expected = referenceTicket(ticket.ticket, events, tenant, clocks, now, linked);
            } catch (error) {
              if (error instanceof BeyondWindow) return fc.pre(false);
              throw error;
            }
            expect({ ...ticket }).toEqual(expected.json);
            measures.push(...expected.measures);
          }
          expect(output.tickets.map((t) => t.ticket).sort()).toEqual(
            [
              ...new Set(events.flatMap((e) => ('ticket' in e && e.ticket !== undefined ? [e.ticket] : []))),
            ].sort(),
          );
          expect(output.call_cases).toEqual(cases.json);
          expect(output.report.groups).toEqual(referenceGroups(measures, groupBy, from, to));
        },
      ),
      { numRuns: 300 },
    );
  });
});
