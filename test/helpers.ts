import { compute, EventCollector, type TicketResult } from '../src/metrics/compute.js';
import { computeJson } from '../src/metrics/output.js';
import type { GroupBy } from '../src/metrics/report.js';
import { type TenantConfig, tenantSchema } from '../src/model/config.js';
import { eventSchema, type NormalizedEvent } from '../src/model/events.js';

/** Mon–Fri 09:00–17:00 in New York, the calendar of METRICS.md's worked examples. */
export const NEW_YORK_WEEKDAYS = {
  timezone: 'America/New_York',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])),
};

export function tenant(config: Record<string, unknown> = {}): TenantConfig {
  return tenantSchema.parse({ id: 'default', ...config });
}

let counter = 0;
/** A valid event with an id and source filled in: `event({ type: 'message', at, ticket, author })`. */
export function event(fields: Record<string, unknown>): NormalizedEvent {
  counter += 1;
  return eventSchema.parse({ id: `e-${String(counter).padStart(6, '0')}`, source: 'test', ...fields });
}

export function call(fields: {
  at: string;
  answered_after?: number;
  duration?: number;
  outcome?: 'answered' | 'missed' | 'abandoned' | 'voicemail';
  direction?: 'inbound' | 'outbound';
  hold?: number;
  [key: string]: unknown;
}): NormalizedEvent {
  const {
    at,
    answered_after,
    duration = 300,
    outcome = 'answered',
    direction = 'inbound',
    hold = 0,
    ...rest
  } = fields;
  const start = Date.parse(at);
  const answered =
    outcome === 'answered' ? new Date(start + (answered_after ?? 0) * 1000).toISOString() : undefined;
  return event({
    type: 'call',
    at,
    ...rest,
    call: {
      id: `c-${counter}`,
      direction,
      started_at: at,
      ...(answered ? { answered_at: answered } : {}),
      ended_at: new Date(start + ((answered_after ?? 0) + duration) * 1000).toISOString(),
      hold_seconds: hold,
      outcome,
    },
  });
}

export function run(
  events: NormalizedEvent[],
  options: { tenant?: TenantConfig; now?: string; groupBy?: GroupBy; from?: string; to?: string } = {},
) {
  const collector = new EventCollector();
  for (const e of events) collector.add(structuredClone(e));
  const now = Date.parse(options.now ?? '2026-12-31T00:00:00Z');
  const tickets: TicketResult[] = [];
  const result = compute(collector, options.tenant ?? tenant(), now, (ticket) => tickets.push(ticket));
  return computeJson(result, tickets, {
    groupBy: options.groupBy ?? 'agent',
    from: options.from ? Date.parse(options.from) : null,
    to: options.to ? Date.parse(options.to) : null,
  });
}

export function ticketOf(output: ReturnType<typeof run>, key: string) {
  const found = output.tickets.find((t) => t.ticket === key);
  if (!found) throw new Error(`no ticket ${key}`);
  return found;
}
