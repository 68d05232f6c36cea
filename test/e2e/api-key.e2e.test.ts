/**
 * The explorer on a server that needs an API key for reads (HOST not a loopback address, as a team
 * runs it), in a real Chromium: it asks for a key (a wrong one is refused in the dialog), keeps the
 * right one for the tab, sends it with every GraphQL request, and the export downloads with it (a fetch
 * with the key in its header: a form POST cannot carry one).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { createApp } from '../../server/api/app';
import { sha256Hex } from '../../server/api/auth';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { accessSettings, REPO_ROOT } from '../../server/core/settings';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, testDatabase } from '../helpers';
import { buildClient, launchBrowser, PageWatch, takeProblems, watchPage } from './browser';

const KEY = `sg_${crypto.randomBytes(24).toString('base64url')}`;
const WRONG = `sg_${crypto.randomBytes(24).toString('base64url')}`;

let db: Database;
let server: http.Server;
let app: ReturnType<typeof createApp>;
let origin: string;
let browser: Browser;
const graphql = createGraphQLServer();
const watches: PageWatch[] = [];

beforeAll(async () => {
  buildClient();
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(REPO_ROOT, 'test', 'fixtures', 'ofac-sdn-2024-05-03-excerpt.csv')], release: '2024-05-03' });
  await graphql.start();
  app = createApp(
    { notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null } },
    graphql,
    // A team's server: bound to every interface, so reads need a key (it listens on 127.0.0.1 here).
    accessSettings({
      HOST: '0.0.0.0',
      API_KEYS: JSON.stringify({ owner: 'analyst', role: 'viewer', sha256: sha256Hex(KEY) }),
      AUDIT_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'sg-api-key-audit-')),
    }),
  );
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterEach(() => {
  expect(takeProblems(watches)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  (app?.locals.stop as (() => void) | undefined)?.();
  server?.close();
  await graphql.stop();
  await db?.close();
});

/** The key the tab keeps (sessionStorage), read with a function (the CSP refuses string predicates). */
const storedKey = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('sanctions-graph.apiKey'));

test('the explorer asks for the key, keeps it for the tab, searches and exports with it', async () => {
  // The server says so without a key: the test's premise.
  const anonymous = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ datasets { name } }' }) });
  expect(anonymous.status).toBe(401);

  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const watch = watchPage(page, origin, 'api-key');
  watches.push(watch);
  // The refusals that make the explorer ask (the browser logs each failed request as an error).
  watch.allowed.push(/401 \(Unauthorized\)/);
  const sent: Request[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(`${origin}/graphql`) || r.url().startsWith(`${origin}/api/export`)) sent.push(r);
  });
  try {
    await page.goto(origin + '/');
    const dialog = page.getByTestId('api-key-dialog');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await dialog.getByText(/needs an API key for reads/).waitFor();

    // A wrong key is refused in the dialog, which stays open.
    await page.getByTestId('api-key-input').fill(WRONG);
    await page.getByTestId('api-key-submit').click();
    await page.getByTestId('api-key-error').getByText('The server does not accept this key.').waitFor();
    expect(await storedKey(page)).toBeNull();

    await page.getByTestId('api-key-input').fill(KEY);
    await page.getByTestId('api-key-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await storedKey(page)).toBe(KEY);
    const afterKey = sent.length;

    // Search works with the key: a hit, then the party on the canvas and its details.
    const input = page.getByTestId('search').locator('input');
    await input.fill('chinyong');
    await page.locator('.search-results .hit').first().waitFor({ timeout: 30_000 });
    await input.press('Enter');
    await page.getByTestId('details').getByText('Provenance').waitFor({ timeout: 60_000 });

    // The export downloads with it.
    await page.getByTestId('export-button').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-format=graphml]').click()]);
    const xml = fs.readFileSync((await download.path())!, 'utf8');
    expect(xml).toContain('<graphml');
    expect(xml).toMatch(/<node id="ofac-\d+">/);
    expect(download.suggestedFilename()).toMatch(/^sanctions-graph-ofac-\d+\.graphml$/);

    // Every request since the key was given carried it, once, in x-api-key.
    const since = sent.slice(afterKey);
    expect(since.some((r) => r.url().includes('/api/export'))).toBe(true);
    expect(since.filter((r) => r.url().includes('/graphql')).length).toBeGreaterThan(0);
    for (const r of since) expect([r.url(), (await r.allHeaders())['x-api-key']]).toEqual([r.url(), KEY]);
    await expect(dialog.isVisible()).resolves.toBe(false);
  } finally {
    await page.close();
  }
});
