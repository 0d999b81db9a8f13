import type { SlaPolicy, TenantConfig } from '../../src/model/config.js';
import type { NormalizedEvent, Status } from '../../src/model/events.js';
import { MinuteCalendar } from './minute-calendar.js';

/**
 * A second reading of METRICS.md "Ticket metrics" and "SLA policies" for the tickets of one
 * tenant, written for clarity rather than speed and sharing no code with the engine: it walks
 * every minute of the ticket's life and asks what the status, assignee and team were then.
 * Where the specification leaves a choice, it takes the one the README names ("Metric
 * definitions and the choices we made"). Calls are those that name their ticket (no linking by
 * customer). Instants must be whole minutes inside the calendars' window.
 */

type Event = NormalizedEvent & { t: number; rank: number };
const RANK = { 'ticket.created': 0, message: 1, call: 2, survey: 3, 'ticket.updated': 4 } as const;
const resolvedStatus = (status: Status) => status === 'solved' || status === 'closed';
const iso = (ms: number) => new Date(ms).toISOString();

export interface Clocks {
  /** The calendar of a team (its own, else the tenant's), or null: calendar time. */
  forTeam(team: string | null): MinuteCalendar | null;
}

export function referenceClocks(tenant: TenantConfig, start: number, minutes: number): Clocks {
  const tenantCalendar = tenant.business_hours
    ? new MinuteCalendar(start, minutes, tenant.business_hours)
    : null;
  const teams = new Map<string, MinuteCalendar>();
  for (const [team, settings] of Object.entries(tenant.teams)) {
    if (settings.business_hours) teams.set(team, new MinuteCalendar(start, minutes, settings.business_hours));
  }
  return { forTeam: (team) => (team !== null && teams.get(team)) || tenantCalendar };
}

/** Open ms of [from, to) on a calendar, or the whole span with none. */
const openMs = (calendar: MinuteCalendar | null, from: number, to: number) =>
  calendar ? calendar.businessMs(from, to) : Math.max(0, to - from);

/** What one ticket, call or survey adds to a report (METRICS.md "attributed to", "counted in the period of"). */
export type ReferenceMeasure = { at: number; agent: string | null; team: string | null } & (
  | { kind: 'duration'; metric: string; calendar: number; business: number }
  | {
      kind: 'resolved';
      reopened: boolean;
      fcr: boolean | null;
      oneTouch: boolean;
      contacts: number;
      calls: number | null;
    }
  | { kind: 'sla'; achieved: boolean }
  | {
      kind: 'call';
      answered: boolean;
      abandoned: boolean;
      wait: number | null;
      hold: number | null;
      talk: number | null;
    }
  | { kind: 'survey'; survey: string; score: number; scaleMax: number }
  | { kind: 'call_case'; fcr: boolean; calls: number }
);

/** Thrown when a deadline lies beyond the reference calendar's window: the case is skipped. */
export class BeyondWindow extends Error {}

