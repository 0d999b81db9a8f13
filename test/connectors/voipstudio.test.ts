import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookupUser, voipstudioHistory } from '../../src/connectors/voipstudio/history.js';
import { offeredKey, voipstudioConnector } from '../../src/connectors/voipstudio/index.js';
import { cdrEvents, outcome, partyKey } from '../../src/connectors/voipstudio/normalize.js';
import { cdrSchema } from '../../src/connectors/voipstudio/payloads.js';
import { voipstudioSettingsSchema } from '../../src/connectors/voipstudio/settings.js';
import type { HistoryPage, NormalizeContext } from '../../src/connectors/types.js';

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/voipstudio/${name}.json`, 'utf8'));
const KEY = 'vs-webhook-key-0123456789abcdef';
const settings = voipstudioSettingsSchema.parse({
  api_key: 'vs-api-key',
  webhook_key: [KEY, 'the-previous-key-during-rotation-0001'],
  time_zone: 'Europe/London',
});
const context = { tenant: 'acme', defaultCountry: 'GB' };
const cdrs = (fixture('cdrs-page-1').data as unknown[]).map((raw) => cdrSchema.parse(raw));

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('VoIPstudio settings and webhooks', () => {
  it('settings: time zone checked, webhook keys URL-safe and long, defaults filled', () => {
    expect(voipstudioSettingsSchema.parse({ api_key: 'k' })).toMatchObject({
      time_zone: 'UTC',
      settle_seconds: 60,
    });
    expect(voipstudioSettingsSchema.safeParse({ api_key: 'k', time_zone: 'Mars/Base' }).success).toBe(false);
    expect(voipstudioSettingsSchema.safeParse({ api_key: 'k', webhook_key: 'short' }).success).toBe(false);
    expect(
      voipstudioSettingsSchema.safeParse({ api_key: 'k', webhook_key: 'has spaces and is long enough!!' })
        .success,
    ).toBe(false);
  });

  it('verify the key in the webhook URL, any listed one, in constant time; no key configured refuses all', () => {
    const body = Buffer.from(JSON.stringify(fixture('webhook-call-hangup')));
    const verify = (url: string | undefined, s = settings) =>
      voipstudioConnector.verify({ body, headers: {}, url }, s, 0);
    expect(verify(`/webhooks/voipstudio/acme?key=${KEY}`)).toEqual({ ok: true });
    expect(verify('/webhooks/voipstudio/acme?key=the-previous-key-during-rotation-0001')).toEqual({
      ok: true,
    });
    expect(verify(`/webhooks/voipstudio/acme?key=${KEY}x`)).toEqual({
      ok: false,
      reason: 'the webhook key does not match',
    });
    expect(verify('/webhooks/voipstudio/acme')).toMatchObject({ ok: false });
    expect(verify(undefined)).toMatchObject({ ok: false });
    expect(offeredKey({ body, headers: {}, url: `/x?a=1&key=${KEY}` })).toBe(KEY);
    const without = voipstudioSettingsSchema.parse({ api_key: 'k' });
    expect(verify(`/webhooks/voipstudio/acme?key=${KEY}`, without)).toEqual({
      ok: false,
      reason: 'no webhook_key is configured for voipstudio',
    });
  });

  it('parse: hang-ups and missed calls are triggers; other call states are acknowledged and ignored', () => {
    const hangup = voipstudioConnector.parse(Buffer.from(JSON.stringify(fixture('webhook-call-hangup'))));
    expect(hangup).toMatchObject({ ok: true, payload: { event_name: 'call.hangup', call_id: '139543232' } });
    expect(hangup).not.toHaveProperty('ignored');
    expect(
      voipstudioConnector.parse(Buffer.from(JSON.stringify(fixture('webhook-call-ringing')))),
    ).toMatchObject({
      ok: true,
      ignored: 'call.ringing',
    });
    const bad = voipstudioConnector.parse(
      Buffer.from('{"id":"x","event_name":"call.hangup","event_time":"today"}'),
    );
    expect(bad).toEqual({ ok: false, reason: expect.stringContaining('event_time') });
  });
});

describe('VoIPstudio CDRs as call events', () => {
  it('an answered inbound call: account time to UTC, answered billsec before the end, the caller, the user', () => {
    // 11:00 in London on 5 March is 11:00 UTC (GMT); in summer it would be an hour earlier.
    expect(cdrEvents(cdrs[0]!, context, 'Europe/London')).toEqual([
      {
        id: 'voipstudio:cdr:90211',
        type: 'call',
        at: '2026-03-05T11:00:00Z',
        source: 'voipstudio',
        tenant: 'acme',
        channel: 'phone',
        customer: ['phone:+14155550100'],
        agent: 'voipstudio:42598',
        call: {
          id: 'voipstudio:90211',
          direction: 'inbound',
          started_at: '2026-03-05T11:00:00Z',
          answered_at: '2026-03-05T11:00:40Z',
          ended_at: '2026-03-05T11:06:40Z',
          hold_seconds: 0,
          outcome: 'answered',
        },
      },
    ]);
    const summer = cdrSchema.parse({
      ...(fixture('cdrs-page-1').data[0] as object),
      calldate: '2026-07-01 11:00:00',
    });
    expect(cdrEvents(summer, context, 'Europe/London')[0]!.at).toBe('2026-07-01T10:00:00Z');
  });

  it('a missed call has no agent and no answer; an outbound call is the number dialled; internal calls make nothing', () => {
    const [missed] = cdrEvents(cdrs[1]!, context, 'UTC');
    expect(missed).toMatchObject({
      customer: ['phone:+14155550199'],
      call: { direction: 'inbound', outcome: 'missed' },
    });
    expect(missed).not.toHaveProperty('agent');
    expect(missed!.type === 'call' && missed!.call.answered_at).toBeFalsy();
    const [outbound] = cdrEvents(cdrs[2]!, context, 'UTC');
    // E.164 without the plus, as VoIPstudio writes numbers: not a British national number.
    expect(outbound).toMatchObject({
      customer: ['phone:+14155550100'],
      agent: 'voipstudio:42598',
      call: { direction: 'outbound', outcome: 'answered' },
    });
    expect(partyKey('02079460000', 's', 'GB')).toBe('phone:+442079460000');
    expect(partyKey('601', 's', 'GB')).toBe('phone-raw:s:601');
    expect(cdrEvents(cdrs[3]!, context, 'UTC')).toEqual([]);
  });

  it('outcomes from type and disposition', () => {
    const cdr = (type: string, disposition: string, billsec = 0) =>
      cdrSchema.parse({ id: 1, calldate: '2026-03-05 11:00:00', type, duration: 30, billsec, disposition });
    expect(outcome(cdr('I', 'CONNECTED', 10))).toBe('answered');
    expect(outcome(cdr('I', 'CONNECTED', 0))).toBe('missed');
    expect(outcome(cdr('M', 'CONNECTED', 10))).toBe('missed');
    expect(outcome(cdr('I', 'NO ANSWER'))).toBe('missed');
    expect(outcome(cdr('I', 'BUSY'))).toBe('missed');
    expect(outcome(cdr('I', 'CANCELLED'))).toBe('abandoned');
    expect(outcome(cdr('I', 'VOICEMAIL'))).toBe('voicemail');
  });
});

describe('VoIPstudio API reads', () => {
  const io = { fetch, sleep: async () => {}, now: () => Date.parse('2026-03-05T12:00:00Z') };
  const history = (cursor: string | null, since = new Date('2026-03-05T00:00:00Z')) =>
    voipstudioHistory.pages(settings, { since, cursor }, {
      ...context,
      users: { user: async () => null, remember: async () => {} },
      ...io,
    } as NormalizeContext & typeof io);

  it('backfill: CDRs since a start (account time), with the API key; cursor two hours before the newest call', async () => {
    const api = nock('https://l7api.com', { reqheaders: { 'x-auth-token': 'vs-api-key' } })
      .get('/v1.2/voipstudio/cdrs')
      .query({
        page: '1',
        limit: '500',
        filter: JSON.stringify([{ property: 'calldate', operator: 'gte', value: '2026-03-05 00:00:00' }]),
      })
      .reply(429, {}, { 'retry-after': '0' })
      .get('/v1.2/voipstudio/cdrs')
      .query(true)
      .reply(200, fixture('cdrs-page-1'));
    const pages: HistoryPage[] = [];
    for await (const page of history(null)) pages.push(page);
    expect(api.isDone()).toBe(true);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.items).toBe(4);
    expect(pages[0]!.events.map((e) => e.id)).toEqual([
      'voipstudio:cdr:90211',
      'voipstudio:cdr:90212',
      'voipstudio:cdr:90213',
    ]);
    expect(pages[0]).toMatchObject({ done: true, cursor: '2026-03-05 09:04:00|1' });
  });

  it('a resumed backfill starts from its cursor; full pages are followed by the next page of the same listing', async () => {
    const full = { data: Array.from({ length: 500 }, (_, i) => ({ ...cdrs[0], id: 1000 + i })), total: 501 };
    const last = { data: [{ ...fixture('cdrs-page-1').data[1], id: 2000 }], total: 501 };
    const filter = JSON.stringify([{ property: 'calldate', operator: 'gte', value: '2026-03-05 08:00:00' }]);
    nock('https://l7api.com')
      .get('/v1.2/voipstudio/cdrs')
      .query({ page: '3', limit: '500', filter })
      .reply(200, full)
      .get('/v1.2/voipstudio/cdrs')
      .query({ page: '4', limit: '500', filter })
      .reply(200, last);
    const cursors = [];
    for await (const page of history('2026-03-05 08:00:00|3')) cursors.push(page.cursor);
    // Never before where the listing began.
    expect(cursors).toEqual(['2026-03-05 08:00:00|4', '2026-03-05 09:02:10|1']);
  });

  it('users: an agent with their e-mail from /users/{id}; an unknown id is nobody', async () => {
    nock('https://l7api.com', { reqheaders: { 'x-auth-token': 'vs-api-key' } })
      .get('/v1.2/voipstudio/users/42598')
      .reply(200, fixture('user-42598'))
      .get('/v1.2/voipstudio/users/1')
      .reply(404, { message: 'Resource not found' });
    expect(await lookupUser(settings, '42598', fetch)).toEqual({ role: 'agent', email: 'Pablo@acme.com' });
    expect(await lookupUser(settings, '1', fetch)).toBeNull();
  });

  it('a hang-up reads the CDRs that began in the two hours up to its minute (finalize)', async () => {
    const filter = JSON.stringify([
      { property: 'calldate', operator: 'gte', value: '2026-03-05 09:06:00' },
      { property: 'calldate', operator: 'lte', value: '2026-03-05 11:07:00' },
    ]);
    const api = nock('https://l7api.com')
      .get('/v1.2/voipstudio/cdrs')
      .query({ page: '1', limit: '500', filter })
      .reply(200, fixture('cdrs-page-1'));
    const deferred: Array<[string, number]> = [];
    const ctx = {
      ...context,
      users: { user: async () => null, remember: async () => {} },
      fetch,
      sleep: async () => {},
      defer: async (key: string, ms: number) => void deferred.push([key, ms]),
    };
    const payload = fixture('webhook-call-hangup');
    expect(await voipstudioConnector.normalize(payload, ctx, settings)).toEqual([]);
    expect(deferred).toEqual([['cdrs:2026-03-05 11:06:00', 60_000]]);
    const events = await voipstudioConnector.finalize!(deferred[0]![0], ctx, settings);
    expect(api.isDone()).toBe(true);
    expect(events.map((e) => e.id)).toEqual([
      'voipstudio:cdr:90211',
      'voipstudio:cdr:90212',
      'voipstudio:cdr:90213',
    ]);
  });
});
