/**
 * The case report opens offline: a saved investigation's report.html (real SDN lines of the 2024-05-03
 * excerpt, one of them with a name that is markup) is written to disk and opened from there in Chromium
 * with every request that is not the file itself aborted. Each part shows (title, releases, the canvas
 * picture, the parties, relationships, paths, ownership, notes, changes), the hostile name shows as text
 * and runs nothing, and no request was even attempted. The PDF route answers a %PDF file (Chromium is
 * installed wherever the e2e tests run). In the explorer, the Cases panel's Report button opens the same
 * report in a new tab. Screenshot: test-output/screenshots/case-report.png.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { createApp } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { REPO_ROOT } from '../../server/core/settings';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, testDatabase } from '../helpers';
import { buildClient, launchBrowser, screenshot, takeProblems, watchPage, type PageWatch } from './browser';

const EXCERPT = path.join(REPO_ROOT, 'test', 'fixtures', 'ofac-sdn-2024-05-03-excerpt.csv');
const REVIEW_KEY = 'e2e-case-report-review-key-0123456789';
const HOSTILE_NAME = 'JON <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2">';
const CANVAS = ['ofac-43379', 'ofac-48260', 'ofac-48261', 'ofac-48262', 'ofac-99990001'];

let db: Database;
let server: http.Server;
let origin: string;
let browser: Browser;
let tmp: string;
let saved: string;
const graphql = createGraphQLServer();

beforeAll(async () => {
  buildClient();
  db = testDatabase();
  await resetDatabase(db);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'case-report-e2e-'));
  // The excerpt and JON Yun Gun's real line again, under another number and a name that is markup.
  const lines = fs.readFileSync(EXCERPT, 'utf8').split(/\r?\n/).filter(Boolean);
  const jon = lines.find((l) => l.startsWith('48262,'))!;
  const sdn = path.join(tmp, 'sdn.csv');
  fs.writeFileSync(sdn, [...lines, jon.replace(/^48262,"[^"]*"/, `99990001,"${HOSTILE_NAME.replace(/"/g, '""')}"`)].join('\n') + '\n');
  await ingest(db, { ...LOAD_DEFAULTS, paths: [sdn], release: '2024-05-03' });
  await graphql.start();
  server = http.createServer(createApp({ notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null }, reviewApiKey: REVIEW_KEY }, graphql));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': REVIEW_KEY },
    body: JSON.stringify({
      query: 'mutation S($input: InvestigationInput!) { saveInvestigation(input: $input) { id } }',
      variables: {
        input: {
          name: 'DPRK IT workers',
          nodeIds: CANVAS,
          positions: CANVAS.map((id, i) => ({ id, x: 150 * i, y: i % 2 ? 80 : 0 })),
          notes: [{ node: 'ofac-43379', text: 'Hub of the network <b>not bold</b>' }],
        },
      },
    }),
  });
  saved = ((await res.json()) as { data: { saveInvestigation: { id: string } } }).data.saveInvestigation.id;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await graphql.stop();
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the report saved to disk opens with the network blocked, shows every part, and asks for nothing', async () => {
  const res = await fetch(`${origin}/api/investigations/${saved}/report.html`);
  expect(res.status).toBe(200);
  const file = path.join(tmp, 'case-report.html');
  fs.writeFileSync(file, await res.text());
  const url = pathToFileURL(file).href;

  const context = await browser.newContext({ offline: true });
  const page = await context.newPage();
  const attempted: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (r.url() !== url) attempted.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await context.route('**', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  await page.goto(url);

  await expect(page.locator('h1').textContent()).resolves.toBe('DPRK IT workers');
  for (const id of ['releases', 'picture', 'parties', 'links', 'paths', 'ownership', 'notes', 'changes']) {
    await expect(page.locator(`section#${id}`).isVisible()).resolves.toBe(true);
  }
  await expect(page.locator('#releases').textContent()).resolves.toContain('ofac-sdn 2024-05-03');
  // The picture: drawn (a box of real size), one shape per node, the links between them.
  const box = await page.locator('#picture svg').boundingBox();
  expect(box!.width).toBeGreaterThan(200);
  expect(box!.height).toBeGreaterThan(50);
  await expect(page.locator('#picture g.node').count()).resolves.toBe(CANVAS.length);
  await expect(page.locator('#picture g.edge').count()).resolves.toBeGreaterThan(0);
  // The parties, the hostile one as text; nothing ran.
  await expect(page.locator('#parties section.party').count()).resolves.toBe(CANVAS.length);
  await expect(page.locator('#party-ofac-99990001 h3').textContent()).resolves.toContain(HOSTILE_NAME);
  await expect(page.locator('#party-ofac-48262').textContent()).resolves.toContain('DPRK2');
  await expect(page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
  await expect(page.locator('img').count()).resolves.toBe(0);
  // Relationships with their records, paths with citations, the note as text.
  await expect(page.locator('#links').textContent()).resolves.toContain('sdn.csv:');
  await expect(page.locator('#paths li').count()).resolves.toBeGreaterThan(0);
  await expect(page.locator('#paths').textContent()).resolves.toContain('record sdn.csv:');
  await expect(page.locator('#notes').textContent()).resolves.toContain('Hub of the network <b>not bold</b>');
  await expect(page.locator('#changes').textContent()).resolves.toContain('Nothing changed');
  await screenshot(page, 'case-report');

  expect(attempted).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);

test('the PDF route answers a PDF printed by Chromium', async () => {
  const res = await fetch(`${origin}/api/investigations/${saved}/report.pdf`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const body = Buffer.from(await res.arrayBuffer());
  expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
}, 120_000);

test("the explorer's Report button opens the saved investigation's report in a new tab, and PDF downloads it", async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const watches: PageWatch[] = [watchPage(page, origin, 'explorer')];
  await page.goto(`${origin}/`);
  await page.getByTestId('investigations-button').click();
  const item = page.getByTestId('investigations-list').locator('li', { hasText: 'DPRK IT workers' });
  await item.waitFor();
  const [tab] = await Promise.all([page.waitForEvent('popup'), item.getByTestId('investigation-report').click()]);
  watches.push(watchPage(tab, origin, 'report tab'));
  await tab.waitForURL(/^blob:/);
  await tab.locator('h1').waitFor();
  await expect(tab.locator('h1').textContent()).resolves.toBe('DPRK IT workers');
  await expect(tab.locator('#parties section.party').count()).resolves.toBe(CANVAS.length);
  await expect(tab.locator('#picture g.node').count()).resolves.toBe(CANVAS.length);

  const [download] = await Promise.all([page.waitForEvent('download'), item.getByTestId('investigation-report-pdf').click()]);
  expect(download.suggestedFilename()).toBe(`case-report-${saved}.pdf`);
  const pdf = path.join(tmp, 'downloaded.pdf');
  await download.saveAs(pdf);
  expect(fs.readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(takeProblems(watches)).toEqual([]);
  await page.close();
}, 180_000);
