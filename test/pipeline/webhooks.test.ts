import { readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { sign as signZendesk } from '../../src/connectors/zendesk/signature.js';
import { startEmbeddedRedis } from '../../src/store/embedded-redis.js';
import {
  api,
  drained,
  OTHER_TOKEN,
  postEvents,
  signedEvents,
  serviceForFile,
  startRedis,
  startTestService,
  ZENDESK_SECRET,
} from './harness.js';

const fixture = (name: string) => readFileSync(`test/fixtures/zendesk/${name}.json`, 'utf8');
let service: Service;

serviceForFile(
  () => ({}),
  (started: Service) => {
    service = started;
  },
);

function zendeskHeaders(body: string, timestamp = new Date().toISOString(), secret = ZENDESK_SECRET) {
  return {
    'content-type': 'application/json',
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': signZendesk(secret, timestamp, body),
  };
}
const postZendesk = (body: string, headers: Record<string, string> = zendeskHeaders(body), tenant = 'acme') =>
  fetch(`${service.url}/webhooks/zendesk/${tenant}`, { method: 'POST', headers, body });
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    type: 'message',
    at: '2026-03-03T10:00:00Z',
    source: 'custom',
    ticket: 't-1',
    author: 'customer',
    ...fields,
  });

describe('POST /webhooks/zendesk/:tenant', () => {
  it('a ticket from documented payloads: requester looked up once through the Zendesk API, metrics through the API', async () => {
    const users = nock('https://acme.zendesk.com')
      .get('/api/v2/users/8447388090494.json')
      .matchHeader('authorization', `Basic ${Buffer.from('api@acme.test/token:zd-token').toString('base64')}`)
      .reply(200, fixture('user-end-user'))
      // Agents are looked up for their e-mail: one person across systems (issue 4).
      .get('/api/v2/users/8447388090495.json')
      .reply(200, fixture('user-agent'))
      .get('/api/v2/users/8447388090496.json')
      .reply(200, fixture('user-agent-2'));
    for (const name of [
      'comment-added',
      'ticket-created',
      'agent-assignment-changed',
      'subject-changed',
      'status-changed',
    ]) {
      const response = await postZendesk(fixture(name));
      expect(response.status, name).toBe(202);
    }
    await drained(service);
    expect(users.isDone()).toBe(true);
    const ticket = await api(service, '/api/v1/tickets/zendesk:5158');
    expect(ticket.status).toBe(200);
    expect(ticket.body).toMatchObject({
      ticket: 'zendesk:5158',
      status: 'solved',
      priority: 'high',
      channel: 'email',
      agent: 'second.agent@acme.test',
      team: 'zendesk:8447320466430',
      first_response: { calendar: 1500.123, agent: 'agent@acme.test' },
      replies: 1,
      fcr: true,
    });
  });

  it('a signed delivery replayed is accepted and counted once', async () => {
    const body = fixture('comment-added').replace('9876543210', '111').replace('d4f5c389', 'e5f5c389');
    const headers = zendeskHeaders(body);
    expect((await postZendesk(body, headers)).status).toBe(202);
    expect((await postZendesk(body, headers)).status).toBe(202);
    await drained(service);
    expect((await api(service, '/api/v1/tickets/zendesk:5158')).body.replies).toBe(2);
  });

  it.each([
    [
      'a bad signature',
      () => ({ ...zendeskHeaders(fixture('ticket-created')), 'x-zendesk-webhook-signature': 'AAAA' }),
    ],
    [
      'a stale timestamp',
      () => zendeskHeaders(fixture('ticket-created'), new Date(Date.now() - 6 * 60_000).toISOString()),
    ],
    ['missing headers', () => ({ 'content-type': 'application/json' })],
    ['another secret', () => zendeskHeaders(fixture('ticket-created'), undefined, 'not-the-secret')],
  ])('%s: 401', async (_name, headers) => {
    const response = await postZendesk(fixture('ticket-created'), headers() as Record<string, string>);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'unauthorized',
      reason: 'the signature, timestamp or tenant is not valid',
    });
  });

  it('an unknown tenant gets exactly the answer of a bad signature', async () => {
    const body = fixture('ticket-created');
    const response = await postZendesk(body, zendeskHeaders(body), 'initech');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'unauthorized',
      reason: 'the signature, timestamp or tenant is not valid',
    });
  });

  it('a body that is not JSON, or JSON of the wrong shape: 400 with the reason', async () => {
    const notJson = 'ticket=5158';
    const first = await postZendesk(notJson, zendeskHeaders(notJson));
    expect(first.status).toBe(400);
    expect(((await first.json()) as { reason: string }).reason).toMatch(/not valid JSON/);
    const wrong = JSON.stringify({
      type: 'zen:event-type:ticket.created',
      id: 'x',
      time: '2026-03-03T14:00:00Z',
    });
    const second = await postZendesk(wrong, zendeskHeaders(wrong));
    expect(second.status).toBe(400);
    expect(((await second.json()) as { reason: string }).reason).toBe('detail is required');
  });
});

