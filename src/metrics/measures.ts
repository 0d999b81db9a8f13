import { type Channel, type SurveyEvent, surveyScaleMax } from '../model/events.js';
import { instantMs } from '../model/instant.js';
import type { CallCase, TimedCall } from './linking.js';
import type { TimedSurvey } from './timeline.js';
import type { SlaTarget } from './sla.js';
import type { Measured, TicketMetrics } from './ticket.js';
import type { Attribution } from './timeline.js';

/**
 * Everything a report counts, as small records that each carry the instant they count at and
 * whom they count for. A ticket's contribution is its list of measures, replaced whole on every
 * recompute; reports are built from measures and never incremented.
 */
export type DurationMetric =
  'first_response' | 'next_response' | 'first_resolution' | 'full_resolution' | 'requester_wait';

interface Counted extends Attribution {
  at: number;
  /** The ticket's channel (`phone` for calls and call cases), for the dashboard's channel filter. */
  channel: Channel | null;
}
export interface DurationMeasure extends Counted {
  kind: 'duration';
  metric: DurationMetric;
  calendar: number;
  business: number;
}
export interface ResolvedMeasure extends Counted {
  kind: 'resolved';
  reopened: boolean;
  fcr: boolean | null;
  oneTouch: boolean;
  contacts: number;
  /** Only for phone issues: resolved tickets with a linked inbound call before resolution. */
  callsToResolution: number | null;
}
export interface SlaMeasure extends Counted {
  kind: 'sla';
  achieved: boolean;
}
export interface CallMeasure extends Counted {
  kind: 'call';
  answered: boolean;
  abandoned: boolean;
  wait: number | null;
  hold: number | null;
  talk: number | null;
}
export interface CallCaseMeasure extends Counted {
  kind: 'call_case';
  fcr: boolean;
  calls: number;
}
export interface SurveyMeasure extends Counted {
  kind: 'survey';
  survey: SurveyEvent['kind'];
  score: number;
  scaleMax: number;
}
export type Measure =
  DurationMeasure | ResolvedMeasure | SlaMeasure | CallMeasure | CallCaseMeasure | SurveyMeasure;

function pushDuration(
  measures: Measure[],
  metric: DurationMetric,
  value: Measured | null,
  channel: Channel | null,
): void {
  if (!value || value.at === null) return;
  measures.push({
    kind: 'duration',
    metric,
    at: value.at,
    channel,
    agent: value.agent,
    team: value.team,
    calendar: value.calendar,
    business: value.business,
  });
}

export function ticketMeasures(ticket: TicketMetrics, sla: readonly SlaTarget[]): Measure[] {
  const measures: Measure[] = [];
  const channel = ticket.channel;
  pushDuration(measures, 'first_response', ticket.firstResponse, channel);
  for (const value of ticket.nextResponse) pushDuration(measures, 'next_response', value, channel);
  pushDuration(measures, 'first_resolution', ticket.firstResolution, channel);
  pushDuration(measures, 'full_resolution', ticket.fullResolution, channel);
  const resolution = ticket.fullResolution;
  if (resolution && resolution.at !== null) {
    pushDuration(measures, 'requester_wait', ticket.requesterWait, channel);
    measures.push({
      kind: 'resolved',
      at: resolution.at,
      channel,
      agent: resolution.agent,
      team: resolution.team,
      reopened: ticket.reopens > 0,
      fcr: ticket.fcr,
      oneTouch: ticket.touches === 'one_touch',
      contacts: ticket.contacts,
      callsToResolution: ticket.callsToResolution > 0 ? ticket.callsToResolution : null,
    });
  }
  for (const target of sla) {
    if (target.endedAt === null || (target.status !== 'achieved' && target.status !== 'breached')) continue;
    measures.push({
      kind: 'sla',
      at: target.endedAt,
      channel,
      agent: target.attribution.agent,
      team: target.attribution.team,
      achieved: target.status === 'achieved',
    });
  }
  return measures;
}

/** Per-call metrics of METRICS.md, inbound calls only. */
export function callMeasure(call: TimedCall): CallMeasure | null {
  const detail = call.call;
  if (detail.direction !== 'inbound') return null;
  const answered = detail.outcome === 'answered' && detail.answered_at !== undefined;
  let wait: number | null = null;
  let hold: number | null = null;
  let talk: number | null = null;
  if (answered) {
    const answeredAt = instantMs(detail.answered_at as string);
    const ended = instantMs(detail.ended_at);
    wait = Math.max(0, answeredAt - call.t) / 1000;
    hold = detail.hold_seconds;
    talk = Math.max(0, (ended - answeredAt) / 1000 - detail.hold_seconds);
  }
  return {
    kind: 'call',
    at: call.t,
    channel: 'phone',
    agent: call.agent ?? null,
    team: call.team ?? null,
    answered,
    abandoned: detail.outcome === 'abandoned' || detail.outcome === 'missed',
    wait,
    hold,
    talk,
  };
}

export function callCaseMeasure(callCase: CallCase): CallCaseMeasure | null {
  if (!callCase.resolved || callCase.fcr === null) return null;
  return {
    kind: 'call_case',
    at: callCase.lastCallAt,
    channel: 'phone',
    agent: callCase.agent,
    team: callCase.team,
    fcr: callCase.fcr,
    calls: callCase.callsToResolution,
  };
}

export function surveyMeasure(
  survey: TimedSurvey,
  fallback: Attribution,
  channel: Channel | null = null,
): SurveyMeasure {
  return {
    kind: 'survey',
    at: survey.t,
    channel,
    agent: survey.agent ?? fallback.agent,
    team: survey.team ?? fallback.team,
    survey: survey.kind,
    score: survey.score,
    scaleMax: surveyScaleMax(survey),
  };
}
