import { readFileSync } from 'node:fs';
import type { Job } from 'bullmq';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { pollSchedulerId, processPoll } from '../../src/jobs/poll.js';
import { tenantPrefix } from '../../src/store/redis.js';
import { api, drained, nockDone, serviceForFile, testConfig } from './harness.js';

const raw = (name: string) => readFileSync(`test/fixtures/liveagent/${name}.json`, 'utf8');
const SECRET = 'la-webhook-secret-0123456789abcdef';
const NOW = Date.parse('2026-03-05T12:00:00Z');
let service: Service;

serviceForFile(
  () => ({
    config: testConfig(
      { default_country: 'US', people: { maria: { email: 'maria@acme.com' } } },
      {
        liveagent: {
          domain: 'acme',
          api_key: 'la-api-key',
          webhook_secret: SECRET,
          poll: { every: '5m' },
          settle_seconds: 1,
          push_back: { fields: { first_response_minutes: 'deskpulse_frt', contacts: 'deskpulse_contacts' } },
        },
      },
    ),
    now: () => NOW,
  }),
  (started) => {
    service = started;
  },
);

const post = (body: string, headers: Record<string, string> = { 'x-deskpulse-secret': SECRET }, query = '') =>
  fetch(`${service.url}/webhooks/liveagent/acme${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

function liveagent() {
  return nock('https://acme.ladesk.com', { reqheaders: { apikey: 'la-api-key' } })
    .get('/api/v3/tickets/k2q8v1mz')
    .reply(200, raw('ticket-k2q8v1mz'))
    .get('/api/v3/tickets/k2q8v1mz/messages')
    .query({ _page: '1', _perPage: '100' })
    .reply(200, raw('messages-k2q8v1mz'))
    .get('/api/v3/tickets/k2q8v1mz/history')
    .reply(200, raw('history-k2q8v1mz'));
}

describe('LiveAgent through the live pipeline', () => {
  it('a rule webhook names the ticket; deskpulse reads it, its e-mails, note, call and chat, and computes it', async () => {
    const pushed: unknown[] = [];
    const scope = liveagent()
      .put('/api/v3/tickets/k2q8v1mz', (body) => pushed.push(body) > 0)
      .reply(200, {})
      .get('/api/v3/agents/a77b1c2d')
      .reply(200, raw('agent-a77b1c2d'))
      .get('/api/v3/agents/c9f3a1b7')
      .reply(404, {})
      .get('/api/v3/contacts/c9f3a1b7')
      .reply(200, raw('contact-c9f3a1b7'));
    expect(
      (await post('{"ticket_id":"k2q8v1mz"}', { 'x-deskpulse-secret': 'nope-0123456789abcdefghij' })).status,
    ).toBe(401);
    expect((await post('{"ticket":"k2q8v1mz"}')).status).toBe(400);
    // A burst (a rule per message, per update) within settle_seconds: one read of the ticket.
    expect((await post('{"ticket_id":"k2q8v1mz"}', {}, `?key=${SECRET}`)).status).toBe(202);
    expect((await post('{"ticket_id":"k2q8v1mz","event":"message"}')).status).toBe(202);
    await drained(service);
    await nockDone(scope);
    expect(scope.pendingMocks()).toEqual([]);
    // One read for the burst (a second would find no reply and fail its job).
    expect(await service.context.queues.ingest.getFailedCount()).toBe(0);
    expect(pushed).toEqual([
      {
        custom_fields: [
          { code: 'deskpulse_frt', value: '40' },
          { code: 'deskpulse_contacts', value: '3' },
        ],
      },
    ]);

    const ticket = await api(service, '/api/v1/tickets/liveagent:k2q8v1mz');
    expect(ticket.status).toBe(200);
    expect(ticket.body).toMatchObject({
      status: 'solved',
      channel: 'email',
      agent: 'maria',
      // The internal note at 09:10 is not a response; the e-mail reply at 09:40 is.
      first_response: { calendar: 2400, agent: 'maria' },
      full_resolution: { calendar: 9000, agent: 'maria' },
    });
    // METRICS.md: the opening e-mail, the inbound call (not an opening call: the ticket was open),
    // and the chat after Maria's reply are three contacts; the call counts towards resolution.
    expect(ticket.body).toMatchObject({
      contacts: 3,
      calls_to_resolution: 1,
      replies: 2,
      fcr: false,
      reopens: 0,
      // The chat: Ana at 10:30:05, Maria at 10:31:00.
      next_response: [{ calendar: 55, agent: 'maria' }],
      team: 'liveagent:d4e5f6a7',
      // From the history: answered (waiting on Ana) from 09:40 until her call at 10:00.
      agent_wait: { calendar: 1200 },
    });
  });

  it('a scheduled pull lists changed tickets from the cursor and adds nothing new for the same ticket', async () => {
    const schedulers = await service.context.queues.notify.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toContainEqual([
      pollSchedulerId('acme', 'liveagent'),
      300_000,
    ]);
    const before = await api(service, '/api/v1/tickets/liveagent:k2q8v1mz');
    const scope = nock('https://acme.ladesk.com')
      .get('/api/v3/tickets')
      .query((query) => query._filters === JSON.stringify([['date_changed', 'D>=', '2026-03-04 12:00:00']]))
      .reply(200, [JSON.parse(raw('ticket-k2q8v1mz'))])
      .get('/api/v3/tickets/k2q8v1mz/messages')
      .query(true)
      .reply(200, raw('messages-k2q8v1mz'))
      .get('/api/v3/tickets/k2q8v1mz/history')
      .reply(200, raw('history-k2q8v1mz'));
    const job = { id: 'poll-test', data: { tenant: 'acme', provider: 'liveagent' } } as unknown as Job;
    expect(await processPoll(job, service.context)).toBe('pulled 1 tickets, 13 events');
    await drained(service);
    expect(scope.isDone()).toBe(true);
    expect(await service.context.redis.get(`${tenantPrefix('acme')}backfill:liveagent`)).toBe(
      '2026-03-05 11:30:00|1',
    );
    expect((await api(service, '/api/v1/tickets/liveagent:k2q8v1mz')).body).toEqual(before.body);
  });
});
