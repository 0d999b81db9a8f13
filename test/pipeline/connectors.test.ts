import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { buildServiceConfig } from '../../src/config/service-config.js';
import { sign as signIntercom } from '../../src/connectors/intercom/index.js';
import { sign as signTwilio } from '../../src/connectors/twilio/signature.js';
import { compute, EventCollector } from '../../src/metrics/compute.js';
import { callCaseJson, reportJson } from '../../src/metrics/output.js';
import { configSchema } from '../../src/model/config.js';
import type { NormalizedEvent } from '../../src/model/events.js';
import { tenantPrefix } from '../../src/store/redis.js';
import { readLoose, readTimeline } from '../../src/store/timelines.js';
import { api, drained, serviceForFile } from './harness.js';

const NOW = Date.parse('2026-04-01T12:00:00Z');
const AIRCALL_TOKEN = 'aircall-webhook-token-0123';
const INTERCOM_SECRET = 'intercom-client-secret-for-tests';
const TWILIO_TOKEN = 'twilio-auth-token-for-tests';
const TENANTS = ['acme', 'initech', 'umbrella'] as const;
const publicUrl = (tenant: string) => `https://deskpulse.example.com/webhooks/twilio/${tenant}`;
const tokens: Record<string, string> = Object.fromEntries(
  TENANTS.map((tenant) => [tenant, `token-${tenant}-${randomBytes(8).toString('hex')}`]),
);

const config = buildServiceConfig(
  configSchema.parse({
    tenants: TENANTS.map((id) => ({
      id,
      api_tokens: [tokens[id]],
      default_country: 'US',
      connectors: {
        aircall: { webhook_token: AIRCALL_TOKEN },
        intercom: { client_secret: INTERCOM_SECRET, access_token: 'intercom-access-token' },
        // Umbrella decides unsettled calls after 1 s; the others wait longer than the test's steps.
        twilio: {
          auth_token: TWILIO_TOKEN,
          public_url: publicUrl(id),
          settle_seconds: id === 'umbrella' ? 1 : 30,
        },
      },
      people: { maria: { email: 'maria@acme.test' } },
      teams: { billing: { aircall: '3301', intercom: '5017691', twilio: `WQ${'c'.repeat(32)}` } },
    })),
  }),
  'test',
);

const raw = (provider: string, name: string) =>
  readFileSync(`test/fixtures/${provider}/${name}.json`, 'utf8');
let service: Service;

serviceForFile(
  () => ({ config, now: () => NOW }),
  (started: Service) => {
    service = started;
  },
);

type Delivery = { provider: 'aircall' | 'intercom' | 'twilio'; name: string };
function post(tenant: string, { provider, name }: Delivery, body = raw(provider, name)): Promise<Response> {
  const url = `${service.url}/webhooks/${provider}/${tenant}`;
  if (provider === 'aircall')
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (provider === 'intercom') {
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature': signIntercom(INTERCOM_SECRET, body) },
      body,
    });
  }
  const params = Object.entries(JSON.parse(body) as Record<string, string>);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilio(TWILIO_TOKEN, publicUrl(tenant), params),
    },
    body: new URLSearchParams(params).toString(),
  });
}

const get = (tenant: string, path: string) => api(service, path, tokens[tenant]);

describe('POST /webhooks/aircall/:tenant', () => {
  it('refuses a wrong token (401), names a missing field (400), acknowledges other topics (202)', async () => {
    const wrong = raw('aircall', 'call-ended-answered').replace(AIRCALL_TOKEN, 'not-the-token');
    expect((await post('umbrella', { provider: 'aircall', name: '' }, wrong)).status).toBe(401);
    const missing = JSON.parse(raw('aircall', 'call-ended-answered'));
    delete missing.data.direction;
    const bad = await post('umbrella', { provider: 'aircall', name: '' }, JSON.stringify(missing));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'bad payload',
      reason: 'data.direction must be one of inbound, outbound',
    });
    await drained(service);
    const stats = await service.context.redis.hgetall(`${tenantPrefix('umbrella')}stats`);
    expect((await post('umbrella', { provider: 'aircall', name: 'call-created' })).status).toBe(202);
    await drained(service);
    expect(
      Number((await service.context.redis.hgetall(`${tenantPrefix('umbrella')}stats`)).ignored_deliveries),
    ).toBe(Number(stats.ignored_deliveries ?? 0) + 1);
  });
});

