import type { TenantConfig } from '../model/config.js';
import type { NormalizedEvent, SurveyEvent } from '../model/events.js';
import { TenantClocks } from './clocks.js';
import { buildCallCases, type CallCase, chooseTicket, CustomerIndex, type LinkWindows, type TimedCall } from './linking.js';
import { callCaseMeasure, callMeasure, type Measure, surveyMeasure, ticketMeasures } from './measures.js';
import { evaluateSla, type SlaTarget } from './sla.js';
import { measureTicket, type TicketMetrics } from './ticket.js';
import { attributionAt, compareEvents, readTimeline, type TicketFacts, type TimedEvent, timed } from './timeline.js';

export interface TicketResult {
  metrics: TicketMetrics;
  sla: SlaTarget[];
}

export interface ComputeResult {
  now: number;
  tickets: TicketResult[];
  callCases: CallCase[];
  measures: Measure[];
}

export function linkWindows(tenant: TenantConfig): LinkWindows {
  return {
    linkBeforeMs: tenant.call_linking.link_before * 1000,
    repeatWindowMs: tenant.call_linking.repeat_window * 1000,
  };
}

/**
 * Collects one tenant's events, deduplicated by id (the first copy wins), bucketed by ticket.
 * Feed it in any order; `compute` gives the same result for the same set of events.
 */
export class EventCollector {
  private readonly seen = new Set<string>();
  readonly byTicket = new Map<string, TimedEvent[]>();
  readonly looseCalls: TimedCall[] = [];
  readonly looseSurveys: Array<SurveyEvent & { t: number }> = [];
  duplicates = 0;

  add(event: NormalizedEvent): void {
    if (this.seen.has(event.id)) {
      this.duplicates += 1;
      return;
    }
    this.seen.add(event.id);
    const item = timed(event);
    const ticket = 'ticket' in item ? item.ticket : undefined;
    if (ticket !== undefined) {
      const list = this.byTicket.get(ticket);
      if (list) list.push(item);
      else this.byTicket.set(ticket, [item]);
    } else if (item.type === 'call') {
      this.looseCalls.push(item);
    } else if (item.type === 'survey') {
      this.looseSurveys.push(item);
    }
  }
}

/** Every metric of METRICS.md for one tenant's events, as of `now`. Pure: no clock, no I/O. */
export function compute(collector: EventCollector, tenant: TenantConfig, now: number): ComputeResult {
  const clocks = new TenantClocks(tenant);
  const windows = linkWindows(tenant);
  const allFacts: TicketFacts[] = [];
  const index = new CustomerIndex();
  const measures: Measure[] = [];

  const keys = [...collector.byTicket.keys()].sort();
  for (const key of keys) {
    const events = (collector.byTicket.get(key) as TimedEvent[]).sort(compareEvents);
    const facts = readTimeline(key, tenant.id, events);
    allFacts.push(facts);
    index.add(facts);
    for (const event of events) {
      if (event.type === 'call') measures.push(...optional(callMeasure(event)));
    }
  }

  const unlinked: TimedCall[] = [];
  const looseCalls = [...collector.looseCalls].sort(compareEvents) as TimedCall[];
  for (const call of looseCalls) {
    measures.push(...optional(callMeasure(call)));
    const facts = chooseTicket(call, index, windows);
    if (facts) facts.calls.push({ id: call.call.id, started: call.t, call: call.call });
    else unlinked.push(call);
  }

  const tickets: TicketResult[] = [];
  for (const facts of allFacts) {
    const metrics = measureTicket(facts, clocks, now);
    const sla = evaluateSla(facts, tenant.sla_policies, clocks, now);
    tickets.push({ metrics, sla });
    measures.push(...ticketMeasures(metrics, sla));
    for (const survey of facts.surveys) {
      if (survey.type === 'survey') measures.push(surveyMeasure(survey, attributionAt(facts, survey.t)));
    }
  }
  for (const survey of collector.looseSurveys) {
    measures.push(surveyMeasure(survey, { agent: null, team: null }));
  }

  const callCases = buildCallCases(unlinked, windows, now);
  for (const callCase of callCases) measures.push(...optional(callCaseMeasure(callCase)));
  return { now, tickets, callCases, measures };
}

function optional<T>(value: T | null): T[] {
  return value === null ? [] : [value];
}
