import { randomUUID } from 'node:crypto';
import type { NormalizedEventInput } from '../model/events.js';
import type { DemoApiData } from './demo-apis.js';
import { SAMPLE_TEAMS } from './sample-data.js';

/**
 * Turns the sample data set into what real systems send: Zendesk's event-subscription webhooks
 * for e-mail and phone tickets, Intercom's conversation webhooks for chats, Aircall's `call.ended`
 * and Twilio's status callbacks and TaskRouter events for calls (every third call), and
 * normalised events for the rest (closed tickets, surveys on Zendesk tickets).
 */
export const AGENT_IDS: Record<string, string> = Object.fromEntries(
  Object.values(SAMPLE_TEAMS)
    .flat()
    .map((agent, index) => [agent, String(1001 + index)]),
);
export const GROUP_IDS: Record<string, string> = Object.fromEntries(
  Object.keys(SAMPLE_TEAMS).map((team, index) => [team, String(201 + index)]),
);
/** A TaskRouter queue per team and a worker per agent (SIDs are 34 characters). */
export const QUEUE_SIDS: Record<string, string> = Object.fromEntries(
  Object.keys(SAMPLE_TEAMS).map((team, index) => [team, `WQ${String(index + 1).padStart(32, '0')}`]),
);
const workerSid = (agent: string) => `WK${(AGENT_IDS[agent] ?? '0').padStart(32, '0')}`;
export const agentEmail = (agent: string) => `${agent}@support.example`;

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
      const keys = ([] as string[]).concat(event.customer as string | string[]);
      const email = keys.find((key) => key.startsWith('email:'))?.slice(6);
      const phone = keys.find((key) => key.startsWith('phone:'))?.slice(6);
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

/** `2026-03-05T10:00:00.000Z` as LiveAgent and VoIPstudio write times (the demo accounts are in UTC). */
const local = (iso: string) => iso.slice(0, 19).replace('T', ' ');
const LIVEAGENT_STATUS: Record<string, string> = {
  new: 'N',
  open: 'C',
  pending: 'A',
  on_hold: 'W',
  solved: 'R',
  closed: 'L',
};

/**
 * A sample ticket as LiveAgent's API shows it after the fact: the ticket with its latest status,
 * its history (each status change with the assignee then), a message group per message (e-mails as
 * `3` incoming and `4` outgoing, internal notes as `I`), the requester as a contact; other events
 * of the ticket (surveys) go as normalised events.
 */
function liveagentTicket(number: string, events: Array<Record<string, unknown>>, traffic: DemoTraffic): void {
  const created = events.find((event) => event.type === 'ticket.created');
  if (!created) return;
  const id = `la${number}`;
  const contact = `c${number}`;
  const keys = ([] as string[]).concat(created.customer as string | string[]);
  const email = keys.find((key) => key.startsWith('email:'))?.slice(6);
  const phone = keys.find((key) => key.startsWith('phone:'))?.slice(6);
  traffic.apis.liveagent.contacts.set(contact, {
    id: contact,
    emails: email ? [email] : [],
    phones: phone ? [phone] : [],
    type: 'V',
  });
  const groups: Array<Record<string, unknown>> = [];
  const department = GROUP_IDS[created.team as string] ?? null;
  const history: Array<Record<string, unknown>> = [];
  const change = (at: string, code: string, agentId: string | null) => {
    const last = history[history.length - 1];
    if (last) last.date_to = at;
    history.push({
      id: `${id}h${history.length + 1}`,
      conversation_id: id,
      department_id: department,
      agent_id: agentId,
      status: code,
      date_from: at,
      date_to: null,
    });
  };
  change(
    local(created.at as string),
    'N',
    created.agent ? (AGENT_IDS[created.agent as string] ?? null) : null,
  );
  let status = 'new';
  let resolved: string | undefined;
  let agent = created.agent as string | undefined;
  for (const event of events) {
    const at = local(event.at as string);
    if (event.type === 'message') {
      const userid = event.author === 'agent' ? (AGENT_IDS[event.agent as string] ?? null) : contact;
      if (event.author === 'agent') agent = event.agent as string;
      const group = `${id}g${groups.length + 1}`;
      groups.push({
        id: group,
        parent_id: id,
        userid,
        type: event.public === false ? 'I' : event.author === 'agent' ? '4' : '3',
        status: 'R',
        datecreated: at,
        datefinished: at,
        messages: [{ id: `${group}m1`, userid, type: 'M', datecreated: at, format: 'T', message: 'demo' }],
      });
    } else if (event.type === 'ticket.updated' && typeof event.status === 'string') {
      status = event.status;
      if (status === 'solved' || (status === 'closed' && resolved === undefined)) resolved = at;
      if (status === 'open') resolved = undefined;
      change(at, LIVEAGENT_STATUS[status] ?? 'C', agent ? (AGENT_IDS[agent] ?? null) : null);
    } else if (event.type !== 'ticket.created') {
      traffic.events.push(JSON.stringify({ ...event, source: 'liveagent', ticket: `liveagent:${id}` }));
    }
  }
  const last = events.reduce(
    (latest, event) => ((event.at as string) > latest ? (event.at as string) : latest),
    '',
  );
  traffic.apis.liveagent.tickets.set(id, {
    ticket: {
      id,
      code: `DEMO-${number}`,
      owner_contactid: contact,
      owner_email: email ?? null,
      departmentid: GROUP_IDS[created.team as string] ?? null,
      agentid: agent ? (AGENT_IDS[agent] ?? null) : null,
      status: LIVEAGENT_STATUS[status] ?? 'C',
      tags: [],
      subject: 'Demo ticket',
      channel_type: created.channel === 'phone' ? 'C' : 'E',
      date_created: local(created.at as string),
      date_changed: local(last),
      date_resolved: resolved ?? null,
    },
    groups,
    history,
  });
  traffic.liveagent.push(JSON.stringify({ ticket_id: id }));
}

