import { randomUUID } from 'node:crypto';
import type { NormalizedEventInput } from '../model/events.js';
import { freshdeskTicket, liveagentTicket, voipstudioCall } from './demo-api-traffic.js';
import type { DemoApiData } from './demo-apis.js';
import {
  AGENT_IDS,
  agentEmail,
  callNumber,
  contactOf,
  GROUP_IDS,
  QUEUE_SIDS,
  type SampleCall,
  unix,
  workerSid,
} from './demo-ids.js';

/**
 * Turns the sample data set into what real systems send: Zendesk's event-subscription webhooks
 * for e-mail and phone tickets, Intercom's conversation webhooks for chats, Aircall's `call.ended`
 * and Twilio's status callbacks and TaskRouter events for calls, Freshdesk, LiveAgent and
 * VoIPstudio webhooks with what their APIs would serve (demo-api-traffic.ts), and normalised
 * events for the rest (closed tickets, surveys).
 */
export interface DemoUser {
  source: string;
  id: string;
  user: { role: 'agent' | 'end-user'; email?: string; phone?: string };
}

export interface DemoTraffic {
  zendesk: string[];
  intercom: string[];
  aircall: string[];
  /** Twilio callbacks as their form parameters. */
  twilio: Array<Record<string, string>>;
  events: string[];
  /** Users the demo's user cache is seeded with (the demo has no provider API to ask). */
  users: DemoUser[];
  /** Freshdesk and LiveAgent rule webhooks (`{"ticket_id": …}`), one per ticket, and VoIPstudio hang-up webhooks. */
  freshdesk: string[];
  liveagent: string[];
  voipstudio: string[];
  /** What the stand-in LiveAgent and VoIPstudio APIs serve (demo-apis.ts). */
  apis: DemoApiData;
}

const UPPER_STATUS: Record<string, string> = {
  new: 'NEW',
  open: 'OPEN',
  pending: 'PENDING',
  on_hold: 'HOLD',
  solved: 'SOLVED',
  closed: 'CLOSED',
};

