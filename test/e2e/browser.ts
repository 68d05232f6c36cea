/**
 * The browser for end-to-end tests: Debian's Chromium driven by playwright-core (which cannot download
 * a browser here), headless, with nothing reaching the network beyond the server under test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../../server/core/settings';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(REPO_ROOT, 'test-output', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Builds client/dist if it is missing or stale (a separate process: Vite is ESM, Jest runs CommonJS). */
export function buildClient(): void {
  execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'client', 'ensure-built.ts')], { cwd: REPO_ROOT, stdio: 'inherit' });
}

/** Records page errors and any request that leaves the server under test (the explorer must work offline). */
export function watchPage(page: Page, origin: string): { errors: string[]; external: string[] } {
  const errors: string[] = [];
  const external: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) external.push(url);
  });
  return { errors, external };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
