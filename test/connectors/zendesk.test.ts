import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Audit, normalizeHistory } from '../../src/connectors/zendesk/history.js';
import { zendeskConnector } from '../../src/connectors/zendesk/index.js';
import { zendeskSettingsSchema } from '../../src/connectors/zendesk/settings.js';
import type { DirectoryUser, NormalizeContext } from '../../src/connectors/types.js';
import { run, ticketOf } from '../helpers.js';

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/zendesk/${name}.json`, 'utf8'));
const AGENT = '8447388090495';
const END_USER = '8447388090494';
/** The directory the Users API would answer (user-agent.json, user-end-user.json). */
const users: Record<string, DirectoryUser> = {
  [AGENT]: fixture('user-agent').user,
  [END_USER]: fixture('user-end-user').user,
};
const settings = zendeskSettingsSchema.parse({
  subdomain: 'acme',
  email: 'api@acme.test',
  api_token: 'zd-token',
  signing_secret: 'zd-signing-secret',
});
const context: NormalizeContext = {
  tenant: 'default',
  users: { user: async (id) => users[id] ?? null, remember: async () => {} },
};

/** A delivery's body as the webhook endpoint hands it on: parsed, then normalised. */
async function heard(payload: unknown) {
  const parsed = zendeskConnector.parse(Buffer.from(JSON.stringify(payload)));
  if (!parsed.ok) throw new Error(parsed.reason);
  return zendeskConnector.normalize(parsed.payload, context, settings);
}

/** A documented comment_added delivery, its comment made at `time` by an agent or not. */
async function commentAdded(time: string, staff: boolean) {
  const payload = fixture('comment-added');
  payload.time = time;
  payload.event.comment.author = staff
    ? { id: AGENT, is_staff: true, name: 'Support Agent' }
    : { id: END_USER, is_staff: false, name: 'Customer' };
  return heard(payload);
}

describe('Zendesk: the comment a ticket is created with', () => {
  // The fixture's ticket was created at 14:00:00Z.
  it('by an agent (the description of a ticket an agent opened) is no reply; later ones are', async () => {
    // Kept as a `system` message (no metric counts one), so that its id stays taken.
    expect(await commentAdded('2026-03-03T14:00:00.412000000Z', true)).toMatchObject([
      { type: 'message', author: 'system', agent: `zendesk:${AGENT}` },
    ]);
    const later = await commentAdded('2026-03-03T14:25:00.123456789Z', true);
    expect(later).toMatchObject([{ type: 'message', author: 'agent', agent: `zendesk:${AGENT}` }]);
  });

  it("by the requester it is the customer's opening message", async () => {
    const opening = await commentAdded('2026-03-03T14:00:00Z', false);
    expect(opening).toMatchObject([{ type: 'message', author: 'customer', public: true }]);
  });

  it('in trigger snapshots: the description stays no reply when a later snapshot still shows it', async () => {
    // The README's trigger template gives no comment time: a snapshot dates its latest comment
    // at its own update.
    const snapshot = (updatedAt: string, comment: string) => ({
      deskpulse: 'zendesk-trigger/1',
      ticket: {
        id: '7010',
        created_at: '2026-03-05T10:00:00Z',
        updated_at: updatedAt,
        status: 'Open',
        via: 'Voice',
        requester_email: 'caller@example.com',
        latest_comment: { id: comment, author_id: AGENT, is_public: 'true' },
      },
    });
    const events = [];
    for (const body of [
      snapshot('2026-03-05T10:00:00Z', '501'), // created by the agent: 501 is the description
      snapshot('2026-03-05T10:10:00Z', '501'), // the priority changed: still the latest comment
      snapshot('2026-03-05T10:30:00Z', '502'), // the agent's first reply
    ]) {
      events.push(...(await heard(body)));
    }
    const messages = events.filter((event) => event.type === 'message');
    expect(messages.map((event) => [event.id, event.author])).toEqual([
      ['zendesk:comment:501', 'system'],
      ['zendesk:comment:501', 'agent'],
      ['zendesk:comment:502', 'agent'],
    ]);
    // The second copy of 501 is a duplicate: the first received wins, and the reply is 502's.
    const metrics = ticketOf(run(events), 'zendesk:7010');
    expect(metrics.first_response).toMatchObject({ calendar: 1800 });
    expect(metrics.replies).toBe(1);
  });

  it('in the audits: a ticket an agent opened has its first response at the next public comment', async () => {
    const audits = fixture('audits-7003').audits as Audit[];
    const ticket = {
      id: 7003,
      created_at: '2026-03-05T10:00:00Z',
      status: 'solved',
      via: { channel: 'voice' },
    };
    const events = await normalizeHistory(ticket, audits, context);
    const messages = events.filter((event) => event.type === 'message');
    expect(messages.map((event) => [event.at, event.author])).toEqual([
      ['2026-03-05T10:00:00Z', 'system'],
      ['2026-03-05T10:40:00Z', 'agent'],
    ]);
    const metrics = ticketOf(run(events), 'zendesk:7003');
    // Zendesk: "An agent creates a ticket. Timing starts when the ticket is created and ends at
    // the agent's next public comment." Before, the description counted as a reply of 0 s.
    expect(metrics.first_response).toMatchObject({ calendar: 2400, agent: `zendesk:${AGENT}` });
    expect(metrics).toMatchObject({
      replies: 1,
      touches: 'one_touch',
      contacts: 1,
      fcr: true,
      channel: 'phone',
    });
  });
});

describe('Zendesk: deleted and spam tickets', () => {
  it('a ticket deleted or marked as spam is closed; undeleted, it has its status back', async () => {
    const deleted = await heard(fixture('ticket-soft-deleted'));
    expect(deleted).toEqual([
      expect.objectContaining({
        type: 'ticket.updated',
        ticket: 'zendesk:5158',
        status: 'closed',
        at: '2026-03-03T16:30:00.123456789Z',
      }),
    ]);
    for (const type of ['ticket.marked_as_spam', 'ticket.permanently_deleted']) {
      const payload = { ...fixture('ticket-soft-deleted'), type: `zen:event-type:${type}` };
      expect(await heard(payload)).toMatchObject([{ type: 'ticket.updated', status: 'closed' }]);
    }
    expect(await heard(fixture('ticket-undeleted'))).toMatchObject([
      { type: 'ticket.updated', ticket: 'zendesk:5158', status: 'open' },
    ]);
  });
});

describe('Zendesk: one real-world event, one id, however it was heard', () => {
  it('a comment and a creation from the webhooks carry the ids the backfill gives them', async () => {
    // Ticket 7001 of the backfill fixtures: created at 14:00, its agent’s reply (comment 92001)
    // at 14:20. The same reply and creation delivered by event subscriptions:
    const audits = fixture('audits-7001').audits as Audit[];
    const exported = fixture('export-page-1').tickets[0];
    const history = await normalizeHistory(exported, audits, context);
    const reply = audits[1]!.events.find((event) => event.type === 'Comment')!;

    const comment = fixture('comment-added');
    comment.detail.id = '7001';
    comment.detail.created_at = '2026-03-03T14:00:00Z';
    comment.time = '2026-03-03T14:20:00.271000000Z';
    comment.event.comment.id = String(reply.id);
    const created = fixture('ticket-created');
    created.detail.id = '7001';
    const [message] = await heard(comment);
    const [opening] = await heard(created);
    const ids = new Set(history.map((event) => event.id));
    expect(message).toMatchObject({ type: 'message', author: 'agent' });
    expect(ids.has(message!.id)).toBe(true);
    expect(opening).toMatchObject({ type: 'ticket.created' });
    expect(ids.has(opening!.id)).toBe(true);

    // Heard both ways, the reply is one reply.
    const both = ticketOf(run([...history, message!, opening!]), 'zendesk:7001');
    expect(both).toMatchObject({ replies: 1, touches: 'one_touch' });
  });
});
