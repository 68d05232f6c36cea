/**
 * Labels kept apart by the force-directed layout (issue 12: "label sizes in the layout's spacing"), in a
 * real browser (Debian's Chromium via playwright-core) against the real server over the real 2024-05-03
 * SDN list: CHINYONG expanded, then DPRK2's co-listed parties shown and paged on to about 100 nodes (the
 * canvas of the README's screenshot), laid out by the default layout (fCoSE below 400 nodes, in the
 * layout worker, from each node's measured box with its label). No two node+label boxes, as Cytoscape
 * measures them, overlap by more than half a unit both across and along (the "+N more" handle, put
 * beside its node after the layout, left out). Boxes are in model coordinates, the same at every zoom;
 * the test also checks that the canvas is drawn at a zoom where labels are shown (style.ts:
 * min-zoomed-font-size 7 of font-size 10, so zoom >= 0.7).
 * Screenshot: test-output/screenshots/program-badges.png (client/screenshots/program-badges.png in the README).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';
import { buildClient, launchBrowser, PageWatch, screenshot, takeProblems, watchPage } from './browser';
import { clickNode, dblclickNode, waitForCanvas, waitForLayout } from './explorer-page';

/** CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY, the top hit of "chinyong", listed under DPRK2. */
const CHINYONG = 'ofac-43379';
const LINKED = ['ofac-48260', 'ofac-48261'];
const DPRK2 = 'DPRK2';

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
}, 600_000);

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  watches.push(watchPage(page, api.base, 'labels'));
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

interface Drawn {
  id: string;
  kind: string;
  label: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

type CyW = {
  __cy: {
    nodes(): { length: number; map<T>(f: (n: N) => T): T[] };
    zoom(): number;
    zoom(o: { level: number; renderedPosition: { x: number; y: number } }): void;
    width(): number;
    height(): number;
    getElementById(id: string): { emit(e: string): void };
  };
};
type N = { id(): string; hasClass(c: string): boolean; data(k: string): unknown; style(k: string): string; boundingBox(o: object): { x1: number; y1: number; x2: number; y2: number } };

/** Every node drawn but the "+N more" handles, with its box and label as Cytoscape draws them. */
async function drawn(): Promise<Drawn[]> {
  return page.evaluate(() =>
    (globalThis as unknown as CyW).__cy
      .nodes()
      .map((n) => {
        const b = n.boundingBox({ includeLabels: true, includeOverlays: false });
        return { id: n.id(), more: n.hasClass('more'), kind: String(n.data('kind')), label: String(n.style('label')), x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 };
      })
      .filter((n) => !n.more)
      .map(({ more: _more, ...n }) => n),
  );
}

/** Pairs of boxes that overlap by more than half a unit both across and along. */
function overlaps(nodes: Drawn[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i];
      const b = nodes[j];
      if (Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5) out.push(`${a.id} / ${b.id}`);
    }
  }
  return out;
}

const nodeCount = () => page.evaluate(() => (globalThis as unknown as CyW).__cy.nodes().length);

/** Waits until the explorer is not adding or expanding anything and the layout has settled. */
async function settled(): Promise<void> {
  await page.locator('.canvas-wrap .busy').waitFor({ state: 'detached' });
  await waitForLayout(page);
}

test('about 100 nodes after "Show co-listed parties" of DPRK2, force-directed: no two node+label boxes overlap; screenshot', async () => {
  await page.getByTestId('search').locator('input').fill('chinyong');
  await page.locator('.search-results .hit').first().waitFor();
  expect(await page.locator('.search-results .hit').first().getAttribute('data-id')).toBe(CHINYONG);
  await page.getByTestId('search').locator('input').press('Enter');
  await waitForCanvas(page, [CHINYONG]);
  await waitForLayout(page);
  // The default layout is the force-directed one.
  expect(await page.locator('select[aria-label=Layout]').inputValue()).toBe('fcose');
  await dblclickNode(page, CHINYONG);
  await waitForCanvas(page, LINKED);
  await settled();
  expect(overlaps(await drawn())).toEqual([]);
  await clickNode(page, CHINYONG);
  await page.getByTestId('details').getByRole('button', { name: `Show co-listed parties of ${DPRK2}` }).click();
  await waitForCanvas(page, [`more::${DPRK2}`]);
  await settled();
  // Each layout is incremental (what was placed stays): checked after each page of members.
  expect(overlaps(await drawn())).toEqual([]);
  for (let i = 0; i < 3; i++) {
    const n = await nodeCount();
    if (n >= 95) break;
    await page.evaluate(() => (globalThis as unknown as CyW).__cy.getElementById('more::DPRK2').emit('tap'));
    await page.waitForFunction((m) => (globalThis as unknown as CyW).__cy.nodes().length > m, n);
    await settled();
    expect(overlaps(await drawn())).toEqual([]);
  }
  const nodes = await drawn();
  expect(nodes.length).toBeGreaterThanOrEqual(80);
  // The boxes are of real labels: every party's name and its badge line, several lines tall, wider than the node.
  const parties = nodes.filter((n) => n.kind !== 'Program');
  expect(parties.every((n) => n.label.includes(`[${DPRK2}]`))).toBe(true);
  expect(parties.filter((n) => n.x2 - n.x1 > 60).length).toBeGreaterThan(parties.length / 2);

  // The side panels folded away (the framing of the README's screenshot): the canvas refits. Where the
  // fitted zoom is below the one that shows labels (style.ts: min-zoomed-font-size 7 of font-size 10),
  // the view zooms in to it about the centre, as a reader would, so the screenshot shows the labels.
  const narrow = await page.evaluate(() => (globalThis as unknown as CyW).__cy.width());
  await page.getByTestId('fold-left').click();
  await page.getByTestId('fold-right').click();
  await page.waitForFunction((w) => (globalThis as unknown as CyW).__cy.width() > w + 400, narrow);
  const zoom = await page.evaluate(() => {
    const cy = (globalThis as unknown as CyW).__cy;
    if (cy.zoom() < 0.7) cy.zoom({ level: 0.7, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    return cy.zoom();
  });
  expect(zoom).toBeGreaterThanOrEqual(0.7);
  expect(overlaps(await drawn())).toEqual([]);
  await page.evaluate(() => new Promise((r) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => r(null)))));
  await screenshot(page, 'program-badges');
});
