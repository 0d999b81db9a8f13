import { customerKeys } from '../model/events.js';
import {
  isResolvedStatus,
  lastActivityBefore,
  statusAt,
  type TicketFacts,
  type TimedCall,
  type TimedEvent,
} from './timeline.js';

export type { TimedCall } from './timeline.js';

export interface LinkWindows {
  /** A ticket created up to this long after a call can be the call's ticket. */
  linkBeforeMs: number;
  /** Calls of one customer this close together are one call case. */
  repeatWindowMs: number;
}

/** Tickets by the customer keys they carry, for linking calls without a ticket. */
export class CustomerIndex {
  private readonly byKey = new Map<string, TicketFacts[]>();

  /** `only`: the keys worth indexing (those of the calls to link), if not all. */
  constructor(private readonly only?: ReadonlySet<string>) {}

  add(facts: TicketFacts): void {
    for (const key of facts.customers) {
      if (this.only && !this.only.has(key)) continue;
      const list = this.byKey.get(key);
      if (list) list.push(facts);
      else this.byKey.set(key, [facts]);
    }
  }

  candidates(keys: readonly string[]): TicketFacts[] {
    if (keys.length === 1) return this.byKey.get(keys[0] as string) ?? [];
    const found = new Set<TicketFacts>();
    for (const key of keys) for (const facts of this.byKey.get(key) ?? []) found.add(facts);
    return [...found];
  }
}

/**
 * The ticket a call without a `ticket` belongs to (METRICS.md "Linking calls"): one sharing a
 * customer key, unresolved when the call started or created within `linkBeforeMs` after it; the
 * one with the most recent activity before the call wins.
 */
export function chooseTicket(
  call: TimedCall,
  index: CustomerIndex,
  windows: LinkWindows,
): TicketFacts | null {
  const keys = customerKeys(call);
  if (keys.length === 0) return null;
  const started = call.t;
  let best: TicketFacts | null = null;
  let bestActivity: number | null = null;
  for (const facts of index.candidates(keys)) {
    const status = statusAt(facts, started);
    const openThen = status !== null && !isResolvedStatus(status);
    const createdSoonAfter = facts.created >= started && facts.created <= started + windows.linkBeforeMs;
    if (!openThen && !createdSoonAfter) continue;
    const activity = lastActivityBefore(facts, started);
    if (best === null || isBetter(facts, activity, best, bestActivity)) {
      best = facts;
      bestActivity = activity;
    }
  }
  return best;
}

function isBetter(
  facts: TicketFacts,
  activity: number | null,
  best: TicketFacts,
  bestActivity: number | null,
): boolean {
  if (activity !== bestActivity) {
    if (activity === null) return false;
    if (bestActivity === null) return true;
    return activity > bestActivity;
  }
  // Neither was active before the call: the one created soonest after it; then the key.
  if (facts.created !== best.created) return facts.created < best.created;
  return facts.ticket < best.ticket;
}

/**
 * Customer keys grouped into customers: keys named together (by one call or one ticket) are one
 * customer, and so are keys joined through others (union-find).
 */
export class KeyGroups {
  private readonly parent = new Map<string, string>();

  /** The keys are one customer's. */
  join(keys: readonly string[]): void {
    if (keys.length === 0) return;
    for (const key of keys) if (!this.parent.has(key)) this.parent.set(key, key);
    const first = this.find(keys[0] as string);
    for (let k = 1; k < keys.length; k += 1) {
      const root = this.find(keys[k] as string);
      if (root !== first) this.parent.set(root, first);
    }
  }

  /** The key that stands for a joined key's customer. */
  find(key: string): string {
    const parent = this.parent;
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    let node = key;
    while (node !== root) {
      const next = parent.get(node) as string;
      parent.set(node, root);
      node = next;
    }
    return root;
  }
}

export interface CallCase {
  customer: string;
  calls: TimedCall[];
  resolved: boolean;
  callsToResolution: number;
  fcr: boolean | null;
  agent: string | null;
  team: string | null;
  lastCallAt: number;
}

/**
 * Inbound calls that link to no ticket, grouped into call cases: a customer's calls (customers
 * that share any key are one customer) split where more than `repeatWindowMs` passes between
 * two calls. A case is resolved once the window has passed since its last call.
 */
export function buildCallCases(calls: readonly TimedCall[], windows: LinkWindows, now: number): CallCase[] {
  const inbound = calls.filter((call) => call.call.direction === 'inbound' && customerKeys(call).length > 0);
  const customers = new KeyGroups();
  for (const call of inbound) customers.join(customerKeys(call));
  const byCustomer = new Map<string, TimedCall[]>();
  for (const call of inbound) {
    const root = customers.find(customerKeys(call)[0] as string);
    const list = byCustomer.get(root);
    if (list) list.push(call);
    else byCustomer.set(root, [call]);
  }

  const cases: CallCase[] = [];
  for (const list of byCustomer.values()) {
    list.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const customer = list.flatMap((call) => customerKeys(call)).sort()[0] as string;
    let current: TimedCall[] = [];
    for (const call of list) {
      const previous = current[current.length - 1];
      if (previous && call.t - previous.t > windows.repeatWindowMs) {
        cases.push(closeCase(customer, current, windows, now));
        current = [];
      }
      current.push(call);
    }
    if (current.length > 0) cases.push(closeCase(customer, current, windows, now));
  }
  return cases.sort(
    (a, b) => (a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : 0) || a.lastCallAt - b.lastCallAt,
  );
}

function closeCase(customer: string, calls: TimedCall[], windows: LinkWindows, now: number): CallCase {
  const last = calls[calls.length - 1] as TimedCall;
  const resolved = now - last.t >= windows.repeatWindowMs;
  const answered = calls.filter((call) => call.call.outcome === 'answered');
  const lastAnswered = answered[answered.length - 1];
  return {
    customer,
    calls,
    resolved,
    callsToResolution: calls.length,
    fcr: resolved ? calls.length === 1 && answered.length === 1 : null,
    agent: lastAnswered?.agent ?? null,
    team: lastAnswered?.team ?? null,
    lastCallAt: last.t,
  };
}

export const isCall = (event: TimedEvent): event is TimedCall => event.type === 'call';
