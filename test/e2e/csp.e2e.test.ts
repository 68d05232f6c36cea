/**
 * The Content-Security-Policy of the real app (server/api/security.ts) in a real Chromium: the explorer
 * (search, canvas, layout worker, details) and the bundled GraphiQL (editor, schema, a query) work
 * under it, with no violation reported by the browser. Predicates are functions, never strings: a
 * string would need 'unsafe-eval', which the policy rightly refuses.
 */
import http from 'node:http';
import os from 'node:os';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { accessSettings, REPO_ROOT } from '../../server/core/settings';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, testDatabase } from '../helpers';
import { buildClient, launchBrowser, PageWatch, takeProblems, watchPage } from './browser';

let db: Database;
let server: http.Server;
let origin: string;
let browser: Browser;
const graphql = createGraphQLServer();
const watches: PageWatch[] = [];

/** A page whose errors and CSP violations (as the page itself sees them) are recorded from its start. */
async function openPage(name: string): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  watches.push(watchPage(page, origin, name));
  await page.addInitScript(() => {
    const w = globalThis as unknown as { __csp: string[]; addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void };
    w.__csp = [];
    w.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, violations: () => page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp) };
}

/** Polls from Node (page.evaluate with a function: no string evaluated in the page). */
async function until(ok: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  buildClient();
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(REPO_ROOT, 'test', 'fixtures', 'ofac-sdn-2024-05-03-excerpt.csv')], release: '2024-05-03' });
  await graphql.start();
  server = http.createServer(createApp({ notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null } }, graphql, accessSettings({ AUDIT_DIR: path.join(os.tmpdir(), 'sg-csp-audit') })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterEach(() => {
  expect(takeProblems(watches)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  await graphql.stop();
  await db?.close();
});

test('the explorer runs under the CSP: search, canvas, layout worker, details', async () => {
  const { page, violations } = await openPage('explorer');
  try {
    const response = await page.goto(origin + '/');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const input = page.getByTestId('search').locator('input');
    await input.fill('chinyong');
    await page.locator('.search-results .hit').first().waitFor();
    await input.press('Enter');
    await page.waitForFunction(() => {
      const el = (globalThis as unknown as { document: { querySelector(s: string): { dataset: Record<string, string | undefined> } | null } }).document.querySelector('[data-testid=canvas]');
      return !!el && el.dataset.layout === 'done' && Number(el.dataset.layoutRuns) > 0;
    }, null, { timeout: 60_000 });
    await page.getByTestId('details').getByText('Provenance').waitFor();
    expect(await violations()).toEqual([]);
  } finally {
    await page.close();
  }
});

test('GraphiQL runs under the CSP: editor, schema, a query', async () => {
  const { page, violations } = await openPage('GraphiQL');
  try {
    await page.goto(origin + '/graphql');
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    const text = (selector: string) => page.evaluate((s) => (globalThis as unknown as { document: { querySelector(q: string): { textContent: string | null } | null } }).document.querySelector(s)?.textContent ?? '', selector);
    await until(async () => (await text('.graphiql-query-editor')).includes('neighborhood'), 30_000);
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: /Execute query/i }).click();
    await until(async () => (await text('.result-window')).includes('"ofac-43379"'), 60_000);
    expect(await violations()).toEqual([]);
  } finally {
    await page.close();
  }
});