const FRESHDESK_STATUS: Record<string, number> = {
  new: 2,
  open: 2,
  pending: 3,
  on_hold: 6,
  solved: 4,
  closed: 5,
};

/**
 * A sample ticket as Freshdesk's API shows it (`include=stats,requester`): the latest status and
 * its instants, the first message as the description, the rest as conversations.
 */
function freshdeskTicket(number: string, events: Array<Record<string, unknown>>, traffic: DemoTraffic): void {
  const created = events.find((event) => event.type === 'ticket.created');
  if (!created) return;
  const keys = ([] as string[]).concat(created.customer as string | string[]);
  const email = keys.find((key) => key.startsWith('email:'))?.slice(6);
  const phone = keys.find((key) => key.startsWith('phone:'))?.slice(6);
  const requester = 600_000 + Number(number);
  const conversations: Array<Record<string, unknown>> = [];
  const stats: Record<string, string | null> = {};
  let status = 'open';
  let agent = created.agent as string | undefined;
  let first = true;
  for (const event of events) {
    const at = event.at as string;
    if (event.type === 'message') {
      if (first && event.author === 'customer') {
        first = false;
        continue; // the description
      }
      first = false;
      if (event.author === 'agent') agent = event.agent as string;
      conversations.push({
        id: Number(number) * 100 + conversations.length + 1,
        incoming: event.author !== 'agent',
        private: event.public === false,
        user_id: event.author === 'agent' ? Number(AGENT_IDS[event.agent as string]) : requester,
        created_at: at,
      });
    } else if (event.type === 'ticket.updated' && typeof event.status === 'string') {
      if (event.status === 'open' && (status === 'solved' || status === 'closed')) stats.reopened_at = at;
      if (event.status === 'pending') stats.pending_since = at;
      if (event.status === 'solved') stats.resolved_at = at;
      if (event.status === 'closed') stats.closed_at = at;
      status = event.status;
      stats.status_updated_at = at;
    } else if (event.type !== 'ticket.created') {
      traffic.events.push(JSON.stringify({ ...event, source: 'freshdesk', ticket: `freshdesk:${number}` }));
    }
  }
  const last = events.reduce(
    (latest, event) => ((event.at as string) > latest ? (event.at as string) : latest),
    '',
  );
  const priorities: Record<string, number> = { low: 1, normal: 2, high: 3, urgent: 4 };
  traffic.apis.freshdesk.tickets.set(number, {
    ticket: {
      id: Number(number),
      status: FRESHDESK_STATUS[status] ?? 2,
      priority: priorities[created.priority as string] ?? 2,
      source: created.channel === 'phone' ? 3 : 1,
      requester_id: requester,
      responder_id: agent ? Number(AGENT_IDS[agent]) : null,
      group_id: Number(GROUP_IDS[created.team as string]),
      tags: [],
      created_at: created.at,
      updated_at: last,
      stats: { ...stats, first_responded_at: null },
      requester: { id: requester, email: email ?? null, phone: phone ?? null, mobile: null },
    },
    conversations,
  });
  traffic.freshdesk.push(JSON.stringify({ ticket_id: number, event: 'demo' }));
}

/** A sample call as VoIPstudio's CDR (served by the stand-in API) and its hang-up webhook. */
function voipstudioCall(event: SampleCall, traffic: DemoTraffic): void {
  const call = event.call;
  const id = 90_000_000 + callNumber(event.id);
  const answered = Boolean(call.answered_at && event.agent);
  traffic.apis.voipstudio.push({
    id,
    calldate: local(call.started_at),
    type: answered ? 'I' : 'M',
    src: event.customer.replace(/^phone:\+/, ''),
    dst: '14155550199',
    duration: unix(call.ended_at) - unix(call.started_at),
    billsec: answered ? unix(call.ended_at) - unix(call.answered_at as string) : 0,
    disposition: answered ? 'CONNECTED' : call.outcome === 'abandoned' ? 'CANCEL' : 'NO ANSWER',
    user_id: answered ? Number(AGENT_IDS[event.agent as string]) : null,
  });
  traffic.voipstudio.push(
    JSON.stringify({
      id: `demo.${id}`,
      event_time: local(call.ended_at),
      event_name: answered ? 'call.hangup' : 'call.missed',
      call_id: id,
      state: 'HANGUP',
    }),
  );
}

interface SampleCall {
  id: string;
  customer: string;
  agent?: string;
  team?: string;
  call: { id: string; started_at: string; answered_at?: string; ended_at: string; outcome: string };
}

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const callNumber = (id: string) => Number(id.replace(/\D/g, ''));
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
    const keys = ([] as string[]).concat(event.customer as string | string[]);
    const email = keys.find((key) => key.startsWith('email:'))?.slice(6);
    const phone = keys.find((key) => key.startsWith('phone:'))?.slice(6);
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
