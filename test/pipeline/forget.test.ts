import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { forgetCustomer } from '../../src/jobs/forget.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { deskpulse } from '../cli/run-cli.js';
import { api, drained, ingested, postEvents, serviceForFile, tenantContents, testConfig } from './harness.js';

const T0 = Date.parse('2026-03-03T14:00:00Z');
const MINUTE = 60_000;
let service: Service;
let redis: EmbeddedRedis;

serviceForFile(
  () => ({ config: testConfig(), now: () => T0 + 30 * 86_400_000 }),
  (started, startedRedis) => {
    service = started;
    redis = startedRedis;
  },
);

const at = (minutes: number) => new Date(T0 + minutes * MINUTE).toISOString();
const EMAIL = 'email:ana@example.com';
const PHONE = 'phone:+14155550100';
const inbound = (id: string, minutes: number) => ({
  id: `ev-${id}`,
  type: 'call',
  at: at(minutes),
  source: 'aircall',
  customer: PHONE,
  agent: 'maria',
  call: {
    id,
    direction: 'inbound',
    started_at: at(minutes),
    answered_at: at(minutes + 0.5),
    ended_at: at(minutes + 5),
    outcome: 'answered',
  },
});

const everything = () => tenantContents(service.context.redis, 'acme');

describe('forgetting a customer', () => {
  it('leaves neither the address nor the number anywhere in the tenant’s data, and every figure as it was', async () => {
    const events = [
      {
        id: 'f-1',
        type: 'ticket.created',
        at: at(0),
        source: 'zendesk',
        ticket: 'f-1',
        channel: 'email',
        customer: [EMAIL, PHONE],
      },
      {
        id: 'f-2',
        type: 'message',
        at: at(0),
        source: 'zendesk',
        ticket: 'f-1',
        author: 'customer',
        public: true,
      },
      {
        id: 'f-3',
        type: 'message',
        at: at(20),
        source: 'zendesk',
        ticket: 'f-1',
        author: 'agent',
        agent: 'maria',
        public: true,
      },
      // A call while the ticket is open links to it; one a month later makes a call case.
      inbound('c-1', 60),
      { id: 'f-4', type: 'ticket.updated', at: at(90), source: 'zendesk', ticket: 'f-1', status: 'solved' },
      inbound('c-2', 20 * 24 * 60),
      { id: 's-1', type: 'survey', at: at(100), source: 'custom', kind: 'csat', score: 5, customer: EMAIL },
    ];
    await ingested(service, 'acme', events);
    // A provider user cached with the address.
    await service.context.redis.set(
      'dp:{acme}:user:zendesk:901',
      JSON.stringify({ role: 'end-user', email: 'ana@example.com' }),
    );
    const before = {
      report: (await api(service, '/api/v1/report?group_by=none')).body,
      ticket: (await api(service, '/api/v1/tickets/f-1')).body,
      cases: (await api(service, '/api/v1/call-cases')).body.call_cases,
    };
    expect(before.ticket.calls_to_resolution).toBe(1);
    expect(before.cases).toHaveLength(1);
    expect(await everything()).toContain('ana@example.com');

    const done = await forgetCustomer(service.context, 'acme', [EMAIL, PHONE]);
    expect(done).toMatchObject({ tickets: 1, calls: 2, surveys: 1, cachedUsers: 1 });
    expect(done.doneJobs).toBeGreaterThan(0);
    expect(await service.context.queues.ingest.getCompletedCount()).toBe(0);
    expect(done.pseudonym).toMatch(/^forgotten:[0-9a-f-]{36}$/);
    await drained(service);

    const left = await everything();
    expect(left).not.toContain('ana@example.com');
    expect(left).not.toContain('14155550100');
    expect((await api(service, '/api/v1/report?group_by=none')).body).toEqual(before.report);
    expect((await api(service, '/api/v1/tickets/f-1')).body).toEqual(before.ticket);
    const cases = (await api(service, '/api/v1/call-cases')).body.call_cases;
    expect(cases).toEqual([{ ...before.cases[0], customer: done.pseudonym }]);
  });

  it('a caller who never had a ticket: the call case is made again under the pseudonym', async () => {
    const caller = 'phone:+14155550199';
    await postEvents(service, 'acme', [
      JSON.stringify({ ...inbound('c-9', 5_000), id: 'ev-c-9', customer: caller }),
    ]);
    await drained(service);
    const cases = async () =>
      ((await api(service, '/api/v1/call-cases')).body.call_cases as Array<{ customer: string }>).map(
        (callCase) => callCase.customer,
      );
    expect(await cases()).toContain(caller);
    const done = await forgetCustomer(service.context, 'acme', [caller]);
    expect(done).toMatchObject({ tickets: 0, calls: 1 });
    await drained(service);
    expect(await cases()).toContain(done.pseudonym);
    expect(await everything()).not.toContain('14155550199');
  });

  it('deskpulse forget refuses what is not a customer key', async () => {
    const result = await deskpulse(['forget', '--tenant', 'acme', '--customer', 'ana@example.com'], {
      env: { REDIS_URL: redis.url, DESKPULSE_CONFIG: '/nonexistent.yaml' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--customer: "ana@example.com" is not a customer key (kind:value');
  });
});
