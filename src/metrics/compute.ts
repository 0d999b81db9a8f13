import type { TenantConfig } from '../model/config.js';
import { customerKeys } from '../model/events.js';
import { TenantClocks } from './clocks.js';
import { InOrder } from './in-order.js';
import { EventCollector } from './collector.js';
import {
  buildCallCases,
  type CallCase,
  CustomerIndex,
  chooseTicket,
  KeyGroups,
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
  type TimedSurvey,
} from './timeline.js';

export { EventCollector };

export interface TicketResult {
  metrics: TicketMetrics;
  sla: SlaTarget[];
}

export interface ComputeResult {
  now: number;
  callCases: CallCase[];
  /** Every measure made, unless `compute` was given `onMeasure` (then none are kept). */
  measures: Measure[];
}

export function linkWindows(tenant: TenantConfig): LinkWindows {
  return {
    linkBeforeMs: tenant.call_linking.link_before * 1000,
    repeatWindowMs: tenant.call_linking.repeat_window * 1000,
  };
}

/**
 * Every metric of METRICS.md for one tenant's events, as of `now`. Pure: no clock, no I/O.
 * Each ticket's result goes to `onTicket` in ticket-key order; only the results of tickets done
 * early, with a customer's ticket of an earlier key (see `computeRanked`), are held until their
 * turn, so a large data set never holds every ticket's result at once; the collector is
 * emptied as it is read.
 * Without `onTicket`, tickets are computed in no particular order.
 * Likewise each measure goes to `onMeasure` if given (a `ReportBuilder` counts them as they
 * come) instead of into the result.
 */
export function compute(
  collector: EventCollector,
  tenant: TenantConfig,
  now: number,
  onTicket?: (result: TicketResult) => void,
  onMeasure?: (measure: Measure) => void,
): ComputeResult {
  const inOrder = onTicket && new InOrder(onTicket);
  const ranked = inOrder && ((result: TicketResult, rank: number) => inOrder.put(rank, result));
  return computeRanked(collector, tenant, now, ranked, onMeasure);
}

/**
 * `compute`, each ticket's result sent to `onTicket` as soon as it is done, with its place in
 * ticket-key order (`rank`, from 0). They are done in key order, except that a ticket a
 * ticketless call may link to is done with the other tickets of its customer (keys shared
 * through tickets and calls, see `CallCustomers`): those with later keys come early (~5k of
 * 131k tickets at a million events, where half the tickets are a caller's). Whoever puts them
 * back in order (`InOrder`) holds the early ones, in whatever form it keeps them: `deskpulse
 * compute --format json` holds their lines, on another thread (cli/json-document.ts).
 */
export function computeRanked(
  collector: EventCollector,
  tenant: TenantConfig,
  now: number,
  onTicket?: (result: TicketResult, rank: number) => void,
  onMeasure?: (measure: Measure) => void,
): ComputeResult {
  const clocks = new TenantClocks(tenant);
  const windows = linkWindows(tenant);
  // Only keys a ticketless call has can link one: at a million events the others were ~200k
  // index entries for nothing.
  const callKeys = new Set<string>();
  for (const call of collector.looseCalls) for (const key of customerKeys(call)) callKeys.add(key);
  const measures: Measure[] = [];
  const take = onMeasure ?? ((measure: Measure) => measures.push(measure));
  const read = (key: string) => readTimeline(key, tenant.id, collector.takeTimeline(key));
  /** A ticket's measures taken, its result returned. */
  const measured = (facts: TicketFacts): TicketResult => {
    const contribution = ticketContribution(facts, tenant, clocks, now);
    for (const measure of contribution.measures) take(measure);
    return contribution.result;
  };

  // In the order the collector holds them (as received): its columns and kept objects are then
  // read front to back rather than all over the heap (1M report CPU −6 % in two interleaved
  // runs; finding linkable tickets' keys alone, 49-61 → 44-51 ms).
  const received = collector.tickets();
  const looseCalls = [...collector.looseCalls].sort(compareEvents) as TimedCall[];
  const customers = new CallCustomers(received, looseCalls, callKeys, collector, windows, read);
  if (!onTicket) {
    // The customers first, then the tickets no call links to, not as they come: 1M report
    // 2.81–3.34 → 2.74–2.83 s (interleaved ×8).
    customers.linkAll(measured);
    for (const key of customers.alone) measured(read(key));
  } else {
    const sorted = received.slice().sort();
    const ranks = new Map<string, number>();
    for (let rank = 0; rank < sorted.length; rank += 1) ranks.set(sorted[rank] as string, rank);
    const done = new Uint8Array(sorted.length);
    const linked = (facts: TicketFacts) => {
      const rank = ranks.get(facts.ticket) as number;
      done[rank] = 1;
      onTicket(measured(facts), rank);
    };
    // In key order, a ticket a call may link to with its customer's other tickets: only those
    // come early (those of a customer with later keys).
    for (let rank = 0; rank < sorted.length; rank += 1) {
      if (done[rank] === 1) continue;
      const key = sorted[rank] as string;
      customers.linkTicket(key, linked);
      if (done[rank] === 0) onTicket(measured(read(key)), rank);
    }
  }
  const unlinked = customers.unlinked();
  const loose = looseContribution(looseCalls, collector.looseSurveys, unlinked, windows, now);
  for (const measure of loose.measures) take(measure);
  return { now, callCases: loose.callCases, measures };
}

