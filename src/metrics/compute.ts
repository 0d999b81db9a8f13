import type { TenantConfig } from '../model/config.js';
import type { NormalizedEvent, SurveyEvent } from '../model/events.js';
import { TenantClocks } from './clocks.js';
import {
  buildCallCases,
  type CallCase,
  CustomerIndex,
  chooseTicket,
  type LinkWindows,
  type TimedCall,
} from './linking.js';
import { callCaseMeasure, callMeasure, type Measure, surveyMeasure, ticketMeasures } from './measures.js';
import { evaluateSla, type SlaTarget } from './sla.js';
import { measureTicket, type TicketMetrics } from './ticket.js';
import {
  attributionAt,
  compareEvents,
  readTimeline,
  type TicketFacts,
  type TimedEvent,
  timed,
} from './timeline.js';

export interface TicketResult {
  metrics: TicketMetrics;
  sla: SlaTarget[];
}

export interface ComputeResult {
  now: number;
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
 * Collects one tenant's events, bucketed by ticket. The same id twice is one event and the copy
 * received first wins. Ticket events and messages always carry their ticket, so their copies
 * meet in one bucket and are dropped there when it is computed (a million-entry set costs more
 * than the whole engine); calls and surveys may come once without and once with a ticket, so
 * their ids are checked here.
 */
export class EventCollector {
  private readonly looseKinds = new Set<string>();
  readonly byTicket = new Map<string, TimedEvent[]>();
  readonly looseCalls: TimedCall[] = [];
  readonly looseSurveys: Array<SurveyEvent & { t: number }> = [];
  duplicates = 0;

  add(event: NormalizedEvent): void {
    if (event.type === 'call' || event.type === 'survey') {
      if (this.looseKinds.has(event.id)) {
        this.duplicates += 1;
        return;
      }
      this.looseKinds.add(event.id);
    }
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

  /** A ticket's events, first copies only, sorted into its timeline; the bucket is released. */
  takeTimeline(ticket: string): TimedEvent[] {
    const events = this.byTicket.get(ticket) ?? [];
    this.byTicket.delete(ticket);
    const unique = dropRepeatedIds(events);
    this.duplicates += events.length - unique.length;
    return unique.sort(compareEvents);
  }
}

function dropRepeatedIds(events: TimedEvent[]): TimedEvent[] {
  if (events.length < 2) return events;
  const seen = new Set<string>();
  const unique: TimedEvent[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    unique.push(event);
  }
  return unique;
}

/**
 * Every metric of METRICS.md for one tenant's events, as of `now`. Pure: no clock, no I/O.
 * Each ticket's result goes to `onTicket` in ticket-key order and is not kept, so a large data
 * set never holds every ticket's result at once; the collector is emptied as it is read.
 */
export function compute(
  collector: EventCollector,
  tenant: TenantConfig,
  now: number,
  onTicket: (result: TicketResult) => void = () => {},
): ComputeResult {
  const clocks = new TenantClocks(tenant);
  const windows = linkWindows(tenant);
  const allFacts: TicketFacts[] = [];
  const index = new CustomerIndex();
  const measures: Measure[] = [];

  const keys = [...collector.byTicket.keys()].sort();
  for (const key of keys) {
    const facts = readTimeline(key, tenant.id, collector.takeTimeline(key));
    allFacts.push(facts);
    index.add(facts);
  }

  const looseCalls = [...collector.looseCalls].sort(compareEvents) as TimedCall[];
  const unlinked = linkLooseCalls(looseCalls, index, windows);
  for (let i = 0; i < allFacts.length; i += 1) {
    const contribution = ticketContribution(allFacts[i] as TicketFacts, tenant, clocks, now);
    for (const measure of contribution.measures) measures.push(measure);
    onTicket(contribution.result);
    allFacts[i] = undefined as unknown as TicketFacts;
  }
  const loose = looseContribution(looseCalls, collector.looseSurveys, unlinked, windows, now);
  for (const measure of loose.measures) measures.push(measure);
  return { now, callCases: loose.callCases, measures };
}

/** Link each ticketless call to its ticket (adding it to that ticket's facts); return the unlinked. */
export function linkLooseCalls(
  calls: readonly TimedCall[],
  index: CustomerIndex,
  windows: LinkWindows,
): TimedCall[] {
  const unlinked: TimedCall[] = [];
  for (const call of calls) {
    const facts = chooseTicket(call, index, windows);
    if (facts)
      facts.calls.push({ id: call.call.id, started: call.t, call: call.call, event: call, linked: true });
    else unlinked.push(call);
  }
  return unlinked;
}

/**
 * One ticket's metrics, SLA targets and measures (its whole contribution to reports), from its
 * facts with linked calls already added. The offline command and the live workers share it.
 */
export function ticketContribution(
  facts: TicketFacts,
  tenant: TenantConfig,
  clocks: TenantClocks,
  now: number,
): { result: TicketResult; measures: Measure[] } {
  const metrics = measureTicket(facts, clocks, now);
  const sla = evaluateSla(facts, tenant.sla_policies, clocks, now);
  const measures = ticketMeasures(metrics, sla);
  for (const call of facts.calls) if (!call.linked) pushSome(measures, callMeasure(call.event));
  for (const survey of facts.surveys) {
    if (survey.type === 'survey')
      measures.push(surveyMeasure(survey, attributionAt(facts, survey.t), facts.channel));
  }
  return { result: { metrics, sla }, measures };
}

/** What belongs to no ticket: every ticketless call's call metrics, ticketless surveys, call cases. */
export function looseContribution(
  looseCalls: readonly TimedCall[],
  looseSurveys: ReadonlyArray<SurveyEvent & { t: number }>,
  unlinked: readonly TimedCall[],
  windows: LinkWindows,
  now: number,
): { measures: Measure[]; callCases: CallCase[] } {
  const measures: Measure[] = [];
  for (const call of looseCalls) pushSome(measures, callMeasure(call));
  for (const survey of looseSurveys) measures.push(surveyMeasure(survey, { agent: null, team: null }));
  const callCases = buildCallCases(unlinked, windows, now);
  for (const callCase of callCases) pushSome(measures, callCaseMeasure(callCase));
  return { measures, callCases };
}

function pushSome<T>(list: T[], value: T | null): void {
  if (value !== null) list.push(value);
}
