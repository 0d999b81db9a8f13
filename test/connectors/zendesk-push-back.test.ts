import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketUpdate, updateMany } from '../../src/connectors/zendesk/push-back.js';
import { zendeskSettingsSchema } from '../../src/connectors/zendesk/settings.js';

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/zendesk/${name}.json`, 'utf8'));
const settings = zendeskSettingsSchema.parse({
  subdomain: 'acme',
  email: 'api@acme.test',
  api_token: 'zd-token',
  signing_secret: 'x',
  push_back: { fields: { first_response_minutes: 111, sla_state: 444 } },
});

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('Zendesk update_many', () => {
  it('waits out a 429 as Retry-After says, then follows the job status until it completes', async () => {
    const zendesk = nock('https://acme.zendesk.com')
      .put('/api/v2/tickets/update_many.json')
      .reply(429, '', { 'retry-after': '3' })
      .put('/api/v2/tickets/update_many.json')
      .reply(200, fixture('update-many-queued'))
      .get('/api/v2/job_statuses/82de0b044094f0c67893ac9fe64f1a99.json')
      .reply(200, { job_status: { ...fixture('update-many-queued').job_status, status: 'working' } })
      .get('/api/v2/job_statuses/82de0b044094f0c67893ac9fe64f1a99.json')
      .reply(200, fixture('job-status-completed'));
    const sleeps: number[] = [];
    const update = ticketUpdate(
      '7101',
      {
        first_response_minutes: 20,
        resolution_minutes: null,
        contacts: 1,
        calls_to_resolution: 0,
        fcr: true,
        sla_state: 'met',
      },
      settings.push_back!,
    );
    expect(update).toEqual({
      id: 7101,
      custom_fields: [
        { id: 111, value: 20 },
        { id: 444, value: 'met' },
      ],
    });
    const result = await updateMany(settings, [update], {
      fetch,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      pollMs: 500,
    });
    expect(zendesk.isDone()).toBe(true);
    expect(sleeps).toEqual([3000, 500, 500]);
    expect(result).toEqual({ updated: [7101], failed: [] });
  });

  it('a failed job is an error; a ticket Zendesk could not update is reported', async () => {
    nock('https://acme.zendesk.com')
      .put('/api/v2/tickets/update_many.json')
      .reply(200, {
        job_status: { id: 'j1', status: 'completed', results: [{ id: 1, error: 'TicketNotFound' }] },
      });
    expect(await updateMany(settings, [{ id: 1 }], { fetch, sleep: async () => {} })).toEqual({
      updated: [],
      failed: [{ id: 1, error: 'TicketNotFound' }],
    });
    nock('https://acme.zendesk.com')
      .put('/api/v2/tickets/update_many.json')
      .reply(200, { job_status: { id: 'j2', status: 'failed', message: 'boom' } });
    await expect(updateMany(settings, [{ id: 1 }], { fetch, sleep: async () => {} })).rejects.toThrow(
      'Zendesk job j2 failed: boom',
    );
  });
});