/** The tickets and ticketless calls of one customer (their keys joined through both). */
interface Customer {
  tickets: string[];
  /** Indexes into the calls. */
  calls: number[];
  done: boolean;
}

/**
 * Link the ticketless calls to tickets a customer at a time — the tickets and calls that share
 * customer keys are read, linked and handed on together (`link`), so that a ticket's facts are
 * held no longer than its customer's (holding every linkable ticket's facts until all calls
 * were linked was ~120 MB at a million events, half the tickets, copied twice by the garbage
 * collector). Which ticket a call links to depends only on the tickets that share its keys:
 * the links are the same as linking them all at once, in any order of customers. A ticket no
 * call can link to is `alone` (in the order given).
 */
class CallCustomers {
  readonly alone: string[] = [];
  private readonly byTicket = new Map<string, Customer>();
  private readonly customers: Customer[] = [];
  private readonly isLinked: boolean[];

  constructor(
    keys: readonly string[],
    private readonly calls: readonly TimedCall[],
    private readonly callKeys: ReadonlySet<string>,
    collector: EventCollector,
    private readonly windows: LinkWindows,
    private readonly read: (key: string) => TicketFacts,
  ) {
    const groups = new KeyGroups();
    const waiting: { ticket: string; key: string }[] = [];
    for (const ticket of keys) {
      const found = collector.customersIn(ticket, callKeys);
      if (found.length === 0) this.alone.push(ticket);
      else {
        groups.join(found);
        waiting.push({ ticket, key: found[0] as string });
      }
    }
    for (const call of calls) groups.join(customerKeys(call));
    const byRoot = new Map<string, Customer>();
    const customerOf = (key: string) => {
      const root = groups.find(key);
      let customer = byRoot.get(root);
      if (!customer) {
        customer = { tickets: [], calls: [], done: false };
        byRoot.set(root, customer);
      }
      return customer;
    };
    for (const { ticket, key } of waiting) {
      const customer = customerOf(key);
      customer.tickets.push(ticket);
      this.byTicket.set(ticket, customer);
    }
    this.isLinked = new Array<boolean>(calls.length).fill(false);
    calls.forEach((call, i) => {
      const key = customerKeys(call)[0];
      if (key !== undefined) customerOf(key).calls.push(i);
    });
    for (const customer of byRoot.values()) if (customer.tickets.length > 0) this.customers.push(customer);
  }

  /** Link every customer's calls (those not linked yet), each ticket's facts to `linked`. */
  linkAll(linked: (facts: TicketFacts) => void): void {
    for (const customer of this.customers) this.link(customer, linked);
  }

  /** Link the calls of the customer of a ticket a call may link to, unless done already. */
  linkTicket(ticket: string, linked: (facts: TicketFacts) => void): void {
    const customer = this.byTicket.get(ticket);
    if (customer) this.link(customer, linked);
  }

  /** The calls linked to no ticket, in their order. */
  unlinked(): TimedCall[] {
    return this.calls.filter((_, i) => !this.isLinked[i]);
  }

  private link(customer: Customer, linked: (facts: TicketFacts) => void): void {
    if (customer.done) return;
    customer.done = true;
    const index = new CustomerIndex(this.callKeys);
    const tickets = customer.tickets.map(this.read);
    for (const facts of tickets) index.add(facts);
    for (const i of customer.calls) {
      const call = this.calls[i] as TimedCall;
      const facts = chooseTicket(call, index, this.windows);
      if (facts) {
        linkCall(facts, call);
        this.isLinked[i] = true;
      }
    }
    for (const facts of tickets) linked(facts);
  }
}

/** Link each ticketless call to its ticket (adding it to that ticket's facts); return the unlinked. */
export function linkLooseCalls(
  calls: readonly TimedCall[],
  index: CustomerIndex,
  windows: LinkWindows,
): TimedCall[] {
  // Each call's choice depends on the tickets alone, so the calls are chosen for a customer at
  // a time (the customer's tickets stay in the cache: ~0.1 s at a million events) and linked
  // in their order.
  const byCustomer = new Map<string, number[]>();
  calls.forEach((call, i) => {
    const key = customerKeys(call)[0] ?? '';
    const group = byCustomer.get(key);
    if (group) group.push(i);
    else byCustomer.set(key, [i]);
  });
  const chosen = new Array<TicketFacts | null>(calls.length);
  for (const group of byCustomer.values()) {
    for (const i of group) chosen[i] = chooseTicket(calls[i] as TimedCall, index, windows);
  }
  const unlinked: TimedCall[] = [];
  calls.forEach((call, i) => {
    const facts = chosen[i];
    if (facts) linkCall(facts, call);
    else unlinked.push(call);
  });
  return unlinked;
}

function linkCall(facts: TicketFacts, call: TimedCall): void {
  facts.calls.push({ id: call.call.id, started: call.t, call: call.call, event: call, linked: true });
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
  looseSurveys: ReadonlyArray<TimedSurvey>,
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
