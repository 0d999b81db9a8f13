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
});