describe('POST /webhooks/events/:tenant', () => {
  it('an event of an unknown type: 400 naming the line, and nothing of the delivery is taken', async () => {
    const response = await postEvents(service, 'acme', [
      line({ id: 'ok-1' }),
      line({ id: 'bad-1', type: 'note' }),
    ]);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { reason: string }).reason).toContain('line 2: type must be one of');
  });

  it('a 5 MiB body: 413', async () => {
    const body = 'x'.repeat(5 * 1024 * 1024);
    const response = await fetch(`${service.url}/webhooks/events/acme`, {
      method: 'POST',
      headers: signedEvents(body),
      body,
    });
    expect(response.status).toBe(413);
  });

  it('the same event in two deliveries counts once; the tenant comes from the credential', async () => {
    const created = JSON.stringify({
      id: 'dup-c',
      type: 'ticket.created',
      at: '2026-03-03T09:00:00Z',
      source: 'custom',
      ticket: 'dup',
      tenant: 'globex',
    });
    const reply = line({ id: 'dup-r', ticket: 'dup', author: 'agent', agent: 'lee' });
    expect((await postEvents(service, 'acme', [created, reply])).status).toBe(202);
    expect((await postEvents(service, 'acme', [reply])).status).toBe(202);
    await drained(service);
    const ticket = await api(service, '/api/v1/tickets/dup');
    expect(ticket.body).toMatchObject({ tenant: 'acme', replies: 1 });
    expect((await api(service, '/api/v1/tickets/dup', OTHER_TOKEN)).status).toBe(404);
    // The counters say so: the duplicate is counted as one, for this tenant only.
    const polledAt = '2026-03-03T09:05:00.000Z';
    await service.context.redis.hset('dp:{acme}:stats', 'polled_at:zendesk', polledAt);
    const stats = (await api(service, '/api/v1/stats')).body.stats as Record<string, number | string>;
    expect(stats.duplicates).toBeGreaterThanOrEqual(1);
    // Counters are numbers; when a pull last ran stays its instant.
    expect(stats['polled_at:zendesk']).toBe(polledAt);
    const { 'polled_at:zendesk': _polled, ...counters } = stats;
    expect(Object.values(counters).every((value) => Number.isInteger(value))).toBe(true);
    expect(Object.keys(stats)).toEqual([...Object.keys(stats)].sort());
    const other = await api(service, '/api/v1/stats', OTHER_TOKEN);
    expect(other.body.stats.duplicates ?? 0).toBe(0);
    expect((await api(service, '/api/v1/stats?tenant=acme', OTHER_TOKEN)).status).toBe(400);
  });
});

describe('ingest jobs', () => {
  it('keep at most the last 100 done, with their raw deliveries; every event stays', async () => {
    // One delivery a request, awaited: each is its own ingest job.
    for (let i = 0; i < 130; i += 1) {
      const created = JSON.stringify({
        id: `keep-${i}`,
        type: 'ticket.created',
        at: '2026-03-03T09:00:00Z',
        source: 'custom',
        ticket: `keep-${i}`,
      });
      expect((await postEvents(service, 'acme', [created])).status).toBe(202);
    }
    await drained(service);
    const { completed } = await service.context.queues.ingest.getJobCounts('completed');
    expect(completed).toBeGreaterThan(0);
    expect(completed).toBeLessThanOrEqual(100);
    for (const ticket of ['keep-0', 'keep-64', 'keep-129'])
      expect((await api(service, `/api/v1/tickets/${ticket}`)).status, ticket).toBe(200);
  });
});