describe('POST /webhooks/intercom/:tenant and /webhooks/twilio/:tenant', () => {
  it('refuse a bad signature with 401 and acknowledge topics deskpulse does not use', async () => {
    const body = raw('intercom', 'conversation-user-created');
    const forged = await fetch(`${service.url}/webhooks/intercom/umbrella`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature': signIntercom('wrong', body) },
      body,
    });
    expect(forged.status).toBe(401);
    expect((await post('umbrella', { provider: 'intercom', name: 'contact-user-created' })).status).toBe(202);
    const params = Object.entries(JSON.parse(raw('twilio', 'voice-ringing')) as Record<string, string>);
    const twilioForged = await fetch(`${service.url}/webhooks/twilio/umbrella`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        // Signed for another tenant's URL: the signature covers the URL.
        'x-twilio-signature': signTwilio(TWILIO_TOKEN, publicUrl('acme'), params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(twilioForged.status).toBe(401);
    expect((await post('umbrella', { provider: 'twilio', name: 'worker-activity-update' })).status).toBe(202);
    const missing = JSON.parse(raw('twilio', 'voice-completed'));
    delete missing.Timestamp;
    const bad = await post('umbrella', { provider: 'twilio', name: '' }, JSON.stringify(missing));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { reason: string }).reason).toBe('Timestamp is required');
  });
});

// The same deliveries in three orders: calls before and after the conversation they belong to,
// TaskRouter events before and after the call's status callbacks, and everything twice.
const DELIVERIES: Delivery[] = [
  { provider: 'aircall', name: 'call-ended-answered' },
  { provider: 'aircall', name: 'call-ended-abandoned' },
  { provider: 'intercom', name: 'conversation-user-created' },
  { provider: 'intercom', name: 'conversation-operator-replied' },
  { provider: 'intercom', name: 'conversation-admin-assigned' },
  { provider: 'intercom', name: 'conversation-admin-noted' },
  { provider: 'intercom', name: 'conversation-admin-replied' },
  { provider: 'intercom', name: 'conversation-admin-closed' },
  { provider: 'intercom', name: 'conversation-rating-added' },
  { provider: 'twilio', name: 'voice-ringing' },
  { provider: 'twilio', name: 'task-created' },
  { provider: 'twilio', name: 'voice-in-progress' },
  { provider: 'twilio', name: 'reservation-accepted' },
  { provider: 'twilio', name: 'voice-completed' },
];

async function storedEvents(tenant: string): Promise<NormalizedEvent[]> {
  const redisClient = service.context.redis;
  const tickets = await redisClient.smembers(`${tenantPrefix(tenant)}tickets`);
  const events: NormalizedEvent[] = [];
  for (const ticket of tickets)
    events.push(...((await readTimeline(redisClient, tenant, ticket))?.events ?? []));
  const loose = await readLoose(redisClient, tenant);
  return [...events, ...loose.calls, ...loose.surveys];
}

