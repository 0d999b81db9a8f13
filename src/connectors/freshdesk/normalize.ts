import type { NormalizedEvent } from '../../model/events.js';
import { customerKeys, emailKey, phoneKey } from '../customer.js';
import { finish } from '../shared.js';
import type { NormalizeContext } from '../types.js';
import type { FreshdeskConversation, FreshdeskTicket } from './payloads.js';

/** Freshdesk's statuses: 2 Open, 3 Pending, 4 Resolved, 5 Closed; custom statuses (6 and up) wait on someone else. */
export function status(code: number): 'open' | 'pending' | 'solved' | 'closed' | 'on_hold' {
  return code === 2
    ? 'open'
    : code === 3
      ? 'pending'
      : code === 4
        ? 'solved'
        : code === 5
          ? 'closed'
          : 'on_hold';
}
const PRIORITIES = { 1: 'low', 2: 'normal', 3: 'high', 4: 'urgent' } as const;
/** Ticket sources: 1 Email, 2 Portal, 3 Phone, 5 Twitter, 6 Facebook, 7 Chat, 9 Feedback widget, 10 Outbound email. */
const CHANNELS: Record<number, string> = {
  1: 'email',
  2: 'web',
  3: 'phone',
  5: 'social',
  6: 'social',
  7: 'chat',
  9: 'web',
  10: 'email',
};
const OUTBOUND_EMAIL = 10;

export const ticketKey = (id: number | string): string => `freshdesk:${id}`;
const key = (id: number | null | undefined): string | null | undefined =>
  id === undefined ? undefined : id === null ? null : `freshdesk:${id}`;

/**
 * A ticket as the API shows it now, as events. The API keeps no status history, only the latest
 * instants (`stats`): the events are keyed by what they describe and when, so reading the same
 * ticket again adds nothing, and every later reading (each webhook, each pull) adds the changes
 * since — the history builds up as deskpulse watches.
 */
export function ticketEvents(
  ticket: FreshdeskTicket,
  conversations: readonly FreshdeskConversation[],
  context: Pick<NormalizeContext, 'tenant' | 'defaultCountry'>,
): NormalizedEvent[] {
  const t = ticketKey(ticket.id);
  const base = { source: 'freshdesk', tenant: context.tenant, ticket: t };
  const outbound = ticket.source === OUTBOUND_EMAIL;
  const requester = ticket.requester;
  const scope = `freshdesk:contact:${requester?.id ?? ticket.requester_id ?? ticket.id}`;
  const customer = customerKeys(
    emailKey(requester?.email),
    phoneKey(requester?.phone, scope, context.defaultCountry),
    phoneKey(requester?.mobile, scope, context.defaultCountry),
  );
  const channel = ticket.source === undefined ? undefined : (CHANNELS[ticket.source] ?? 'other');
  const priority = ticket.priority === undefined ? undefined : PRIORITIES[ticket.priority as 1 | 2 | 3 | 4];
  const events: Array<Record<string, unknown>> = [
    {
      ...base,
      id: `${t}:created`,
      type: 'ticket.created',
      at: ticket.created_at,
      channel,
      customer,
      priority,
      // The group at creation is not kept apart from the current one; groups rarely move.
      team: key(ticket.group_id) ?? undefined,
      tags: ticket.tags,
      outbound,
    },
    // The description is the first message: the requester's, or the agent's on an outbound e-mail.
    {
      ...base,
      id: `${t}:description`,
      type: 'message',
      at: ticket.created_at,
      author: outbound ? 'agent' : 'customer',
      public: true,
      ...(outbound && ticket.responder_id ? { agent: key(ticket.responder_id) } : {}),
      channel,
    },
  ];
  for (const conversation of conversations) {
    events.push({
      ...base,
      id: `${t}:conversation:${conversation.id}`,
      type: 'message',
      at: conversation.created_at,
      author: conversation.incoming ? 'customer' : 'agent',
      public: !conversation.private,
      ...(conversation.incoming ? {} : { agent: key(conversation.user_id) }),
    });
  }
  const stats = ticket.stats ?? {};
  // The API keeps only the current assignee and group: each status change carries them (the
  // assignee then is taken to be the current one), so a resolution is never attributed to
  // nobody for want of an earlier assignment event.
  const assignment = { agent: key(ticket.responder_id) ?? null, team: key(ticket.group_id) ?? null };
  const statusAt = (name: string, at: string | null | undefined, value: string) => {
    if (at)
      events.push({
        ...base,
        id: `${t}:${name}:${Date.parse(at)}`,
        type: 'ticket.updated',
        at,
        status: value,
        ...assignment,
      });
  };
  statusAt('reopened', stats.reopened_at, 'open');
  statusAt('pending', stats.pending_since, 'pending');
  statusAt('resolved', stats.resolved_at, 'solved');
  statusAt('closed', stats.closed_at, 'closed');
  const current = status(ticket.status);
  const currentAt = stats.status_updated_at ?? ticket.updated_at;
  // Spam, or in the trash: closed as of its last update (the normalised statuses have no
  // "deleted"; Zendesk's and LiveAgent's deleted and spam tickets are closed too), so it stops
  // waiting and alerting. Its own status counts only from before that.
  const gone = ticket.spam === true || ticket.deleted === true;
  if (!gone || Date.parse(currentAt) < Date.parse(ticket.updated_at))
    statusAt(`status-${current}`, currentAt, current);
  if (gone) statusAt('removed', ticket.updated_at, 'closed');
  // Assignee, group and priority as of the last update.
  events.push({
    ...base,
    id: `${t}:state:${Date.parse(ticket.updated_at)}`,
    type: 'ticket.updated',
    at: ticket.updated_at,
    ...assignment,
    priority,
    tags: ticket.tags,
  });
  return finish(events);
}
