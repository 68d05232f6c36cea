/**
 * The explorer's screen and details gaps of issue 12, in a real browser (Debian's Chromium via
 * playwright-core) against the real server over the real 2024-05-03 SDN list: a passport's issue and
 * expiry dates in the details panel, the Program star on the dark theme, the canvas's share of a
 * 1280x720 window, and the legend folding away. Each test starts from a fresh page (a fresh browser
 * context: nothing kept in localStorage) and ends with no page error and no request that left the server.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';
import { EMPTY_URL_STATE, encodeUrlState } from '../../client/src/url-state';
import { buildClient, launchBrowser, PageWatch, takeProblems, watchPage } from './browser';
import { clickNode, dblclickNode, waitForCanvas, waitForLayout } from './explorer-page';

/** AOUADI, Mohamed Ben Belgacem: his remarks state "Passport L 191609 issued 28 Feb 1996 expires 27 Feb 2001". */
const AOUADI = 'ofac-7203';
/** CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY: linked to 48260 and 48261. */
const CHINYONG = 'ofac-43379';
const LINKED = ['ofac-48260', 'ofac-48261'];

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
  api = await startApi(db);
  browser = await launchBrowser();
  // A load on a busy 2-core machine takes minutes.
}, 600_000);

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  watches.push(watchPage(page, api.base, 'explorer'));
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

/** Opens the explorer on a link that puts these nodes on the canvas, and waits for their layout. */
async function openWith(nodes: string[], extra = ''): Promise<void> {
  await page.goto(`${api.base}/?${extra}#${encodeUrlState({ ...EMPTY_URL_STATE, nodes })}`);
  await waitForCanvas(page, nodes);
  await waitForLayout(page);
}

/** Waits until the explorer is not adding or expanding anything and the layout has settled. */
async function settled(): Promise<void> {
  await page.locator('.canvas-wrap .busy').waitFor({ state: 'detached' });
  await waitForLayout(page);
}

/** The canvas's drawn box (page pixels). */
async function canvasBox(): Promise<{ width: number; height: number }> {
  return (await page.getByTestId('canvas').boundingBox())!;
}

type FitW = { __cy: { width(): number; height(): number; nodes(): { renderedBoundingBox(): { x1: number; y1: number; x2: number; y2: number } } } };

/** Waits until every node is drawn inside the canvas (it refits when its size changes). */
async function waitForAllInside(): Promise<void> {
  await page.waitForFunction(() => {
    const cy = (globalThis as unknown as FitW).__cy;
    const bb = cy.nodes().renderedBoundingBox();
    return bb.x1 >= 0 && bb.y1 >= 0 && bb.x2 <= cy.width() && bb.y2 <= cy.height();
  });
}