describe('live linking across connectors', () => {
  it('gives the same report whatever order the deliveries arrive in, equal to deskpulse compute', async () => {
    const contact = nock('https://api.intercom.io')
      .get('/contacts/6762f0dd1bb69f9f2193bb83')
      .times(3)
      .reply(200, raw('intercom', 'contact'), { 'content-type': 'application/json' });
    // A rating that arrives before any reply names a teammate deskpulse has not seen: looked up.
    nock('https://api.intercom.io')
      .get('/admins/991267')
      .times(3)
      .reply(200, raw('intercom', 'admin'), { 'content-type': 'application/json' });
    const orders: Record<(typeof TENANTS)[number], Delivery[]> = {
      acme: DELIVERIES,
      initech: [...DELIVERIES].reverse(),
      umbrella: [
        ...DELIVERIES.filter((_, i) => i % 2 === 1),
        ...DELIVERIES.filter((_, i) => i % 2 === 0),
        ...DELIVERIES,
      ],
    };
    for (const tenant of TENANTS) {
      for (const delivery of orders[tenant]) {
        const response = await post(tenant, delivery);
        expect(response.status, `${tenant} ${delivery.name}`).toBe(202);
        // Let each delivery be processed on its own, so the order of arrival is the order of work.
        if (tenant !== 'umbrella') await drained(service);
      }
    }
    await drained(service);
    expect(contact.isDone()).toBe(true);

    const reports = await Promise.all(TENANTS.map((tenant) => get(tenant, '/api/v1/report?group_by=agent')));
    for (const tenant of TENANTS) {
      const events = await storedEvents(tenant);
      const collector = new EventCollector();
      for (const event of events) collector.add(structuredClone(event));
      const offline = reportJson(compute(collector, config.tenants.get(tenant)!.config, NOW), {
        groupBy: 'agent',
        from: null,
        to: null,
      });
      const live = reports[TENANTS.indexOf(tenant)]!.body;
      expect(live.groups, tenant).toEqual(JSON.parse(JSON.stringify(offline.groups)));
      const collector2 = new EventCollector();
      for (const event of events) collector2.add(structuredClone(event));
      const { callCases } = compute(collector2, config.tenants.get(tenant)!.config, NOW);
      expect((await get(tenant, '/api/v1/call-cases')).body.call_cases, tenant).toEqual(
        JSON.parse(JSON.stringify(callCases.map(callCaseJson))),
      );
    }
    expect(reports[1]!.body).toEqual(reports[0]!.body);
    expect(reports[2]!.body.groups).toEqual(reports[0]!.body.groups);

    // One agent, one row: Maria's Intercom reply, Aircall call and Twilio call (mapped by e-mail).
    const maria = reports[0]!.body.groups.find((group: { key: string }) => group.key === 'maria');
    expect(maria).toMatchObject({
      first_response: { calendar: { count: 1, mean: 600 } },
      calls: { inbound: 2, answered: 2 },
      csat: { responses: 1 },
    });
    // The abandoned Aircall call rang no agent: its team is the Aircall number, which the tenant
    // has not mapped (`teams.billing.aircall-number`), and the report says so.
    expect(reports[0]!.body.identity).toEqual({ unmapped_events: 1 });
    expect(reports[0]!.body.groups.map((group: { key: string | null }) => group.key).sort()).toEqual([
      'maria',
      null,
    ]);

    // The Aircall call 10 minutes before the chat opened it: one contact, linked by phone number.
    const ticket = await get('acme', '/api/v1/tickets/intercom:147');
    expect(ticket.body).toMatchObject({
      status: 'solved',
      agent: 'maria',
      channel: 'chat',
      calls_to_resolution: 1,
      contacts: 1,
      replies: 1,
      first_response: { calendar: 600, agent: 'maria' },
    });
    // The Twilio call went through TaskRouter: queue wait 63 s (ringing 10:00:00 → accepted 10:01:03).
    const [all] = (await get('acme', '/api/v1/report?group_by=none')).body.groups;
    expect(all.calls).toMatchObject({ inbound: 3, answered: 2, abandoned: 1 });
    expect(all.calls.wait.count).toBe(2);
    expect([...(await storedEvents('acme'))].find((e) => e.id.startsWith('twilio:call:'))).toMatchObject({
      agent: 'maria',
      team: 'billing',
      customer: ['phone:+14155550123'],
      call: {
        answered_at: '2026-03-10T10:01:03.000Z',
        started_at: '2026-03-10T10:00:00.000Z',
        outcome: 'answered',
      },
    });
  });

  it('a call abandoned in the TaskRouter queue is abandoned, whichever delivery comes last', async () => {
    const sid = `CA${'9'.repeat(32)}`;
    const swap = (name: string) => raw('twilio', name).replaceAll(`CA${'1'.repeat(32)}`, sid);
    for (const name of ['voice-completed', 'task-created', 'voice-ringing', 'task-canceled']) {
      const completed =
        name === 'voice-completed'
          ? swap(name).replace('"CallDuration": "422"', '"CallDuration": "63"')
          : swap(name);
      expect((await post('initech', { provider: 'twilio', name }, completed)).status).toBe(202);
    }
    await drained(service);
    const call = (await storedEvents('initech')).find((event) => event.id === `twilio:call:${sid}`);
    expect(call).toMatchObject({ call: { outcome: 'abandoned' } });
    expect(call).not.toHaveProperty('agent');
    expect((call as { call: object }).call).not.toHaveProperty('answered_at');
  });

  it('a call that never queued is decided when the settling time is over, answered when in progress', async () => {
    const sid = `CA${'8'.repeat(32)}`;
    for (const name of ['voice-in-progress', 'voice-completed', 'voice-ringing']) {
      const body = raw('twilio', name).replaceAll(`CA${'1'.repeat(32)}`, sid);
      expect((await post('umbrella', { provider: 'twilio', name }, body)).status).toBe(202);
    }
    await drained(service);
    const call = (await storedEvents('umbrella')).find((event) => event.id === `twilio:call:${sid}`);
    expect(call).toMatchObject({
      customer: ['phone:+14155550123'],
      call: {
        started_at: '2026-03-10T10:00:00.000Z',
        answered_at: '2026-03-10T10:00:02.000Z',
        ended_at: '2026-03-10T10:07:02.000Z',
        outcome: 'answered',
      },
    });
    expect(call).not.toHaveProperty('team');
  });
});
