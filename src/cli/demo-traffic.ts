import { randomUUID } from 'node:crypto';
import type { NormalizedEventInput } from '../model/events.js';
import { SAMPLE_TEAMS } from './sample-data.js';

/**
 * Turns the sample data set into what real systems send: Zendesk's event-subscription webhooks
 * for e-mail and web tickets, and normalised events for chat, calls and surveys.
 */
export const AGENT_IDS: Record<string, string> = Object.fromEntries(
  Object.values(SAMPLE_TEAMS)
    .flat()
    .map((agent, index) => [agent, String(1001 + index)]),
);
export const GROUP_IDS: Record<string, string> = Object.fromEntries(
  Object.keys(SAMPLE_TEAMS).map((team, index) => [team, String(201 + index)]),
);

export interface DemoTraffic {
  zendesk: string[];
  events: string[];
  /** Zendesk users the demo's user cache is seeded with (the demo has no Zendesk API to ask). */
  users: Map<string, { role: 'agent' | 'end-user'; email?: string; phone?: string }>;
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
  const traffic: DemoTraffic = { zendesk: [], events: [], users: new Map() };
  for (const [agent, id] of Object.entries(AGENT_IDS))
    traffic.users.set(id, { role: 'agent', email: `${agent}@support.example` });
  const requesters = new Map<string, string>();
  for (const input of events) {
    const event = input as Record<string, unknown> & {
      type: string;
      source: string;
      ticket?: string;
      at: string;
    };
    const number = event.ticket?.split(':')[1];
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
      traffic.users.set(requester, {
        role: 'end-user',
        ...(email ? { email } : {}),
        ...(phone ? { phone } : {}),
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
  return traffic;
}
