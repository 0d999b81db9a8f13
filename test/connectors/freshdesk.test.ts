import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchConversations, fetchTicket, lookupUser, pushBack } from '../../src/connectors/freshdesk/api.js';
import { freshdeskConnector, offeredSecret } from '../../src/connectors/freshdesk/index.js';
import { status, ticketEvents } from '../../src/connectors/freshdesk/normalize.js';
import { freshdeskTicketSchema, conversationSchema } from '../../src/connectors/freshdesk/payloads.js';
import { freshdeskSettingsSchema } from '../../src/connectors/freshdesk/settings.js';

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/freshdesk/${name}.json`, 'utf8'));
const SECRET = 'fd-webhook-secret-0123456789abcdef';
const settings = freshdeskSettingsSchema.parse({
  domain: 'acme',
  api_key: 'fd-api-key',
  webhook_secret: [SECRET, 'the-previous-secret-during-rotation'],
  push_back: {
    fields: {
      first_response_minutes: 'cf_deskpulse_frt',
      fcr: 'cf_deskpulse_fcr',
      sla_state: 'cf_deskpulse_sla',
    },
  },
});
const io = { fetch, sleep: async () => {} };
const AUTH = `Basic ${Buffer.from('fd-api-key:X').toString('base64')}`;

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const values = {
  first_response_minutes: 40,
  resolution_minutes: 150,
  contacts: 2,
  calls_to_resolution: 0,
  fcr: false,
  sla_state: 'met' as const,
};

describe('Freshdesk webhooks', () => {
  const body = Buffer.from('{"ticket_id":"20","event":"{status:{from:Open,to:Resolved}}"}');

  it('accept the tenant secret in X-Deskpulse-Secret or as the basic-auth password, any listed one', () => {
    const verify = (headers: Record<string, string>) =>
      freshdeskConnector.verify({ body, headers }, settings, 0);
    expect(verify({ 'x-deskpulse-secret': SECRET })).toEqual({ ok: true });
    expect(verify({ 'x-deskpulse-secret': 'the-previous-secret-during-rotation' })).toEqual({ ok: true });
    const basic = (user: string, password: string) =>
      `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    expect(verify({ authorization: basic('deskpulse', SECRET) })).toEqual({ ok: true });
    expect(verify({ 'x-deskpulse-secret': `${SECRET}x` }).ok).toBe(false);
    expect(verify({ authorization: basic(SECRET, 'wrong') }).ok).toBe(false);
    expect(verify({})).toEqual({ ok: false, reason: 'the webhook secret does not match' });
    expect(offeredSecret({ body, headers: { authorization: 'Basic !!!' } })).toBeUndefined();
  });

  it('parse the rule body: the ticket id, as a number or a string; anything else is a 400 reason', () => {
    expect(freshdeskConnector.parse(body)).toEqual({
      ok: true,
      payload: { ticket_id: '20', event: '{status:{from:Open,to:Resolved}}' },
    });
    expect(freshdeskConnector.parse(Buffer.from('{"ticket_id":20}'))).toEqual({
      ok: true,
      payload: { ticket_id: '20' },
    });
    expect(freshdeskConnector.parse(Buffer.from('{"ticket":20}'))).toEqual({
      ok: false,
      reason: 'ticket_id is required',
    });
    expect(freshdeskConnector.parse(Buffer.from('{"ticket_id":"{{ticket.id}}"}')).ok).toBe(false);
  });

  it('settings: a short secret and a field name that is not cf_… are refused with the place', () => {
    const result = freshdeskSettingsSchema.safeParse({
      domain: 'acme',
      api_key: 'k',
      webhook_secret: 'short',
      push_back: { fields: { fcr: 'FCR' } },
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(['webhook_secret', 'push_back.fields.fcr']);
  });
});

