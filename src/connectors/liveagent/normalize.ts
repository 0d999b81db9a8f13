import { DateTime } from 'luxon';
import type { NormalizedEvent } from '../../model/events.js';
import { customerKeys, emailKey, phoneKey } from '../customer.js';
import { finish } from '../shared.js';
import type { NormalizeContext } from '../types.js';
import type { LiveagentHistory, LiveagentMessageGroup, LiveagentTicket } from './payloads.js';
import type { GroupKind, LiveagentSettings } from './settings.js';

/** LiveAgent's ticket statuses. */
const STATUSES: Record<string, 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed'> = {
  I: 'new',
  N: 'new',
  C: 'open',
  T: 'open', // chatting
  P: 'open', // calling
  A: 'pending', // answered: waiting on the customer
  W: 'on_hold', // postponed
  R: 'solved',
  L: 'closed',
  X: 'closed', // deleted
  B: 'closed', // spam
};

/** Ticket channels by `channel_type`. */
const CHANNELS: Record<string, string> = {
  E: 'email',
  B: 'chat', // contact (chat) button
  I: 'chat', // chat invitation
  M: 'web', // contact form
  C: 'phone',
  W: 'phone', // call button
  F: 'social',
  A: 'social',
  T: 'social',
  Q: 'web', // forum
  S: 'web', // suggestion
};

/**
 * Message group `type` codes (LiveAgent API v3, MessageGroup) and what they are to deskpulse.
 * Codes not listed — start info (S), transfer (T), resolve (R), postpone (J), delete (X), spam (B),
 * tag (G), forward (O) and its reply (Q), split (L), merge (2), retweet (Y), internal call (1) —
 * make no event, so a system line is never taken for a reply. A tenant's `message_group_types`
 * overrides or adds codes.
 */
export const DEFAULT_GROUP_KINDS: Record<string, GroupKind> = {
  M: 'email', // offline (legacy): e-mail and forms
  '3': 'email', // incoming e-mail
  '4': 'email', // outgoing e-mail
  '7': 'email', // received answer
  '5': 'web', // offline: contact form, portal
  A: 'web', // knowledge base start
  K: 'web', // knowledge base
  C: 'chat',
  F: 'social', // Facebook
  W: 'social', // Twitter
  '6': 'social', // WhatsApp
  '8': 'social', // instant message
  P: 'call', // call (incoming)
  V: 'call', // outgoing call
  I: 'internal',
  U: 'internal', // internal offline
  Z: 'internal', // internal collapsed
};
const OUTGOING_CALL = 'V';
/** Message types that carry what someone wrote (message, legacy message, file) or said (voice). */
const WRITTEN = new Set(['M', 'Y', 'F', 'V']);

export const ticketKey = (id: string): string => `liveagent:${id}`;
const SYSTEM = 'system00';

export function instant(local: string, zone: string): string {
  return DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm:ss', { zone })
    .toUTC()
    .toISO({ suppressMilliseconds: true }) as string;
}

export function localTime(at: Date, zone: string): string {
  return DateTime.fromJSDate(at).setZone(zone).toFormat('yyyy-MM-dd HH:mm:ss');
}

type Role = 'agent' | 'customer' | 'system';

/** Who a LiveAgent user id is: `system00` and nobody are the system; agents are whom `/agents` knows. */
export async function role(userid: string | null | undefined, context: NormalizeContext): Promise<Role> {
  if (!userid || userid === SYSTEM) return 'system';
  return (await context.users.user(userid))?.role === 'agent' ? 'agent' : 'customer';
}

/**
 * A ticket, its message groups and its history (`/tickets/{id}/history`: status, agent and
 * department from each change on) as events. Every event is keyed by what it describes and when,
 * so reading the ticket again adds nothing and each later reading adds what changed. E-mail and
 * form groups are one message each (by the group's author); chat groups are each written line (by
 * its author), so a chat is a contact of the ticket; call groups are `call` events linked to the
 * ticket; internal groups are notes (not public). Without a history (`null`: not readable with
 * the key), the current status, assignee and `date_resolved` stand in for it.
 */
