/// <reference lib="dom" />
// Functions passed to page.evaluate/waitForFunction run in the page: they see the DOM.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/cli/service.js';
import { humanizeSeconds } from '../../src/metrics/humanize.js';
import {
  api,
  drained,
  eventLines,
  postEvents,
  serviceForFile,
  testConfig,
  TOKEN,
} from '../pipeline/harness.js';
import { browserForFile, screenshotPath } from './browser.js';

// Real time: the page's periods are "the last N days" of the browser's clock.
const NOW = Date.now();
const MINUTE = 60_000;
const DAY = 86_400_000;

let service: Service;
let browser: Browser;
serviceForFile(
  () => ({
    config: testConfig({
      sla_policies: [
        { name: 'standard', targets: { first_response: '1h', resolution: '1d' }, warn_at: 0.75 },
      ],
      slack: { ticket_url: 'https://acme.zendesk.com/agent/tickets/{id}' },
    }),
  }),
  (started) => {
    service = started;
  },
);
browserForFile((started) => {
  browser = started;
});

const line = eventLines('b');
/** A ticket answered after `frtMinutes` and solved after `solveMinutes`, opened `daysAgo` days ago. */
function handled(
  id: number,
  daysAgo: number,
  agent: string,
  team: string,
  channel: string,
  frtMinutes: number,
  solveMinutes: number,
): string[] {
  const ticket = `zendesk:${id}`;
  const t = NOW - daysAgo * DAY;
  return [
    line(ticket, t, { type: 'ticket.created', channel, agent, team }),
    line(ticket, t, { type: 'message', author: 'customer', public: true }),
    line(ticket, t + frtMinutes * MINUTE, { type: 'message', author: 'agent', agent, public: true }),
    line(ticket, t + solveMinutes * MINUTE, { type: 'ticket.updated', status: 'solved', agent, team }),
  ];
}
/** A ticket opened `minutesAgo` minutes ago that nobody answered yet. */
const waiting = (id: number, minutesAgo: number, agent: string, team: string) => [
  line(`zendesk:${id}`, NOW - minutesAgo * MINUTE, { type: 'ticket.created', channel: 'email', agent, team }),
  line(`zendesk:${id}`, NOW - minutesAgo * MINUTE, { type: 'message', author: 'customer', public: true }),
];

async function signedIn(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${service.url}/#token=${TOKEN}`);
  await page.waitForSelector('body[data-loaded]');
  expect(errors).toEqual([]);
  return page;
}
const cellTexts = (page: Page, table: string, column: number) =>
  page.$$eval(`[data-testid="${table}"] tbody tr td:nth-child(${column})`, (cells) =>
    cells.map((cell) => cell.textContent),
  );
/** Wait for the board to reload after a filter change. */
async function changeFilter(page: Page, name: string, value: string): Promise<void> {
  const before = await page.getAttribute('body', 'data-loaded');
  await page.selectOption(`[data-testid="${name}"]`, value);
  await page.waitForFunction((previous) => document.body.dataset.loaded !== previous, before);
}

