import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aircallConnector } from '../../src/connectors/aircall/index.js';
import { intercomConnector } from '../../src/connectors/intercom/index.js';
import type { DirectoryUser, NormalizeContext } from '../../src/connectors/types.js';

const fixture = (provider: string, name: string) =>
  Buffer.from(readFileSync(`test/fixtures/${provider}/${name}.json`));

/** A user directory held in memory: what payloads taught it, plus known contacts. */
function context(
  known: Record<string, DirectoryUser> = {},
): NormalizeContext & { learnt: Map<string, DirectoryUser> } {
  const learnt = new Map<string, DirectoryUser>(Object.entries(known));
  return {
    tenant: 'acme',
    defaultCountry: 'US',
    learnt,
    users: {
      user: async (id) => learnt.get(id) ?? null,
      remember: async (id, user) => {
        learnt.set(id, user);
      },
    },
  };
}

async function normalize(
  connector: typeof aircallConnector | typeof intercomConnector,
  body: Buffer,
  ctx = context(),
) {
  const parsed = connector.parse(body);
  if (!parsed.ok) throw new Error(parsed.reason);
  // biome-ignore lint: the union of payload types is what the connector itself produced
  return connector.normalize(parsed.payload as never, ctx, {} as never);
}

describe('Intercom conversation.deleted', () => {
  it('a deleted conversation is closed at the notification instant; its item names only the id', async () => {
    expect(await normalize(intercomConnector, fixture('intercom', 'conversation-deleted'))).toEqual([
      {
        id: 'intercom:147:deleted',
        type: 'ticket.updated',
        at: '2026-03-10T10:12:01.000Z',
        source: 'intercom',
        tenant: 'acme',
        ticket: 'intercom:147',
        status: 'closed',
      },
    ]);
    const parsed = intercomConnector.parse(
      Buffer.from(
        JSON.stringify({ type: 'notification_event', topic: 'conversation.deleted', data: { item: {} } }),
      ),
    );
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringContaining('data.item.id') });
  });
});

describe('Aircall call.ended', () => {
  it('an answered call: times, agent, team, customer in E.164 and the contact e-mail', async () => {
    const ctx = context();
    const [event] = await normalize(aircallConnector, fixture('aircall', 'call-ended-answered'), ctx);
    expect(event).toEqual({
      id: 'aircall:call:76259012',
      type: 'call',
      at: '2026-03-10T08:50:00.000Z',
      source: 'aircall',
      tenant: 'acme',
      channel: 'phone',
      customer: ['phone:+14155550100', 'email:ana@example.com'],
      agent: 'aircall:216119',
      team: 'aircall:3301',
      call: {
        id: 'aircall:76259012',
        direction: 'inbound',
        started_at: '2026-03-10T08:50:00.000Z',
        answered_at: '2026-03-10T08:50:40.000Z',
        ended_at: '2026-03-10T08:56:40.000Z',
        hold_seconds: 0,
        outcome: 'answered',
      },
    });
    expect(ctx.learnt.get('216119')).toEqual({ role: 'agent', email: 'Maria@acme.test' });
  });

  it('outcomes from missed reasons and voicemail; no agent for an unanswered call; the number as team', async () => {
    const [abandoned] = await normalize(aircallConnector, fixture('aircall', 'call-ended-abandoned'));
    expect(abandoned).toMatchObject({
      team: 'aircall-number:58108',
      customer: ['phone:+14155550100', 'email:ana@example.com'],
    });
    expect(abandoned).not.toHaveProperty('agent');
    expect((abandoned as { call: { outcome: string } }).call.outcome).toBe('abandoned');
    const [voicemail] = await normalize(aircallConnector, fixture('aircall', 'call-ended-voicemail'));
    expect((voicemail as { call: unknown }).call).toMatchObject({ outcome: 'voicemail' });
    expect(voicemail).toMatchObject({
      customer: ['phone-raw:aircall:76259014:anonymous', 'email:ana@example.com'],
    });
  });

  it('other topics are acknowledged and ignored; a missing field is named', () => {
    expect(aircallConnector.parse(fixture('aircall', 'call-created'))).toMatchObject({
      ok: true,
      ignored: 'call.created',
    });
    const broken = JSON.parse(fixture('aircall', 'call-ended-answered').toString());
    delete broken.data.started_at;
    expect(aircallConnector.parse(Buffer.from(JSON.stringify(broken)))).toEqual({
      ok: false,
      reason: 'data.started_at is required',
    });
  });
});

