import type { Channel, Priority, Status } from '../model/events.js';
import type { WorkClock } from './calendar.js';
import type { TenantClocks } from './clocks.js';
import {
  type Attribution,
  attributionAt,
  isResolvedStatus,
  type Moment,
  type TicketFacts,
} from './timeline.js';

/** A measured value (Chatwoot's reporting event): calendar and business seconds, when, and whose. */
export interface Measured {
  calendar: number;
  business: number;
  /** When it was measured; absent while still running. */
  at: number | null;
  agent: string | null;
  team: string | null;
}

export type Touches = 'zero_touch' | 'one_touch' | 'two_touch' | 'multi_touch';

export interface TicketMetrics {
  ticket: string;
  tenant: string;
  partial: boolean;
  status: Status;
  agent: string | null;
  team: string | null;
  priority: Priority | null;
  channel: Channel | null;
  outbound: boolean;
  firstResponse: Measured | null;
  nextResponse: Measured[];
  firstResolution: Measured | null;
  fullResolution: Measured | null;
  requesterWait: Measured;
  agentWait: Measured;
  onHold: Measured;
  replies: number;
  reopens: number;
  contacts: number;
  callsToResolution: number;
  fcr: boolean | null;
  touches: Touches | null;
}

/** A linked inbound call that starts no later than this after creation opened the ticket. */
export const OPENING_CALL_MS = 5 * 60_000;

const seconds = (ms: number): number => ms / 1000;

function measure(
  clock: WorkClock,
  start: number,
  end: number,
  at: number | null,
  who: Attribution,
): Measured {
  const from = Math.min(start, end);
  return {
    calendar: seconds(end - from),
    business: seconds(clock.businessMs(from, end)),
    at,
    agent: who.agent,
    team: who.team,
  };
}

/** Time spent in the given statuses between `created` and `end`. */
export function timeInStatuses(
  facts: TicketFacts,
  clock: WorkClock,
  counts: (status: Status) => boolean,
  end: number,
): { calendar: number; business: number } {
  let calendar = 0;
  let business = 0;
  const segments = facts.segments;
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i] as (typeof segments)[number];
    if (!counts(segment.status)) continue;
    const from = segment.from;
    const next = segments[i + 1];
    const to = Math.min(next ? next.from : end, end);
    if (to <= from) continue;
    calendar += to - from;
    business += clock.businessMs(from, to);
  }
  return { calendar: seconds(calendar), business: seconds(business) };
}

const isRequesterWait = (status: Status): boolean =>
  status === 'new' || status === 'open' || status === 'on_hold';

export function isInboundCall(call: { call: { direction: string } }): boolean {
  return call.call.direction === 'inbound';
}

/** The whole of METRICS.md "Ticket metrics" for one ticket, as of `now`. */
export function measureTicket(facts: TicketFacts, clocks: TenantClocks, now: number): TicketMetrics {
  const created = facts.created;
  const resolved = isResolvedStatus(facts.status);
  const latest: Moment | null = resolved ? (facts.resolutions[facts.resolutions.length - 1] ?? null) : null;
  const first = facts.resolutions[0] ?? null;
  const startClock = clocks.forTeam(attributionAt(facts, created).team);
  const who = (moment: Moment): Attribution => ({ agent: moment.agent, team: moment.team });

  const firstResponse =
    facts.outbound || !facts.firstReply
      ? null
      : measure(startClock, created, facts.firstReply.t, facts.firstReply.t, who(facts.firstReply));

  // Answered waits, and the one still open (METRICS.md: "unanswered ones are open") measured to
  // `now` with no instant, like a wait of a ticket not yet resolved; one a resolution ended is not
  // a response (README: a resolution answers a waiting customer).
  const nextResponse: Measured[] = [];
  for (const wait of facts.waits) {
    const clock = clocks.forTeam(wait.team);
    if (wait.end === null) {
      nextResponse.push(
        measure(clock, wait.start, Math.max(now, wait.start), null, { agent: null, team: wait.team }),
      );
    } else if (wait.end.by === 'reply') {
      nextResponse.push(measure(clock, wait.start, wait.end.t, wait.end.t, who(wait.end)));
    }
  }

  const end = latest ? latest.t : Math.max(now, created);
  const resolutionWho: Attribution = latest ? who(latest) : { agent: null, team: null };
  const at = latest ? latest.t : null;
  const asMeasured = (value: { calendar: number; business: number }): Measured => ({
    calendar: value.calendar,
    business: value.business,
    at,
    agent: resolutionWho.agent,
    team: resolutionWho.team,
  });

  const inboundCalls = facts.calls.filter(isInboundCall);
  const openingLimit = created + OPENING_CALL_MS;
  const repeatCalls = facts.outbound
    ? inboundCalls.length
    : inboundCalls.filter((call) => call.started > openingLimit).length;
  const contacts = (facts.outbound ? 0 : 1) + facts.followUps + repeatCalls;
  const callsToResolution = latest
    ? inboundCalls.filter((call) => call.started <= latest.t).length
    : inboundCalls.length;
  const answered = facts.replies > 0 || facts.calls.some((call) => call.call.outcome === 'answered');
  const fcr = !resolved || facts.outbound || !answered ? null : facts.reopens === 0 && contacts === 1;

  return {
    ticket: facts.ticket,
    tenant: facts.tenant,
    partial: facts.partial,
    status: facts.status,
    agent: facts.agent,
    team: facts.team,
    priority: facts.priority,
    channel: facts.channel,
    outbound: facts.outbound,
    firstResponse,
    nextResponse,
    firstResolution: first ? measure(startClock, created, first.t, first.t, who(first)) : null,
    fullResolution: latest ? measure(startClock, created, latest.t, latest.t, who(latest)) : null,
    requesterWait: asMeasured(timeInStatuses(facts, startClock, isRequesterWait, end)),
    agentWait: asMeasured(timeInStatuses(facts, startClock, (status) => status === 'pending', end)),
    onHold: asMeasured(timeInStatuses(facts, startClock, (status) => status === 'on_hold', end)),
    replies: facts.replies,
    reopens: facts.reopens,
    contacts,
    callsToResolution,
    fcr,
    touches: resolved ? touchesFor(facts.replies) : null,
  };
}

function touchesFor(replies: number): Touches {
  if (replies === 0) return 'zero_touch';
  if (replies === 1) return 'one_touch';
  if (replies === 2) return 'two_touch';
  return 'multi_touch';
}
