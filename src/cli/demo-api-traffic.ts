/**
 * The sample as the providers whose webhooks only point at their API (Freshdesk, LiveAgent,
 * VoIPstudio) would show it: what their stand-in APIs serve (demo-apis.ts) and the webhooks that
 * name it.
 */
import { AGENT_IDS, callNumber, contactOf, GROUP_IDS, lastAt, type SampleCall, unix } from './demo-ids.js';
import type { DemoTraffic } from './demo-traffic.js';

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
export function liveagentTicket(
  number: string,
  events: Array<Record<string, unknown>>,
  traffic: DemoTraffic,
): void {
  const created = events.find((event) => event.type === 'ticket.created');
  if (!created) return;
  const id = `la${number}`;
  const contact = `c${number}`;
  const { email, phone } = contactOf(created.customer);
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
  const last = lastAt(events);
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
export function freshdeskTicket(
  number: string,
  events: Array<Record<string, unknown>>,
  traffic: DemoTraffic,
): void {
  const created = events.find((event) => event.type === 'ticket.created');
  if (!created) return;
  const { email, phone } = contactOf(created.customer);
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
  const last = lastAt(events);
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
export function voipstudioCall(event: SampleCall, traffic: DemoTraffic): void {
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