describe('Intercom conversations', () => {
  it('the whole conversation: ticket, opening message, bot, assignment, private note, reply, close, rating', async () => {
    const ctx = context({
      'contact:6762f0dd1bb69f9f2193bb83': {
        role: 'end-user',
        email: 'ana@example.com',
        phone: '+1 (415) 555-0100',
      },
    });
    const body = Buffer.from(
      JSON.stringify({
        type: 'notification_event',
        topic: 'conversation.admin.closed',
        data: { item: JSON.parse(fixture('intercom', 'conversation-147').toString()) },
      }),
    );
    const events = await normalize(intercomConnector, body, ctx);
    const brief = events.map((e) => {
      const { id, type, at, ...rest } = e as unknown as Record<string, unknown>;
      delete rest.source;
      delete rest.tenant;
      delete rest.ticket;
      delete rest.channel;
      return { id, type, at, ...rest };
    });
    expect(brief).toEqual([
      {
        id: 'intercom:147:created',
        type: 'ticket.created',
        at: '2026-03-10T09:00:00.000Z',
        customer: ['email:ana@example.com', 'phone:+14155550100'],
      },
      {
        id: 'intercom:147:source',
        type: 'message',
        at: '2026-03-10T09:00:00.000Z',
        author: 'customer',
        public: true,
      },
      {
        id: 'intercom:part:1001',
        type: 'message',
        at: '2026-03-10T09:00:05.000Z',
        author: 'bot',
        public: true,
      },
      {
        id: 'intercom:part:1002:change',
        type: 'ticket.updated',
        at: '2026-03-10T09:03:00.000Z',
        agent: 'intercom:991267',
      },
      {
        id: 'intercom:part:1003',
        type: 'message',
        at: '2026-03-10T09:04:00.000Z',
        author: 'agent',
        public: false,
        agent: 'intercom:991267',
      },
      {
        id: 'intercom:part:1004',
        type: 'message',
        at: '2026-03-10T09:10:00.000Z',
        author: 'agent',
        public: true,
        agent: 'intercom:991267',
      },
      {
        id: 'intercom:part:1005:change',
        type: 'ticket.updated',
        at: '2026-03-10T09:12:00.000Z',
        status: 'solved',
      },
      {
        id: 'intercom:147:rating',
        type: 'survey',
        at: '2026-03-10T09:20:00.000Z',
        kind: 'csat',
        score: 4,
        scale_max: 5,
        agent: 'intercom:991267',
      },
    ]);
    expect(ctx.learnt.get('admin:991267')).toEqual({ role: 'agent', email: 'maria@acme.test' });
  });

  it('snoozes are pending, opens reopen, teams and unassignment', async () => {
    const item = JSON.parse(fixture('intercom', 'conversation-147').toString());
    const at = item.created_at + 600;
    item.conversation_parts.conversation_parts = [
      { id: '2001', part_type: 'snoozed', created_at: at, author: { type: 'admin', id: '991267' } },
      { id: '2002', part_type: 'open', created_at: at + 60, author: { type: 'user', id: 'u' } },
      {
        id: '2003',
        part_type: 'assignment',
        created_at: at + 120,
        author: { type: 'admin', id: '1' },
        assigned_to: { type: 'team', id: '5017691' },
      },
      {
        id: '2004',
        part_type: 'assignment',
        created_at: at + 180,
        author: { type: 'admin', id: '1' },
        assigned_to: { type: 'nobody_admin', id: null },
      },
    ];
    item.conversation_rating = null;
    const body = Buffer.from(
      JSON.stringify({ type: 'notification_event', topic: 'conversation.admin.snoozed', data: { item } }),
    );
    const changes = (await normalize(intercomConnector, body)).filter((e) => e.type === 'ticket.updated');
    expect(
      changes.map((e) => ({
        ...e,
        at: undefined,
        id: undefined,
        source: undefined,
        tenant: undefined,
        ticket: undefined,
      })),
    ).toEqual([
      expect.objectContaining({ status: 'pending' }),
      expect.objectContaining({ status: 'open' }),
      expect.objectContaining({ team: 'intercom:5017691' }),
      expect.objectContaining({ agent: null }),
    ]);
  });

  it("a customer's reply to a closed conversation (an `open` part with its words) is a message and a reopen", async () => {
    // Intercom reopens a closed conversation when its customer writes; the part that says so is
    // of type `open`, authored by the user, with the reply as its body.
    const item = JSON.parse(fixture('intercom', 'conversation-147').toString());
    const at = item.created_at + 600;
    item.conversation_parts.conversation_parts = [
      { id: '3001', part_type: 'close', created_at: at, author: { type: 'admin', id: '991267' } },
      {
        id: '3002',
        part_type: 'open',
        body: '<p>Still broken</p>',
        created_at: at + 60,
        author: { type: 'user', id: 'u' },
      },
    ];
    item.conversation_rating = null;
    const body = Buffer.from(
      JSON.stringify({ type: 'notification_event', topic: 'conversation.user.replied', data: { item } }),
    );
    const events = (await normalize(intercomConnector, body)).filter((e) =>
      e.id.startsWith('intercom:part:3002'),
    );
    const when = new Date((at + 60) * 1000).toISOString();
    expect(events).toEqual([
      expect.objectContaining({ type: 'message', at: when, author: 'customer', public: true }),
      expect.objectContaining({ type: 'ticket.updated', at: when, status: 'open' }),
    ]);
  });

  it('other topics are acknowledged and ignored; a conversation without an id is named', () => {
    expect(intercomConnector.parse(fixture('intercom', 'contact-user-created'))).toMatchObject({
      ok: true,
      ignored: 'contact.user.created',
    });
    const broken = JSON.parse(fixture('intercom', 'conversation-user-created').toString());
    delete broken.data.item.id;
    expect(intercomConnector.parse(Buffer.from(JSON.stringify(broken)))).toEqual({
      ok: false,
      reason: 'data.item.id is required',
    });
  });
});