describe('the API', () => {
  it('refuses a missing or wrong token, and a bad parameter with its name', async () => {
    expect((await fetch(`${service.url}/api/v1/report`)).status).toBe(401);
    expect((await api(service, '/api/v1/report', 'wrong-token-0123456789')).status).toBe(401);
    const bad = await api(service, '/api/v1/report?group_by=queue');
    expect(bad).toEqual({
      status: 400,
      body: { error: 'bad request', parameter: 'group_by', reason: 'must be one of agent, team, none' },
    });
    expect((await api(service, '/api/v1/report?from=yesterday')).body.parameter).toBe('from');
  });

  it('refuses a period that ends before it starts, a parameter given twice and one it does not take', async () => {
    expect(await api(service, '/api/v1/report?from=2026-03-10&to=2026-03-10')).toEqual({
      status: 400,
      body: {
        error: 'bad request',
        parameter: 'to',
        reason: 'must be later than from (2026-03-10T00:00:00.000Z); the period is [from, to)',
      },
    });
    expect(
      (await api(service, '/api/v1/dashboard?from=2026-03-10T12:00Z&to=2026-03-10T11:00Z')).body,
    ).toMatchObject({ parameter: 'to' });
    expect((await api(service, '/api/v1/report?from=2026-03-01&from=2026-03-02')).body).toEqual({
      error: 'bad request',
      parameter: 'from',
      reason: 'must be given once',
    });
    // A misspelt filter would otherwise answer with every team's figures.
    expect(await api(service, '/api/v1/report?group_by=team&teams=billing')).toEqual({
      status: 400,
      body: {
        error: 'bad request',
        parameter: 'teams',
        reason: 'unknown parameter: this endpoint takes group_by, format, from, to, channel, team',
      },
    });
    expect((await api(service, '/api/v1/dashboard?period=year')).body.parameter).toBe('period');
    expect((await api(service, '/api/v1/at-risk?agent=lee')).body.parameter).toBe('agent');
    expect((await api(service, '/api/v1/alerts?since=2026-03-01')).body).toEqual({
      error: 'bad request',
      parameter: 'since',
      reason: 'unknown parameter: this endpoint takes none',
    });
    expect((await api(service, '/api/v1/call-cases?customer=x')).status).toBe(400);
    expect((await api(service, '/api/v1/tickets/dup?fields=all')).status).toBe(400);
    // A period of one instant's length and the filters the endpoints take still answer.
    expect((await api(service, '/api/v1/report?from=2026-03-10&to=2026-03-10T00:00:00.001')).status).toBe(
      200,
    );
    expect((await api(service, '/api/v1/at-risk?team=emea')).status).toBe(200);
  });

  it('health and readiness', async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    const { compute } = ((await ready.json()) as { queues: { compute: Record<string, number> } }).queues;
    expect(compute.workers).toBeGreaterThan(0);
    // BullMQ counts a paused queue's jobs apart, beside the waiting ones.
    expect(Object.keys(compute).sort()).toEqual(
      ['active', 'delayed', 'failed', 'paused', 'prioritized', 'waiting', 'workers'].sort(),
    );
  });
});

describe('Redis stopped mid-stream', () => {
  it('answers 503 while Redis is down, then accepts again; nothing accepted is lost', async () => {
    const own = await startRedis();
    const svc = await startTestService(own);
    try {
      const before = JSON.stringify({
        id: 'r-1',
        type: 'ticket.created',
        at: '2026-03-03T09:00:00Z',
        source: 'custom',
        ticket: 'r',
      });
      expect((await postEvents(svc, 'acme', [before])).status).toBe(202);
      await own.stop();
      const during = await postEvents(svc, 'acme', [
        line({ id: 'r-2', ticket: 'r', author: 'agent', agent: 'lee' }),
      ]);
      expect(during.status).toBe(503);
      const again = await startEmbeddedRedis(own.dir, { port: own.port });
      try {
        let status = 0;
        for (let attempt = 0; attempt < 50 && status !== 202; attempt += 1) {
          status = (
            await postEvents(svc, 'acme', [line({ id: 'r-2', ticket: 'r', author: 'agent', agent: 'lee' })])
          ).status;
          if (status !== 202) await new Promise((done) => setTimeout(done, 200));
        }
        expect(status).toBe(202);
        await drained(svc);
        expect((await api(svc, '/api/v1/tickets/r')).body).toMatchObject({ partial: false, replies: 1 });
      } finally {
        await svc.close();
        await again.stop();
      }
    } catch (error) {
      await svc.close().catch(() => {});
      throw error;
    }
  });
});
