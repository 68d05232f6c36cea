/**
 * Paths ranked by evidence in the explorer (issue 14, item 3), in a real browser (Debian's Chromium via
 * playwright-core) against the real server over OpenSanctions' real ZALA data: the Paths panel's switch
 * between fewest hops and strongest evidence, the why line of every path and each hop's citation of the
 * highlighted one. The pair, Zala Aero and Aeroscan, is connected both by ownership (Alexander ZAKHAROV
 * owns both) and by the Moscow address both use, each two relationships long
 * (test/integration/paths-evidence.int.test.ts says how it was found). The test ends with no page error
 * and no request that left the server.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';
import { buildClient, launchBrowser, PageWatch, screenshot, takeProblems, watchPage } from './browser';
import { waitForCanvas, waitForLayout } from './explorer-page';

const ZALA = path.join(SHARED, 'opensanctions-ftm', 'zala', 'entities.ftm.json');
const ZALA_AERO = 'NK-cPks3aTbes8k4aCerfBAzN';
const AEROSCAN = 'NK-iE6m5ryPeTAMZozfECVSL7';

let db: Database;
let api: TestApi;
let browser: Browser;
let page: Page;
const watches: PageWatch[] = [];

beforeAll(async () => {
  buildClient();
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [ZALA], format: 'ftm', dataset: 'zala', release: '2026-04-29' });
  api = await startApi(db);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  watches.push(watchPage(page, api.base, 'explorer'));
}, 600_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await api?.close();
  await db?.close();
});

/** Picks a path end by typing the party's name (as the API has it) and clicking its hit. */
async function pickEnd(testId: 'path-from' | 'path-to', id: string): Promise<void> {
  const entity = await db.read<{ party: { name: string } }>('api-entities', { ids: [id] });
  const end = page.getByTestId(testId);
  await end.locator('input').fill(entity[0].party.name);
  await end.locator(`.hit[data-id="${id}"]`).click();
}

test('the switch orders the paths by evidence: ownership first, each path says why, each hop cites its source', async () => {
  await page.goto(api.base + '/');
  await page.getByTestId('empty-state').waitFor();
  await page.getByTestId('tab-paths').click();
  await pickEnd('path-from', ZALA_AERO);
  await pickEnd('path-to', AEROSCAN);
  const panel = page.getByTestId('path-panel');

  // Fewest hops (the default): the mode is offered, every path has its why line.
  expect(await panel.getByLabel('Fewest hops').isChecked()).toBe(true);
  await panel.getByLabel('Mode').waitFor();
  await page.getByTestId('find-paths').click();
  const results = page.getByTestId('path-results');
  await results.waitFor();
  const byHops = await results.getByTestId('path-why').allTextContents();
  expect(byHops.length).toBeGreaterThan(1);
  for (const why of byHops) expect(why).toMatch(/^Why: .+\(zala 2026-04-29, records? /);

  // Strongest evidence: the weights are explained, the mode is not asked, the ownership path comes first.
  await panel.getByLabel('Strongest evidence').check();
  await panel.getByTestId('evidence-help').getByText(/Shared programs are never followed/).waitFor();
  expect(await panel.getByLabel('Mode').count()).toBe(0);
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await results.waitFor({ state: 'detached' });
  await page.getByTestId('find-paths').click();
  await results.waitFor();
  const items = results.getByTestId('path-item');
  const whys = await results.getByTestId('path-why').allTextContents();
  expect(whys.length).toBe(await items.count());
  expect(whys[0]).toMatch(/ owns .* owns /);
  expect(whys[0]).not.toMatch(/share the address/);
  const address = whys.findIndex((w) => /share the address/.test(w));
  expect(address).toBeGreaterThan(0);
  // The same set of paths' strengths, strongest first, as the list prints them.
  const strengths = (await items.locator('button').allTextContents()).map((t) => Number(/strength ([\d.]+)/.exec(t)![1]));
  expect(strengths).toEqual([...strengths].sort((a, b) => b - a));

  // The highlighted path hop by hop: one citation per hop, naming the dataset, release and a record.
  const hops = results.getByTestId('path-hops');
  expect(await hops.count()).toBe(1);
  const citations = await hops.getByTestId('hop-citation').allTextContents();
  expect(citations.length).toBe(2);
  for (const c of citations) expect(c).toMatch(/^zala 2026-04-29, record \S+/);
  await waitForCanvas(page, [ZALA_AERO, AEROSCAN]);
  await waitForLayout(page);
  await screenshot(page, '30-paths-evidence');

  // Stepping to the shared-address path shows its hop: one hop of two relationships, two records.
  await items.nth(address).locator('button').first().click();
  const addressHops = results.getByTestId('path-item').nth(address).getByTestId('hop-citation');
  expect(await addressHops.allTextContents()).toEqual([expect.stringMatching(/^zala 2026-04-29, records \S+.*; \S+/)]);

  // The link keeps the order: a reload (or a colleague opening the link) shows the paths by evidence again.
  await page.waitForFunction(() => /[#&]path=[^&]*~EVIDENCE(&|$)/.test(decodeURIComponent((globalThis as unknown as { location: { hash: string } }).location.hash)));
  await page.reload();
  await results.waitFor();
  expect(await panel.getByLabel('Strongest evidence').isChecked()).toBe(true);
  expect(await results.getByTestId('path-why').allTextContents()).toEqual(whys);
  expect(takeProblems(watches)).toEqual([]);
});
