import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { EXPIRE_PATTERN, expireTenant } from '../../src/jobs/expire.js';
import { tenantSchema } from '../../src/model/config.js';
import { writeTicketResult } from '../../src/store/results.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { deskpulse } from '../cli/run-cli.js';
import {
  api,
  drained,
  ingested,
  postEvents,
  serviceForFile,
  TOKEN,
  tenantContents,
  testConfig,
} from './harness.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const T0 = Date.parse('2026-03-03T14:00:00Z');
/** Forty-five days later: with a retention of 30 days, T0's history is past the horizon. */
const NOW = T0 + 45 * DAY;
let service: Service;

let redis: EmbeddedRedis;

serviceForFile(
  () => ({ config: testConfig({ retention: '30d' }), now: () => NOW }),
  (started, startedRedis) => {
    service = started;
    redis = startedRedis;
  },
);

const at = (ms: number) => new Date(ms).toISOString();
const ALMA = 'phone:+14155550101';
const BRUNO = 'phone:+14155550102';
const CARLA = 'phone:+14155550104';
const ticketEvent = (id: string, ticket: string, ms: number, fields: Record<string, unknown>) => ({
  id,
  at: at(ms),
  source: 'zendesk',
  ticket,
  ...fields,
});
const call = (id: string, ms: number, customer: string) => ({
  id: `ev-${id}`,
  type: 'call',
  at: at(ms),
  source: 'aircall',
  customer,
  agent: 'maria',
  call: {
    id,
    direction: 'inbound',
    started_at: at(ms),
    answered_at: at(ms + 30_000),
    ended_at: at(ms + 5 * MINUTE),
    outcome: 'answered',
  },
});
/** A ticket created at `ms`, answered 20 minutes later, solved an hour later unless `open`. */
const ticket = (key: string, ms: number, customer: string, open = false) => [
  ticketEvent(`${key}-1`, key, ms, { type: 'ticket.created', channel: 'phone', customer }),
  ticketEvent(`${key}-2`, key, ms, { type: 'message', author: 'customer', public: true }),
  ticketEvent(`${key}-3`, key, ms + 20 * MINUTE, {
    type: 'message',
    author: 'agent',
    agent: 'maria',
    public: true,
  }),
  ...(open
    ? []
    : [ticketEvent(`${key}-4`, key, ms + 60 * MINUTE, { type: 'ticket.updated', status: 'solved' })]),
];

