/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { drained, postEvents, serviceForFile, testConfig } from '../pipeline/harness.js';
import { browserForFile, screenshotPath } from './browser.js';

/**
 * The sidebar app as Zendesk runs it: its files from manifests/zendesk/assets in an iframe-like
 * page, the ZAF SDK replaced by a stand-in whose `request` does what Zendesk's proxy does —
 * substitute the secure setting, sign the JWT (HS256, `expiry` seconds) and call deskpulse.
 */
const APP_ORIGIN = 'https://acme.zendesk-apps.test';
const SHARED_SECRET = 'acme-zendesk-app-shared-secret';
/** The deskpulse URL of the app's settings; the stand-in proxy resolves it to the test server. */
const DESKPULSE_URL = 'https://deskpulse.acme.test';
// The service's clock: a Wednesday afternoon, so that "this week" holds the tickets whatever day the tests run.
const NOW = Date.parse('2026-05-06T15:00:00Z');
const MINUTE = 60_000;

let service: Service;
let browser: Browser;
serviceForFile(
  () => ({
    config: testConfig(
      {
        people: { maria: { email: 'maria@acme.test' } },
        sla_policies: [
          { name: 'standard', targets: { first_response: '1h', resolution: '1d' }, warn_at: 0.75 },
        ],
      },
      {
        zendesk: {
          subdomain: 'acme',
          email: 'api@acme.test',
          api_token: 'zd-token',
          signing_secret: 'zendesk-signing-secret-for-tests',
          app: { audience: DESKPULSE_URL, shared_secret: SHARED_SECRET },
        },
      },
    ),
    now: () => NOW,
  }),
  (started) => {
    service = started;
  },
);
browserForFile((started) => {
  browser = started;
});

const FAKE_SDK = `
window.ZAFClient = { init: function () {
  var values = window.__zafValues;
  return {
    metadata: function () { return Promise.resolve({ settings: { deskpulse_url: values.url } }); },
    context: function () { return Promise.resolve({ account: { subdomain: 'acme' }, location: 'ticket_sidebar' }); },
    get: function (path) { var out = {}; out[path] = values[path]; return Promise.resolve(out); },
    invoke: function (name, size) { window.__resized = size; return Promise.resolve({}); },
    on: function () {},
    request: function (options) {
      return window.zafProxy(options).then(function (answer) {
        if (answer.status >= 400) return Promise.reject({ status: answer.status, responseJSON: answer.body });
        return answer.body;
      });
    },
  };
} };`;

