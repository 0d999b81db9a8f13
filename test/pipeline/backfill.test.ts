import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { backfill } from '../../src/jobs/backfill.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { api, drained, startRedis, startTestService } from './harness.js';

const fixture = (name: string) => readFileSync(`test/fixtures/zendesk/${name}.json`, 'utf8');
const json = { 'content-type': 'application/json' };
let redis: EmbeddedRedis;
let service: Service;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  redis = await startRedis();
  service = await startTestService(redis);
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await service?.close();
  await redis?.stop();
});

describe('deskpulse backfill zendesk', () => {
  it('pulls export pages and audits, waits out a 429, resumes from the saved cursor, and feeds the metrics', async () => {
    const zendesk = nock('https://acme.zendesk.com');
    zendesk
      .get('/api/v2/incremental/tickets/cursor.json')
      .query({ start_time: '1772323200' })
      .reply(200, fixture('export-page-1'), json);
    zendesk
      .get('/api/v2/tickets/7001/audits.json')
      .query({ 'page[size]': '100' })
      .reply(429, '', { 'retry-after': '7' });
    zendesk
      .get('/api/v2/tickets/7001/audits.json')
      .query({ 'page[size]': '100' })
      .reply(200, fixture('audits-7001'), json);
    zendesk.get('/api/v2/users/8447388090494.json').reply(200, fixture('user-end-user'), json);
    zendesk.get('/api/v2/users/8447388090495.json').reply(200, fixture('user-agent'), json);
    // The second page fails once: the run stops with the first page queued and its cursor saved.
    zendesk
      .get('/api/v2/incremental/tickets/cursor.json')
      .query({ cursor: 'MTU3NjYxMzUzOS4wfHw0Njd8' })
      .reply(500);
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    await expect(
      backfill(service.context, 'acme', 'zendesk', new Date('2026-03-01T00:00:00Z'), { sleep }),
    ).rejects.toThrow(/HTTP 500/);
    expect(waits).toEqual([7000]);

    zendesk
      .get('/api/v2/incremental/tickets/cursor.json')
      .query({ cursor: 'MTU3NjYxMzUzOS4wfHw0Njd8' })
      .reply(200, fixture('export-page-2'), json);
    zendesk
      .get('/api/v2/tickets/7002/audits.json')
      .query({ 'page[size]': '100' })
      .reply(200, fixture('audits-7002'), json);
    const resumed = await backfill(service.context, 'acme', 'zendesk', new Date('2026-03-01T00:00:00Z'), {
      sleep,
    });
    expect(resumed).toMatchObject({ page: 1, items: 1 });
    expect(zendesk.isDone()).toBe(true);

    await drained(service);
    const solved = await api(service, '/api/v1/tickets/zendesk:7001');
    expect(solved.body).toMatchObject({
      status: 'solved',
      agent: 'agent@acme.test',
      team: 'zendesk:360001',
      first_response: { calendar: 1200, agent: 'agent@acme.test' },
      full_resolution: { calendar: 1200 },
      fcr: true,
    });
    expect((await api(service, '/api/v1/tickets/zendesk:7002')).body).toMatchObject({
      status: 'open',
      priority: 'high',
      first_response: null,
    });
  });
});