export function demoTraffic(events: Iterable<NormalizedEventInput>): DemoTraffic {
  const traffic: DemoTraffic = {
    zendesk: [],
    intercom: [],
    aircall: [],
    twilio: [],
    events: [],
    users: [],
    freshdesk: [],
    liveagent: [],
    voipstudio: [],
    apis: {
      freshdesk: { tickets: new Map(), agents: new Map() },
      liveagent: {
        tickets: new Map(),
        agents: new Map(),
        contacts: new Map(),
      },
      voipstudio: [],
      voipstudioUsers: new Map(),
    },
  };
  for (const [agent, id] of Object.entries(AGENT_IDS)) {
    traffic.apis.liveagent.agents.set(id, { id, name: agent, email: agentEmail(agent), role: 'agent' });
    traffic.apis.freshdesk.agents.set(id, {
      id: Number(id),
      contact: { name: agent, email: agentEmail(agent) },
    });
    traffic.apis.voipstudioUsers.set(id, {
      id: Number(id),
      first_name: agent,
      email: agentEmail(agent),
      active: true,
    });
  }
  // Of every five e-mail or phone tickets, one lives in LiveAgent and one in Freshdesk instead of Zendesk.
  const liveagentTickets = new Map<string, Array<Record<string, unknown>>>();
  const freshdeskTickets = new Map<string, Array<Record<string, unknown>>>();
  // What each provider's user API would say about the agents.
  for (const [agent, id] of Object.entries(AGENT_IDS)) {
    const user = { role: 'agent', email: agentEmail(agent) } as const;
    traffic.users.push(
      { source: 'zendesk', id, user },
      { source: 'intercom', id: `admin:${id}`, user },
      { source: 'aircall', id, user },
      { source: 'twilio', id: workerSid(agent), user },
    );
  }
  const requesters = new Map<string, string>();
  const chats = new Map<string, { created: number; email?: string; contact: string; agent?: string }>();
  let calls = 0;
  for (const input of events) {
    const event = input as Record<string, unknown> & {
      type: string;
      source: string;
      ticket?: string;
      at: string;
    };
    const number = event.ticket?.split(':')[1];
    if (event.type === 'call') {
      calls += 1;
      if (calls % 4 === 0) voipstudioCall(event as unknown as SampleCall, traffic);
      else if (calls % 3 === 0) traffic.twilio.push(...twilioCall(event as unknown as SampleCall));
      else traffic.aircall.push(aircallCall(event as unknown as SampleCall));
      continue;
    }
    if (event.source === 'intercom' && number) {
      const chat = intercomDelivery(event, number, chats, traffic.users);
      if (chat !== null) {
        if (chat !== undefined) traffic.intercom.push(chat);
        continue;
      }
    }
    if (event.source === 'zendesk' && number && Number(number) % 5 === 0) {
      liveagentTickets.set(number, [...(liveagentTickets.get(number) ?? []), event]);
      continue;
    }
    if (event.source === 'zendesk' && number && Number(number) % 5 === 2) {
      freshdeskTickets.set(number, [...(freshdeskTickets.get(number) ?? []), event]);
      continue;
    }
    if (event.source !== 'zendesk' || !number) {
      const ticket = number
        ? `${event.source === 'zendesk' ? 'zendesk' : event.source}:${number}`
        : undefined;
      traffic.events.push(JSON.stringify({ ...event, ...(ticket ? { ticket } : {}) }));
      continue;
    }
    const envelope = {
      account_id: 90210,
      id: randomUUID(),
      time: event.at,
      zendesk_event_version: '2022-11-06',
      subject: `zen:ticket:${number}`,
    };
    const detail = { id: number };
    if (event.type === 'ticket.created') {
      const { email, phone } = contactOf(event.customer);
      const requester = String(500000 + Number(number));
      requesters.set(number, requester);
      traffic.users.push({
        source: 'zendesk',
        id: requester,
        user: { role: 'end-user', ...(email ? { email } : {}), ...(phone ? { phone } : {}) },
      });
      traffic.zendesk.push(
        JSON.stringify({
          ...envelope,
          type: 'zen:event-type:ticket.created',
          detail: {
            ...detail,
            created_at: event.at,
            status: 'NEW',
            priority: String(event.priority ?? 'normal').toUpperCase(),
            assignee_id: AGENT_IDS[event.agent as string],
            group_id: GROUP_IDS[event.team as string],
            requester_id: requester,
            tags: [],
            via: { channel: event.channel === 'phone' ? 'voice' : 'email' },
          },
          event: {},
        }),
      );
    } else if (event.type === 'message') {
      const staff = event.author === 'agent';
      traffic.zendesk.push(
        JSON.stringify({
          ...envelope,
          type: 'zen:event-type:ticket.comment_added',
          detail,
          event: {
            comment: {
              id: String(event.id).replace(/\D/g, ''),
              body: staff ? 'Thanks for reaching out — here is what we found.' : 'Hello, I need help.',
              is_public: event.public !== false,
              author: {
                id: staff ? AGENT_IDS[event.agent as string] : requesters.get(number),
                is_staff: staff,
                name: 'demo',
              },
            },
          },
        }),
      );
    } else if (event.type === 'ticket.updated' && typeof event.status === 'string') {
      traffic.zendesk.push(
        JSON.stringify({
          ...envelope,
          type: 'zen:event-type:ticket.status_changed',
          detail,
          event: { current: UPPER_STATUS[event.status] },
        }),
      );
    } else {
      traffic.events.push(JSON.stringify({ ...event, ticket: `zendesk:${number}` }));
    }
  }
  for (const [number, ticketEvents] of liveagentTickets) liveagentTicket(number, ticketEvents, traffic);
  for (const [number, ticketEvents] of freshdeskTickets) freshdeskTicket(number, ticketEvents, traffic);
  return traffic;
}

