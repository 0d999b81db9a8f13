import { readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { drained, postEvents, serviceForFile, testConfig, ZENDESK_SECRET } from './harness.js';

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/zendesk/${name}.json`, 'utf8'));
const T0 = Date.parse('2026-05-05T14:00:00Z');
let service: Service;

serviceForFile(
  () => ({
    config: testConfig(
      { sla_policies: [{ name: 'standard', targets: { first_response: '1h' } }] },
      {
        zendesk: {
          subdomain: 'acme',
          email: 'api@acme.test',
          api_token: 'zd-token',
          signing_secret: ZENDESK_SECRET,
          push_back: {
            fields: { first_response_minutes: 111, contacts: 222, fcr: 333, sla_state: 444 },
            tags: true,
          },
        },
      },
    ),
    now: () => T0 + 60 * 60_000,
  }),
  (started) => {
    service = started;
  },
);

let serial = 0;
const line = (ticket: string, minutes: number, fields: Record<string, unknown>) => {
  serial += 1;
  return JSON.stringify({
    id: `pb-${serial}`,
    at: new Date(T0 + minutes * 60_000).toISOString(),
    source: 'zendesk',
    ticket,
    ...fields,
  });
};

describe('metrics written back onto Zendesk tickets', () => {
  it('a storm of updates to one ticket yields one update_many, followed to its job status; an echo writes nothing', async () => {
    const written: Array<{ tickets: Array<Record<string, unknown>> }> = [];
    const zendesk = nock('https://acme.zendesk.com')
      .put('/api/v2/tickets/update_many.json', (body) => {
        written.push(body);
        return true;
      })
      .reply(200, fixture('update-many-queued'))
      .get('/api/v2/job_statuses/82de0b044094f0c67893ac9fe64f1a99.json')
      .reply(200, fixture('job-status-completed'));
    // Twelve deliveries within the debounce window, each recomputing the ticket.
    const storm = [
      line('zendesk:7101', 0, { type: 'ticket.created', channel: 'email', agent: 'maria' }),
      line('zendesk:7101', 0, { type: 'message', author: 'customer' }),
      line('zendesk:7101', 20, { type: 'message', author: 'agent', agent: 'maria' }),
      line('zendesk:7101', 25, { type: 'ticket.updated', status: 'solved' }),
      ...Array.from({ length: 8 }, (_, i) =>
        line('zendesk:7101', 26, { type: 'ticket.updated', tags: [`t${i}`] }),
      ),
    ];
    const answers = await Promise.all(storm.map((event) => postEvents(service, 'acme', [event])));
    expect(answers.map((answer) => answer.status)).toEqual(storm.map(() => 202));
    await drained(service);
    expect(zendesk.isDone()).toBe(true);
    expect(written).toEqual([
      {
        tickets: [
          {
            id: 7101,
            custom_fields: [
              { id: 111, value: 20 },
              { id: 222, value: 1 },
              { id: 333, value: true },
              { id: 444, value: 'met' },
            ],
            additional_tags: ['deskpulse_fcr'],
            remove_tags: ['deskpulse_sla_breached', 'deskpulse_sla_at_risk'],
          },
        ],
      },
    ]);
    const stats = await service.context.redis.hgetall('dp:{acme}:stats');
    expect(stats.pushed_tickets).toBe('1');

    // Zendesk tells us about our own update (the tags we added): same values, nothing written.
    await postEvents(service, 'acme', [
      line('zendesk:7101', 30, { type: 'ticket.updated', tags: ['deskpulse_fcr'] }),
    ]);
    await drained(service);
    expect(await service.context.redis.hlen('dp:{acme}:pushpending')).toBe(0);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('a closed ticket is not written: Zendesk refuses any change to it', async () => {
    const sent: unknown[] = [];
    const zendesk = nock('https://acme.zendesk.com')
      .put('/api/v2/tickets/update_many.json', (body) => {
        sent.push(body);
        return true;
      })
      .reply(200, fixture('update-many-queued'));
    await postEvents(service, 'acme', [
      line('zendesk:7301', 0, { type: 'ticket.created', channel: 'email', agent: 'maria' }),
      line('zendesk:7301', 0, { type: 'message', author: 'customer' }),
      line('zendesk:7301', 20, { type: 'message', author: 'agent', agent: 'maria' }),
      line('zendesk:7301', 25, { type: 'ticket.updated', status: 'solved' }),
      line('zendesk:7301', 30, { type: 'ticket.updated', status: 'closed' }),
    ]);
    await drained(service);
    expect(sent).toEqual([]);
    expect(await service.context.redis.hlen('dp:{acme}:pushpending')).toBe(0);
    expect(zendesk.isDone()).toBe(false);
    nock.cleanAll();
  });

  it('a ticket Zendesk refuses three pushes in a row leaves the pending list; the others go on', async () => {
    // Zendesk answers every update_many with a job whose results refuse ticket 7401.
    const batches: number[][] = [];
    nock('https://acme.zendesk.com')
      .persist()
      .put('/api/v2/tickets/update_many.json')
      .reply(200, (_, body) => {
        const ids = (body as { tickets: Array<{ id: number }> }).tickets.map((ticket) => ticket.id).sort();
        batches.push(ids);
        return { job_status: { id: `job-${batches.length}`, status: 'queued' } };
      })
      .get(/\/api\/v2\/job_statuses\/job-\d+\.json/)
      .reply(200, (uri) => {
        const ids = batches[Number(/job-(\d+)/.exec(uri)![1]) - 1]!;
        return {
          job_status: {
            id: 'job',
            status: 'completed',
            results: ids.map((id) =>
              id === 7401
                ? { id, error: 'TicketNotFound', details: 'Ticket 7401 not found' }
                : { action: 'update', id, status: 'Updated', success: true },
            ),
          },
        };
      });
    const step = async (events: string[]) => {
      await postEvents(service, 'acme', events);
      await drained(service);
    };
    const stats = () => service.context.redis.hgetall('dp:{acme}:stats');
    const before = await stats();
    const counted = async (name: string) => Number((await stats())[name] ?? 0) - Number(before[name] ?? 0);

    await step([
      line('zendesk:7401', 0, { type: 'ticket.created', channel: 'email' }),
      line('zendesk:7401', 0, { type: 'message', author: 'customer' }),
    ]);
    await step([
      line('zendesk:7402', 0, { type: 'ticket.created', channel: 'email' }),
      line('zendesk:7402', 0, { type: 'message', author: 'customer' }),
    ]);
    expect(await service.context.redis.hexists('dp:{acme}:pushpending', 'zendesk:7401')).toBe(1);
    await step([line('zendesk:7402', 10, { type: 'message', author: 'agent', agent: 'maria' })]);
    // Refused a third time: dropped, and not sent with the next push.
    expect(await service.context.redis.hlen('dp:{acme}:pushpending')).toBe(0);
    await step([line('zendesk:7402', 15, { type: 'ticket.updated', status: 'solved' })]);
    expect(batches).toEqual([[7401], [7401, 7402], [7401, 7402], [7402]]);
    // Recomputed to the same values (a tag changed): still not sent. New values: sent again.
    await step([line('zendesk:7401', 16, { type: 'ticket.updated', tags: ['vip'] })]);
    expect(batches).toHaveLength(4);
    await step([line('zendesk:7401', 17, { type: 'message', author: 'agent', agent: 'maria' })]);
    expect(batches.at(-1)).toEqual([7401]);
    expect(await counted('push_failed')).toBe(4);
    expect(await counted('push_dropped')).toBe(1);
    expect(await counted('pushed_tickets')).toBe(3);
    nock.cleanAll();
  });
});
