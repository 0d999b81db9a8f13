import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, sendSlack } from '../../src/alerts/delivery.js';
import { digestMessage } from '../../src/alerts/digest.js';
import { buildReport, type Group } from '../../src/metrics/report.js';
import { type Alert, alertMessage, escapeMrkdwn, ticketLink } from '../../src/alerts/messages.js';
import { sign, verify } from '../../src/alerts/signature.js';
import { configSchema, tenantSchema } from '../../src/model/config.js';

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

// Slack's published example ("Verifying requests from Slack").
const SLACK = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

describe('Slack request signatures', () => {
  it('reproduce the published example and verify it within 5 minutes', () => {
    expect(sign(SLACK.secret, SLACK.timestamp, SLACK.body)).toBe(SLACK.signature);
    const body = Buffer.from(SLACK.body);
    expect(verify(['old', SLACK.secret], SLACK.signature, SLACK.timestamp, body, 1531420618 + 299)).toEqual({
      ok: true,
    });
    expect(verify([SLACK.secret], SLACK.signature, SLACK.timestamp, body, 1531420618 + 301)).toMatchObject({
      ok: false,
      reason: 'the request timestamp is older than 5 minutes',
    });
    expect(
      verify([SLACK.secret], SLACK.signature, SLACK.timestamp, Buffer.from(`${SLACK.body}x`), 1531420618),
    ).toMatchObject({ ok: false });
    expect(verify([SLACK.secret], undefined, SLACK.timestamp, body, 1531420618)).toMatchObject({ ok: false });
  });
});

const alert: Alert = {
  id: 'a1',
  tenant: 'acme',
  ticket: 'zendesk:4521',
  kind: 'at_risk',
  policy: 'urgent <vip> & co',
  metric: 'first_response',
  target_seconds: 3600,
  due_at: '2026-05-05T15:00:00.000Z',
  seconds_left: 900,
  business: true,
  set_for: '2026-05-05T14:45:00.000Z',
  fired_at: '2026-05-05T14:45:01.000Z',
  lag_ms: 1000,
  agent: 'maria <m@acme>',
  team: 'billing',
  priority: 'urgent',
};

describe('alert messages', () => {
  it('escape ticket text for mrkdwn and link into the helpdesk', () => {
    expect(escapeMrkdwn('a & <b> c')).toBe('a &amp; &lt;b&gt; c');
    expect(ticketLink('zendesk:4521', 'https://acme.zendesk.com/agent/tickets/{id}')).toBe(
      '<https://acme.zendesk.com/agent/tickets/4521|zendesk:4521>',
    );
  });

  it('say what is at risk, for whom, how long is left in business time, with an I am on it button', () => {
    const { text, blocks } = alertMessage(alert, 'https://acme.zendesk.com/agent/tickets/{id}');
    expect(text).toBe(':warning: SLA at risk: first response of zendesk:4521');
    const section = (blocks[1] as { text: { text: string } }).text.text;
    expect(section).toContain('<https://acme.zendesk.com/agent/tickets/4521|zendesk:4521>');
    expect(section).toContain('target 1h 00m business (policy urgent &lt;vip&gt; &amp; co)');
    expect(section).toContain('*15m 00s business left*');
    expect(section).toContain('Assignee: maria &lt;m@acme&gt; · Team: billing');
    // The due instant in each reader's own time zone, the UTC instant as the fallback.
    expect(section).toContain('due <!date^1777993200^{date_short_pretty} {time}|2026-05-05T15:00:00Z>');
    expect(blocks[2]).toMatchObject({
      type: 'actions',
      elements: [{ action_id: 'deskpulse_on_it', value: 'acme|a1' }],
    });
    const breached = alertMessage(
      { ...alert, kind: 'breached', seconds_left: -120, business: false },
      undefined,
    );
    expect((breached.blocks[1] as { text: { text: string } }).text.text).toContain('*2m 00s overdue*');
    const taken = alertMessage({ ...alert, taken_by: 'lee' }, undefined);
    expect(taken.blocks).toHaveLength(2);
    expect((taken.blocks[1] as { text: { text: string } }).text.text).toContain('lee is on it');
  });
});