export function referenceTicket(
  key: string,
  events: readonly NormalizedEvent[],
  tenant: TenantConfig,
  clocks: Clocks,
  now: number,
  /** Calls that name no ticket and were linked to this one by customer (see referenceLinks). */
  linked: readonly NormalizedEvent[] = [],
) {
  const timeline: Event[] = events
    .filter((e) => 'ticket' in e && e.ticket === key)
    .map((e) => ({ ...e, t: Date.parse(e.at), rank: RANK[e.type] }))
    .sort((a, b) => a.t - b.t || a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const opening = timeline.find((e) => e.type === 'ticket.created');
  const created = opening ? opening.t : (timeline[0] as Event).t;
  const outbound = opening?.type === 'ticket.created' && opening.outbound === true;
  const when = (e: Event) => Math.max(e.t, created);

  // The state after each event, in timeline order.
  interface State {
    t: number;
    status: Status;
    agent: string | null;
    team: string | null;
  }
  const states: State[] = [{ t: created, status: 'new', agent: null, team: null }];
  let status: Status = 'new';
  let agent: string | null = null;
  let team: string | null = null;
  let priority: string | null = null;
  let channel: string | null = null;
  let tags: string[] = [];
  const replies: Array<{ t: number; agent: string | null }> = [];
  const resolutions: number[] = [];
  let reopens = 0;
  const waits: Array<{
    start: number;
    end: number | null;
    by: 'reply' | 'resolution' | null;
    agent: string | null;
  }> = [];
  /** What each event is to next responses and contacts: a reply, a resolution or a customer's word. */
  const marks: Array<'reply' | 'resolution' | 'customer' | null> = [];
  const calls: Array<{ started: number; inbound: boolean; answered: boolean }> = [];
  const measures: ReferenceMeasure[] = [];
  const surveys: Array<{
    t: number;
    kind: string;
    score: number;
    scaleMax: number;
    agent?: string;
    team?: string;
  }> = [];

  for (const e of timeline) {
    const t = when(e);
    let mark: (typeof marks)[number] = null;
    if (channel === null && e.channel) channel = e.channel;
    if (e.type === 'ticket.created' && e === opening) {
      if (e.agent !== undefined) agent = e.agent;
      if (e.team !== undefined) team = e.team;
      if (e.priority) priority = e.priority;
      if (e.tags) tags = e.tags;
    } else if (e.type === 'ticket.updated') {
      if (e.agent !== undefined) agent = e.agent;
      if (e.team !== undefined) team = e.team;
      if (e.priority) priority = e.priority;
      if (e.tags) tags = e.tags;
      if (e.status && e.status !== status) {
        if (!resolvedStatus(status) && resolvedStatus(e.status)) {
          resolutions.push(t);
          mark = 'resolution';
        }
        if (resolvedStatus(status) && !resolvedStatus(e.status)) reopens += 1;
        status = e.status;
      }
    } else if (e.type === 'message' && e.public && e.author === 'agent') {
      replies.push({ t, agent: e.agent ?? null });
      mark = 'reply';
    } else if (e.type === 'message' && e.public && e.author === 'customer') {
      mark = 'customer';
    } else if (e.type === 'call') {
      calls.push({
        started: e.t,
        inbound: e.call.direction === 'inbound',
        answered: e.call.outcome === 'answered',
      });
    } else if (e.type === 'survey') {
      const scaleMax = e.scale_max ?? { csat: 5, nps: 10, ces: 7 }[e.kind];
      surveys.push({ t: e.t, kind: e.kind, score: e.score, scaleMax, agent: e.agent, team: e.team });
    }
    states.push({ t, status, agent, team });
    marks.push(mark);
  }

  // Next responses and contacts read off the sequence of marks, message by message. A customer's
  // message starts a wait when an agent has replied before it and no other customer message came
  // since the last answer (a reply or a resolution); the wait ends at the next answer. It opens a
  // new contact when what came before it was an answer (or nothing, on an outbound ticket).
  const lastBefore = (i: number, kinds: ReadonlyArray<(typeof marks)[number]>) => {
    for (let j = i - 1; j >= 0; j -= 1) if (kinds.includes(marks[j] ?? null)) return j;
    return -1;
  };
  let followUps = 0;
  marks.forEach((mark, i) => {
    if (mark !== 'customer') return;
    const previous = lastBefore(i, ['reply', 'resolution', 'customer']);
    if (previous === -1 ? outbound : marks[previous] !== 'customer') followUps += 1;
    const answered = lastBefore(i, ['reply', 'resolution']);
    const repliedBefore = lastBefore(i, ['reply']) !== -1;
    const firstSince = marks.slice(answered + 1, i).every((other) => other !== 'customer');
    if (!repliedBefore || !firstSince) return;
    const next = marks.findIndex((other, j) => j > i && (other === 'reply' || other === 'resolution'));
    const end = next === -1 ? null : (timeline[next] as Event);
    if (end === null && resolvedStatus(status)) return; // owed nothing on a ticket left resolved (README)
    waits.push({
      start: when(timeline[i] as Event),
      end: end && when(end),
      by: end === null ? null : (marks[next] as 'reply' | 'resolution'),
      agent: end !== null && marks[next] === 'reply' && end.type === 'message' ? (end.agent ?? null) : null,
    });
  });

  // What held at an instant: the state after the last event at or before it.
  const at = (t: number): State => {
    let found = states[0] as State;
    for (const state of states) if (state.t <= t) found = state;
    return found;
  };
  type Who = { agent: string | null; team: string | null };
  const who = (t: number): Who => ({ agent: at(t).agent, team: at(t).team });
  const resolvedNow = resolvedStatus(status);
  const latest = resolvedNow ? (resolutions[resolutions.length - 1] as number) : null;
  const startCalendar = clocks.forTeam(at(created).team);

  const measured = (
    calendar: MinuteCalendar | null,
    from: number,
    to: number,
    measuredAt?: number,
    by?: string | null,
  ) => {
    const json: { calendar: number; business: number; at?: string; agent?: string } = {
      calendar: Math.max(0, to - from) / 1000,
      business: openMs(calendar, from, to) / 1000,
    };
    if (measuredAt !== undefined) json.at = iso(measuredAt);
    if (by !== undefined && by !== null) json.agent = by;
    return json;
  };
  /** Minutes (as ms, calendar and open) in [created, end) whose status passes `counts`. */
  const timeIn = (counts: (s: Status) => boolean, end: number, calendar: MinuteCalendar | null) => {
    let calendarMs = 0;
    let open = 0;
    for (let m = created; m < end; m += 60_000) {
      if (!counts(at(m).status)) continue;
      calendarMs += 60_000;
      open += openMs(calendar, m, m + 60_000);
    }
    return { calendar: calendarMs / 1000, business: open / 1000 };
  };
  const waitEnd = latest ?? Math.max(now, created);
  /** Waits up to the latest resolution carry its instant and assignee, like full_resolution. */
  const asResolution = (value: { calendar: number; business: number }) => {
    if (latest === null) return value;
    const who = at(latest).agent;
    return who === null ? { ...value, at: iso(latest) } : { ...value, at: iso(latest), agent: who };
  };

  for (const e of linked) {
    if (e.type !== 'call') continue;
    calls.push({
      started: Date.parse(e.at),
      inbound: e.call.direction === 'inbound',
      answered: e.call.outcome === 'answered',
    });
  }
  const firstReply = replies[0];
  const inbound = calls.filter((c) => c.inbound);
  const contacts =
    (outbound ? 0 : 1) +
    followUps +
    inbound.filter((c) => outbound || c.started > created + 5 * 60_000).length;
  const answered = replies.length > 0 || calls.some((c) => c.answered);
  const first = resolutions[0];

  const json = {
    ticket: key,
    tenant: tenant.id,
    partial: !opening,
    status,
    agent,
    team,
    priority,
    channel,
    first_response:
      outbound || !firstReply
        ? null
        : measured(startCalendar, created, firstReply.t, firstReply.t, firstReply.agent),
    // Answered waits, and an unanswered one as open: measured to now, no instant, nobody's.
    next_response: waits
      .filter((w) => w.by !== 'resolution')
      .map((w) =>
        w.end === null
          ? measured(clocks.forTeam(at(w.start).team), w.start, Math.max(now, w.start))
          : measured(clocks.forTeam(at(w.start).team), w.start, w.end, w.end, w.agent),
      ),
    first_resolution:
      first === undefined ? null : measured(startCalendar, created, first, first, at(first).agent),
    full_resolution:
      latest === null ? null : measured(startCalendar, created, latest, latest, at(latest).agent),
    requester_wait: asResolution(
      timeIn((s) => s === 'new' || s === 'open' || s === 'on_hold', waitEnd, startCalendar),
    ),
    agent_wait: asResolution(timeIn((s) => s === 'pending', waitEnd, startCalendar)),
    on_hold: asResolution(timeIn((s) => s === 'on_hold', waitEnd, startCalendar)),
    replies: replies.length,
    reopens,
    contacts,
    calls_to_resolution: inbound.filter((c) => latest === null || c.started <= latest).length,
    fcr: !resolvedNow || outbound || !answered ? null : reopens === 0 && contacts === 1,
    touches: !resolvedNow
      ? null
      : (['zero_touch', 'one_touch', 'two_touch'][replies.length] ?? 'multi_touch'),
    sla: referenceSla(),
  };

  // What the ticket adds to a report, each measure at its own instant and for whom it counts.
  const count = (
    metric: string,
    value: { calendar: number; business: number } | null,
    t: number,
    who: { agent: string | null; team: string | null },
  ) => {
    if (value)
      measures.push({
        kind: 'duration',
        metric,
        at: t,
        agent: who.agent,
        team: who.team,
        calendar: value.calendar,
        business: value.business,
      });
  };
  if (json.first_response && firstReply)
    count('first_response', json.first_response, firstReply.t, {
      agent: firstReply.agent,
      team: at(firstReply.t).team,
    });
  waits
    .filter((w) => w.by === 'reply')
    .forEach((w, i) =>
      count('next_response', json.next_response[i] ?? null, w.end as number, {
        agent: w.agent,
        team: at(w.end as number).team,
      }),
    );
  if (first !== undefined) count('first_resolution', json.first_resolution, first, at(first));
  if (latest !== null) {
    count('full_resolution', json.full_resolution, latest, at(latest));
    count('requester_wait', json.requester_wait, latest, at(latest));
    measures.push({
      kind: 'resolved',
      at: latest,
      agent: at(latest).agent,
      team: at(latest).team,
      reopened: reopens > 0,
      fcr: json.fcr,
      oneTouch: json.touches === 'one_touch',
      contacts,
      calls: json.calls_to_resolution > 0 ? json.calls_to_resolution : null,
    });
  }
  for (const survey of surveys) {
    const who = at(survey.t);
    measures.push({
      kind: 'survey',
      at: survey.t,
      agent: survey.agent ?? who.agent,
      team: survey.team ?? who.team,
      survey: survey.kind,
      score: survey.score,
      scaleMax: survey.scaleMax,
    });
  }
  return { json, measures };

  function referenceSla() {
    const policy = tenant.sla_policies.find((p) => matches(p));
    if (!policy) return [];
    const calendarFor = (team: string | null) => (policy.business_hours ? clocks.forTeam(team) : null);
    const targets: unknown[] = [];

    const settled = (states[states.length - 1] as State).t;
    /**
     * The first instant by which `amount` ms counted by `running` have passed since `start`;
     * `null` when the clock stops for good (the last state does not run).
     */
    const deadline = (
      calendar: MinuteCalendar | null,
      start: number,
      amount: number,
      running: (m: number) => boolean,
    ): number | null => {
      let used = 0;
      const limit = calendar ? calendar.start + calendar.count * 60_000 : start + 400 * 86_400_000;
      for (let m = start; m <= limit; m += 60_000) {
        if (used >= amount) return m;
        if (m >= settled && !running(m)) return null;
        if (m < limit && running(m)) used += openMs(calendar, m, m + 60_000);
      }
      throw new BeyondWindow();
    };
    const spent = (
      calendar: MinuteCalendar | null,
      start: number,
      end: number,
      running: (m: number) => boolean,
    ) => {
      let used = 0;
      for (let m = start; m < end; m += 60_000) if (running(m)) used += openMs(calendar, m, m + 60_000);
      return used;
    };
    const straight = (
      metric: string,
      seconds: number,
      calendar: MinuteCalendar | null,
      start: number,
      done: number | null,
      doneBy: Who,
    ) => {
      const due = deadline(calendar, start, seconds * 1000, () => true) as number;
      const base = { policy: policy.name, metric, target_seconds: seconds };
      if (done !== null && done <= due) {
        measures.push({ kind: 'sla', at: done, ...doneBy, achieved: true });
        return { ...base, status: 'achieved', at_risk: false, breach_at: iso(due), breached_at: null };
      }
      if (done !== null || now >= due) {
        measures.push({ kind: 'sla', at: due, ...(done !== null ? doneBy : who(due)), achieved: false });
        return { ...base, status: 'breached', at_risk: false, breach_at: iso(due), breached_at: iso(due) };
      }
      const atRisk = spent(calendar, start, now, () => true) >= policy.warn_at * seconds * 1000;
      return { ...base, status: 'active', at_risk: atRisk, breach_at: iso(due), breached_at: null };
    };

    const { first_response: firstTarget, next_response: nextTarget, resolution } = policy.targets;
    if (firstTarget !== undefined && !outbound) {
      let done: number | null = null;
      let doneBy: Who = { agent: null, team: null };
      if (firstReply && (first === undefined || firstReply.t <= first)) {
        done = firstReply.t;
        doneBy = { agent: firstReply.agent, team: at(firstReply.t).team };
      } else if (first !== undefined) {
        done = first;
        doneBy = who(first);
      }
      targets.push(
        straight('first_response', firstTarget, calendarFor(at(created).team), created, done, doneBy),
      );
    }
    if (nextTarget !== undefined) {
      for (const w of waits) {
        const doneBy =
          w.end === null ? who(0) : w.by === 'reply' ? { agent: w.agent, team: at(w.end).team } : who(w.end);
        targets.push(
          straight('next_response', nextTarget, calendarFor(at(w.start).team), w.start, w.end, doneBy),
        );
      }
    }
    if (resolution !== undefined) {
      const counts = (s: Status) =>
        !resolvedStatus(s) && s !== 'pending' && !(policy.pause_on_hold && s === 'on_hold');
      const calendar = calendarFor(at(created).team);
      const running = (m: number) => counts(at(m).status);
      const base = { policy: policy.name, metric: 'resolution', target_seconds: resolution };
      const due = deadline(calendar, created, resolution * 1000, running);
      /** Missed at `due`: counts for whoever `by` names. */
      const breached = (missed: number, by: Who) => {
        measures.push({ kind: 'sla', at: missed, ...by, achieved: false });
        targets.push({
          ...base,
          status: 'breached',
          at_risk: false,
          breach_at: iso(missed),
          breached_at: iso(missed),
        });
      };
      if (latest !== null && (due === null || latest <= due)) {
        measures.push({ kind: 'sla', at: latest, ...who(latest), achieved: true });
        targets.push({
          ...base,
          status: 'achieved',
          at_risk: false,
          breach_at: due === null ? null : iso(due),
          breached_at: null,
        });
      } else if (latest !== null) {
        breached(due as number, who(latest));
      } else if (due !== null && due <= now) {
        breached(due, who(due));
      } else {
        const isRunning = counts(status);
        const atRisk =
          isRunning && spent(calendar, created, now, running) >= policy.warn_at * resolution * 1000;
        targets.push({
          ...base,
          status: isRunning ? 'active' : 'paused',
          at_risk: atRisk,
          breach_at: isRunning && due !== null ? iso(due) : null,
          breached_at: null,
        });
      }
    }
    return targets;
  }

  function matches(policy: SlaPolicy): boolean {
    const w = policy.when;
    if (w.priority && !(priority !== null && (w.priority as string[]).includes(priority))) return false;
    if (w.channel && !(channel !== null && (w.channel as string[]).includes(channel))) return false;
    if (w.team && !(team !== null && w.team.includes(team))) return false;
    if (w.tags && !w.tags.some((tag) => tags.includes(tag))) return false;
    return true;
  }
}

const keysOf = (event: NormalizedEvent): string[] =>
  event.customer === undefined ? [] : typeof event.customer === 'string' ? [event.customer] : event.customer;
const byInstant = (a: { t: number; rank: number; id: string }, b: { t: number; rank: number; id: string }) =>
  a.t - b.t || a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * METRICS.md "Linking calls to tickets" for the calls that name no ticket, read plainly: for each
 * call, every ticket sharing one of its customer keys (a ticket's keys: those on all its own
 * events) that was unresolved when the call started or was created up to `link_before` after it;
 * the one with the latest own activity at or before the call wins, then (README) the one created
 * soonest, then the smaller key. Returns the ticket of each linked call's event id.
 */
export function referenceLinks(
  events: readonly NormalizedEvent[],
  tenant: TenantConfig,
): Map<string, string> {
  const linkBefore = tenant.call_linking.link_before * 1000;
  const tickets = new Map<string, Event[]>();
  for (const e of events) {
    if (!('ticket' in e) || e.ticket === undefined) continue;
    tickets.set(e.ticket, [
      ...(tickets.get(e.ticket) ?? []),
      { ...e, t: Date.parse(e.at), rank: RANK[e.type] },
    ]);
  }
  const facts = [...tickets].map(([key, list]) => {
    const timeline = list.sort(byInstant);
    const opening = timeline.find((e) => e.type === 'ticket.created');
    const created = opening ? opening.t : (timeline[0] as Event).t;
    const statuses: Array<{ t: number; status: Status }> = [{ t: created, status: 'new' }];
    for (const e of timeline) {
      if (e.type === 'ticket.updated' && e.status)
        statuses.push({ t: Math.max(e.t, created), status: e.status });
    }
    return {
      key,
      created,
      keys: new Set(timeline.flatMap(keysOf)),
      activity: timeline.map((e) => Math.max(e.t, created)),
      unresolvedAt: (t: number) => {
        if (t < created) return false;
        let status: Status = 'new';
        for (const s of statuses) if (s.t <= t) status = s.status;
        return !resolvedStatus(status);
      },
    };
  });
  const links = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'call' || e.ticket !== undefined) continue;
    const started = Date.parse(e.at);
    const keys = keysOf(e);
    const qualified = facts
      .filter((f) => keys.some((k) => f.keys.has(k)))
      .filter((f) => f.unresolvedAt(started) || (f.created >= started && f.created <= started + linkBefore))
      .map((f) => {
        const before = f.activity.filter((t) => t <= started);
        return { ...f, last: before.length ? Math.max(...before) : null };
      })
      .sort(
        (a, b) =>
          (a.last === b.last ? 0 : a.last === null ? 1 : b.last === null ? -1 : b.last - a.last) ||
          a.created - b.created ||
          (a.key < b.key ? -1 : 1),
      );
    if (qualified[0]) links.set(e.id, qualified[0].key);
  }
  return links;
}

