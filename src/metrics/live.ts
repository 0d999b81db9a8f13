import type { WorkClock } from './calendar.js';
import type { TenantClocks } from './clocks.js';
import type { SlaTarget } from './sla.js';
import { attributionAt, isResolvedStatus, type TicketFacts } from './timeline.js';

/**
 * What the ticket sidebar shows that no finished metric holds: who is waiting right now, and how
 * long each running SLA target has left — in business time where its policy counts business time.
 */
export interface ReplyWaiting {
  /** `first_response` until the first agent reply, then `next_response`. */
  kind: 'first_response' | 'next_response';
  since: number;
  calendar: number;
  business: number;
}

/** The customer's current wait for an agent reply, or `null` when nobody is waiting for one. */
export function replyWaiting(facts: TicketFacts, clocks: TenantClocks, now: number): ReplyWaiting | null {
  if (isResolvedStatus(facts.status)) return null;
  let kind: ReplyWaiting['kind'];
  let since: number;
  let team: string | null;
  if (!facts.firstReply) {
    if (facts.outbound) return null;
    kind = 'first_response';
    since = facts.created;
    // The calendar first_response will be measured on: the team's at creation.
    team = attributionAt(facts, facts.created).team;
  } else {
    const open = facts.waits.findLast((wait) => wait.end === null);
    if (!open) return null;
    kind = 'next_response';
    since = open.start;
    team = open.team;
  }
  const end = Math.max(now, since);
  return {
    kind,
    since,
    calendar: (end - since) / 1000,
    business: clocks.forTeam(team).businessMs(since, end) / 1000,
  };
}

export interface Countdown {
  /** Seconds left until the breach, counted on the policy's clock; negative once overdue. */
  remaining_seconds: number;
  /** Whether that clock runs now (false at night or at weekends for a business-hours policy). */
  ticking: boolean;
}

/** Seconds left of a running target as of `now`, on the clock its policy counts. */
export function countdown(
  breachAt: number,
  businessHours: boolean,
  clock: WorkClock,
  now: number,
): Countdown {
  if (!businessHours) return { remaining_seconds: (breachAt - now) / 1000, ticking: true };
  const ticking = clock.businessMs(now, now + 1000) > 0;
  if (breachAt >= now) return { remaining_seconds: clock.businessMs(now, breachAt) / 1000, ticking };
  return { remaining_seconds: -clock.businessMs(breachAt, now) / 1000, ticking };
}

/** The countdown of a running target on its own calendar, `null` for any other target. */
export function targetCountdown(target: SlaTarget, clocks: TenantClocks, now: number): Countdown | null {
  if (target.status !== 'active' || target.breachAt === null) return null;
  return countdown(target.breachAt, target.businessHours, clocks.forTeam(target.clockTeam), now);
}
