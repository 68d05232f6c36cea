/**
 * The ownership table in the details panel (issue 14 item 1), in a real browser (Debian's Chromium via
 * playwright-core) against the real server over OpenSanctions' ZALA records
 * (../shared/data/sanctions/opensanctions-ftm/zala): LLC CST opened from the search, its table (total,
 * verdict, a row per chain with its arithmetic), another date (a stake without a percentage: "share
 * unknown"), the EU's rule, and the chains drawn on the canvas. What the table shows is compared with
 * what the API answers for the same question (ownership.int.test.ts checks those answers against the
 * records by hand). Each test starts from a fresh page and ends with no page error and no request that
 * left the server.
 */
import type { Browser, Page } from 'playwright-core';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';
import { buildClient, launchBrowser, PageWatch, screenshot, takeProblems, watchPage } from './browser';
import { canvasIds, waitForCanvas, waitForLayout } from './explorer-page';
import path from 'node:path';

const ZALA = path.join(SHARED, 'opensanctions-ftm', 'zala', 'entities.ftm.json');
const CST = 'NK-abdzbEBkqyT29GyREbiURZ';

let db: Database;
let api: TestApi;
let browser: Browser;
let page: Page;
const watches: PageWatch[] = [];

beforeAll(async () => {
  buildClient();
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [ZALA], dataset: 'opensanctions-zala', release: '2024-05-27' });
  api = await startApi(db);
  browser = await launchBrowser();
}, 600_000);

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
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

/** The API's answer for the same question the table asks. */
async function apiOwnership(rule: 'OFAC' | 'EU', asOf: string | null) {
  const r = await api.gql(
    'query($id: ID!, $rule: OwnershipRule, $asOf: String) { ownership(id: $id, rule: $rule, asOf: $asOf) { total totalHigh verdict chains { share arithmetic path { nodes { id } } } } }',
    { id: CST, rule, asOf },
  );
  expect(r.body.errors).toBeUndefined();
  return r.body.data!.ownership as { total: number; totalHigh: number; verdict: string; chains: { share: number | null; arithmetic: string; path: { nodes: { id: string }[] } }[] };
}

/** Opens LLC CST from the search box; it is selected, so the details panel shows it. */
async function openCst(): Promise<void> {
  const input = page.getByTestId('search').locator('input');
  await input.fill('LLC CST');
  await page.locator('.search-results .hit').first().and(page.locator(`[data-id="${CST}"]`)).waitFor();
  await input.press('Enter');
  await waitForCanvas(page, [CST]);
  await waitForLayout(page);
}

/** The ownership section once its answer for this verdict has come. */
async function table(verdict: string) {
  const o = page.getByTestId('details').getByTestId('ownership');
  await o.and(page.locator('[data-state=done]')).getByTestId('ownership-table').and(page.locator(`[data-verdict=${verdict}]`)).waitFor();
  return o;
}

async function rows(o: ReturnType<Page['getByTestId']>) {
  return o.locator('[data-testid=ownership-chains] tbody tr').evaluateAll((els) =>
    (els as unknown as { getAttribute(n: string): string | null; querySelectorAll(s: string): { textContent: string | null }[] }[]).map((e) => ({
      owner: e.getAttribute('data-owner'),
      unknown: e.getAttribute('data-unknown') === 'true',
      cells: [...e.querySelectorAll('td')].map((c) => c.textContent),
    })),
  );
}

test('a company: total, verdict and a row per chain with its arithmetic, as the API says; the chains drawn on the canvas', async () => {
  const expected = await apiOwnership('OFAC', null);
  expect(expected.verdict).toBe('BLOCKED');
  await openCst();
  const o = await table('BLOCKED');
  await expect(o.getByTestId('ownership-total').textContent()).resolves.toBe(`${expected.total}%`);
  await expect(o.getByTestId('ownership-verdict').textContent()).resolves.toBe("Blocked under OFAC's 50% rule (50% or more)");
  const shown = await rows(o);
  expect(shown.map((r) => [r.owner, r.cells[1], r.cells[2]])).toEqual(expected.chains.map((c) => [c.path.nodes[0].id, `${c.share}%`, c.arithmetic]));
  expect(shown.length).toBeGreaterThan(0);
  await expect(o.getByTestId('ownership-arithmetic').textContent()).resolves.toContain(`= ${expected.total}% >= 50%`);
  await o.scrollIntoViewIfNeeded();
  await screenshot(page, 'details-ownership');

  const owners = expected.chains.map((c) => c.path.nodes[0].id);
  expect(await canvasIds(page)).toEqual([CST]);
  await o.getByTestId('ownership-draw').click();
  await waitForCanvas(page, [CST, ...owners]);
  await waitForLayout(page);
  const edges = await page.evaluate(() => {
    const cy = (globalThis as unknown as { __cy: { edges(): { map<T>(f: (e: { data(k: string): string }) => T): T[] } } }).__cy;
    return cy.edges().map((e) => `${e.data('source')}>${e.data('target')}:${e.data('type')}`);
  });
  for (const owner of owners) expect(edges).toContain(`${owner}>${CST}:OWNERSHIP`);
});

test('another date (its own or the toolbar\'s): a stake without a percentage is a "share unknown" row and the verdict is open; the EU rule', async () => {
  await openCst();
  await table('BLOCKED');
  await page.getByTestId('ownership-asof').fill('2016-01-01');
  const expected = await apiOwnership('OFAC', '2016-01-01');
  expect(expected.verdict).toBe('POSSIBLY');
  let o = await table('POSSIBLY');
  await expect(o.getByTestId('ownership-total').textContent()).resolves.toBe(`${expected.total}% known, up to ${expected.totalHigh}%`);
  const shown = await rows(o);
  expect(shown).toEqual(expected.chains.map((c) => ({ owner: c.path.nodes[0].id, unknown: true, cells: [expect.any(String), 'share unknown', c.arithmetic] })));

  await page.getByTestId('ownership-asof').fill('');
  await table('BLOCKED');
  // The toolbar's As of date is the table's too: set there, the table reads as of it.
  await page.getByTestId('as-of').fill('2016-01-01');
  await table('POSSIBLY');
  expect(await page.getByTestId('ownership-asof').inputValue()).toBe('2016-01-01');
  await page.getByTestId('as-of').fill('');
  await table('BLOCKED');
  await page.getByTestId('ownership-rule-EU').click();
  const eu = await apiOwnership('EU', null);
  o = await table(eu.verdict);
  await expect(o.getByTestId('ownership-verdict').textContent()).resolves.toMatch(/under the EU's test \(more than 50%\)$/);
  await expect(o.getByTestId('ownership-arithmetic').textContent()).resolves.toContain('Control (a separate EU test, not a share)');
});
