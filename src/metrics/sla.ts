import type { SlaMetric, SlaPolicy } from '../model/config.js';
import type { Status } from '../model/events.js';
import { CONTINUOUS, type WorkClock } from './calendar.js';
import type { TenantClocks } from './clocks.js';
import { type Attribution, attributionAt, isResolvedStatus, type TicketFacts } from './timeline.js';

export type SlaStatus = 'achieved' | 'breached' | 'active' | 'paused';

export interface SlaTarget {
  policy: string;
  metric: SlaMetric;
  targetSeconds: number;
  status: SlaStatus;
  atRisk: boolean;
  /** When it is (or was) due; `null` while paused or when the calendar never opens again. */
  breachAt: number | null;
  /** When it becomes at risk (`warn_at` of the target used), like `breachAt`; for alert timers. */
  warnAt: number | null;
  breachedAt: number | null;
  /** When the target ended (achieved: completion; breached: the breach), for reports. */
  endedAt: number | null;
  /** Whom the ended target counts for, like the metric it measures. */
  attribution: Attribution;
  /** Whether it counts business time, and whose calendar (`null`: the tenant's), for countdowns. */
  businessHours: boolean;
  clockTeam: string | null;
}

/** The first policy whose conditions match the ticket's current state, or none. */
export function matchPolicy(policies: readonly SlaPolicy[], facts: TicketFacts): SlaPolicy | null {
  for (const policy of policies) {
    const when = policy.when;
    if (when.priority && !(facts.priority !== null && when.priority.includes(facts.priority))) continue;
    if (when.channel && !(facts.channel !== null && when.channel.includes(facts.channel))) continue;
    if (when.team && !(facts.team !== null && when.team.includes(facts.team))) continue;
    if (when.tags && !when.tags.some((tag) => facts.tags.includes(tag))) continue;
    return policy;
  }
  return null;
}

interface Completion {
  t: number;
  attribution: Attribution;
}

/** One literal shape for every target (cheaper than spreads on a hot path). */
function slaTarget(
  policy: SlaPolicy,
  metric: SlaMetric,
  targetSeconds: number,
  status: SlaStatus,
  atRisk: boolean,
  breachAt: number | null,
  endedAt: number | null,
  attribution: Attribution,
  warnAt: number | null = null,
): SlaTarget {
  return {
    policy: policy.name,
    metric,
    targetSeconds,
    status,
    atRisk,
    breachAt,
    warnAt,
    breachedAt: status === 'breached' ? breachAt : null,
    endedAt,
    attribution,
    businessHours: policy.business_hours,
    clockTeam: null,
  };
}

/** A target that runs without pausing from `start` until `completion` (or still runs). */
function straightTarget(
  policy: SlaPolicy,
  metric: SlaMetric,
  targetSeconds: number,
  clock: WorkClock,
  start: number,
  completion: Completion | null,
  facts: TicketFacts,
  now: number,
): SlaTarget {
  const due = clock.addBusinessMs(start, targetSeconds * 1000);
  if (completion && (due === null || completion.t <= due)) {
    return slaTarget(
      policy,
      metric,
      targetSeconds,
      'achieved',
      false,
      due,
      completion.t,
      completion.attribution,
    );
  }
  if (due !== null && (completion !== null || now >= due)) {
    const attribution = completion ? completion.attribution : attributionAt(facts, due);
    return slaTarget(policy, metric, targetSeconds, 'breached', false, due, due, attribution);
  }
  const atRisk = clock.businessMs(start, now) / 1000 >= policy.warn_at * targetSeconds;
  const warnAt = clock.addBusinessMs(start, policy.warn_at * targetSeconds * 1000);
  return slaTarget(
    policy,
    metric,
    targetSeconds,
    'active',
    atRisk,
    due,
    null,
    attributionAt(facts, now),
    warnAt,
  );
}

/**
 * The resolution target: its clock runs like requester_wait (paused while `pending`, and while
 * `on_hold` when the policy says so) and stops at the latest resolution.
 */