describe('retention', () => {
  it('is at least 30 days', () => {
    expect(tenantSchema.safeParse({ id: 'a', retention: '29d' }).error?.issues[0]).toMatchObject({
      path: ['retention'],
      message: 'must be at least 30d',
    });
    expect(tenantSchema.parse({ id: 'a', retention: '400d' }).retention).toBe(400 * 86_400);
  });

  it('removes resolved tickets, ticketless calls and surveys past it; what is kept keeps its figures', async () => {
    const events = [
      // Past the horizon: a solved ticket with the call that opened it, and Bruno's call case.
      call('c-old', T0 - 10 * MINUTE, ALMA),
      ...ticket('old-solved', T0, ALMA),
      call('c-bruno-old', T0, BRUNO),
      { id: 's-old', type: 'survey', at: at(T0), source: 'custom', kind: 'csat', score: 2, customer: BRUNO },
      // Past the horizon but still open: kept.
      ...ticket('old-open', T0, 'phone:+14155550103', true),
      // Carla's call case straddles the horizon (calls 5 days apart, the second one a different
      // number of hers): kept whole while its latest call is within it.
      call('c-carla-1', NOW - 33 * DAY, CARLA),
      { ...call('c-carla-2', NOW - 28 * DAY, 'phone:+14155550105'), customer: [CARLA, 'phone:+14155550105'] },
      // Within it.
      ...ticket('new-solved', NOW - 2 * DAY, ALMA),
      call('c-bruno-new', NOW - 3 * DAY, BRUNO),
      {
        id: 's-new',
        type: 'survey',
        at: at(NOW - DAY),
        source: 'custom',
        kind: 'csat',
        score: 5,
        customer: BRUNO,
      },
    ];
    await ingested(service, 'acme', events);
    const recent = `/api/v1/report?group_by=agent&from=${at(NOW - 10 * DAY)}&to=${at(NOW)}`;
    const before = {
      recent: (await api(service, recent)).body,
      open: (await api(service, '/api/v1/tickets/old-open')).body,
      solved: (await api(service, '/api/v1/tickets/new-solved')).body,
      cases: (await api(service, '/api/v1/call-cases')).body.call_cases,
    };
    expect((await api(service, '/api/v1/tickets/old-solved')).body.calls_to_resolution).toBe(1);
    expect(before.cases.map((c: { customer: string; calls: number }) => [c.customer, c.calls])).toEqual([
      [BRUNO, 1],
      [BRUNO, 1],
      [CARLA, 2],
    ]);

    expect(await expireTenant(service.context, 'acme')).toEqual({ tickets: 1, calls: 2, surveys: 1 });
    await drained(service);

    expect(await api(service, '/api/v1/tickets/old-solved')).toEqual({
      status: 404,
      body: {
        error: 'not found',
        reason: "ticket old-solved was removed by the tenant's retention (resolved, and older)",
        removed: true,
      },
    });
    expect((await api(service, '/api/v1/tickets/never-seen')).body).toEqual({
      error: 'not found',
      reason: 'no ticket never-seen',
    });
    expect((await api(service, '/api/v1/tickets/old-open')).body).toEqual(before.open);
    expect((await api(service, '/api/v1/tickets/new-solved')).body).toEqual(before.solved);
    expect((await api(service, recent)).body).toEqual(before.recent);
    // Bruno's old case went with its call; his recent one and Carla's are as they were.
    expect((await api(service, '/api/v1/call-cases')).body.call_cases).toEqual(before.cases.slice(1));
    const all = (await api(service, '/api/v1/report?group_by=none')).body.groups[0];
    expect(all.resolved).toBe(1);
    expect(all.csat).toMatchObject({ responses: 1, positive: 1 });

    // Nothing of them is left but their event ids, which still drop late copies, and the removed
    // ticket's last version.
    const seen = await service.context.redis.hgetall('dp:{acme}:seen');
    const versions = await service.context.redis.hgetall('dp:{acme}:expiredver');
    expect(Object.keys(versions)).toEqual(['old-solved']);
    const left = (await tenantContents(service.context.redis, 'acme'))
      .replace(JSON.stringify(seen), '')
      .replace(JSON.stringify(versions), '');
    for (const gone of ['old-solved', 'c-old', 'c-bruno-old', 's-old']) expect(left).not.toContain(gone);
    expect(seen['old-solved-1']).toBe('old-solved');
    // A recompute that read the ticket before it went, writing after: nothing is written.
    const late = await writeTicketResult(
      service.context.redis,
      'acme',
      'old-solved',
      99,
      before.solved,
      [],
      [ALMA],
    );
    expect(late).toBe(false);
    expect(await service.context.redis.hexists('dp:{acme}:ticket', 'old-solved')).toBe(0);
    expect(await service.context.redis.smembers(`dp:{acme}:cust:${ALMA}`)).toEqual(['new-solved']);
    // Alma has no ticketless call left: her key no longer calls for relinking her tickets.
    expect((await service.context.redis.smembers('dp:{acme}:callkeys')).sort()).toEqual([
      BRUNO,
      CARLA,
      'phone:+14155550105',
    ]);
    expect(await service.context.redis.exists(`dp:{acme}:kcalls:${ALMA}`)).toBe(0);
    const stats = await service.context.redis.hgetall('dp:{acme}:stats');
    expect(stats).toMatchObject({ expired_tickets: '1', expired_calls: '2', expired_surveys: '1' });
    await postEvents(service, 'acme', [JSON.stringify(events[1])]);
    await drained(service);
    expect((await api(service, '/api/v1/tickets/old-solved')).status).toBe(404);
    expect(Number((await service.context.redis.hgetall('dp:{acme}:stats')).duplicates)).toBe(
      Number(stats.duplicates ?? 0) + 1,
    );

    // New events of a removed ticket start it again, partial (we joined late), each computed: its
    // versions go on from the removed one's, whose compute jobs (named by version) may still be
    // kept among the done ones — a new version 4 was taken for the done job of 4, and not computed.
    const version = Number(await service.context.redis.hget('dp:{acme}:expiredver', 'old-solved'));
    // Its four events came in one delivery (version 4), a relink moved its call (5).
    expect(version).toBe(5);
    const again = [
      { type: 'message', author: 'customer', public: true },
      { type: 'message', author: 'agent', agent: 'maria', public: true },
      { type: 'message', author: 'customer', public: true },
      { type: 'ticket.updated', status: 'solved' },
    ];
    for (const [i, fields] of again.entries())
      await ingested(service, 'acme', [
        ticketEvent(`old-solved-${5 + i}`, 'old-solved', NOW - DAY + i * MINUTE, fields),
      ]);
    expect((await api(service, '/api/v1/tickets/old-solved')).body).toMatchObject({
      ticket: 'old-solved',
      partial: true,
      status: 'solved',
      replies: 1,
    });
    // Every version computed and stored (the API's ticket is computed on read; reports are not).
    expect(await service.context.redis.hget('dp:{acme}:ver', 'old-solved')).toBe(String(version + 4));
    expect(await service.context.redis.hget('dp:{acme}:done', 'old-solved')).toBe(String(version + 4));
    expect(await service.context.redis.hexists('dp:{acme}:expiredver', 'old-solved')).toBe(0);

    // Again: nothing more to remove.
    expect(await expireTenant(service.context, 'acme')).toEqual({ tickets: 0, calls: 0, surveys: 0 });
  });

  it('runs daily on the workers, for the tenants that have one', async () => {
    const link = service.context.queues.link;
    expect(await link.getJobScheduler('expire-check')).toMatchObject({ pattern: EXPIRE_PATTERN });
    const job = await link.add('expire-check', {});
    await drained(service);
    expect((await link.getJob(job.id as string))?.returnvalue).toBe(
      'expired acme: 0 tickets, 0 calls, 0 surveys',
    );
  });

  it("deskpulse expire applies it now, in the service's Redis; a tenant without one is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskpulse-expire-'));
    const config = (retention: Record<string, string>) => {
      const path = join(dir, `config-${Object.keys(retention).length}.json`);
      writeFileSync(
        path,
        JSON.stringify({ tenants: [{ id: 'acme', api_tokens: [TOKEN], connectors: {}, ...retention }] }),
      );
      return path;
    };
    const refused = await deskpulse(['expire', '--tenant', 'acme', '--config', config({})], {
      env: { REDIS_URL: redis.url },
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--tenant: tenant "acme" has no retention in the config');

    // Today, months after the sample: the recent solved tickets, calls and survey of the test above
    // are past 30 days too; the open ticket stays.
    const applied = await deskpulse(
      ['expire', '--tenant', 'acme', '--config', config({ retention: '30d' })],
      {
        env: { REDIS_URL: redis.url },
      },
    );
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe(
      'Removed what is older than 30 days: 2 resolved tickets, 3 ticketless calls, 1 surveys.\n',
    );
    expect(applied.code).toBe(0);
    await drained(service);
    expect((await api(service, '/api/v1/tickets/new-solved')).status).toBe(404);
    expect((await api(service, '/api/v1/tickets/old-open')).status).toBe(200);
  });
});