/** +14155550123 as a person dials it: +1 415-555-0123. */
const dialled = (key: string) => {
  const digits = key.replace(/^phone:\+1/, '');
  return `+1 ${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
};

/** A sample call as Aircall's `call.ended` webhook. */
function aircallCall(event: SampleCall): string {
  const call = event.call;
  const id = 70_000_000 + callNumber(event.id);
  const reasons: Record<string, string> = { abandoned: 'short_abandoned', missed: 'agents_did_not_answer' };
  return JSON.stringify({
    resource: 'call',
    event: 'call.ended',
    timestamp: unix(call.ended_at) + 30,
    token: DEMO_AIRCALL_TOKEN,
    data: {
      id,
      direct_link: `https://api.aircall.io/v1/calls/${id}`,
      direction: 'inbound',
      status: 'done',
      missed_call_reason: reasons[call.outcome] ?? null,
      started_at: unix(call.started_at),
      answered_at: call.answered_at ? unix(call.answered_at) : null,
      ended_at: unix(call.ended_at),
      duration: unix(call.ended_at) - unix(call.started_at),
      voicemail: null,
      raw_digits: dialled(event.customer),
      user: event.agent ? { id: Number(AGENT_IDS[event.agent]), email: agentEmail(event.agent) } : null,
      teams: event.team ? [{ id: Number(GROUP_IDS[event.team]) }] : [],
      contact: null,
      tags: [],
      comments: [],
    },
  });
}

/** A sample call as Twilio tells it: status callbacks, and the TaskRouter task it queued as. */
function twilioCall(event: SampleCall): Array<Record<string, string>> {
  const call = event.call;
  const sid = `CA${String(callNumber(event.id)).padStart(32, '0')}`;
  const from = event.customer.replace(/^phone:/, '');
  const rfc2822 = (iso: string) => new Date(iso).toUTCString().replace('GMT', '+0000');
  const voice = (status: string, at: string, extra: Record<string, string> = {}) => ({
    CallSid: sid,
    AccountSid: `AC${'0'.repeat(32)}`,
    CallStatus: status,
    Direction: 'inbound',
    From: from,
    To: '+14155550199',
    Timestamp: rfc2822(at),
    CallbackSource: 'call-progress-events',
    ...extra,
  });
  const queue = QUEUE_SIDS[event.team ?? 'billing'] as string;
  const task = (type: string, at: string, extra: Record<string, string> = {}) => ({
    EventType: type,
    Timestamp: String(unix(at)),
    TaskSid: `WT${sid.slice(2)}`,
    TaskQueueSid: queue,
    TaskAttributes: JSON.stringify({ call_sid: sid, from, direction: 'inbound' }),
    ...extra,
  });
  const callbacks = [voice('ringing', call.started_at), task('task.created', call.started_at)];
  if (call.answered_at && event.agent) {
    callbacks.push(
      task('reservation.accepted', call.answered_at, {
        WorkerSid: workerSid(event.agent),
        WorkerAttributes: JSON.stringify({
          email: agentEmail(event.agent),
          contact_uri: `client:${event.agent}`,
        }),
      }),
    );
  } else {
    callbacks.push(task(call.outcome === 'missed' ? 'workflow.timeout' : 'task.canceled', call.ended_at));
  }
  callbacks.push(
    voice('completed', call.ended_at, { CallDuration: String(unix(call.ended_at) - unix(call.started_at)) }),
  );
  return callbacks;
}

/**
 * A chat event as the Intercom webhook that reports it; undefined when another webhook already
 * carries it (the opening message), null when Intercom has nothing for it (normalised instead).
 */
