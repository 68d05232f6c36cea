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

/** What one page did that it should not: errors (uncaught, or logged to the console) and requests leaving the server. */
export interface PageWatch {
  name: string;
  page: Page;
  errors: string[];
  external: string[];
  /** Console errors a test expects (e.g. the 503 of a server still loading); consumed by takeProblems. */
  allowed: RegExp[];
}

/** Records page errors and any request that leaves the server under test (the explorer must work offline), from now on. */
export function watchPage(page: Page, origin: string, name = 'page'): PageWatch {
  const w: PageWatch = { name, page, errors: [], external: [], allowed: [] };
  page.on('pageerror', (e) => w.errors.push(e.message));
  page.on('console', (m) => {
    // A failed resource load says which resource only in its location.
    if (m.type() === 'error') w.errors.push(m.location().url && !m.text().includes(m.location().url) ? `${m.text()} (${m.location().url})` : m.text());
  });
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) w.external.push(url);
  });
  return w;
}

/**
 * Every problem the watched pages reported since the last call (each named by its page), less the errors
 * allowed; clears them, so each test answers for its own. Closed pages are dropped from the list.
 */
export function takeProblems(watches: PageWatch[]): string[] {
  const out: string[] = [];
  for (const w of watches) {
    for (const e of w.errors) if (!w.allowed.some((re) => re.test(e))) out.push(`${w.name}: ${e}`);
    for (const u of w.external) out.push(`${w.name} requested ${u}`);
    w.errors.length = 0;
    w.external.length = 0;
    w.allowed.length = 0;
  }
  for (let i = watches.length - 1; i >= 0; i--) if (watches[i].page.isClosed()) watches.splice(i, 1);
  return out;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
