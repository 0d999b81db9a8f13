import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's chromium, as CI installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** One headless Chromium for a test file. */
export function browserForFile(onReady: (browser: Browser) => void): void {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    onReady(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });
}

/**
 * Where screenshots go: `docs/screenshots/` when `SCREENSHOTS=1` (`npm run screenshots`, for the
 * README), else a temporary folder, so that a test run leaves the working tree as it was.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.SCREENSHOTS === '1' ? 'docs/screenshots' : join(tmpdir(), 'deskpulse-screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