describe('the dashboard in Chromium', () => {
  it('loads the tenant through the real webhook endpoint', async () => {
    const lines = [
      ...handled(101, 1, 'maria', 'billing', 'email', 10, 60),
      ...handled(102, 2, 'lee', 'billing', 'chat', 4, 20),
      ...handled(103, 3, 'karl', 'emea', 'email', 90, 300),
      ...handled(104, 20, 'karl', 'emea', 'email', 30, 600), // older than a week
      ...handled(105, 2, 'maria', 'billing', 'phone', 2, 30),
      ...waiting(201, 50, 'maria', 'billing'), // at risk: 50 of 60 minutes gone
    ];
    expect((await postEvents(service, 'acme', lines)).status).toBe(202);
    await drained(service);
  });

  it('signs in with a token, refuses a bad one, and shows the numbers the API gives', async () => {
    const page = await browser.newPage();
    await page.goto(service.url);
    await page.fill('input[name="token"]', 'wrong-token-0123456789');
    await page.click('#sign-in-form button');
    await page.waitForFunction(() => document.getElementById('sign-in-error')?.textContent !== '');
    expect(await page.textContent('#sign-in-error')).toBe('the token was not accepted');
    await page.fill('input[name="token"]', TOKEN);
    await page.click('#sign-in-form button');
    await page.waitForSelector('body[data-loaded]');

    const from = new Date(NOW - 30 * DAY).toISOString();
    const expected = (await api(service, `/api/v1/dashboard?from=${from}`)).body;
    expect(expected.overall.first_response.calendar.count).toBe(5);
    expect(await page.textContent('#kpi-frt')).toBe(
      humanizeSeconds(expected.overall.first_response.calendar.median),
    );
    expect(await page.textContent('#kpi-sla')).toBe(`${Math.round(expected.overall.sla.rate)}%`);
    expect(await cellTexts(page, 'agents-table', 1)).toEqual(['karl', 'lee', 'maria']);
    expect(await cellTexts(page, 'teams-table', 1)).toEqual(['billing', 'emea']);
    // The charts were drawn from the same figures.
    const frt = JSON.parse((await page.getAttribute('#chart-frt', 'data-values')) as string);
    expect(frt).toEqual([expected.charts.frt_distribution.map((bucket: { count: number }) => bucket.count)]);
    expect(await page.$$eval('#chart-frt canvas', (canvases) => canvases.length)).toBe(1);
    await page.close();
  });

  it('filters change the numbers; columns sort', async () => {
    const page = await signedIn();
    expect(await page.textContent('#kpi-frt')).toBe(humanizeSeconds(10 * 60));

    await changeFilter(page, 'team', 'emea');
    expect(await cellTexts(page, 'agents-table', 1)).toEqual(['karl']);
    expect(await page.textContent('#kpi-frt')).toBe(humanizeSeconds(30 * 60)); // of 30m and 90m, nearest rank

    await changeFilter(page, 'period', 'all');
    await changeFilter(page, 'period', '7');
    expect(await cellTexts(page, 'agents-table', 2)).toEqual(['1']); // ticket 104 is 20 days old

    await changeFilter(page, 'team', '');
    await changeFilter(page, 'channel', 'email');
    expect(await cellTexts(page, 'agents-table', 1)).toEqual(['karl', 'maria']);
    await changeFilter(page, 'channel', '');

    await page.click('[data-testid="agents-table"] th:nth-child(3)'); // FRT median, longest first
    expect(await cellTexts(page, 'agents-table', 1)).toEqual(['karl', 'lee', 'maria']); // 90m, 4m, 2m
    await page.click('[data-testid="agents-table"] th:nth-child(3)');
    expect(await cellTexts(page, 'agents-table', 1)).toEqual(['maria', 'lee', 'karl']);
    // The whole page in one viewport (a full-page capture would paint the sticky header mid-page).
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1280, height });
    await page.screenshot({ path: screenshotPath('dashboard.png') });
    await page.close();
  });

  it('the CSV export downloads what the table shows', async () => {
    const page = await signedIn();
    await changeFilter(page, 'team', 'billing');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-agent"]'),
    ]);
    expect(download.suggestedFilename()).toMatch(/^deskpulse-agents-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = readFileSync((await download.path()) as string, 'utf8')
      .trim()
      .split('\n');
    expect(rows[0]?.startsWith('key,first_response.calendar.count,')).toBe(true);
    expect(rows.slice(1).map((row) => row.split(',').slice(0, 2))).toEqual([
      ['lee', '1'],
      ['maria', '2'],
    ]);
    await page.close();
  });

  it('the at-risk list counts down and updates live as tickets are answered or fall at risk', async () => {
    const page = await signedIn();
    const tickets = () =>
      page.$$eval('#at-risk-list li', (items) => items.map((item) => item.dataset.ticket));
    expect(await tickets()).toEqual(['zendesk:201']);
    const first = await page.textContent('#at-risk-list li .countdown');
    expect(first).toMatch(/^(9m|10m) \d\ds$/);
    await page.waitForFunction(
      (text) => document.querySelector('#at-risk-list li .countdown')?.textContent !== text,
      first,
    );
    expect(await page.getAttribute('#at-risk-list li a', 'href')).toBe(
      'https://acme.zendesk.com/agent/tickets/201',
    );

    // 55 minutes ago: breaches sooner than 201, so it comes first; then 201 is answered.
    await postEvents(service, 'acme', waiting(202, 55, 'karl', 'emea'));
    await drained(service);
    await page.waitForFunction(() => document.querySelectorAll('#at-risk-list li').length === 2, null, {
      timeout: 15_000,
    });
    expect(await tickets()).toEqual(['zendesk:202', 'zendesk:201']);
    await postEvents(service, 'acme', [
      line('zendesk:201', Date.now(), { type: 'message', author: 'agent', agent: 'maria', public: true }),
    ]);
    await drained(service);
    await page.waitForFunction(() => document.querySelectorAll('#at-risk-list li').length === 1, null, {
      timeout: 15_000,
    });
    expect(await tickets()).toEqual(['zendesk:202']);
    expect(await page.textContent('#at-risk-count')).toBe('1');
    await page.close();
  });

  it('is usable on a phone: one column, nothing wider than the screen but the tables', async () => {
    const page = await signedIn({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const [risk, frt] = await Promise.all(
      ['[data-testid="at-risk"]', '#chart-frt'].map((selector) =>
        page.$eval(selector, (element) => element.getBoundingClientRect().toJSON()),
      ),
    );
    expect(frt.top).toBeGreaterThan(risk.bottom - 1); // stacked, not side by side
    await page.screenshot({ path: screenshotPath('dashboard-phone.png') });
    await page.close();
  });
});
