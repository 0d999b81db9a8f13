import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { checkTenantSettings } from '../../src/jobs/reconfigure.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { readFileSync } from 'node:fs';
import {
  api,
  drained,
  nockDone,
  postEvents,
  startRedis,
  startTestService,
  testConfig,
  weekdays,
  ZENDESK_SECRET,
} from './harness.js';

const zendeskFixture = (name: string) =>
  JSON.parse(readFileSync(`test/fixtures/zendesk/${name}.json`, 'utf8'));

// Tuesday 5 May 2026, 16:00Z = 12:00 in New York; answered 2 h later, at 14:00 there.
const T0 = Date.parse('2026-05-05T16:00:00Z');
const HOUR = 3_600_000;

let redis: EmbeddedRedis;
let service: Service | undefined;
const prefix = '{dp-test-reconfigure}';

/** The service (server and workers) on the same Redis and queues, with these tenant settings. */
async function start(
  settings: Record<string, unknown>,
  connectors: Record<string, unknown> = {},
): Promise<Service> {
  await service?.close();
  service = await startTestService(redis, {
    config: testConfig(settings, connectors),
    now: () => T0 + 3 * HOUR,
    queuePrefix: prefix,
  });
  await drained(service);
  return service;
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  redis = await startRedis();
});
afterAll(async () => {
  nock.enableNetConnect();
  await service?.close();
  await redis.stop();
});

const line = (id: string, hours: number, fields: Record<string, unknown>) =>
  JSON.stringify({
    id,
    at: new Date(T0 + hours * HOUR).toISOString(),
    source: 'custom',
    ticket: 'r-1',
    ...fields,
  });

/** The stored report's first response for the whole tenant (not recomputed on read). */
async function firstResponse(running: Service) {
  const { body } = await api(running, '/api/v1/report?group_by=none');
  return body.groups[0].first_response as { calendar: { mean: number }; business: { mean: number } };
}

