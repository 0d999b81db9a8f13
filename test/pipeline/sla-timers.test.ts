import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { sign as signSlack } from '../../src/alerts/signature.js';
import { readAlert } from '../../src/jobs/notify.js';
import type { Service } from '../../src/cli/service.js';
import { jobId } from '../../src/jobs/queues.js';
import type { EmbeddedRedis } from '../../src/store/embedded-redis.js';
import { api, drained, postEvents, serviceForFile, startTestService, testConfig } from './harness.js';

const T0 = Date.parse('2026-05-05T14:00:00Z');
const SLACK_SECRET = 'slack-signing-secret-for-tests';
const MINUTE = 60_000;
const clock = { now: T0 };
let service: Service;

const options = () => ({
  config: testConfig({
    sla_policies: [{ name: 'standard', targets: { first_response: '1h', resolution: '8h' }, warn_at: 0.75 }],
    slack: {
      signing_secret: SLACK_SECRET,
      ticket_url: 'https://acme.zendesk.com/agent/tickets/{id}',
      // Only the VIP team's alerts go to Slack in these tests.
      destinations: [{ webhook_url: 'https://hooks.slack.com/services/T0/B0/vip', teams: ['vip'] }],
      digest: { hour: 9 },
    },
  }),
  now: () => clock.now,
});
let redisForRestart: EmbeddedRedis;

serviceForFile(options, (started, redis) => {
  service = started;
  redisForRestart = redis;
});

let serial = 0;
const line = (ticket: string, minutes: number, fields: Record<string, unknown>) => {
  serial += 1;
  return JSON.stringify({
    id: `sla-${serial}`,
    at: new Date(T0 + minutes * MINUTE).toISOString(),
    source: 'custom',
    ticket,
    ...fields,
  });
};
const opened = (ticket: string) => [
  line(ticket, 0, { type: 'ticket.created', channel: 'email', agent: 'maria' }),
  line(ticket, 0, { type: 'message', author: 'customer', public: true }),
];
const timerId = (ticket: string, metric: string, kind: string, minutes: number) =>
  jobId('sla', 'acme', ticket, 'standard', metric, kind, T0 + minutes * MINUTE);

/** Move the clock and fire a timer now instead of waiting for it. */
async function fire(id: string, minutes: number): Promise<void> {
  clock.now = T0 + minutes * MINUTE;
  const job = await service.context.queues.sla.getJob(id);
  expect(job, id).toBeDefined();
  expect(await job!.getState()).toBe('delayed');
  await job!.promote();
  await drained(service);
}
const alerts = async () =>
  (await api(service, '/api/v1/alerts')).body.alerts as Array<Record<string, unknown>>;

