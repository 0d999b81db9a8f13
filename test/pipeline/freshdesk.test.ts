import { readFileSync } from 'node:fs';
import type { Job } from 'bullmq';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { pollSchedulerId, processPoll } from '../../src/jobs/poll.js';
import { tenantPrefix } from '../../src/store/redis.js';
import { api, drained, nockDone, serviceForFile, testConfig } from './harness.js';

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/freshdesk/${name}.json`, 'utf8'));
const SECRET = 'fd-webhook-secret-0123456789abcdef';
const NOW = Date.parse('2026-03-05T12:00:00Z');
let service: Service;

serviceForFile(
  () => ({
    config: testConfig(
      { default_country: 'US', people: { maria: { email: 'maria@acme.com' } } },
      {
        freshdesk: {
          domain: 'acme',
          api_key: 'fd-api-key',
          webhook_secret: SECRET,
          poll: { every: '5m' },
          settle_seconds: 1,
          push_back: {
            fields: { first_response_minutes: 'cf_deskpulse_frt', contacts: 'cf_deskpulse_contacts' },
          },
        },
      },
    ),
    now: () => NOW,
  }),
  (started) => {
    service = started;
  },
);

const post = (body: string, headers: Record<string, string> = { 'x-deskpulse-secret': SECRET }) =>
  fetch(`${service.url}/webhooks/freshdesk/acme`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('Freshdesk through the live pipeline', () => {
  it('an automation webhook names the ticket; deskpulse reads it from the API, computes it, writes the fields back', async () => {
    const pushed: unknown[] = [];
    const freshdesk = nock('https://acme.freshdesk.com')
      .get('/api/v2/tickets/20')
      .query({ include: 'stats,requester' })
      .reply(200, fixture('ticket-20'))
      .get('/api/v2/tickets/20/conversations')
      .query({ per_page: '100', page: '1' })
      .reply(200, fixture('conversations-20'))
      .get('/api/v2/agents/43002002')
      .reply(200, fixture('agent-43002002'))
      .put('/api/v2/tickets/20', (body) => {
        pushed.push(body);
        return true;
      })
      .reply(200, {});

    expect(
      (await post('{"ticket_id":"20"}', { 'x-deskpulse-secret': 'wrong-secret-0123456789abcdef' })).status,
    ).toBe(401);
    expect((await post('{"ticket":"20"}')).status).toBe(400);
    const accepted = await post('{"ticket_id":"20","event":"{status:{from:Open,to:Resolved}}"}');
    expect(accepted.status).toBe(202);
    await drained(service);
    await nockDone(freshdesk);
    expect(freshdesk.pendingMocks()).toEqual([]);

    const ticket = await api(service, '/api/v1/tickets/freshdesk:20');
    expect(ticket.status).toBe(200);
    expect(ticket.body).toMatchObject({
      status: 'solved',
      channel: 'email',
      priority: 'high',
      // The agent's e-mail (Maria@acme.com) is the person "maria" of the tenant.
      agent: 'maria',
      first_response: { calendar: 2400, agent: 'maria' },
      full_resolution: { calendar: 9000, agent: 'maria' },
      replies: 2,
      contacts: 2,
      fcr: false,
    });
    expect(pushed).toEqual([{ custom_fields: { cf_deskpulse_frt: 40, cf_deskpulse_contacts: 2 } }]);
  });

  it('the same webhook again (Freshdesk retries, or deskpulse’s own update echoes) changes nothing and writes nothing', async () => {
    const freshdesk = nock('https://acme.freshdesk.com')
      .get('/api/v2/tickets/20')
      .query(true)
      .reply(200, fixture('ticket-20'))
      .get('/api/v2/tickets/20/conversations')
      .query(true)
      .reply(200, fixture('conversations-20'));
    expect((await post('{"ticket_id":20}')).status).toBe(202);
    await drained(service);
    expect(freshdesk.isDone()).toBe(true);
    await new Promise((done) => setTimeout(done, 2500)); // past the push-back debounce
    const stats = await service.context.redis.hgetall(`${tenantPrefix('acme')}stats`);
    expect([stats.pushed_tickets, stats.push_failed]).toEqual(['1', undefined]);
    const report = await api(service, '/api/v1/report?group_by=none');
    expect(report.body.groups[0].resolved).toBe(1);
    expect(report.body.groups[0].first_response.calendar.count).toBe(1);
  });

  it('scheduled pulls: a job scheduler per configured connector; a pull reads what changed, waiting out a 429', async () => {
    const schedulers = await service.context.queues.notify.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toContainEqual([
      pollSchedulerId('acme', 'freshdesk'),
      300_000,
    ]);

    const updated = {
      ...fixture('ticket-20'),
      id: 21,
      status: 2,
      responder_id: null,
      created_at: '2026-03-05T10:00:00Z',
      updated_at: '2026-03-05T10:00:00Z',
      stats: { status_updated_at: '2026-03-05T10:00:00Z' },
    };
    const freshdesk = nock('https://acme.freshdesk.com')
      .get('/api/v2/tickets')
      .query((query) => query.updated_since === '2026-03-04T12:00:00.000Z' && query.order_by === 'updated_at')
      .reply(429, {}, { 'retry-after': '1' })
      .get('/api/v2/tickets')
      .query((query) => query.updated_since === '2026-03-04T12:00:00.000Z' && query.page === '1')
      .reply(200, [updated])
      .get('/api/v2/tickets/21/conversations')
      .query(true)
      .reply(200, [])
      .put('/api/v2/tickets/21', { custom_fields: { cf_deskpulse_frt: null, cf_deskpulse_contacts: 1 } })
      .reply(200, {});
    const job = { id: 'poll-test', data: { tenant: 'acme', provider: 'freshdesk' } } as unknown as Job;
    expect(await processPoll(job, service.context)).toBe('pulled 1 tickets, 4 events');
    await drained(service);
    await nockDone(freshdesk);
    expect(freshdesk.pendingMocks()).toEqual([]);
    expect(await service.context.redis.get(`${tenantPrefix('acme')}backfill:freshdesk`)).toBe(
      '2026-03-05T10:00:00Z|1',
    );
    const ticket = await api(service, '/api/v1/tickets/freshdesk:21');
    expect(ticket.body).toMatchObject({ status: 'open', first_response: null });

    // The next pull starts from the cursor: only what changed since.
    const next = nock('https://acme.freshdesk.com')
      .get('/api/v2/tickets')
      .query((query) => query.updated_since === '2026-03-05T10:00:00Z')
      .reply(200, []);
    expect(await processPoll(job, service.context)).toBe('pulled 0 tickets, 0 events');
    expect(next.isDone()).toBe(true);
  });
});