function resolutionTarget(
  policy: SlaPolicy,
  targetSeconds: number,
  clock: WorkClock,
  facts: TicketFacts,
  now: number,
): SlaTarget {
  const counts = (status: Status): boolean =>
    !isResolvedStatus(status) && status !== 'pending' && !(policy.pause_on_hold && status === 'on_hold');
  const targetMs = targetSeconds * 1000;
  const resolved = isResolvedStatus(facts.status);
  const latest = resolved ? facts.resolutions[facts.resolutions.length - 1] : undefined;

  const warnMs = policy.warn_at * targetMs;
  let used = 0;
  let due: number | null = null;
  let warnAt: number | null = null;
  let usedByNow = 0;
  const segments = facts.segments;
  for (let i = 0; i < segments.length && due === null; i += 1) {
    const segment = segments[i] as (typeof segments)[number];
    if (!counts(segment.status)) continue;
    const next = segments[i + 1];
    const to = next ? next.from : Number.POSITIVE_INFINITY;
    usedByNow += clock.businessMs(segment.from, Math.min(to, now));
    const available =
      to === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : clock.businessMs(segment.from, to);
    if (warnAt === null && used + available >= warnMs)
      warnAt = clock.addBusinessMs(segment.from, warnMs - used);
    if (used + available >= targetMs) due = clock.addBusinessMs(segment.from, targetMs - used);
    else used += available;
  }

  if (latest) {
    const attribution = { agent: latest.agent, team: latest.team };
    if (due === null || latest.t <= due) {
      return slaTarget(policy, 'resolution', targetSeconds, 'achieved', false, due, latest.t, attribution);
    }
    return slaTarget(policy, 'resolution', targetSeconds, 'breached', false, due, due, attribution);
  }
  if (due !== null && due <= now) {
    return slaTarget(
      policy,
      'resolution',
      targetSeconds,
      'breached',
      false,
      due,
      due,
      attributionAt(facts, due),
    );
  }
  const running = counts(facts.status);
  const atRisk = running && usedByNow >= policy.warn_at * targetMs;
  return slaTarget(
    policy,
    'resolution',
    targetSeconds,
    running ? 'active' : 'paused',
    atRisk,
    running ? due : null,
    null,
    attributionAt(facts, now),
    running ? warnAt : null,
  );
}

/** Every SLA target of a ticket under the policy that applies to it, as of `now`. */
export function evaluateSla(
  facts: TicketFacts,
  policies: readonly SlaPolicy[],
  clocks: TenantClocks,
  now: number,
): SlaTarget[] {
  const policy = matchPolicy(policies, facts);
  if (!policy) return [];
  const clockFor = (team: string | null): WorkClock =>
    policy.business_hours ? clocks.forTeam(team) : CONTINUOUS;
  const startTeam = attributionAt(facts, facts.created).team;
  const startClock = clockFor(startTeam);
  const targets: SlaTarget[] = [];
  const { first_response: firstResponse, next_response: nextResponse, resolution } = policy.targets;

  if (firstResponse !== undefined && !facts.outbound) {
    // A reply completes it; so does a resolution that came first (nothing was owed any more).
    const reply = facts.firstReply;
    const resolvedFirst = facts.resolutions[0];
    let completion: Completion | null = null;
    if (reply && (!resolvedFirst || reply.t <= resolvedFirst.t)) {
      completion = { t: reply.t, attribution: { agent: reply.agent, team: reply.team } };
    } else if (resolvedFirst) {
      completion = {
        t: resolvedFirst.t,
        attribution: { agent: resolvedFirst.agent, team: resolvedFirst.team },
      };
    }
    targets.push({
      ...straightTarget(
        policy,
        'first_response',
        firstResponse,
        startClock,
        facts.created,
        completion,
        facts,
        now,
      ),
      clockTeam: startTeam,
    });
  }
  if (nextResponse !== undefined) {
    for (const wait of facts.waits) {
      const completion = wait.end
        ? { t: wait.end.t, attribution: { agent: wait.end.agent, team: wait.end.team } }
        : null;
      targets.push({
        ...straightTarget(
          policy,
          'next_response',
          nextResponse,
          clockFor(wait.team),
          wait.start,
          completion,
          facts,
          now,
        ),
        // The calendar the countdown runs on: the team's at the wait's start.
        clockTeam: wait.team,
      });
    }
  }
  if (resolution !== undefined) {
    targets.push({ ...resolutionTarget(policy, resolution, startClock, facts, now), clockTeam: startTeam });
  }
  return targets;
}
