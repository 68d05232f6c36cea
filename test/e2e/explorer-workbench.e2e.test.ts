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
import { canvasIds, clickNode, dblclickNode, detailsText, selectedIds, waitForCanvas, waitForLayout } from './explorer-page';

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
  // Two loads on a busy 2-core machine take minutes.
}, 600_000);

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

/** Puts a party on the canvas through the search box (Enter on the top hit) and waits for it. */
async function addBySearch(q: string, id: string): Promise<void> {
  await searchFor(q);
  expect(await page.locator('.search-results .hit').first().getAttribute('data-id')).toBe(id);
  await searchInput().press('Enter');
  await waitForCanvas(page, [id]);
  await waitForLayout(page);
}

/** Waits until the explorer is not adding or expanding anything (its busy sign is gone) and the layout has settled. */
async function settled(): Promise<void> {
  await page.locator('.canvas-wrap .busy').waitFor({ state: 'detached' });
  await waitForLayout(page);
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

describe('selection', () => {
  test('a picked hit leaves the search box, so E expands it rather than typing into the box', async () => {
    await addBySearch('chinyong', CHINYONG);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName)).not.toBe('INPUT');
    await page.keyboard.press('e');
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    expect(await searchInput().inputValue()).toBe('chinyong');
  });

  test('double-click expands and keeps the node selected with its details; click replaces, Shift+click adds, Esc clears, Ctrl+A selects all', async () => {
    await addBySearch('chinyong', CHINYONG);
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    await settled();
    expect(await selectedIds(page)).toEqual([CHINYONG]);
    expect(await detailsText(page)).toContain('CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY');
    expect(await detailsText(page)).toContain('Provenance');

    // A second double-click on another node: it alone is selected, and stays so after its expansion.
    const other = 'ofac-48260';
    await dblclickNode(page, other);
    await settled();
    expect(await selectedIds(page)).toEqual([other]);
    const otherName = String(await page.evaluate((id) => (globalThis as unknown as { __cy: { getElementById(i: string): { data(k: string): unknown } } }).__cy.getElementById(id).data('label'), other));
    await page.getByTestId('details').locator('h2').filter({ hasText: otherName }).waitFor();

    await clickNode(page, CHINYONG);
    expect(await selectedIds(page)).toEqual([CHINYONG]);
    await clickNode(page, 'ofac-48261', true);
    expect(await selectedIds(page)).toEqual([CHINYONG, 'ofac-48261'].sort());
    await page.getByText('2 nodes selected').waitFor();

    await page.keyboard.press('Escape');
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { $(s: string): { length: number } } }).__cy.$(':selected').length === 0);
    await page.getByTestId('details').getByText('Select a node or a relationship').waitFor();

    await page.keyboard.press('Control+a');
    const all = (await canvasIds(page)).sort();
    expect(all.length).toBeGreaterThan(3);
    expect(await selectedIds(page)).toEqual(all);
    // The page's text is not selected instead.
    expect(await page.evaluate(() => String((globalThis as unknown as { getSelection(): unknown }).getSelection()))).toBe('');
  });
});
