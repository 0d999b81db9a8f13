import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchHistory, lookupUser, pushBack } from '../../src/connectors/liveagent/api.js';
import { liveagentHistory } from '../../src/connectors/liveagent/history.js';
import { liveagentConnector } from '../../src/connectors/liveagent/index.js';
import { ticketEvents } from '../../src/connectors/liveagent/normalize.js';
import {
  historySchema,
  liveagentTicketSchema,
  messageGroupSchema,
} from '../../src/connectors/liveagent/payloads.js';
import { liveagentSettingsSchema } from '../../src/connectors/liveagent/settings.js';
import type { DirectoryUser, HistoryPage, NormalizeContext } from '../../src/connectors/types.js';

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/liveagent/${name}.json`, 'utf8'));
const SECRET = 'la-webhook-secret-0123456789abcdef';
const settings = liveagentSettingsSchema.parse({
  domain: 'acme',
  api_key: 'la-api-key',
  webhook_secret: [SECRET, 'the-previous-secret-during-rotation'],
});
const USERS: Record<string, DirectoryUser> = {
  a77b1c2d: { role: 'agent', email: 'maria@acme.com' },
  c9f3a1b7: { role: 'end-user', email: 'ana@example.com', phone: '+14155550100' },
};
const context: NormalizeContext = {
  tenant: 'acme',
  defaultCountry: 'US',
  users: { user: async (id) => USERS[id] ?? null, remember: async () => {} },
};
const ticket = liveagentTicketSchema.parse(fixture('ticket-k2q8v1mz'));
const groups = (fixture('messages-k2q8v1mz') as unknown[]).map((raw) => messageGroupSchema.parse(raw));

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('LiveAgent webhooks', () => {
  const body = Buffer.from('{"ticket_id":"k2q8v1mz"}');
  it('accept the secret in X-Deskpulse-Secret, basic auth or ?key=; refuse anything else', () => {
    const verify = (headers: Record<string, string>, url?: string, s = settings) =>
      liveagentConnector.verify({ body, headers, url }, s, 0);
    expect(verify({ 'x-deskpulse-secret': SECRET })).toEqual({ ok: true });
    expect(verify({ authorization: `Basic ${Buffer.from(`x:${SECRET}`).toString('base64')}` })).toEqual({
      ok: true,
    });
    expect(verify({}, `/webhooks/liveagent/acme?key=the-previous-secret-during-rotation`)).toEqual({
      ok: true,
    });
    expect(verify({}, `/webhooks/liveagent/acme?key=${SECRET}x`)).toEqual({
      ok: false,
      reason: 'the webhook secret does not match',
    });
    expect(verify({})).toMatchObject({ ok: false });
    const without = liveagentSettingsSchema.parse({ domain: 'acme', api_key: 'k' });
    expect(verify({ 'x-deskpulse-secret': SECRET }, undefined, without)).toEqual({
      ok: false,
      reason: 'no webhook_secret is configured for liveagent',
    });
  });

  it('parse the rule body: the ticket id; anything else is a 400 reason', () => {
    expect(liveagentConnector.parse(body)).toEqual({ ok: true, payload: { ticket_id: 'k2q8v1mz' } });
    expect(liveagentConnector.parse(Buffer.from('{"id":"k2q8v1mz"}'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('ticket_id'),
    });
  });

  it('settings: subdomain only, message group letters map to known kinds', () => {
    expect(liveagentSettingsSchema.safeParse({ domain: 'evil.com/x', api_key: 'k' }).success).toBe(false);
    expect(
      liveagentSettingsSchema.safeParse({ domain: 'acme', api_key: 'k', message_group_types: { E: 'email' } })
        .success,
    ).toBe(true);
    expect(
      liveagentSettingsSchema.safeParse({ domain: 'acme', api_key: 'k', message_group_types: { E: 'mail' } })
        .success,
    ).toBe(false);
  });
});

describe('LiveAgent tickets as events', () => {
  it('without a history: e-mail, note, call, chat and system groups each as what it is, the current state', async () => {
    const events = await ticketEvents(ticket, groups, null, context, settings);
    const summary = events.map((event) => {
      if (event.type === 'message')
        return [event.type, event.at, event.author, event.public, event.channel ?? null];
      if (event.type === 'call')
        return [event.type, event.at, event.call.answered_at, event.call.ended_at, event.call.direction];
      if (event.type === 'ticket.updated') return [event.type, event.at, event.status ?? null];
      return [event.type, event.at];
    });
    expect(summary).toEqual([
      ['ticket.created', '2026-03-05T09:00:00Z'],
      ['message', '2026-03-05T09:00:00Z', 'customer', true, 'email'],
      ['message', '2026-03-05T09:10:00Z', 'agent', false, null],
      ['message', '2026-03-05T09:40:00Z', 'agent', true, 'email'],
      ['call', '2026-03-05T10:00:00Z', '2026-03-05T10:00:40Z', '2026-03-05T10:06:40Z', 'inbound'],
      ['message', '2026-03-05T10:30:05Z', 'customer', true, 'chat'],
      ['message', '2026-03-05T10:31:00Z', 'agent', true, 'chat'],
      // The transfer (T) and resolve (R) groups make no messages.
      // Status, assignee, department and tags at the last change (the resolution).
      ['ticket.updated', '2026-03-05T11:30:00Z', 'solved'],
    ]);
    expect(events[0]).toMatchObject({
      ticket: 'liveagent:k2q8v1mz',
      channel: 'email',
      customer: ['email:ana@example.com', 'phone:+14155550100'],
      team: 'liveagent:d4e5f6a7',
      tags: ['billing'],
      outbound: false,
    });
    expect(events.find((event) => event.type === 'call')).toMatchObject({
      ticket: 'liveagent:k2q8v1mz',
      agent: 'liveagent:a77b1c2d',
      call: { outcome: 'answered', hold_seconds: 0 },
    });
    // Reading the same ticket again gives the same event ids (they deduplicate).
    expect((await ticketEvents(ticket, groups, null, context, settings)).map((e) => e.id)).toEqual(
      events.map((e) => e.id),
    );
  });

  it('with its history: each status, assignee and department change at its instant', async () => {
    const history = (fixture('history-k2q8v1mz') as unknown[]).map((raw) => historySchema.parse(raw));
    const events = await ticketEvents(ticket, groups, history, context, settings);
    const updates = events
      .filter((event) => event.type === 'ticket.updated')
      .map((event) => [event.at, event.status ?? null, event.agent ?? null, event.team ?? null]);
    expect(updates).toEqual([
      ['2026-03-05T09:00:00Z', 'new', null, 'liveagent:d4e5f6a7'],
      ['2026-03-05T09:05:00Z', 'open', 'liveagent:a77b1c2d', 'liveagent:d4e5f6a7'],
      ['2026-03-05T09:40:00Z', 'pending', 'liveagent:a77b1c2d', 'liveagent:d4e5f6a7'],
      ['2026-03-05T10:00:00Z', 'open', 'liveagent:a77b1c2d', 'liveagent:d4e5f6a7'],
      ['2026-03-05T11:30:00Z', 'solved', 'liveagent:a77b1c2d', 'liveagent:d4e5f6a7'],
      // The tags as of the last change.
      ['2026-03-05T11:30:00Z', null, null, null],
    ]);
  });

  it('an account time zone; a tenant mapping for other group letters; an agent-opened ticket is outbound', async () => {
    const eastern = liveagentSettingsSchema.parse({
      domain: 'acme',
      api_key: 'k',
      time_zone: 'America/New_York',
    });
    expect((await ticketEvents(ticket, [], null, context, eastern))[0]!.at).toBe('2026-03-05T14:00:00Z');
    const outgoing = [{ ...groups[2]!, type: 'E', datecreated: '2026-03-05 08:59:00' }];
    const mapped = liveagentSettingsSchema.parse({
      domain: 'acme',
      api_key: 'k',
      message_group_types: { E: 'email' },
    });
    const events = await ticketEvents(ticket, outgoing, null, context, mapped);
    expect(events[0]).toMatchObject({ outbound: true });
    expect(await ticketEvents(ticket, outgoing, null, context, settings)).toHaveLength(2); // E unknown: no message
  });

  it('resolved, then closed later: the resolution carries the assignee; the last change the closed status', async () => {
    const closed = { ...ticket, status: 'L', date_changed: '2026-03-06 09:00:00' };
    const updates = (await ticketEvents(closed, [], null, context, settings)).filter(
      (e) => e.type === 'ticket.updated',
    );
    expect(updates).toEqual([
      expect.objectContaining({ at: '2026-03-05T11:30:00Z', status: 'solved', agent: 'liveagent:a77b1c2d' }),
      expect.objectContaining({ at: '2026-03-06T09:00:00Z', status: 'closed', team: 'liveagent:d4e5f6a7' }),
    ]);
  });

  it('an unanswered inbound call group is missed, with no agent', async () => {
    const missed = [{ ...groups[3]!, messages: [groups[3]!.messages![0]!] }];
    const call = (await ticketEvents(ticket, missed, null, context, settings)).find(
      (event) => event.type === 'call',
    );
    expect(call).toMatchObject({ call: { outcome: 'missed', direction: 'inbound' } });
    expect(call).not.toHaveProperty('agent');
  });
});

describe('LiveAgent API reads', () => {
  it('users: an agent from /agents, else a contact from /contacts, with the API key', async () => {
    nock('https://acme.ladesk.com', { reqheaders: { apikey: 'la-api-key' } })
      .get('/api/v3/agents/a77b1c2d')
      .reply(200, fixture('agent-a77b1c2d'))
      .get('/api/v3/agents/c9f3a1b7')
      .reply(404, { message: 'Agent does not exist' })
      .get('/api/v3/contacts/c9f3a1b7')
      .reply(200, fixture('contact-c9f3a1b7'));
    expect(await lookupUser(settings, 'a77b1c2d', fetch)).toEqual({ role: 'agent', email: 'Maria@acme.com' });
    expect(await lookupUser(settings, 'c9f3a1b7', fetch)).toEqual({
      role: 'end-user',
      email: 'ana@example.com',
      phone: '+14155550100',
    });
  });

  it('history: oldest first; a key that may not read it gives none (the current state stands in)', async () => {
    const io = { fetch, sleep: async () => {} };
    nock('https://acme.ladesk.com')
      .get('/api/v3/tickets/k2q8v1mz/history')
      .reply(200, [...(fixture('history-k2q8v1mz') as unknown[])].reverse())
      .get('/api/v3/tickets/other/history')
      .reply(403, { message: 'Forbidden' })
      .get('/api/v3/tickets/broken/history')
      .reply(500, { message: 'oops' });
    expect((await fetchHistory(settings, 'k2q8v1mz', io))?.map((row) => row.status)).toEqual([
      'N',
      'C',
      'A',
      'C',
      'R',
    ]);
    expect(await fetchHistory(settings, 'other', io)).toBeNull();
    await expect(fetchHistory(settings, 'broken', io)).rejects.toThrow(/500/);
  });

  it('push-back: the configured ticket fields by code, ticket by ticket; a failure is reported, not fatal', async () => {
    const withFields = liveagentSettingsSchema.parse({
      domain: 'acme',
      api_key: 'la-api-key',
      push_back: {
        fields: { first_response_minutes: 'deskpulse_frt', fcr: 'deskpulse_fcr', sla_state: 'deskpulse_sla' },
      },
    });
    const bodies: unknown[] = [];
    nock('https://acme.ladesk.com', { reqheaders: { apikey: 'la-api-key' } })
      .put('/api/v3/tickets/k2q8v1mz', (body) => bodies.push(body) > 0)
      .reply(200, {})
      .put('/api/v3/tickets/gone')
      .reply(404, { message: 'Ticket does not exist' });
    const values = {
      first_response_minutes: 40,
      resolution_minutes: 150,
      contacts: 3,
      calls_to_resolution: 1,
      fcr: false,
      sla_state: 'met' as const,
    };
    const result = await pushBack(
      withFields,
      [
        { id: 'k2q8v1mz', values },
        { id: 'gone', values: { ...values, first_response_minutes: null } },
      ],
      { fetch, sleep: async () => {} },
    );
    expect(result.updated).toEqual(['k2q8v1mz']);
    expect(result.failed).toEqual([{ id: 'gone', error: expect.stringContaining('404') }]);
    expect(bodies).toEqual([
      {
        custom_fields: [
          { code: 'deskpulse_frt', value: '40' },
          { code: 'deskpulse_fcr', value: 'false' },
          { code: 'deskpulse_sla', value: 'met' },
        ],
      },
    ]);
  });

  it('backfill: tickets changed since a start, oldest change first, with their messages; cursor at the newest change', async () => {
    const filters = JSON.stringify([['date_changed', 'D>=', '2026-03-05 00:00:00']]);
    nock('https://acme.ladesk.com')
      .get('/api/v3/tickets')
      .query({ _filters: filters, _sortField: 'date_changed', _sortDir: 'ASC', _page: '1', _perPage: '100' })
      .reply(429, {}, { 'retry-after': '0' })
      .get('/api/v3/tickets')
      .query(true)
      .reply(200, [fixture('ticket-k2q8v1mz'), { id: 'broken' }])
      .get('/api/v3/tickets/k2q8v1mz/messages')
      .query({ _page: '1', _perPage: '100' })
      .reply(200, fixture('messages-k2q8v1mz'))
      .get('/api/v3/tickets/k2q8v1mz/history')
      .reply(200, fixture('history-k2q8v1mz'));
    const pages: HistoryPage[] = [];
    for await (const page of liveagentHistory.pages(
      settings,
      { since: new Date('2026-03-05T00:00:00Z'), cursor: null },
      { ...context, fetch, sleep: async () => {}, now: () => Date.now() },
    ))
      pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ items: 2, done: true, cursor: '2026-03-05 11:30:00|1' });
    expect(pages[0]!.events).toHaveLength(13);
  });
});
