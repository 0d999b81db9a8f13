import type { Channel, NormalizedEvent, Priority, Status } from '../../model/events.js';
import { eventSchema } from '../../model/events.js';
import { customerKeys, emailKey, phoneKey } from '../customer.js';
import type { NormalizeContext } from '../types.js';
import {
  commentEventSchema,
  type ZendeskPayload,
  type ZendeskTicketEvent,
  type ZendeskTriggerBody,
} from './payloads.js';

// Zendesk's quirks as data.
const STATUS: Record<string, Status> = {
  new: 'new',
  open: 'open',
  pending: 'pending',
  hold: 'on_hold',
  'on-hold': 'on_hold',
  on_hold: 'on_hold',
  solved: 'solved',
  closed: 'closed',
};
const PRIORITY: Record<string, Priority> = { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' };
const CHANNEL: Record<string, Channel> = {
  email: 'email',
  mail: 'email',
  web: 'web',
  web_form: 'web',
  'web form': 'web',
  help_center: 'web',
  api: 'api',
  web_service: 'api',
  chat: 'chat',
  chat_transcript: 'chat',
  native_messaging: 'chat',
  messaging: 'chat',
  whatsapp: 'chat',
  voice: 'phone',
  phone: 'phone',
  'phone call (inbound)': 'phone',
  sms: 'sms',
  twitter: 'social',
  facebook: 'social',
  instagram: 'social',
};
/** Event types that only change what deskpulse does not measure. */
export const IGNORED = 'ignored';

const ticketKey = (id: string): string => `zendesk:${id}`;
const personKey = (id: string | null | undefined): string | null | undefined =>
  id === undefined ? undefined : id === null || id === '' || id === '0' ? null : `zendesk:${id}`;
const status = (value: unknown): Status | undefined =>
  typeof value === 'string' ? STATUS[value.toLowerCase()] : undefined;
const priority = (value: unknown): Priority | undefined =>
  typeof value === 'string' ? PRIORITY[value.toLowerCase()] : undefined;
export const channel = (value: string | null | undefined): Channel =>
  (value ? CHANNEL[value.toLowerCase()] : undefined) ?? 'other';

/**
 * Whether a comment is the one its ticket was created with (the description: made with the
 * ticket, to the second). The audits say it exactly (see history.ts).
 */
export function isDescription(commentAt: string | undefined, ticketCreatedAt: string | undefined): boolean {
  if (commentAt === undefined || ticketCreatedAt === undefined) return false;
  return Math.floor(Date.parse(commentAt) / 1000) === Math.floor(Date.parse(ticketCreatedAt) / 1000);
}

/**
 * A comment's author as a message's. The description of a ticket an agent opened (a phone call
 * logged, a ticket written for a customer) is the agent's text but no reply — Zendesk's own first
 * reply time runs to the agent's next public comment ("Calculating first reply time") — so it is
 * a `system` message, which no metric counts; kept rather than dropped, its id stays taken, and a
 * later snapshot of the same comment (a trigger delivery dates it at its update) is a copy, not
 * a reply.
 */
export const commentAuthor = (staff: boolean, description: boolean): 'agent' | 'customer' | 'system' =>
  staff ? (description ? 'system' : 'agent') : 'customer';

/**
 * Customer keys of a requester (`customer.ts`: e-mail lower-cased, phone in E.164 with the
 * tenant's default country), else the Zendesk user.
 */
export async function customerOf(
  requester: string | null | undefined,
  context: NormalizeContext,
  known?: { email?: string; phone?: string },
) {
  const user = known?.email || known?.phone ? known : requester ? await context.users.user(requester) : null;
  const keys = customerKeys(
    emailKey(user?.email),
    phoneKey(user?.phone, `zendesk-user:${requester ?? ''}`, context.defaultCountry),
  );
  return keys ?? (requester ? [`zendesk-user:${requester}`] : undefined);
}

function valid(events: Array<Record<string, unknown>>): NormalizedEvent[] {
  return events.map((event) => eventSchema.parse(event));
}

async function fromEvent(payload: ZendeskTicketEvent, context: NormalizeContext): Promise<NormalizedEvent[]> {
  const detail = payload.detail;
  const ticket = ticketKey(detail.id);
  const base = {
    id: `zendesk:${payload.id}`,
    at: payload.time,
    source: 'zendesk',
    tenant: context.tenant,
    ticket,
  };
  const change = (payload.event ?? {}) as { current?: unknown };
  const kind = payload.type.slice('zen:event-type:'.length);
  switch (kind) {
    case 'ticket.created':
      return valid([
        {
          ...base,
          // Named by the ticket, as the backfill and trigger deliveries name it (below, history.ts).
          id: `zendesk:${detail.id}:created`,
          type: 'ticket.created',
          at: detail.created_at ?? payload.time,
          channel: channel(detail.via?.channel),
          customer: await customerOf(detail.requester_id, context),
          priority: priority(detail.priority),
          agent: personKey(detail.assignee_id) ?? undefined,
          team: personKey(detail.group_id) ?? undefined,
          tags: detail.tags ?? undefined,
        },
        // The status a ticket is created with (often open, not new) is its first status.
        ...(status(detail.status) && status(detail.status) !== 'new'
          ? [
              {
                ...base,
                id: `zendesk:${detail.id}:created:status`,
                type: 'ticket.updated',
                at: detail.created_at ?? payload.time,
                status: status(detail.status),
              },
            ]
          : []),
      ]);
    case 'ticket.comment_added': {
      const { comment } = commentEventSchema.parse(payload.event);
      const staff =
        comment.author.is_staff ?? (await context.users.user(comment.author.id))?.role === 'agent';
      return valid([
        {
          ...base,
          // The comment's own id, which the audits (a backfill) and triggers give too: a comment
          // heard both ways is one message, not a second reply.
          id: `zendesk:comment:${comment.id}`,
          type: 'message',
          author: commentAuthor(staff, isDescription(payload.time, detail.created_at)),
          public: comment.is_public,
          ...(staff ? { agent: `zendesk:${comment.author.id}` } : {}),
        },
      ]);
    }
    case 'ticket.status_changed': {
      const value = status(change.current) ?? status(detail.status);
      return value ? valid([{ ...base, type: 'ticket.updated', status: value }]) : [];
    }
    case 'ticket.priority_changed': {
      const value = priority(change.current) ?? priority(detail.priority);
      return value ? valid([{ ...base, type: 'ticket.updated', priority: value }]) : [];
    }
    case 'ticket.agent_assignment_changed':
      return valid([{ ...base, type: 'ticket.updated', agent: personKey(idOf(change.current)) ?? null }]);
    case 'ticket.group_assignment_changed':
      return valid([{ ...base, type: 'ticket.updated', team: personKey(idOf(change.current)) ?? null }]);
    case 'ticket.tags_changed':
      return valid([{ ...base, type: 'ticket.updated', tags: detail.tags ?? [] }]);
    case 'ticket.soft_deleted':
    case 'ticket.marked_as_spam':
    case 'ticket.permanently_deleted':
      // The normalised statuses have no "deleted": a deleted or spam ticket is closed (as
      // LiveAgent's are), so it stops waiting, running SLA targets and raising alerts.
      return valid([{ ...base, type: 'ticket.updated', status: 'closed' }]);
    case 'ticket.undeleted': {
      // Restored with the status it had.
      const value = status(detail.status);
      return value ? valid([{ ...base, type: 'ticket.updated', status: value }]) : [];
    }
    case 'ticket.requester_changed':
      return valid([
        { ...base, type: 'ticket.updated', customer: await customerOf(detail.requester_id, context) },
      ]);
    default:
      return [];
  }
}

const idOf = (value: unknown): string | null =>
  typeof value === 'number' || (typeof value === 'string' && value !== '') ? String(value) : null;

async function fromTrigger(body: ZendeskTriggerBody, context: NormalizeContext): Promise<NormalizedEvent[]> {
  const t = body.ticket;
  const ticket = ticketKey(t.id);
  const base = { source: 'zendesk', tenant: context.tenant, ticket };
  const blank = (value: string | undefined) =>
    value === undefined || value.trim() === '' || value === '-' ? undefined : value;
  const events: Array<Record<string, unknown>> = [
    {
      ...base,
      // The same id on every delivery: only the first one creates the ticket.
      id: `zendesk:${t.id}:created`,
      type: 'ticket.created',
      at: t.created_at,
      channel: channel(blank(t.via)),
      customer: await customerOf(blank(t.requester_id), context, {
        email: blank(t.requester_email),
        phone: blank(t.requester_phone),
      }),
    },
    {
      ...base,
      id: `zendesk:${t.id}:state:${t.updated_at}`,
      type: 'ticket.updated',
      at: t.updated_at,
      status: status(t.status.replace(/\s+/g, '-')),
      priority: priority(blank(t.priority)),
      agent: personKey(blank(t.assignee_id) ?? null),
      team: personKey(blank(t.group_id) ?? null),
      tags: blank(t.tags)?.split(/\s+/) ?? [],
    },
  ];
  const comment = t.latest_comment;
  if (comment && blank(comment.id) && blank(comment.author_id)) {
    const author = await context.users.user(comment.author_id);
    const staff = author?.role === 'agent';
    const at = comment.created_at ?? t.updated_at;
    events.push({
      ...base,
      id: `zendesk:comment:${comment.id}`,
      type: 'message',
      at,
      author: commentAuthor(staff, isDescription(at, t.created_at)),
      public: comment.is_public.toLowerCase() === 'true',
      ...(staff ? { agent: `zendesk:${comment.author_id}` } : {}),
    });
  }
  return valid(
    events.map((event) => Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined))),
  );
}

export async function normalizeZendesk(
  payload: ZendeskPayload,
  context: NormalizeContext,
): Promise<NormalizedEvent[]> {
  return payload.kind === 'event' ? fromEvent(payload.event, context) : fromTrigger(payload.body, context);
}