describe('SLA timers', () => {
  it('set at the at-risk and breach instants; the at-risk alert fires; a target met meanwhile raises nothing', async () => {
    clock.now = T0 + 10 * MINUTE;
    expect((await postEvents(service, 'acme', opened('s-1'))).status).toBe(202);
    await drained(service);
    const delayed = (await service.context.queues.sla.getJobs(['delayed'])).map((job) => job.id).sort();
    expect(delayed).toEqual(
      [
        timerId('s-1', 'first_response', 'at_risk', 45),
        timerId('s-1', 'first_response', 'breached', 60),
        timerId('s-1', 'resolution', 'at_risk', 360),
        timerId('s-1', 'resolution', 'breached', 480),
      ].sort(),
    );

    await fire(timerId('s-1', 'first_response', 'at_risk', 45), 46);
    const [risk] = await alerts();
    expect(risk).toMatchObject({
      ticket: 's-1',
      kind: 'at_risk',
      metric: 'first_response',
      target_seconds: 3600,
      due_at: new Date(T0 + 60 * MINUTE).toISOString(),
      set_for: new Date(T0 + 45 * MINUTE).toISOString(),
      lag_ms: MINUTE,
      agent: 'maria',
    });

    // Maria answers at 14:50: the breach timer finds the target achieved.
    clock.now = T0 + 50 * MINUTE;
    await postEvents(service, 'acme', [
      line('s-1', 50, { type: 'message', author: 'agent', agent: 'maria' }),
    ]);
    await drained(service);
    await fire(timerId('s-1', 'first_response', 'breached', 60), 61);
    expect(await alerts()).toHaveLength(1);
  });

  it('a breach alerts once; a storm of updates sets one timer per target and kind', async () => {
    clock.now = T0 + 5 * MINUTE;
    await postEvents(service, 'acme', opened('s-2'));
    for (let i = 0; i < 20; i += 1) {
      await postEvents(service, 'acme', [line('s-2', 5, { type: 'ticket.updated', tags: [`t${i}`] })]);
    }
    await drained(service);
    const timers = (await service.context.queues.sla.getJobs(['delayed'])).filter(
      (job) => job.data.ticket === 's-2',
    );
    expect(timers).toHaveLength(4);
    const before = (await alerts()).length;
    await fire(timerId('s-2', 'first_response', 'breached', 60), 60);
    const [breach] = await alerts();
    expect(breach).toMatchObject({ ticket: 's-2', kind: 'breached', lag_ms: 0 });
    // The same timer firing again (a retry, a duplicate) raises nothing new.
    const fired = await service.context.queues.sla.getJob(timerId('s-2', 'first_response', 'breached', 60));
    await service.context.queues.sla.add('breached', fired!.data);
    await drained(service);
    expect(await alerts()).toHaveLength(before + 1);
  });

  it('an alert goes to Slack once, waiting out a 429; on it records who took it and updates the message', async () => {
    clock.now = T0 + 10 * MINUTE;
    await postEvents(service, 'acme', [
      line('s-3', 0, { type: 'ticket.created', channel: 'email', agent: 'maria', team: 'vip' }),
      line('s-3', 0, { type: 'message', author: 'customer', public: true }),
    ]);
    await drained(service);
    const posted: Array<{ text: string; blocks: Array<{ type: string; text?: { text: string } }> }> = [];
    const slack = nock('https://hooks.slack.com')
      .post('/services/T0/B0/vip')
      .reply(429, 'rate_limited', { 'retry-after': '1' })
      .post('/services/T0/B0/vip', (body) => {
        posted.push(body);
        return true;
      })
      .reply(200, 'ok');
    await fire(timerId('s-3', 'first_response', 'at_risk', 45), 45);
    expect(slack.isDone()).toBe(true);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toBe(':warning: SLA at risk: first response of s-3');
    expect(posted[0]!.blocks[1]!.text!.text).toContain('*15m 00s left*');
    const stats = await service.context.redis.hgetall('dp:{acme}:stats');
    expect(stats).toMatchObject({ slack_sent: '1', slack_rate_limited: '1' });

    const [alert] = await alerts();
    const payload = {
      type: 'block_actions',
      user: { id: 'U42', name: 'lee' },
      actions: [{ action_id: 'deskpulse_on_it', value: `acme|${String(alert!.id)}` }],
      response_url: 'https://hooks.slack.com/actions/T0/42/secret',
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const timestamp = String(Math.floor(Date.now() / 1000));
    /** A request to the actions endpoint, signed with `secret`. */
    const signed = (text: string, secret = SLACK_SECRET) =>
      fetch(`${service.url}/slack/actions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signSlack(secret, timestamp, text),
        },
        body: text,
      });
    expect((await signed(body, 'another-secret')).status).toBe(401);
    // Signed, but not what Slack sends: 400 for a payload that is no object, nothing done otherwise.
    for (const odd of ['payload=null', 'payload=%5B%5D', 'payload=%7B', 'nothing=1'])
      expect((await signed(odd)).status, odd).toBe(400);
    const numeric = { ...payload, actions: [null, { action_id: 'deskpulse_on_it', value: 42 }] };
    expect((await signed(new URLSearchParams({ payload: JSON.stringify(numeric) }).toString())).status).toBe(
      200,
    );
    expect(await readAlert(service.context, 'acme', String(alert!.id))).not.toHaveProperty('taken_by');
    let updated: { replace_original?: boolean; blocks?: unknown[] } = {};
    const update = nock('https://hooks.slack.com')
      .post('/actions/T0/42/secret', (sent) => {
        updated = sent;
        return true;
      })
      .reply(200, 'ok');
    expect((await signed(body)).status).toBe(200);
    await new Promise((done) => setTimeout(done, 200));
    expect(update.isDone()).toBe(true);
    expect(updated.replace_original).toBe(true);
    expect(JSON.stringify(updated.blocks)).toContain('lee is on it');
    expect(await readAlert(service.context, 'acme', String(alert!.id))).toMatchObject({ taken_by: 'lee' });

    // Lee answers: one follow-up for the alert; more updates to the ticket add none.
    const followUps: Array<{ text: string }> = [];
    const followUp = nock('https://hooks.slack.com')
      .post('/services/T0/B0/vip', (sent) => {
        followUps.push(sent);
        return true;
      })
      .reply(200, 'ok');
    clock.now = T0 + 50 * MINUTE;
    await postEvents(service, 'acme', [line('s-3', 50, { type: 'message', author: 'agent', agent: 'lee' })]);
    await drained(service);
    await postEvents(service, 'acme', [line('s-3', 51, { type: 'ticket.updated', tags: ['later'] })]);
    await drained(service);
    expect(followUp.isDone()).toBe(true);
    expect(followUps.map((sent) => sent.text)).toEqual([
      ':white_check_mark: s-3 answered by lee (first response was at risk)',
    ]);
  });

  it('a daily digest per team at the local hour: the day against the week before, once', async () => {
    const digests: Array<{ text: string; blocks: Array<{ text?: { text: string } }> }> = [];
    const slack = nock('https://hooks.slack.com')
      .post('/services/T0/B0/vip', (sent) => {
        digests.push(sent);
        return true;
      })
      .reply(200, 'ok');
    // 08:00 UTC is not the digest hour; 09:00 is, twice (two checks in the hour).
    for (const hour of ['2026-05-06T08:00:00Z', '2026-05-06T09:00:00Z', '2026-05-06T09:30:00Z']) {
      clock.now = Date.parse(hour);
      await service.context.queues.notify.add('digest-check', {});
      await drained(service);
    }
    expect(slack.isDone()).toBe(true);
    expect(digests).toHaveLength(1);
    expect(digests[0]!.text).toBe('Daily digest for vip, 2026-05-05');
    const body = digests[0]!.blocks[1]!.text!.text;
    // s-3: opened 14:00, first answered by Lee at 14:50; nothing the week before.
    expect(body).toContain('*First response (median)*: 50m 00s  (week before: —)');
    expect(body).toContain('*Resolved*: 0');
  });

  it('sends at most one message a second to a channel', async () => {
    clock.now = T0 + 10 * MINUTE;
    for (const ticket of ['s-4', 's-5', 's-6']) {
      await postEvents(service, 'acme', [
        line(ticket, 0, { type: 'ticket.created', channel: 'email', team: 'vip' }),
        line(ticket, 0, { type: 'message', author: 'customer', public: true }),
      ]);
    }
    await drained(service);
    const sentAt: number[] = [];
    nock('https://hooks.slack.com')
      .post('/services/T0/B0/vip', () => {
        sentAt.push(Date.now());
        return true;
      })
      .times(3)
      .reply(200, 'ok');
    clock.now = T0 + 45 * MINUTE;
    for (const ticket of ['s-4', 's-5', 's-6'])
      await (await service.context.queues.sla.getJob(
        timerId(ticket, 'first_response', 'at_risk', 45),
      ))!.promote();
    await drained(service);
    expect(sentAt).toHaveLength(3);
    sentAt.sort((a, b) => a - b);
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(950);
    expect(sentAt[2]! - sentAt[1]!).toBeGreaterThanOrEqual(950);
  });

  it('timers survive a restart: they are jobs in Redis', async () => {
    clock.now = T0 + 10 * MINUTE;
    await postEvents(service, 'acme', opened('s-7'));
    await drained(service);
    const id = timerId('s-7', 'first_response', 'breached', 60);
    // Every process stops; a new one starts on the same Redis and finds the timer waiting.
    await service.close();
    service = await startTestService(redisForRestart, {
      ...options(),
      queuePrefix: service.context.queues.sla.opts.prefix,
    });
    expect(await (await service.context.queues.sla.getJob(id))?.getState()).toBe('delayed');
    await fire(id, 60);
    expect((await alerts())[0]).toMatchObject({ ticket: 's-7', kind: 'breached' });
    await service.close();
  });
});