describe('Slack destinations', () => {
  it('route by team, priority and kind', () => {
    const destinations = tenantSchema.parse({
      id: 't',
      slack: {
        destinations: [
          { webhook_url: 'https://hooks.slack.com/services/T0/B0/all' },
          { webhook_url: 'https://hooks.slack.com/services/T0/B0/billing', teams: ['billing'] },
          { bot_token: 'xoxb-1', channel: 'C1', priorities: ['urgent'], kinds: ['breached'] },
        ],
      },
    }).slack!.destinations;
    expect(routes(destinations, { team: 'billing', priority: 'urgent', kind: 'at_risk' })).toEqual([0, 1]);
    expect(routes(destinations, { team: 'emea', priority: 'urgent', kind: 'breached' })).toEqual([0, 2]);
  });

  it('accept only Slack incoming-webhook URLs, and either a webhook or a bot token with a channel', () => {
    const bad = (destination: Record<string, unknown>) =>
      configSchema.safeParse({ tenants: [{ id: 't', slack: { destinations: [destination] } }] }).success;
    expect(bad({ webhook_url: 'https://evil.example.com/services/x' })).toBe(false);
    expect(bad({ webhook_url: 'http://hooks.slack.com/services/x' })).toBe(false);
    expect(bad({ webhook_url: 'https://hooks.slack.com.evil.example/services/x' })).toBe(false);
    expect(bad({ bot_token: 'xoxb-1' })).toBe(false);
    expect(bad({ webhook_url: 'https://hooks.slack.com/services/T/B/x', channel: 'C1' })).toBe(false);
    expect(bad({ webhook_url: 'https://hooks.slack.com/services/T/B/x' })).toBe(true);
    expect(bad({ bot_token: 'xoxb-1', channel: 'C1' })).toBe(true);
  });
});

describe('sending to Slack', () => {
  const bot = { bot_token: 'xoxb-test', channel: 'C0123' };

  it('posts with chat.postMessage and the bot token, and returns where the message is', async () => {
    let sent: Record<string, unknown> = {};
    const api = nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => {
        sent = body;
        return true;
      })
      .matchHeader('authorization', 'Bearer xoxb-test')
      .reply(200, { ok: true, channel: 'C0123', ts: '1503435956.000247', message: { text: 'x' } });
    const result = await sendSlack(bot, { text: 'x', blocks: [], thread_ts: '1503435950.000100' }, fetch);
    expect(api.isDone()).toBe(true);
    expect(sent).toEqual({ channel: 'C0123', text: 'x', blocks: [], thread_ts: '1503435950.000100' });
    expect(result).toEqual({ ok: true, ts: '1503435956.000247', channel: 'C0123' });
  });

  it("returns Slack's Retry-After on a 429 and its error otherwise", async () => {
    nock('https://slack.com').post('/api/chat.postMessage').reply(429, '', { 'retry-after': '7' });
    expect(await sendSlack(bot, { text: 'x', blocks: [] }, fetch)).toEqual({
      ok: false,
      retryAfterMs: 7000,
      reason: 'rate limited',
    });
    nock('https://slack.com')
      .post('/api/chat.postMessage')
      .reply(200, { ok: false, error: 'channel_not_found' });
    expect(await sendSlack(bot, { text: 'x', blocks: [] }, fetch)).toEqual({
      ok: false,
      reason: 'channel_not_found',
    });
    nock('https://hooks.slack.com').post('/services/T0/B0/x').reply(404, 'no_service');
    expect(
      await sendSlack(
        { webhook_url: 'https://hooks.slack.com/services/T0/B0/x' },
        { text: 'x', blocks: [] },
        fetch,
      ),
    ).toEqual({ ok: false, reason: 'HTTP 404: no_service' });
  });
});

describe('the daily digest message', () => {
  it("sets the day's figures beside the week before's, a count beside the week's daily mean", () => {
    const empty = buildReport([], { groupBy: 'none', from: null, to: null })[0] as Group;
    const day = { ...empty, resolved: 12, fcr: { count: 9, eligible: 12, rate: 75 } };
    const week = { ...empty, resolved: 80, fcr: { count: 48, eligible: 80, rate: 60 } };
    const text = JSON.stringify(digestMessage('billing', '2026-05-04', day, week, true).blocks);
    expect(text).toContain('*Resolved*: 12  (week before: 11.4 a day)');
    expect(text).toContain('*First-contact resolution*: 75%  (week before: 60%)');
    expect(text).toContain('*First response (median)*: —  (week before: —)');
    expect(JSON.stringify(digestMessage('billing', '2026-05-04', day, undefined, true).blocks)).toContain(
      '*Resolved*: 12  (week before: —)',
    );
  });
});
