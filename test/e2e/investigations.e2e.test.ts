/**
 * Saved investigations in a real Chromium against the real server and real SDN entries (the 2024-05-03
 * excerpt): a canvas with a note is saved under a name (with the tab's reviewer key), the page is loaded
 * again with an empty canvas, the investigation is opened from the list, and the canvas comes back: the
 * same nodes where they were drawn, the note, and "nothing changed" (the same release is loaded).
 */
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { REPO_ROOT } from '../../server/core/settings';
import { ingest } from '../../ingest/ingest';
import { encodeUrlState, EMPTY_URL_STATE } from '../../client/src/url-state';
import { LOAD_DEFAULTS, resetDatabase, testDatabase } from '../helpers';
import { buildClient, launchBrowser, PageWatch, screenshot, takeProblems, watchPage } from './browser';
import { canvasIds, clickNode, waitForCanvas, waitForLayout } from './explorer-page';

const REVIEW_KEY = 'e2e-investigations-review-key-0123456789';
/** CHINYONG and the two companies linked to it (the excerpt's DPRK IT-worker network). */
const CANVAS = ['ofac-43379', 'ofac-48260', 'ofac-48261'];

let db: Database;
let server: http.Server;
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
  server = http.createServer(createApp({ notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null }, reviewApiKey: REVIEW_KEY }, graphql));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 300_000);

afterEach(() => {
  expect(takeProblems(watches)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await graphql.stop();
  await db?.close();
});

type Cy = { getElementById(id: string): { position(): { x: number; y: number } } };

/** Where each node is in the canvas's model coordinates. */
async function positionsOf(p: Page, ids: string[]): Promise<Record<string, { x: number; y: number }>> {
  return p.evaluate((xs) => Object.fromEntries(xs.map((id) => [id, (globalThis as unknown as { __cy: Cy }).__cy.getElementById(id).position()])), ids);
}

test('save a canvas with a note, load the page again, open it from the list: the same nodes, where they were, and the note', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  watches.push(watchPage(page, origin, 'investigations'));
  // The tab's key (what the API key dialog keeps): the review key, which may save.
  await page.addInitScript((key) => {
    try {
      (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem('sanctions-graph.apiKey', key);
    } catch {
      /* about:blank has no storage */
    }
  }, REVIEW_KEY);
  await page.goto(`${origin}/#${encodeUrlState({ ...EMPTY_URL_STATE, nodes: CANVAS })}`);
  await waitForCanvas(page, CANVAS);
  await waitForLayout(page);

  // A note on CHINYONG, then save under a name.
  await clickNode(page, 'ofac-43379');
  await page.getByTestId('investigations-button').click();
  await page.getByTestId('investigation-name').fill('Chinyong IT workers');
  await page.getByTestId('investigation-note').fill('Front for DPRK IT workers; see the two companies.');
  await page.getByTestId('investigation-save').click();
  await page.getByTestId('investigations-list').getByText('Chinyong IT workers').waitFor();
  const saved = await positionsOf(page, CANVAS);

  // A fresh page: nothing on the canvas (no link in the address), the saved investigation in the list.
  await page.goto('about:blank');
  await page.goto(`${origin}/`);
  await page.getByTestId('investigations-button').waitFor();
  expect(await canvasIds(page)).toEqual([]);
  await page.getByTestId('investigations-button').click();
  const item = page.getByTestId('investigations-list').locator('li', { hasText: 'Chinyong IT workers' });
  await expect(item.textContent()).resolves.toContain('3 nodes · review key');
  await item.getByTestId('investigation-open').click();

  await waitForCanvas(page, CANVAS);
  expect((await canvasIds(page)).sort()).toEqual([...CANVAS].sort());
  // Each node where it was drawn when saved (positions are kept as drawn; allow for rounding).
  await page.waitForFunction(
    ({ ids, want }) =>
      ids.every((id) => {
        const p = (globalThis as unknown as { __cy: Cy }).__cy.getElementById(id).position();
        return Math.abs(p.x - want[id].x) < 1 && Math.abs(p.y - want[id].y) < 1;
      }),
    { ids: CANVAS, want: saved },
    { timeout: 30_000 },
  );
  await expect(page.getByTestId('investigation-notes').textContent()).resolves.toContain('CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY: Front for DPRK IT workers');
  await expect(page.getByTestId('investigation-changes').textContent()).resolves.toContain('Nothing changed around the canvas.');
  // Nothing is marked as changed.
  expect(await page.evaluate(() => (globalThis as unknown as { __cy: { elements(s: string): { length: number } } }).__cy.elements('.inv-added, .inv-removed, .inv-modified').length)).toBe(0);
  await screenshot(page, 'investigations-open');
  await page.close();
}, 180_000);