describe('Freshdesk tickets as events', () => {
  const ticket = freshdeskTicketSchema.parse(fixture('ticket-20'));
  const conversations = (fixture('conversations-20') as unknown[]).map((item) =>
    conversationSchema.parse(item),
  );

  it('statuses 2 open, 3 pending, 4 resolved, 5 closed; custom statuses wait on someone else', () => {
    expect([2, 3, 4, 5, 6, 12].map(status)).toEqual([
      'open',
      'pending',
      'solved',
      'closed',
      'on_hold',
      'on_hold',
    ]);
  });

  it('a resolved e-mail ticket: creation, description, replies, the note, the follow-up, its resolution', () => {
    const events = ticketEvents(ticket, conversations, { tenant: 'acme', defaultCountry: 'US' });
    const brief = events.map((event) => {
      const e = event as Record<string, unknown>;
      return [e.type, e.at, e.author ?? e.status ?? null, e.public ?? null, e.agent ?? null];
    });
    expect(brief).toEqual([
      ['ticket.created', '2026-03-03T09:00:00Z', null, null, null],
      ['message', '2026-03-03T09:00:00Z', 'customer', true, null],
      ['message', '2026-03-03T09:40:00Z', 'agent', true, 'freshdesk:43002002'],
      ['message', '2026-03-03T09:55:00Z', 'agent', false, 'freshdesk:43002002'],
      ['message', '2026-03-03T10:05:00Z', 'customer', true, null],
      ['message', '2026-03-03T11:25:00Z', 'agent', true, 'freshdesk:43002002'],
      // Every status change carries the current assignee: the resolution is Maria's.
      ['ticket.updated', '2026-03-03T11:30:00Z', 'solved', null, 'freshdesk:43002002'],
      ['ticket.updated', '2026-03-03T11:30:00Z', 'solved', null, 'freshdesk:43002002'],
      ['ticket.updated', '2026-03-03T11:30:00Z', null, null, 'freshdesk:43002002'],
    ]);
    expect(events[0]).toMatchObject({
      id: 'freshdesk:20:created',
      ticket: 'freshdesk:20',
      channel: 'email',
      priority: 'high',
      team: 'freshdesk:43000500',
      tags: ['refund'],
      outbound: false,
      customer: ['email:ana.lopez@example.com', 'phone:+14155550100'],
    });
    // Reading the same ticket again gives the same ids: nothing is counted twice.
    expect(ticketEvents(ticket, conversations, { tenant: 'acme' }).map((event) => event.id)).toEqual(
      events.map((event) => event.id),
    );
  });

  it('an outbound e-mail: the description is the agent’s; a reopened, pending ticket keeps those instants', () => {
    const outbound = freshdeskTicketSchema.parse({
      ...fixture('ticket-20'),
      source: 10,
      status: 3,
      stats: {
        reopened_at: '2026-03-04T08:00:00Z',
        resolved_at: '2026-03-03T11:30:00Z',
        pending_since: '2026-03-04T09:00:00Z',
        status_updated_at: '2026-03-04T09:00:00Z',
      },
    });
    const events = ticketEvents(outbound, [], { tenant: 'acme' }) as Array<Record<string, unknown>>;
    expect(events[0]).toMatchObject({ outbound: true, channel: 'email' });
    expect(events[1]).toMatchObject({ author: 'agent', agent: 'freshdesk:43002002' });
    expect(events.filter((e) => e.status).map((e) => [e.at, e.status])).toEqual([
      ['2026-03-04T08:00:00Z', 'open'],
      ['2026-03-04T09:00:00Z', 'pending'],
      ['2026-03-03T11:30:00Z', 'solved'],
      ['2026-03-04T09:00:00Z', 'pending'],
    ]);
  });
});

describe('Freshdesk: spam and the trash', () => {
  it('a ticket marked as spam or in the trash is closed as of its last update', () => {
    // Opened at 09:00, left open at 10:00, marked as spam (the last update) at 12:00.
    const spam = freshdeskTicketSchema.parse({
      ...fixture('ticket-20'),
      status: 2,
      spam: true,
      updated_at: '2026-03-03T12:00:00Z',
      stats: { status_updated_at: '2026-03-03T10:00:00Z' },
    });
    const statuses = (ticket: typeof spam) =>
      (ticketEvents(ticket, [], { tenant: 'acme' }) as Array<Record<string, unknown>>)
        .filter((e) => e.status)
        .map((e) => [e.at, e.status]);
    expect(statuses(spam)).toEqual([
      ['2026-03-03T10:00:00Z', 'open'],
      ['2026-03-03T12:00:00Z', 'closed'],
    ]);
    // Trashed by the same update that last set its status: only closed, not open at that instant.
    const trashed = freshdeskTicketSchema.parse({
      ...fixture('ticket-20'),
      status: 2,
      deleted: true,
      updated_at: '2026-03-03T12:00:00Z',
      stats: { status_updated_at: '2026-03-03T12:00:00Z' },
    });
    expect(statuses(trashed)).toEqual([['2026-03-03T12:00:00Z', 'closed']]);
    // Back out of the spam folder: its status again.
    expect(statuses(freshdeskTicketSchema.parse({ ...fixture('ticket-20'), spam: false }))).toContainEqual([
      '2026-03-03T11:30:00Z',
      'solved',
    ]);
  });
});

