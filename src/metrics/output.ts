import type { ComputeResult, TicketResult } from './compute.js';
import type { CallCase } from './linking.js';
import { buildReport, type Group, type ReportOptions } from './report.js';
import type { Measured } from './ticket.js';

/** The shapes of METRICS.md "Output of `deskpulse compute --format json`": snake_case, seconds, UTC. */

export interface DurationJson {
  calendar: number;
  business: number;
  at?: string;
  agent?: string;
}

const pad = (width: number) => (_: unknown, n: number) => String(n).padStart(width, '0');
const TWO_DIGITS = Array.from({ length: 60 }, pad(2));
const THREE_DIGITS = Array.from({ length: 1000 }, pad(3));
/** "YYYY-MM-DDT" of the days seen, by day number; emptied when large. */
const dayPrefixes = new Map<number, string>();

export const DAY_MS = 86_400_000;

/** Whether `iso` writes an instant from its digits: whole milliseconds in the years 0–9999. */
export const isoFromDigits = (ms: number): boolean =>
  Number.isSafeInteger(ms) && ms >= -62_167_219_200_000 && ms <= 253_402_300_799_999;

/** "YYYY-MM-DDT" of a day (days since 1970-01-01), as `toISOString` writes it. */
export function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 100_000) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  return prefix;
}

/**
 * An instant as `Date.prototype.toISOString` writes it. The day's part comes from
 * `toISOString` once per day and the time of day from the digits: `toISOString` itself was a
 * fifth of `--format json`'s time at a million events. Years outside 0–9999 and fractional
 * milliseconds are left to `toISOString`; a property test holds the two equal.
 */
export function iso(ms: number): string {
  if (!isoFromDigits(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  const prefix = dayPrefix(day);
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}Z`;
}
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export function durationJson(value: Measured): DurationJson {
  const json: DurationJson = { calendar: value.calendar, business: value.business };
  if (value.at !== null) json.at = iso(value.at);
  if (value.agent !== null) json.agent = value.agent;
  return json;
}

export function ticketJson({ metrics: m, sla }: TicketResult) {
  return {
    ticket: m.ticket,
    tenant: m.tenant,
    partial: m.partial,
    status: m.status,
    agent: m.agent,
    team: m.team,
    priority: m.priority,
    channel: m.channel,
    first_response: m.firstResponse ? durationJson(m.firstResponse) : null,
    next_response: m.nextResponse.map(durationJson),
    first_resolution: m.firstResolution ? durationJson(m.firstResolution) : null,
    full_resolution: m.fullResolution ? durationJson(m.fullResolution) : null,
    requester_wait: durationJson(m.requesterWait),
    agent_wait: durationJson(m.agentWait),
    on_hold: durationJson(m.onHold),
    replies: m.replies,
    reopens: m.reopens,
    contacts: m.contacts,
    calls_to_resolution: m.callsToResolution,
    fcr: m.fcr,
    touches: m.touches,
    sla: sla.map((target) => ({
      policy: target.policy,
      metric: target.metric,
      target_seconds: target.targetSeconds,
      status: target.status,
      at_risk: target.atRisk,
      breach_at: isoOrNull(target.breachAt),
      breached_at: isoOrNull(target.breachedAt),
    })),
  };
}
export type TicketJson = ReturnType<typeof ticketJson>;

export function callCaseJson(callCase: CallCase) {
  return {
    customer: callCase.customer,
    calls: callCase.calls.length,
    resolved: callCase.resolved,
    calls_to_resolution: callCase.callsToResolution,
    fcr: callCase.fcr,
    agent: callCase.agent,
    team: callCase.team,
    last_call_at: iso(callCase.lastCallAt),
  };
}
export type CallCaseJson = ReturnType<typeof callCaseJson>;

export interface ReportJson {
  group_by: ReportOptions['groupBy'];
  from: string | null;
  to: string | null;
  groups: Group[];
}

export function reportJson(result: Pick<ComputeResult, 'measures'>, options: ReportOptions): ReportJson {
  return reportJsonOf(buildReport(result.measures, options), options);
}

/** The report of groups already built (by a `ReportBuilder` that counted measures as made). */
export function reportJsonOf(groups: Group[], options: ReportOptions): ReportJson {
  return { group_by: options.groupBy, from: isoOrNull(options.from), to: isoOrNull(options.to), groups };
}

export function computeJson(result: ComputeResult, tickets: TicketResult[], options: ReportOptions) {
  return {
    now: iso(result.now),
    tickets: tickets.map(ticketJson),
    call_cases: result.callCases.map(callCaseJson),
    report: reportJson(result, options),
  };
}
export type ComputeJson = ReturnType<typeof computeJson>;
