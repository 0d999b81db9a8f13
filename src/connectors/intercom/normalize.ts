import type { Channel, NormalizedEvent } from '../../model/events.js';
import { customerKeys, emailKey, phoneKey } from '../customer.js';
import { finish, isoFromUnix } from '../shared.js';
import type { NormalizeContext } from '../types.js';
import type { IntercomConversation, IntercomPart } from './payloads.js';

// Intercom's quirks as data.
const CHANNEL: Record<string, Channel> = {
  conversation: 'chat',
  chat: 'chat',
  email: 'email',
  push: 'other',
  facebook: 'social',
  twitter: 'social',
  instagram: 'social',
  whatsapp: 'chat',
  sms: 'sms',
  phone_call: 'phone',
};
const CUSTOMER_AUTHORS = new Set(['user', 'lead', 'contact']);
const BOT_AUTHORS = new Set(['bot', 'operator']);
const ASSIGNMENTS = new Set([
  'assignment',
  'default_assignment',
  'away_mode_assignment',
  'assign_and_reopen',
]);
const STATUS_BY_PART: Record<string, 'open' | 'solved' | 'pending'> = {
  open: 'open',
  close: 'solved',
  snoozed: 'pending',
  unsnoozed: 'open',
  timer_unsnooze: 'open',
  assign_and_reopen: 'open',
};

const ticketKey = (conversation: string) => `intercom:${conversation}`;

function authorRole(type: string | undefined): 'customer' | 'agent' | 'bot' | 'system' {
  if (type === undefined) return 'system';
  if (CUSTOMER_AUTHORS.has(type)) return 'customer';
  if (type === 'admin') return 'agent';
  if (BOT_AUTHORS.has(type)) return 'bot';
  return 'system';
}

/** The customer's keys: the starting author's e-mail, and each contact's e-mail and phone (looked up). */
async function customerOf(conversation: IntercomConversation, context: NormalizeContext) {
  const keys: Array<string | undefined> = [];
  const starter = conversation.source?.author;
  if (starter && CUSTOMER_AUTHORS.has(starter.type)) keys.push(emailKey(starter.email));
  for (const contact of conversation.contacts?.contacts ?? []) {
    const known = await context.users.user(`contact:${contact.id}`);
    keys.push(
      emailKey(known?.email),
      phoneKey(known?.phone, `intercom:${contact.id}`, context.defaultCountry),
    );
  }
  const found = customerKeys(...keys);
  return (
    found ??
    (conversation.contacts?.contacts[0]
      ? [`intercom-contact:${conversation.contacts.contacts[0].id}`]
      : undefined)
  );
}

async function rememberAdmin(part: { author?: IntercomPart['author'] }, context: NormalizeContext) {
  const author = part.author;
  if (author?.type === 'admin' && author.id && author.email)
    await context.users.remember(`admin:${author.id}`, { role: 'agent', email: author.email });
}

/**
 * A conversation (whole from the API, or with the parts of one webhook) as events: the conversation
 * is a ticket; the opening message and every comment are messages (notes private, bots `bot`);
 * assignments, closes, opens and snoozes are ticket updates; the rating is a CSAT survey.
 */
export async function normalizeConversation(
  conversation: IntercomConversation,
  context: NormalizeContext,
  options: { priorityChanged?: boolean } = {},
): Promise<NormalizedEvent[]> {
  const ticket = ticketKey(conversation.id);
  const base = { source: 'intercom', tenant: context.tenant, ticket };
  const created = isoFromUnix(conversation.created_at);
  const starter = conversation.source?.author;
  const starterRole = authorRole(starter?.type);
  const channel = CHANNEL[conversation.source?.type ?? ''] ?? 'chat';
  const events: Array<Record<string, unknown>> = [
    {
      ...base,
      id: `intercom:${conversation.id}:created`,
      type: 'ticket.created',
      at: created,
      channel,
      customer: await customerOf(conversation, context),
      // Started by a teammate (an outbound message): no first response time.
      outbound: starterRole === 'agent' ? true : undefined,
    },
  ];
  if (starter) {
    await rememberAdmin({ author: starter }, context);
    events.push({
      ...base,
      id: `intercom:${conversation.id}:source`,
      type: 'message',
      at: created,
      author: starterRole,
      public: true,
      channel,
      agent: starterRole === 'agent' && starter.id ? `intercom:${starter.id}` : undefined,
    });
  }
  for (const part of conversation.conversation_parts?.conversation_parts ?? []) {
    await rememberAdmin(part, context);
    const at = isoFromUnix(Math.max(part.created_at, conversation.created_at));
    const role = authorRole(part.author?.type);
    const agent = role === 'agent' && part.author?.id ? `intercom:${part.author.id}` : undefined;
    const hasBody = Boolean(part.body && part.body.trim() !== '');
    if (part.part_type === 'comment' || part.part_type === 'note' || (hasBody && role !== 'system')) {
      events.push({
        ...base,
        id: `intercom:part:${part.id}`,
        type: 'message',
        at,
        author: role,
        public: part.part_type !== 'note',
        channel,
        agent,
      });
    }
    const change: Record<string, unknown> = {};
    const status = STATUS_BY_PART[part.part_type];
    if (status) change.status = status;
    if (ASSIGNMENTS.has(part.part_type) && part.assigned_to) {
      const target = part.assigned_to;
      if (target.type === 'team') change.team = target.id ? `intercom:${target.id}` : null;
      else change.agent = target.type === 'admin' && target.id ? `intercom:${target.id}` : null;
    }
    if (Object.keys(change).length > 0)
      events.push({ ...base, id: `intercom:part:${part.id}:change`, type: 'ticket.updated', at, ...change });
  }
  // Intercom has two priorities. A priority change is dated by the conversation's last update;
  // otherwise a prioritised conversation is taken to have been one from the start.
  const priority = conversation.priority === 'priority' ? 'high' : 'normal';
  if (options.priorityChanged && conversation.priority) {
    const at = isoFromUnix(
      Math.max(conversation.updated_at ?? conversation.created_at, conversation.created_at),
    );
    events.push({
      ...base,
      id: `intercom:${conversation.id}:priority:${conversation.updated_at ?? 0}`,
      type: 'ticket.updated',
      at,
      priority,
    });
  } else if (conversation.priority === 'priority') {
    events.push({
      ...base,
      id: `intercom:${conversation.id}:priority`,
      type: 'ticket.updated',
      at: created,
      priority,
    });
  }
  const rating = conversation.conversation_rating;
  if (rating && typeof rating.rating === 'number' && rating.created_at) {
    events.push({
      ...base,
      id: `intercom:${conversation.id}:rating`,
      type: 'survey',
      at: isoFromUnix(rating.created_at),
      kind: 'csat',
      score: rating.rating,
      scale_max: 5,
      agent: rating.teammate ? `intercom:${rating.teammate.id}` : undefined,
    });
  }
  return finish(events);
}