function intercomDelivery(
  event: Record<string, unknown> & { type: string; at: string },
  number: string,
  chats: Map<string, { created: number; email?: string; contact: string; agent?: string }>,
  users: DemoUser[],
): string | undefined | null {
  const at = unix(event.at);
  if (event.type === 'ticket.created') {
    const { email, phone } = contactOf(event.customer);
    const contact = `contact-${email ?? number}`;
    users.push({
      source: 'intercom',
      id: `contact:${contact}`,
      user: { role: 'end-user', ...(email ? { email } : {}), ...(phone ? { phone } : {}) },
    });
    chats.set(number, { created: at, email, contact, agent: event.agent as string | undefined });
    const parts = [];
    // The inbox rules assign the conversation to its team and teammate as it arrives.
    if (event.team) {
      parts.push(
        part(`${number}-t`, 'default_assignment', at, { type: 'bot', id: 'rules' }, undefined, {
          type: 'team',
          id: GROUP_IDS[event.team as string],
        }),
      );
    }
    if (event.agent) {
      parts.push(
        part(`${number}-a`, 'default_assignment', at, { type: 'bot', id: 'rules' }, undefined, {
          type: 'admin',
          id: AGENT_IDS[event.agent as string],
        }),
      );
    }
    return notification(
      'conversation.user.created',
      conversation(number, chats.get(number)!, parts, event.priority),
    );
  }
  const chat = chats.get(number);
  if (!chat) return null;
  const admin = (agent: unknown) => ({
    type: 'admin',
    id: AGENT_IDS[agent as string] ?? '0',
    email: agentEmail(agent as string),
  });
  if (event.type === 'message') {
    // The opening message is the conversation's source, sent with conversation.user.created.
    if (event.author === 'customer' && at === chat.created) return undefined;
    const staff = event.author === 'agent';
    const kind = staff ? (event.public === false ? 'note' : 'comment') : 'comment';
    const author = staff ? admin(event.agent) : { type: 'user', id: chat.contact, email: chat.email };
    const topic = staff
      ? kind === 'note'
        ? 'conversation.admin.noted'
        : 'conversation.admin.replied'
      : 'conversation.user.replied';
    return notification(
      topic,
      conversation(number, chat, [part(String(event.id), kind, at, author, 'demo')]),
    );
  }
  if (event.type === 'ticket.updated') {
    const kinds: Record<string, [string, string]> = {
      solved: ['close', 'conversation.admin.closed'],
      open: ['open', 'conversation.admin.opened'],
      pending: ['snoozed', 'conversation.admin.snoozed'],
    };
    const kind = kinds[event.status as string];
    if (!kind) return null;
    return notification(
      kind[1],
      conversation(number, chat, [part(String(event.id), kind[0], at, admin(chat.agent))]),
    );
  }
  if (event.type === 'survey' && event.kind === 'csat') {
    return notification(
      'conversation.rating.added',
      conversation(number, chat, [], undefined, {
        rating: event.score,
        created_at: at,
        teammate: chat.agent ? { type: 'admin', id: AGENT_IDS[chat.agent] } : null,
      }),
    );
  }
  return null;
}

function part(
  id: string,
  kind: string,
  at: number,
  author: Record<string, unknown>,
  body?: string,
  assignedTo?: Record<string, unknown>,
) {
  return {
    type: 'conversation_part',
    id,
    part_type: kind,
    body: body ?? null,
    created_at: at,
    author,
    assigned_to: assignedTo ?? null,
  };
}

function conversation(
  number: string,
  chat: { created: number; email?: string; contact: string },
  parts: unknown[],
  priority?: unknown,
  rating?: unknown,
) {
  return {
    type: 'conversation',
    id: number,
    created_at: chat.created,
    source: {
      type: 'conversation',
      delivered_as: 'customer_initiated',
      author: { type: 'user', id: chat.contact, email: chat.email },
    },
    contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: chat.contact }] },
    priority: priority === 'high' || priority === 'urgent' ? 'priority' : 'not_priority',
    conversation_rating: rating ?? null,
    conversation_parts: { type: 'conversation_part.list', conversation_parts: parts },
  };
}

function notification(topic: string, item: unknown): string {
  return JSON.stringify({
    type: 'notification_event',
    app_id: 'demo',
    id: `notif_${randomUUID()}`,
    topic,
    data: { type: 'notification_event_data', item },
  });
}

export const DEMO_AIRCALL_TOKEN = 'demo-aircall-webhook-token';