/**
 * METRICS.md call cases, read plainly: inbound calls with a customer key that linked to no
 * ticket, per customer (keys named together by a call are one customer, joined transitively;
 * named by its smallest key), a new case whenever more than `repeat_window` passed since the
 * customer's previous call. Returns the JSON of `call_cases` and the report's measures.
 */
export function referenceCallCases(
  events: readonly NormalizedEvent[],
  links: Map<string, string>,
  tenant: TenantConfig,
  now: number,
) {
  const window = tenant.call_linking.repeat_window * 1000;
  const calls = events.filter(
    (e): e is Extract<NormalizedEvent, { type: 'call' }> =>
      e.type === 'call' &&
      e.ticket === undefined &&
      !links.has(e.id) &&
      e.call.direction === 'inbound' &&
      keysOf(e).length > 0,
  );
  // Customers: calls that share a key, transitively, until nothing joins.
  const customers: Array<Set<string>> = [];
  for (const call of calls) {
    const joined = new Set(keysOf(call));
    for (const group of [...customers]) {
      if ([...group].some((k) => joined.has(k))) {
        for (const k of group) joined.add(k);
        customers.splice(customers.indexOf(group), 1);
      }
    }
    customers.push(joined);
  }
  const json: unknown[] = [];
  const measures: ReferenceMeasure[] = [];
  for (const group of customers) {
    const name = [...group].sort()[0] as string;
    const mine = calls
      .filter((c) => keysOf(c).some((k) => group.has(k)))
      .map((c) => ({ ...c, t: Date.parse(c.at) }))
      .sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
    const cases: Array<typeof mine> = [];
    for (const call of mine) {
      const current = cases[cases.length - 1];
      const previous = current?.[current.length - 1];
      if (current && previous && call.t - previous.t <= window) current.push(call);
      else cases.push([call]);
    }
    for (const list of cases) {
      const last = list[list.length - 1] as (typeof list)[number];
      const resolved = now - last.t >= window;
      const answered = list.filter((c) => c.call.outcome === 'answered');
      const lastAnswered = answered[answered.length - 1];
      const fcr = resolved ? list.length === 1 && answered.length === 1 : null;
      const agent = lastAnswered?.agent ?? null;
      const team = lastAnswered?.team ?? null;
      json.push({
        customer: name,
        calls: list.length,
        resolved,
        calls_to_resolution: list.length,
        fcr,
        agent,
        team,
        last_call_at: iso(last.t),
      });
      if (resolved)
        measures.push({
          kind: 'call_case',
          at: last.t,
          agent,
          team,
          fcr: fcr as boolean,
          calls: list.length,
        });
    }
  }
  json.sort((a, b) => {
    const x = a as { customer: string; last_call_at: string };
    const y = b as { customer: string; last_call_at: string };
    return x.customer < y.customer
      ? -1
      : x.customer > y.customer
        ? 1
        : x.last_call_at < y.last_call_at
          ? -1
          : 1;
  });
  return { json, measures };
}