async function sidebar(ticketId: number, secureSecret = SHARED_SECRET): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 320, height: 700 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const seen: Array<Record<string, unknown>> = [];
  await page.exposeFunction('zafProxy', async (options: { url: string; secure: boolean; jwt: unknown }) => {
    seen.push(options);
    expect(options.secure).toBe(true);
    const jwt = options.jwt as {
      algorithm: string;
      secret_key: string;
      expiry: number;
      claims: Record<string, unknown>;
    };
    expect(jwt.secret_key).toBe('{{setting.shared_secret}}'); // the page never holds the secret
    const token = await new SignJWT(jwt.claims)
      .setProtectedHeader({ alg: jwt.algorithm, typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + jwt.expiry)
      .sign(new TextEncoder().encode(secureSecret));
    expect(options.url.startsWith(`${DESKPULSE_URL}/api/v1/app/`)).toBe(true);
    const url = service.url + options.url.slice(DESKPULSE_URL.length);
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.json() };
  });
  await page.addInitScript(
    (values) => {
      (window as unknown as { __zafValues: unknown }).__zafValues = values;
    },
    { url: DESKPULSE_URL, 'ticket.id': ticketId, 'currentUser.email': 'maria@acme.test' },
  );
  await page.route('https://static.zdassets.com/**', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: FAKE_SDK }),
  );
  await page.route(`${APP_ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^\/+/, '');
    const types: Record<string, string> = {
      '.html': 'text/html',
      '.js': 'text/javascript',
      '.css': 'text/css',
    };
    route.fulfill({
      contentType: types[extname(path)] ?? 'application/octet-stream',
      body: readFileSync(join('manifests/zendesk', path)),
    });
  });
  await page.goto(`${APP_ORIGIN}/assets/iframe.html`);
  await page.waitForFunction(() => (window as unknown as { __resized?: unknown }).__resized !== undefined);
  expect(errors).toEqual([]);
  expect(seen.length).toBeGreaterThanOrEqual(2);
  return page;
}

const text = (page: Page, selector: string) => page.textContent(selector);

describe('the Zendesk sidebar app in Chromium', () => {
  it('loads two tickets through the real webhook endpoint', async () => {
    const line = (ticket: string, minutesAgo: number, fields: Record<string, unknown>) =>
      JSON.stringify({
        id: `${ticket}-${minutesAgo}-${String(fields.type)}-${String(fields.author ?? '')}`,
        at: new Date(NOW - minutesAgo * MINUTE).toISOString(),
        source: 'zendesk',
        ticket,
        ...fields,
      });
    const lines = [
      line('zendesk:7', 50, { type: 'ticket.created', channel: 'email', agent: 'maria', team: 'billing' }),
      line('zendesk:7', 50, { type: 'message', author: 'customer', public: true }),
      line('zendesk:8', 300, { type: 'ticket.created', channel: 'phone', agent: 'maria', team: 'billing' }),
      line('zendesk:8', 300, { type: 'message', author: 'customer', public: true }),
      line('zendesk:8', 290, { type: 'message', author: 'agent', agent: 'maria', public: true }),
      line('zendesk:8', 240, { type: 'ticket.updated', status: 'solved', agent: 'maria', team: 'billing' }),
    ];
    expect((await postEvents(service, 'acme', lines)).status).toBe(202);
    await drained(service);
  });

  it('an open ticket: waiting for a first response, the SLA countdown ticking, the agent’s week', async () => {
    const page = await sidebar(7);
    expect(await text(page, '#first-response')).toMatch(/^waiting 50m \d\ds$/);
    expect(await text(page, '#waiting')).toBe('nobody waiting');
    expect(await text(page, '#contacts')).toBe('1');
    expect(await text(page, '#fcr')).toBe('Not yet resolved');
    const countdown = await text(page, '#sla li[data-metric="first_response"] .left');
    expect(countdown).toMatch(/^(9m|10m) \d\ds left$/);
    await page.waitForFunction(
      (before) =>
        document.querySelector('#sla li[data-metric="first_response"] .left')?.textContent !== before,
      countdown,
    );
    expect(await page.getAttribute('#sla li[data-metric="first_response"] .left', 'class')).toContain(
      'at-risk',
    );
    // The agent's week: maria answered ticket 8 in 10 minutes.
    expect(await page.$$eval('#me-rows tr', (rows) => rows.map((row) => row.textContent))).toContainEqual(
      'FRT median10m 00s10m 00s',
    );
    expect(await text(page, '#me-team')).toBe('· vs billing');
    await page.screenshot({ path: screenshotPath('zendesk-sidebar.png'), fullPage: true });
    await page.close();
  });

  it('a solved phone ticket: its first response, resolution and FCR', async () => {
    const page = await sidebar(8);
    expect(await text(page, '#first-response')).toBe('10m 00s');
    expect(await text(page, '#resolution')).toBe('1h 00m');
    expect(await text(page, '#fcr')).toBe('Yes');
    expect(await text(page, '#sla li[data-metric="first_response"] .left')).toBe('achieved');
    await page.close();
  });

  it('says so when deskpulse has not seen the ticket, or no longer keeps it, or refuses the signature', async () => {
    const unknown = await sidebar(999);
    expect(await text(unknown, '#state')).toBe('deskpulse has not seen this ticket yet.');
    await unknown.close();
    // One the tenant's retention removed (as jobs/expire.ts leaves it).
    await service.context.redis.hset('dp:{acme}:expiredver', 'zendesk:998', '7');
    const removed = await sidebar(998);
    expect(await text(removed, '#state')).toBe(
      'deskpulse no longer keeps this ticket: it was resolved longer ago than the retention.',
    );
    await removed.close();
    const wrong = await sidebar(7, 'not-the-shared-secret');
    expect(await text(wrong, '#state')).toMatch(/^deskpulse refused the app’s signature/);
    expect(await wrong.isHidden('#ticket')).toBe(true);
    await wrong.close();
  });
});
