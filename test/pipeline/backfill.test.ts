import { readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { backfill } from '../../src/jobs/backfill.js';
import { api, drained, serviceForFile, testConfig } from './harness.js';

const fixture = (name: string, provider = 'zendesk') =>
  readFileSync(`test/fixtures/${provider}/${name}.json`, 'utf8');
const TWILIO_ACCOUNT = `AC${'a'.repeat(32)}`;
const json = { 'content-type': 'application/json' };
let service: Service;

serviceForFile(
  () => ({
    config: testConfig(
      { default_country: 'FR', people: { maria: { email: 'maria@acme.test' } } },
      {
        aircall: { webhook_token: 'aircall-token', api_id: 'aircall-id', api_token: 'aircall-secret' },
        intercom: { client_secret: 'intercom-secret', access_token: 'intercom-token' },
        twilio: {
          auth_token: 'twilio-token',
          public_url: 'https://dp.example.com/webhooks/twilio/acme',
          account_sid: TWILIO_ACCOUNT,
        },
      },
    ),
  }),
  (started: Service) => {
    service = started;
  },
);

describe('deskpulse backfill zendesk', () => {
  it('pulls export pages and audits, waits out a 429, resumes from the saved cursor, and feeds the metrics', async () => {
    const zendesk = nock('https://acme.zendesk.com');
    zendesk
      .get('/api/v2/incremental/tickets/cursor.json')
      .query({ start_time: '1772323200', exclude_deleted: 'true' })
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
      .query({ cursor: 'MTU3NjYxMzUzOS4wfHw0Njd8', exclude_deleted: 'true' })
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
      .query({ cursor: 'MTU3NjYxMzUzOS4wfHw0Njd8', exclude_deleted: 'true' })
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

describe('deskpulse backfill aircall, intercom and twilio', () => {
  it('aircall: calls by start time with Basic auth, 429 waited out by X-AircallApi-Reset, cursor saved', async () => {
    const aircall = nock('https://api.aircall.io').matchHeader(
      'authorization',
      `Basic ${Buffer.from('aircall-id:aircall-secret').toString('base64')}`,
    );
    const since = Math.floor(Date.parse('2026-03-10T00:00:00Z') / 1000);
    aircall
      .get('/v1/calls')
      .query({ from: String(since), order: 'asc', per_page: '50', page: '1' })
      .reply(429, '', { 'x-aircallapi-reset': String(Math.floor(Date.now() / 1000) + 30) });
    aircall
      .get('/v1/calls')
      .query({ from: String(since), order: 'asc', per_page: '50', page: '1' })
      .reply(200, fixture('calls-page-1', 'aircall'), json);
    // The next listing starts from the newest call's start second.
    aircall
      .get('/v1/calls')
      .query({
        from: String(Date.parse('2026-03-11T18:30:00Z') / 1000),
        order: 'asc',
        per_page: '50',
        page: '1',
      })
      .reply(200, fixture('calls-page-2', 'aircall'), json);
    const waits: number[] = [];
    const done = await backfill(service.context, 'acme', 'aircall', new Date('2026-03-10T00:00:00Z'), {
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(aircall.isDone()).toBe(true);
    expect(done).toEqual({ page: 2, items: 3, events: 3 });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(25_000);
    expect(waits[0]).toBeLessThanOrEqual(30_000);
    expect(await service.context.redis.get('dp:{acme}:backfill:aircall')).toBe(
      `${Date.parse('2026-03-12T07:10:00Z') / 1000}:1`,
    );
    await drained(service);
    const [maria] = (await api(service, '/api/v1/report?group_by=agent&from=2026-03-10&to=2026-03-13')).body
      .groups;
    expect(maria).toMatchObject({ key: 'maria', calls: { inbound: 1, answered: 1, wait: { mean: 40 } } });
  });

  it('aircall: a call still going when listed is read by the next run, which starts from it', async () => {
    const aircall = nock('https://api.aircall.io');
    const base = JSON.parse(fixture('calls-page-1', 'aircall')).calls[0];
    const t = Date.parse('2026-03-20T09:00:00Z') / 1000;
    // Three calls from 09:00; the second (09:05) is still going, the third began at 09:10.
    const call = (id: number, start: number, going: boolean) => ({
      ...base,
      id,
      status: going ? 'answered' : 'done',
      started_at: start,
      answered_at: start + 20,
      ended_at: going ? null : start + 200,
    });
    const page = (calls: unknown[]) => ({ calls, meta: { count: calls.length, next_page_link: null } });
    const listing = (from: number) =>
      aircall.get('/v1/calls').query({ from: String(from), order: 'asc', per_page: '50', page: '1' });
    listing(t).reply(
      200,
      page([call(901, t, false), call(902, t + 300, true), call(903, t + 600, false)]),
      json,
    );
    const key = 'dp:{acme}:backfill:aircall';
    await service.context.redis.del(key);
    expect(await backfill(service.context, 'acme', 'aircall', new Date(t * 1000))).toMatchObject({
      events: 2,
    });
    expect(await service.context.redis.get(key)).toBe(`${t + 300}:1`);
    // The next run lists from the call that was going: it has ended.
    listing(t + 300).reply(200, page([call(902, t + 300, false), call(903, t + 600, false)]), json);
    expect(await backfill(service.context, 'acme', 'aircall', new Date(t * 1000))).toMatchObject({
      events: 2,
    });
    expect(aircall.isDone()).toBe(true);
    expect(await service.context.redis.get(key)).toBe(`${t + 600}:1`);
    await drained(service);
    const calls = (await service.context.redis.hvals('dp:{acme}:loose:calls')).map((text) =>
      JSON.parse(text),
    );
    expect(
      calls.filter((c) => ['aircall:call:901', 'aircall:call:902', 'aircall:call:903'].includes(c.id)),
    ).toHaveLength(3);
  });

  it('intercom: conversation search by updated_at, then each conversation in full', async () => {
    const intercom = nock('https://api.intercom.io').matchHeader('authorization', 'Bearer intercom-token');
    intercom
      .post('/conversations/search', (body) => {
        return (
          body.query.field === 'updated_at' &&
          body.query.value === Date.parse('2026-03-01T00:00:00Z') / 1000 - 1 &&
          body.sort.order === 'ascending'
        );
      })
      .reply(200, fixture('search-page-1', 'intercom'), json);
    intercom
      .get('/conversations/147')
      .query({ display_as: 'plaintext' })
      .reply(200, fixture('conversation-147', 'intercom'), json);
    intercom.get('/contacts/6762f0dd1bb69f9f2193bb83').reply(200, fixture('contact', 'intercom'), json);
    const done = await backfill(service.context, 'acme', 'intercom', new Date('2026-03-01T00:00:00Z'));
    expect(intercom.isDone()).toBe(true);
    expect(done).toEqual({ page: 1, items: 1, events: 8 });
    // The next run searches from the newest update seen.
    expect(JSON.parse((await service.context.redis.get('dp:{acme}:backfill:intercom')) ?? '{}')).toEqual({
      since: Date.parse('2026-03-10T09:20:00Z') / 1000,
      after: null,
    });
    await drained(service);
    expect((await api(service, '/api/v1/tickets/intercom:147')).body).toMatchObject({
      status: 'solved',
      agent: 'maria',
      first_response: { calendar: 600, agent: 'maria' },
      replies: 1,
    });
  });

  it('twilio: the Calls API from a day, parent calls only, national numbers in the default country', async () => {
    const twilio = nock('https://api.twilio.com').matchHeader(
      'authorization',
      `Basic ${Buffer.from(`${TWILIO_ACCOUNT}:twilio-token`).toString('base64')}`,
    );
    twilio
      .get(`/2010-04-01/Accounts/${TWILIO_ACCOUNT}/Calls.json`)
      .query({ 'StartTime>': '2026-03-01', PageSize: '100' })
      .reply(200, fixture('calls-page', 'twilio'), json);
    const done = await backfill(service.context, 'acme', 'twilio', new Date('2026-03-01T00:00:00Z'));
    expect(twilio.isDone()).toBe(true);
    expect(done).toEqual({ page: 1, items: 3, events: 2 });
    await drained(service);
    const loose = await service.context.redis.hvals('dp:{acme}:loose:calls');
    const missed = loose
      .map((text) => JSON.parse(text))
      .find((call) => call.id === `twilio:call:CA${'5'.repeat(32)}`);
    expect(missed).toMatchObject({ customer: ['phone:+33612345678'], call: { outcome: 'missed' } });
  });
  it('twilio: a later run reads back to the call that was going (less an hour), not past it, and stops there', async () => {
    const twilio = nock('https://api.twilio.com');
    const base = JSON.parse(fixture('calls-page', 'twilio')).calls[0];
    const rfc = (iso: string) => new Date(iso).toUTCString().replace('GMT', '+0000');
    const call = (n: number, start: string, going = false) => ({
      ...base,
      sid: `CA${String(n).repeat(32)}`.slice(0, 34),
      status: going ? 'in-progress' : 'completed',
      start_time: rfc(start),
      end_time: going ? null : rfc(new Date(Date.parse(start) + 300_000).toISOString()),
      date_created: rfc(start),
    });
    const list = `/2010-04-01/Accounts/${TWILIO_ACCOUNT}/Calls.json`;
    const page = (calls: unknown[], next: string | null) => ({ calls, next_page_uri: next, page_size: 100 });
    const key = 'dp:{acme}:backfill:twilio';
    await service.context.redis.del(key);
    /** The first page of the listing from 20 March. */
    const firstPage = (calls: unknown[], next: string | null) =>
      twilio
        .get(list)
        .query({ 'StartTime>': '2026-03-20', PageSize: '100' })
        .reply(200, page(calls, next), json);
    // Newest first: 10:10 done, 10:05 still going, 10:00 done.
    firstPage(
      [
        call(7, '2026-03-20T10:10:00Z'),
        call(8, '2026-03-20T10:05:00Z', true),
        call(9, '2026-03-20T10:00:00Z'),
      ],
      null,
    );
    const first = await backfill(service.context, 'acme', 'twilio', new Date('2026-03-20T00:00:00Z'));
    expect(first).toMatchObject({ events: 2 });
    expect(JSON.parse((await service.context.redis.get(key)) ?? '{}')).toEqual({
      after: Date.parse('2026-03-20T09:05:00Z'),
    });
    // The next run: a new call at 11:00, the 10:05 one has ended; page 2 reaches 08:00, before
    // 09:05, so page 3 is not read.
    firstPage(
      [call(6, '2026-03-20T11:00:00Z'), call(7, '2026-03-20T10:10:00Z'), call(8, '2026-03-20T10:05:00Z')],
      `${list}?Page=1`,
    );
    twilio
      .get(list)
      .query({ Page: '1' })
      .reply(
        200,
        page([call(9, '2026-03-20T10:00:00Z'), call(5, '2026-03-20T08:00:00Z')], `${list}?Page=2`),
        json,
      );
    const second = await backfill(service.context, 'acme', 'twilio', new Date('2026-03-20T00:00:00Z'));
    expect(twilio.isDone()).toBe(true);
    expect(second).toMatchObject({ page: 2, events: 5 });
    expect(JSON.parse((await service.context.redis.get(key)) ?? '{}')).toEqual({
      after: Date.parse('2026-03-20T10:00:00Z'),
    });
    await drained(service);
    const ids = (await service.context.redis.hvals('dp:{acme}:loose:calls')).map(
      (text) => JSON.parse(text).id,
    );
    expect(ids).toContain(`twilio:call:CA${'8'.repeat(32)}`);
  });
});