/** WCAG contrast ratio of two CSS rgb()/rgba() colours (opaque ones), as in as-of-alerts.e2e. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = +v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('a passport’s issue and expiry dates are in the details, as the API gives them', async () => {
  const r = await api.gql('query ($id: ID!) { entity(id: $id) { identifiers { id type value issued expires } } }', { id: AOUADI });
  const identifiers = r.body.data!.entity.identifiers as { id: string; type: string; value: string; issued: string | null; expires: string | null }[];
  const dated = identifiers.filter((i) => i.issued || i.expires);
  // The remarks state one passport with both dates: the API must give them, or there is nothing to show.
  expect(dated.map((i) => [i.type, !!i.issued, !!i.expires])).toEqual([['passport', true, true]]);

  await openWith([AOUADI]);
  await clickNode(page, AOUADI);
  const row = page.getByTestId('details').locator('ul.facts li', { hasText: dated[0].value });
  await row.waitFor();
  const dates = row.getByTestId('document-dates');
  expect({ issued: await dates.getAttribute('data-issued'), expires: await dates.getAttribute('data-expires') }).toEqual({ issued: dated[0].issued, expires: dated[0].expires });
  // And in words, on the passport's line.
  expect(await row.textContent()).toContain(`issued ${dated[0].issued} · expires ${dated[0].expires}`);
  // Identifiers without dates say none.
  expect(await page.getByTestId('details').getByTestId('document-dates').count()).toBe(dated.length);
});

test('the Program star stands out from the canvas and the legend (contrast at least 3:1), in the dark theme as in the light', async () => {
  await openWith(['DPRK2']);
  type ThemeW = { document: { documentElement: { dataset: { theme?: string } } } };
  type StyleW = { __cy: { $(s: string): { length: number; style(p: string): string } } };
  type Css = { getComputedStyle(e: unknown): { backgroundColor: string; fill: string } };
  /** The first opaque background at or above an element: what it is drawn on. */
  const backgroundOf = (selector: string) =>
    page.locator(selector).first().evaluate((start) => {
      for (let e = start as { parentElement: unknown } | null; e; e = e.parentElement as { parentElement: unknown } | null) {
        const bg = (globalThis as unknown as Css).getComputedStyle(e).backgroundColor;
        if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
      }
      return 'rgb(255, 255, 255)';
    });
  async function starContrast(theme: string) {
    await page.waitForFunction((t) => (globalThis as unknown as ThemeW).document.documentElement.dataset.theme === t, theme);
    // The star's fill as Cytoscape draws it, against the canvas's background.
    const fill = await page.evaluate(() => (globalThis as unknown as StyleW).__cy.$('node[kind="Program"]').style('background-color'));
    const canvasBg = await backgroundOf('[data-testid=canvas]');
    // The legend's star, against the legend's background.
    const star = page.getByLabel('Legend', { exact: true }).locator('.legend-item[data-kind="Program"] path');
    const legendFill = await star.evaluate((p) => (globalThis as unknown as Css).getComputedStyle(p).fill);
    const legendBg = await backgroundOf('.legend');
    return { theme, fill, canvasBg, canvas: contrast(fill, canvasBg) >= 3, legendFill, legendBg, legend: contrast(legendFill, legendBg) >= 3 };
  }
  const light = await starContrast('light');
  expect(light).toEqual({ ...light, canvas: true, legend: true });
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  const dark = await starContrast('dark');
  expect(dark).toEqual({ ...dark, canvas: true, legend: true });
  // The backgrounds did change with the theme (else the dark case would test nothing new).
  expect(dark.canvasBg).not.toBe(light.canvasBg);
});

test('at 1280x720, with both side panels open (the default), the canvas takes more than 30 % of the window', async () => {
  await openWith([CHINYONG]);
  await dblclickNode(page, CHINYONG);
  await waitForCanvas(page, LINKED);
  await settled();
  expect(await page.getByRole('complementary', { name: 'Details' }).isVisible()).toBe(true);
  expect(await page.getByRole('complementary', { name: 'Search filters and paths' }).isVisible()).toBe(true);
  const box = await canvasBox();
  const share = (box.width * box.height) / (1280 * 720);
  expect({ width: box.width, height: box.height, moreThan30: share > 0.3 }).toEqual({ width: box.width, height: box.height, moreThan30: true });
});

test('the legend folds away: the canvas gets taller and refits, and it stays folded after a reload', async () => {
  await openWith([CHINYONG]);
  await dblclickNode(page, CHINYONG);
  await waitForCanvas(page, LINKED);
  await settled();
  const legend = page.getByLabel('Legend', { exact: true });
  expect(await legend.isVisible()).toBe(true);
  const before = await canvasBox();
  await page.getByTestId('fold-legend').click();
  await legend.waitFor({ state: 'hidden' });
  await page.waitForFunction((h) => (globalThis as unknown as FitW).__cy.height() > h, before.height);
  const after = await canvasBox();
  expect(after.height).toBeGreaterThan(before.height);
  await waitForAllInside();

  await page.reload();
  await waitForCanvas(page, [CHINYONG, ...LINKED]);
  await waitForLayout(page);
  expect(await page.getByTestId('fold-legend').getAttribute('aria-expanded')).toBe('false');
  expect(await legend.isVisible()).toBe(false);
  expect(Math.abs((await canvasBox()).height - after.height)).toBeLessThan(2);

  // Unfolded again, it is back and stays so.
  await page.getByTestId('fold-legend').click();
  await legend.waitFor();
  await page.reload();
  await legend.waitFor();
  expect(await page.getByTestId('fold-legend').getAttribute('aria-expanded')).toBe('true');
});