describe('Freshdesk API', () => {
  it('reads a ticket with stats and requester, and every page of its conversations', async () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...fixture('conversations-20')[0], id: 1000 + i }));
    nock('https://acme.freshdesk.com', { reqheaders: { authorization: AUTH } })
      .get('/api/v2/tickets/20')
      .query({ include: 'stats,requester' })
      .reply(200, fixture('ticket-20'))
      .get('/api/v2/tickets/20/conversations')
      .query({ per_page: '100', page: '1' })
      .reply(200, many)
      .get('/api/v2/tickets/20/conversations')
      .query({ per_page: '100', page: '2' })
      .reply(200, fixture('conversations-20'))
      .get('/api/v2/tickets/404')
      .query(true)
      .reply(404, { code: 'not_found' });
    expect((await fetchTicket(settings, '20', io))?.stats?.resolved_at).toBe('2026-03-03T11:30:00Z');
    expect(await fetchConversations(settings, '20', io)).toHaveLength(104);
    expect(await fetchTicket(settings, '404', io)).toBeNull();
  });

  it('waits out a 429 as Retry-After says', async () => {
    const slept: number[] = [];
    nock('https://acme.freshdesk.com')
      .get('/api/v2/tickets/20')
      .query(true)
      .reply(429, {}, { 'retry-after': '7', 'x-ratelimit-remaining': '0', 'x-ratelimit-total': '3000' })
      .get('/api/v2/tickets/20')
      .query(true)
      .reply(200, fixture('ticket-20'));
    const ticket = await fetchTicket(settings, '20', { fetch, sleep: async (ms) => void slept.push(ms) });
    expect(ticket?.id).toBe(20);
    expect(slept).toEqual([7000]);
  });

  it('looks a user up as an agent, else as a contact', async () => {
    nock('https://acme.freshdesk.com')
      .get('/api/v2/agents/43002002')
      .reply(200, fixture('agent-43002002'))
      .get('/api/v2/agents/43001001')
      .reply(404, {})
      .get('/api/v2/contacts/43001001')
      .reply(200, { id: 43001001, email: 'ana.lopez@example.com', phone: '(415) 555-0100', mobile: null });
    expect(await lookupUser(settings, '43002002', fetch)).toEqual({ role: 'agent', email: 'Maria@acme.com' });
    expect(await lookupUser(settings, '43001001', fetch)).toEqual({
      role: 'end-user',
      email: 'ana.lopez@example.com',
      phone: '(415) 555-0100',
    });
  });

  it('writes the metrics into the configured custom fields, ticket by ticket; a failure is reported, not fatal', async () => {
    const bodies: unknown[] = [];
    nock('https://acme.freshdesk.com', { reqheaders: { authorization: AUTH } })
      .put('/api/v2/tickets/20', (body) => {
        bodies.push(body);
        return true;
      })
      .reply(200, {})
      .put('/api/v2/tickets/21')
      .reply(404, {});
    const result = await pushBack(
      settings,
      [
        { id: '20', values },
        { id: '21', values },
      ],
      io,
    );
    expect(result).toEqual({
      updated: ['20'],
      failed: [{ id: '21', error: 'Freshdesk /api/v2/tickets/21: HTTP 404' }],
    });
    expect(bodies).toEqual([
      { custom_fields: { cf_deskpulse_frt: 40, cf_deskpulse_fcr: false, cf_deskpulse_sla: 'met' } },
    ]);
  });

  it('Freshdesk failing (a 5xx) is not the ticket refusing: the push stops, to be retried', async () => {
    nock('https://acme.freshdesk.com').put('/api/v2/tickets/20').reply(503, {});
    await expect(pushBack(settings, [{ id: '20', values }], io)).rejects.toThrow(
      'Freshdesk /api/v2/tickets/20: HTTP 503',
    );
  });
});