describe("a change of a tenant's settings", () => {
  it('recomputes its stored tickets when workers start, once', async () => {
    let running = await start({});
    await postEvents(running, 'acme', [
      line('r-1', 0, { type: 'ticket.created', channel: 'email' }),
      line('r-2', 0, { type: 'message', author: 'customer', public: true }),
      line('r-3', 2, { type: 'message', author: 'agent', agent: 'maria', public: true }),
    ]);
    await drained(running);
    // No calendar: business time is calendar time.
    expect(await firstResponse(running)).toMatchObject({
      calendar: { mean: 7200 },
      business: { mean: 7200 },
    });

    // Business hours 13:00–17:00 in New York: of 12:00–14:00, one hour is open.
    running = await start({
      business_hours: { timezone: 'America/New_York', weekly: weekdays(['13:00', '17:00']) },
    });
    expect(await firstResponse(running)).toMatchObject({
      calendar: { mean: 7200 },
      business: { mean: 3600 },
    });

    // The same settings again: nothing to recompute.
    expect(await checkTenantSettings(running.context)).toEqual([]);
    // Back to the first settings, whose recompute ran (and is kept among the done jobs): again.
    running = await start({});
    expect(await firstResponse(running)).toMatchObject({ business: { mean: 7200 } });
    running = await start({
      business_hours: { timezone: 'America/New_York', weekly: weekdays(['13:00', '17:00']) },
    });
    expect(await firstResponse(running)).toMatchObject({ business: { mean: 3600 } });
    // A policy is a change too; so is going back to no calendar.
    running = await start({ sla_policies: [{ name: 'standard', targets: { first_response: '1h' } }] });
    expect(await firstResponse(running)).toMatchObject({ business: { mean: 7200 } });
    const { body } = await api(running, '/api/v1/report?group_by=none');
    expect(body.groups[0].sla).toEqual({ count: 0, eligible: 1, rate: 0 });
  });

  it("maps the history's agents anew when people are added: ids listed since, e-mails now a person's", async () => {
    let running = await start({});
    const m = (id: string, hours: number, fields: Record<string, unknown>) =>
      JSON.stringify({ id, at: new Date(T0 + hours * HOUR).toISOString(), source: 'custom', ...fields });
    await postEvents(running, 'acme', [
      m('m-1', 0, { type: 'ticket.created', ticket: 'm-1', channel: 'email' }),
      m('m-2', 0, { type: 'message', ticket: 'm-1', author: 'customer', public: true }),
      m('m-3', 1, { type: 'message', ticket: 'm-1', author: 'agent', agent: 'aircall:77', public: true }),
      m('m-4', 1.5, { type: 'message', ticket: 'm-1', author: 'customer', public: true }),
      m('m-5', 2, { type: 'message', ticket: 'm-1', author: 'agent', agent: 'ana@acme.com', public: true }),
      // A call no ticket is linked to: its own figures, and a call case.
      m('m-6', 0.5, {
        type: 'call',
        customer: 'phone:+14155550199',
        agent: 'aircall:77',
        call: {
          id: 'c-77',
          direction: 'inbound',
          started_at: new Date(T0 + 0.5 * HOUR).toISOString(),
          answered_at: new Date(T0 + 0.5 * HOUR + 20_000).toISOString(),
          ended_at: new Date(T0 + 0.5 * HOUR + 320_000).toISOString(),
          outcome: 'answered',
        },
      }),
    ]);
    await drained(running);
    interface Group {
      key: string;
      first_response: { calendar: { count: number } };
      next_response: { calendar: { count: number } };
      calls: { answered: number };
    }
    const byAgent = async (): Promise<Record<string, Group>> => {
      const { body } = await api(running, '/api/v1/report?group_by=agent');
      return Object.fromEntries((body.groups as Group[]).map((group) => [group.key, group]));
    };
    let groups = await byAgent();
    expect(Object.keys(groups).sort()).toEqual(['aircall:77', 'ana@acme.com', 'maria']);

    running = await start({ people: { maria: { aircall: '77' }, ana: { email: 'ana@acme.com' } } });
    groups = await byAgent();
    expect(Object.keys(groups).sort()).toEqual(['ana', 'maria']);
    // Maria: r-1's first response and m-1's (by aircall:77), and the call; Ana: m-1's next response.
    expect(groups.maria!.first_response.calendar.count).toBe(2);
    expect(groups.maria!.calls.answered).toBe(1);
    expect(groups.ana!.next_response.calendar.count).toBe(1);
    const { body: ticket } = await api(running, '/api/v1/tickets/m-1');
    expect(ticket.first_response.agent).toBe('maria');
    const { body: cases } = await api(running, '/api/v1/call-cases');
    expect(cases.call_cases).toMatchObject([{ customer: 'phone:+14155550199', agent: 'maria' }]);
  });

  it('undoes a mapping fixed later: events that arrived mapped are mapped again from the ids their connector wrote', async () => {
    let running = await start({ people: { maria: { aircall: '77' } }, teams: { billing: { aircall: '9' } } });
    const u = (id: string, hours: number, fields: Record<string, unknown>) =>
      JSON.stringify({ id, at: new Date(T0 + hours * HOUR).toISOString(), source: 'custom', ...fields });
    await postEvents(running, 'acme', [
      u('u-1', 0, {
        type: 'ticket.created',
        ticket: 'u-1',
        channel: 'phone',
        team: 'aircall:9',
        agent: 'aircall:77',
      }),
      u('u-2', 0, { type: 'message', ticket: 'u-1', author: 'customer', public: true }),
      u('u-3', 1, { type: 'message', ticket: 'u-1', author: 'agent', agent: 'aircall:77', public: true }),
    ]);
    await drained(running);
    const ticket = async () => (await api(running, '/api/v1/tickets/u-1')).body;
    expect(await ticket()).toMatchObject({
      agent: 'maria',
      team: 'billing',
      first_response: { agent: 'maria' },
    });

    // Aircall user 77 was Ana all along, and team 9 is not billing.
    running = await start({ people: { maria: { email: 'maria@acme.com' }, ana: { aircall: '77' } } });
    expect(await ticket()).toMatchObject({
      agent: 'ana',
      team: 'aircall:9',
      first_response: { agent: 'ana' },
    });
    // Unlisted: the ids as the connector wrote them.
    running = await start({});
    expect(await ticket()).toMatchObject({ agent: 'aircall:77', first_response: { agent: 'aircall:77' } });
  });

  it("writes every ticket's values again when push-back's fields change, not when only the upgrade records them", async () => {
    const zendesk = (fields: Record<string, number>) => ({
      zendesk: {
        subdomain: 'acme',
        email: 'api@acme.test',
        api_token: 'zd-token',
        signing_secret: ZENDESK_SECRET,
        push_back: { fields },
      },
    });
    const written: Array<{ tickets: Array<{ id: number; custom_fields: unknown[] }> }> = [];
    const expectPush = () =>
      nock('https://acme.zendesk.com')
        .put('/api/v2/tickets/update_many.json', (body) => {
          written.push(body);
          return true;
        })
        .reply(200, zendeskFixture('update-many-queued'))
        .get('/api/v2/job_statuses/82de0b044094f0c67893ac9fe64f1a99.json')
        .reply(200, zendeskFixture('job-status-completed'));
    const z = (id: string, hours: number, fields: Record<string, unknown>) =>
      JSON.stringify({
        id,
        at: new Date(T0 + hours * HOUR).toISOString(),
        source: 'zendesk',
        ticket: 'zendesk:7101',
        ...fields,
      });

    let scope = expectPush();
    let running = await start({}, zendesk({ contacts: 222 }));
    await postEvents(running, 'acme', [
      z('z-1', 0, { type: 'ticket.created', channel: 'email' }),
      z('z-2', 0, { type: 'message', author: 'customer', public: true }),
      z('z-3', 1, { type: 'message', author: 'agent', agent: 'maria', public: true }),
    ]);
    await drained(running);
    await nockDone(scope);
    expect(written.map((body) => body.tickets)).toEqual([
      [{ id: 7101, custom_fields: [{ id: 222, value: 1 }] }],
    ]);

    // A field added: the ticket's values, unchanged, go to Zendesk again with it.
    scope = expectPush();
    running = await start({}, zendesk({ contacts: 222, first_response_minutes: 111 }));
    await drained(running);
    await nockDone(scope);
    expect(written[1]?.tickets).toEqual([
      {
        id: 7101,
        custom_fields: [
          { id: 111, value: 60 },
          { id: 222, value: 1 },
        ],
      },
    ]);

    // The same settings again: nothing to write. An install upgraded to this check (values
    // written before, push-back's settings never recorded) records them without writing.
    expect(await checkTenantSettings(running.context)).toEqual([]);
    await running.context.redis.del('dp:{acme}:pushsettings');
    expect(await checkTenantSettings(running.context)).toEqual([]);
    expect(await running.context.redis.get('dp:{acme}:pushsettings')).toMatch(/^[0-9a-f]{32}$/);
    await drained(running);
    expect(written).toHaveLength(2);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