/** Inbound calls' own measures (METRICS.md "Call metrics"), linked or not. */
export function referenceCallMeasures(events: readonly NormalizedEvent[]): ReferenceMeasure[] {
  return events.flatMap((e): ReferenceMeasure[] => {
    if (e.type !== 'call' || e.call.direction !== 'inbound') return [];
    const t = Date.parse(e.at);
    const answeredAt = e.call.answered_at === undefined ? null : Date.parse(e.call.answered_at);
    const answered = e.call.outcome === 'answered' && answeredAt !== null;
    const hold = e.call.hold_seconds ?? 0;
    return [
      {
        kind: 'call',
        at: t,
        agent: e.agent ?? null,
        team: e.team ?? null,
        answered,
        abandoned: e.call.outcome === 'abandoned' || e.call.outcome === 'missed',
        wait: answered ? ((answeredAt as number) - t) / 1000 : null,
        hold: answered ? hold : null,
        talk: answered
          ? Math.max(0, (Date.parse(e.call.ended_at) - (answeredAt as number)) / 1000 - hold)
          : null,
      },
    ];
  });
}

/** Surveys that name no ticket: their own agent and team, else nobody (METRICS.md "Surveys"). */
export function referenceLooseSurveys(events: readonly NormalizedEvent[]): ReferenceMeasure[] {
  return events.flatMap((e): ReferenceMeasure[] =>
    e.type === 'survey' && e.ticket === undefined
      ? [
          {
            kind: 'survey',
            at: Date.parse(e.at),
            agent: e.agent ?? null,
            team: e.team ?? null,
            survey: e.kind,
            score: e.score,
            scaleMax: e.scale_max ?? { csat: 5, nps: 10, ces: 7 }[e.kind],
          },
        ]
      : [],
  );
}
