/**
 * The explorer as a link-analysis workbench (issue 12), in a real browser (Debian's Chromium via
 * playwright-core) against the real server over the real 2024-05-03 SDN and 2025-11-18 UN lists:
 * search picks, selection, captions of image exports, the Paths panel, search hits, fact nodes and the
 * details panel. Each test starts from a fresh page, and ends with no page error and no request that
 * left the server (afterEach).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';
import { buildClient, launchBrowser, PageWatch, takeProblems, watchPage } from './browser';
import { canvasIds } from './explorer-page';

/** CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY, the top hit of "chinyong". */
const CHINYONG = 'ofac-43379';

let db: Database;
let api: TestApi;
let browser: Browser;
let page: Page;
const watches: PageWatch[] = [];

beforeAll(async () => {
  buildClient();
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { paths: [path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], ...LOAD_DEFAULTS });
  await ingest(db, { paths: [path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml')], ...LOAD_DEFAULTS });
  api = await startApi(db);
  browser = await launchBrowser();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  watches.push(watchPage(page, api.base, 'explorer'));
  await page.goto(api.base + '/');
  await page.getByTestId('empty-state').waitFor();
});

afterEach(async () => {
  await page.close();
  expect(takeProblems(watches)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await db?.close();
});

const searchInput = () => page.getByTestId('search').locator('input');

/** Types a query in the top search box and waits for its result list. */
async function searchFor(q: string): Promise<void> {
  await searchInput().fill(q);
  await page.locator('.search-results .hit').first().waitFor();
}

describe('search', () => {
  test('Enter adds the keyboard’s highlighted hit, not the row under a mouse pointer resting where the list opens', async () => {
    // Where the third row of the list will be: the pointer is left there while the list is closed.
    await searchFor('chinyong');
    const rows = page.locator('.search-results .hit');
    expect(await rows.count()).toBeGreaterThan(2);
    const top = await rows.nth(0).getAttribute('data-id');
    const third = await rows.nth(2).getAttribute('data-id');
    expect(top).toBe(CHINYONG);
    const box = (await rows.nth(2).boundingBox())!;
    await searchInput().fill('');
    await page.locator('.search-results').waitFor({ state: 'detached' });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    // The list opens under the resting pointer.
    await searchFor('chinyong');
    await searchInput().press('Enter');
    await page.waitForFunction(() => (globalThis as unknown as { __cy?: { nodes(): { length: number } } }).__cy?.nodes().length === 1);
    expect(await canvasIds(page)).not.toContain(third);
    expect(await canvasIds(page)).toEqual([CHINYONG]);
  });
});
