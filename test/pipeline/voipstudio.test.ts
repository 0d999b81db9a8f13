import { readFileSync } from 'node:fs';
import type { Job } from 'bullmq';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { processPoll } from '../../src/jobs/poll.js';
import { tenantPrefix } from '../../src/store/redis.js';
import { api, drained, nockDone, serviceForFile, testConfig } from './harness.js';

const raw = (name: string) => readFileSync(`test/fixtures/voipstudio/${name}.json`, 'utf8');
const KEY = 'vs-webhook-key-0123456789abcdef';
const NOW = Date.parse('2026-03-05T12:00:00Z');
let service: Service;

serviceForFile(
  () => ({
    config: testConfig(
      { default_country: 'GB', people: { pablo: { voipstudio: '42598' } } },
      {
        voipstudio: {
          api_key: 'vs-api-key',
          webhook_key: KEY,
          time_zone: 'Europe/London',
          settle_seconds: 1,
          poll: { every: '5m' },
        },
      },
    ),
    now: () => NOW,
  }),
  (started) => {
    service = started;
  },
);

const post = (body: string, query = `?key=${KEY}`) =>
  fetch(`${service.url}/webhooks/voipstudio/acme${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

describe('VoIPstudio through the live pipeline', () => {
  it('a hang-up webhook (key in the URL) makes deskpulse read the CDRs; calls land in the report', async () => {
    const voipstudio = nock('https://l7api.com', { reqheaders: { 'x-auth-token': 'vs-api-key' } })
      .get('/v1.2/voipstudio/cdrs')
      .query((query) => query.page === '1' && String(query.filter).includes('2026-03-05 11:07:00'))
      .reply(200, raw('cdrs-page-1'));

    expect((await post(raw('webhook-call-hangup'), '?key=not-the-key-0123456789abcdef')).status).toBe(401);
    expect((await post(raw('webhook-call-hangup'), '')).status).toBe(401);
    expect((await post('{"event_name":"call.hangup"}')).status).toBe(400);
    expect((await post(raw('webhook-call-ringing'))).status).toBe(202);
    // Two hang-ups in the same minute share one read of the CDRs.
    expect((await post(raw('webhook-call-hangup'))).status).toBe(202);
    expect((await post(raw('webhook-call-hangup').replace('.77053295', '.77053296'))).status).toBe(202);
    await nockDone(voipstudio);
    await drained(service);
    expect(voipstudio.pendingMocks()).toEqual([]);
    // One read for both (a second would find no reply and fail its job).
    expect(await service.context.queues.ingest.getFailedCount()).toBe(0);

    const report = await api(
      service,
      '/api/v1/report?group_by=agent&from=2026-03-05T00:00:00Z&to=2026-03-06T00:00:00Z',
    );
    expect(report.status).toBe(200);
    const none = await api(
      service,
      '/api/v1/report?group_by=none&from=2026-03-05T00:00:00Z&to=2026-03-06T00:00:00Z',
    );
    expect(none.body.groups[0].calls).toMatchObject({
      inbound: 2,
      answered: 1,
      abandoned: 1,
      abandon_rate: 50,
    });
    // The user id maps to the tenant's person.
    expect(report.body.groups.map((group: { key: string }) => group.key)).toContain('pablo');
    const stats = await service.context.redis.hgetall(`${tenantPrefix('acme')}stats`);
    expect(Number(stats.ignored_deliveries)).toBe(1);
  });

  it('a scheduled pull reads CDRs from its cursor; the same CDRs again add nothing', async () => {
    const voipstudio = nock('https://l7api.com')
      .get('/v1.2/voipstudio/cdrs')
      .query((query) => String(query.filter).includes('"gte","value":"2026-03-04 12:00:00"'))
      .reply(200, raw('cdrs-page-1'));
    const job = { id: 'poll-test', data: { tenant: 'acme', provider: 'voipstudio' } } as unknown as Job;
    expect(await processPoll(job, service.context)).toBe('pulled 4 calls, 3 events');
    await drained(service);
    expect(voipstudio.isDone()).toBe(true);
    expect(await service.context.redis.get(`${tenantPrefix('acme')}backfill:voipstudio`)).toBe(
      '2026-03-05 09:04:00|1',
    );
    const none = await api(
      service,
      '/api/v1/report?group_by=none&from=2026-03-05T00:00:00Z&to=2026-03-06T00:00:00Z',
    );
    expect(none.body.groups[0].calls.inbound).toBe(2);
  });
});