export async function ticketEvents(
  ticket: LiveagentTicket,
  groups: readonly LiveagentMessageGroup[],
  history: readonly LiveagentHistory[] | null,
  context: NormalizeContext,
  settings: Pick<LiveagentSettings, 'time_zone' | 'message_group_types'>,
): Promise<NormalizedEvent[]> {
  const zone = settings.time_zone;
  const at = (local: string) => instant(local, zone);
  const t = ticketKey(ticket.id);
  const base = { source: 'liveagent', tenant: context.tenant, ticket: t };
  const kinds = { ...DEFAULT_GROUP_KINDS, ...settings.message_group_types };
  const owner = ticket.owner_contactid ? await context.users.user(ticket.owner_contactid) : null;
  const scope = `liveagent:contact:${ticket.owner_contactid ?? ticket.id}`;
  const customer = customerKeys(
    emailKey(ticket.owner_email),
    emailKey(owner?.email),
    phoneKey(owner?.phone, scope, context.defaultCountry),
  );
  const channel = ticket.channel_type ? (CHANNELS[ticket.channel_type] ?? 'other') : undefined;
  const team = ticket.departmentid ? `liveagent:${ticket.departmentid}` : undefined;
  const agentKey = (id: string) => `liveagent:${id}`;

  const events: Array<Record<string, unknown>> = [];
  let firstAuthor: Role | undefined;
  const sorted = [...groups].sort((a, b) =>
    a.datecreated < b.datecreated ? -1 : a.datecreated > b.datecreated ? 1 : 0,
  );
  for (const group of sorted) {
    const kind = kinds[group.type] ?? 'ignore';
    if (kind === 'ignore') continue;
    const author = await role(group.userid, context);
    if (kind !== 'internal' && firstAuthor === undefined && author !== 'system') firstAuthor = author;
    const lines = (group.messages ?? []).filter((message) => WRITTEN.has(message.type ?? 'M'));
    if (kind === 'call') {
      events.push(await callEvent(group, lines, { base, customer, team, context, at, agentKey }));
      continue;
    }
    if (kind === 'chat' && lines.length > 0) {
      for (const line of lines) {
        const lineAuthor = await role(line.userid ?? group.userid, context);
        if (lineAuthor === 'system') continue;
        const writer = line.userid ?? group.userid;
        events.push({
          ...base,
          id: `${t}:message:${line.id}`,
          type: 'message',
          at: at(line.datecreated),
          author: lineAuthor,
          public: true,
          ...(lineAuthor === 'agent' && writer ? { agent: agentKey(writer) } : {}),
          channel: 'chat',
        });
      }
      continue;
    }
    if (author === 'system') continue;
    events.push({
      ...base,
      id: `${t}:group:${group.id}`,
      type: 'message',
      at: at(group.datecreated),
      author,
      public: kind !== 'internal',
      ...(author === 'agent' && group.userid ? { agent: agentKey(group.userid) } : {}),
      ...(kind === 'internal'
        ? {}
        : { channel: kind === 'email' ? (channel === 'web' ? 'web' : 'email') : kind }),
    });
  }

  const outbound = firstAuthor === 'agent';
  events.unshift({
    ...base,
    id: `${t}:created`,
    type: 'ticket.created',
    at: at(ticket.date_created),
    channel,
    customer,
    team,
    tags: ticket.tags ?? undefined,
    outbound,
  });
  const changed = at(ticket.date_changed);
  if (history && history.length > 0) {
    for (const row of history) {
      const from = at(row.date_from);
      events.push({
        ...base,
        id: `${t}:history:${row.id ?? Date.parse(from)}`,
        type: 'ticket.updated',
        at: from,
        status: STATUSES[row.status],
        agent: row.agent_id ? agentKey(row.agent_id) : null,
        team: row.department_id ? `liveagent:${row.department_id}` : null,
      });
    }
    events.push({
      ...base,
      id: `${t}:tags:${Date.parse(changed)}`,
      type: 'ticket.updated',
      at: changed,
      tags: ticket.tags ?? [],
    });
    return finish(events);
  }
  const status = STATUSES[ticket.status];
  // Without a history: the current assignee, department and tags go with the current status at
  // the last change, and with the resolution (the assignee then is taken to be the current one),
  // so a resolution is never attributed to nobody for want of an earlier event.
  const state = {
    agent: ticket.agentid ? agentKey(ticket.agentid) : null,
    team: team ?? null,
  };
  const resolved = ticket.date_resolved ? at(ticket.date_resolved) : undefined;
  if (resolved && resolved !== changed)
    events.push({
      ...base,
      id: `${t}:resolved:${Date.parse(resolved)}`,
      type: 'ticket.updated',
      at: resolved,
      status: 'solved',
      ...state,
    });
  events.push({
    ...base,
    id: `${t}:state:${Date.parse(changed)}`,
    type: 'ticket.updated',
    at: changed,
    // At the resolution itself the status is `solved` whatever the letter says now (resolved or closed).
    status: resolved === changed ? 'solved' : status,
    ...state,
    tags: ticket.tags ?? [],
  });
  return finish(events);
}

/**
 * A call group as a `call` of the ticket: it began at the group's creation and ended when the
 * group finished; it was answered when an agent first spoke on it (the group's first line by an
 * agent), by that agent. Outgoing call groups (V) are outbound, answered by whoever placed them.
 */
async function callEvent(
  group: LiveagentMessageGroup,
  lines: LiveagentMessageGroup['messages'] & object,
  parts: {
    base: Record<string, unknown>;
    customer: string[] | undefined;
    team: string | undefined;
    context: NormalizeContext;
    at: (local: string) => string;
    agentKey: (id: string) => string;
  },
): Promise<Record<string, unknown>> {
  const { context, at } = parts;
  const direction = group.type === OUTGOING_CALL ? 'outbound' : 'inbound';
  let answeredBy: { userid: string; at: string } | undefined;
  for (const line of lines) {
    const writer = line.userid ?? undefined;
    if (writer && (await role(writer, context)) === 'agent') {
      answeredBy = { userid: writer, at: line.datecreated };
      break;
    }
  }
  if (!answeredBy && direction === 'outbound' && group.userid)
    answeredBy = { userid: group.userid, at: group.datecreated };
  const started = at(group.datecreated);
  const lastLine = lines.reduce<string | undefined>(
    (latest, line) => (latest === undefined || line.datecreated > latest ? line.datecreated : latest),
    undefined,
  );
  const endLocal = group.datefinished ?? lastLine ?? group.datecreated;
  const ended = at(endLocal < group.datecreated ? group.datecreated : endLocal);
  const answered = answeredBy ? at(answeredBy.at) : undefined;
  return {
    ...parts.base,
    id: `liveagent:call:${group.id}`,
    type: 'call',
    at: started,
    channel: 'phone',
    customer: parts.customer,
    agent: answeredBy ? parts.agentKey(answeredBy.userid) : undefined,
    team: parts.team,
    call: {
      id: `liveagent:${group.id}`,
      direction,
      started_at: started,
      ...(answered
        ? { answered_at: answered < started ? started : answered > ended ? ended : answered }
        : {}),
      ended_at: ended,
      hold_seconds: 0,
      outcome: answered ? 'answered' : 'missed',
    },
  };
}
