/**
 * The explorer in a real browser (Debian's Chromium via playwright-core) against the real server and the
 * real 2024-05-03 SDN data in the test Neo4j: the Chinyong network from a search to an exported subgraph,
 * paths, a shared link, hubs, themes and the offline GraphQL IDE. Screenshots of the main views go to
 * test-output/screenshots/ (git-ignored) for a person to look at.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createApp, AppState } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';
import { buildClient, launchBrowser, screenshot, watchPage } from './browser';

let db: Database;
let server: http.Server;
let origin: string;
let browser: Browser;
let page: Page;
let watch: { errors: string[]; external: string[] };

async function serve(state: AppState): Promise<{ server: http.Server; origin: string }> {
  const graphql = createGraphQLServer();
  await graphql.start();
  const s = http.createServer(createApp(state, graphql));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { server: s, origin: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  buildClient();
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { paths: [path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], ...LOAD_DEFAULTS });
  // The UN list too, as in the demo: listing dates for the timeline, and candidate matches across lists.
  await ingest(db, { paths: [path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml')], ...LOAD_DEFAULTS });
  ({ server, origin } = await serve({ notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null } }));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  watch = watchPage(page, origin);
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  await db?.close();
});

/** Node ids drawn on the canvas (Cytoscape's own model, exposed as window.__cy). */
async function canvasIds(p: Page = page): Promise<string[]> {
  return p.evaluate(() => (globalThis as unknown as { __cy: { nodes(): { map(f: (n: { id(): string }) => string): string[] } } }).__cy.nodes().map((n) => n.id()));
}

async function waitForCanvas(p: Page, ids: string[], timeout = 30_000): Promise<void> {
  await p.waitForFunction(
    (want) => {
      const cy = (globalThis as unknown as { __cy?: { getElementById(id: string): { nonempty(): boolean } } }).__cy;
      return !!cy && want.every((id) => cy.getElementById(id).nonempty());
    },
    ids,
    { timeout },
  );
}

/** Double-clicks a node where it is drawn, as a user would. */
async function dblclickNode(id: string): Promise<void> {
  await page.waitForTimeout(600); // let the layout settle
  const box = (await page.locator('[data-testid=canvas]').boundingBox())!;
  const pos = await page.evaluate((nodeId) => {
    const cy = (globalThis as unknown as { __cy: { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } }).__cy;
    return cy.getElementById(nodeId).renderedPosition();
  }, id);
  await page.mouse.dblclick(box.x + pos.x, box.y + pos.y);
}

describe('explorer', () => {
  test('opens with an empty state that says what to do, and loads nothing from the internet', async () => {
    await page.goto(origin + '/');
    await page.getByTestId('empty-state').waitFor();
    expect(await page.getByTestId('empty-state').textContent()).toMatch(/Search a name/);
    await page.getByText('14,965 listed').waitFor();
    await page.getByText('1,000 listed').waitFor();
    await screenshot(page, '01-empty');
  });

  test('search "chinyong": type-ahead shows ofac-43379 first with kind, programs, dataset and score; Enter opens it', async () => {
    const input = page.getByTestId('search').locator('input');
    await input.fill('chinyong');
    const first = page.locator('.search-results .hit').first();
    await first.waitFor();
    expect(await first.getAttribute('data-id')).toBe('ofac-43379');
    const text = await first.textContent();
    expect(text).toContain('CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY');
    expect(text).toContain('Organization');
    expect(text).toContain('DPRK2');
    expect(text).toContain('ofac-sdn');
    expect(text).toMatch(/\d\.\d\d/);
    await screenshot(page, '02-search');
    await input.press('Enter');
    await waitForCanvas(page, ['ofac-43379']);
    // The details panel shows the party with its provenance.
    const details = page.getByTestId('details');
    await details.getByText('Provenance').waitFor();
    expect(await details.textContent()).toContain('sdn.csv:');
    expect(page.url()).toContain('ofac-43379');
  });

  test('double-clicking it expands its network: ofac-48260 and ofac-48261 appear', async () => {
    await dblclickNode('ofac-43379');
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    const ids = await canvasIds();
    expect(ids).toEqual(expect.arrayContaining(['ofac-43379', 'ofac-48260', 'ofac-48261']));
    // The Linked To relationships are drawn with the source's wording.
    const labels = await page.evaluate(() =>
      (globalThis as unknown as { __cy: { edges(): { map(f: (e: { data(k: string): string }) => string): string[] } } }).__cy.edges().map((e) => e.data('label')),
    );
    expect(labels).toContain('Linked To');
    await page.waitForTimeout(800);
    await screenshot(page, '03-expanded');
  });

  test('the details panel of a linked company lists aliases with type and strength, addresses and identifiers', async () => {
    await page.evaluate(() => {
      const cy = (globalThis as unknown as { __cy: { $(s: string): { unselect(): void }; getElementById(id: string): { select(): void } } }).__cy;
      cy.$(':selected').unselect();
      cy.getElementById('ofac-48260').select();
    });
    const details = page.getByTestId('details');
    await details.getByText('LIMITED LIABILITY COMPANY ALIS').first().waitFor();
    await details.getByText(/Aliases \(\d+\)/).waitFor();
    const text = await details.textContent();
    expect(text).toContain('a.k.a.');
    expect(text).toMatch(/Identifiers \(\d+\)/);
    await screenshot(page, '04-details');
  });

  test('finds and highlights a path between two entities, with a list to step through', async () => {
    // ofac-48262 is linked to ofac-48261, which is linked to ofac-43379 (2024-05-03 sdn.csv remarks).
    await page.getByTestId('tab-paths').click();
    const from = page.getByTestId('path-from');
    // Its name, to type it as a user would.
    const entity = await db.read<{ party: { name: string } }>('api-entities', { ids: ['ofac-48262'] });
    await from.locator('input').fill(entity[0].party.name);
    await from.locator('.hit[data-id="ofac-48262"]').click();
    const to = page.getByTestId('path-to');
    await to.locator('input').fill('chinyong');
    await to.locator('.hit[data-id="ofac-43379"]').click();
    await page.getByTestId('find-paths').click();
    const results = page.getByTestId('path-results');
    await results.waitFor();
    expect(await results.textContent()).toMatch(/2 hops/);
    await waitForCanvas(page, ['ofac-48262']);
    const highlighted = await page.evaluate(() =>
      (globalThis as unknown as { __cy: { $(s: string): { map(f: (e: { id(): string }) => string): string[] } } }).__cy.$('node.path').map((n) => n.id()),
    );
    expect(highlighted).toEqual(expect.arrayContaining(['ofac-48262', 'ofac-48261', 'ofac-43379']));
    await screenshot(page, '05-path');
  });

  test('a copied link restores the same graph in a new tab', async () => {
    const url = page.url();
    const before = (await canvasIds()).filter((id) => !id.startsWith('more::')).sort();
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await other.goto(url);
      await waitForCanvas(other, before);
      const after = (await canvasIds(other)).filter((id) => !id.startsWith('more::')).sort();
      expect(after).toEqual(before);
      await other.getByTestId('notice').getByText(/Restored \d+ nodes? from the link/).waitFor();
    } finally {
      await other.close();
    }
  });

  test('exports the canvas as GraphML (through the server) and as PNG', async () => {
    const ids = (await canvasIds()).filter((id) => !id.startsWith('more::'));
    await page.getByTestId('export-button').click();
    const [graphml] = await Promise.all([page.waitForEvent('download'), page.locator('[data-format=graphml]').click()]);
    const xml = fs.readFileSync((await graphml.path())!, 'utf8');
    expect(xml).toContain('<graphml');
    for (const id of ids) expect(xml).toContain(`id="${id}"`);
    expect(graphml.suggestedFilename()).toMatch(/\.graphml$/);

    await page.getByTestId('export-button').click();
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Image (PNG)' }).click()]);
    const bytes = fs.readFileSync((await png.path())!);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(5000);
  });

  test('remove, undo and redo', async () => {
    const before = await canvasIds();
    await page.evaluate(() => {
      const cy = (globalThis as unknown as { __cy: { $(s: string): { unselect(): void }; getElementById(id: string): { select(): void } } }).__cy;
      cy.$(':selected').unselect();
      cy.getElementById('ofac-48262').select();
    });
    await page.locator('[data-testid=canvas]').focus().catch(() => undefined);
    await page.getByRole('button', { name: 'Remove the selection (Delete)' }).or(page.getByTitle('Remove the selection (Delete)')).click();
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { getElementById(id: string): { empty(): boolean } } }).__cy.getElementById('ofac-48262').empty());
    await page.getByRole('button', { name: 'Undo' }).click();
    await waitForCanvas(page, ['ofac-48262']);
    await page.getByRole('button', { name: 'Redo' }).click();
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { getElementById(id: string): { empty(): boolean } } }).__cy.getElementById('ofac-48262').empty());
    expect((await canvasIds()).length).toBeLessThan(before.length);
  });

  test('a hub expands to a capped set with a "+N more" handle that pages on', async () => {
    await page.goto(origin + '/#n=DPRK2');
    await waitForCanvas(page, ['DPRK2']);
    await dblclickNode('DPRK2');
    await waitForCanvas(page, ['more::DPRK2']);
    const first = (await canvasIds()).filter((id) => !id.startsWith('more::'));
    expect(first.length).toBeLessThanOrEqual(26);
    expect(first.length).toBeGreaterThan(10);
    const handle = await page.evaluate(() => (globalThis as unknown as { __cy: { getElementById(id: string): { data(k: string): string } } }).__cy.getElementById('more::DPRK2').data('display'));
    expect(handle).toMatch(/^\+\d+ more$/);
    await page.getByTestId('notice').getByText(/most relevant neighbours/).waitFor();
    await screenshot(page, '06-hub');
    // The handle pages on: more members, never the ones already there.
    // A block body: the collection emit() returns must not be sent back (Playwright would serialise the whole graph).
    await page.evaluate(() => {
      (globalThis as unknown as { __cy: { getElementById(id: string): { emit(e: string): void } } }).__cy.getElementById('more::DPRK2').emit('tap');
    });
    await page.waitForFunction((n) => (globalThis as unknown as { __cy: { nodes(): { length: number } } }).__cy.nodes().length > n + 5, first.length + 1);
  });

  test('candidate matches in other lists are listed with their evidence and go on the canvas with a click', async () => {
    await page.goto(origin + '/#n=ofac-9345');
    await page.reload();
    await waitForCanvas(page, ['ofac-9345']);
    await page.evaluate(() => {
      (globalThis as unknown as { __cy: { getElementById(id: string): { select(): void } } }).__cy.getElementById('ofac-9345').select();
    });
    const matches = page.getByTestId('possible-matches');
    await matches.waitFor();
    const un = matches.locator('li[data-id="un-KPe.001"]');
    expect(await un.textContent()).toMatch(/un-sc/);
    expect(await un.textContent()).toMatch(/Names:/);
    await un.locator('.match-head button').click();
    await waitForCanvas(page, ['un-KPe.001']);
    const types = await page.evaluate(() =>
      (globalThis as unknown as { __cy: { edges(): { map(f: (e: { data(k: string): string }) => string): string[] } } }).__cy.edges().map((e) => e.data('type')),
    );
    expect(types).toContain('POSSIBLY_SAME_AS');
    await page.waitForTimeout(800);
    await screenshot(page, '09-matches');
  });

  test('the designation timeline shows listing dates of what is on the canvas; a bar marks those parties', async () => {
    await page.goto(origin + '/#n=un-KPe.001~un-KPe.002~un-KPe.004~ofac-9345');
    await page.reload();
    await waitForCanvas(page, ['un-KPe.004']);
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    const bars = timeline.locator('button.bar:not([disabled])');
    expect(await bars.count()).toBeGreaterThanOrEqual(2); // KPe.001/002 listed in 2009, the OFAC entry first seen 2024
    await bars.first().click();
    const marked = await page.evaluate(() =>
      (globalThis as unknown as { __cy: { $(s: string): { map(f: (n: { id(): string }) => string): string[] } } }).__cy.$('node.timeline-hit').map((n) => n.id()),
    );
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.every((id) => id.startsWith('un-'))).toBe(true);
  });

  test('dark theme', async () => {
    await page.goto(origin + '/#n=ofac-43379~ofac-48260~ofac-48261~ofac-48262');
    await waitForCanvas(page, ['ofac-48262']);
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme)).toBe('dark');
    await page.waitForTimeout(800);
    await screenshot(page, '07-dark');
    await page.getByRole('button', { name: /Switch to light theme/ }).click();
  });

  test('no page errors and no request left the server', () => {
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
  });
});

describe('offline GraphQL IDE', () => {
  test('GET /graphql in a browser shows GraphiQL from our own server, and it runs a query', async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const w = watchPage(p, origin);
    try {
      await p.goto(origin + '/graphql');
      await p.locator('.graphiql-container').waitFor({ timeout: 30_000 });
      // The editor holds the example query, and the schema has loaded (the docs button works off it).
      const text = (selector: string) => `(document.querySelector('${selector}')?.textContent ?? '')`;
      await p.waitForFunction(`${text('.graphiql-query-editor')}.includes('neighborhood')`, null, { timeout: 30_000 });
      await p.waitForTimeout(500);
      await p.getByRole('button', { name: /Execute query/i }).click();
      await p.waitForFunction(`${text('.result-window')}.includes('"ofac-43379"')`, null, { timeout: 60_000 });
      await screenshot(p, '08-graphiql');
      expect(w.external).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

describe('server states', () => {
  test('while the server loads its data, the explorer says so', async () => {
    const starting = await serve({ notReady: 'loading demo data', db: null, neo4j: { uri: 'test', embedded: false, version: null } });
    const p = await browser.newPage();
    try {
      await p.goto(starting.origin + '/');
      const banner = p.getByTestId('server-problem');
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(/loading demo data/);
    } finally {
      await p.close();
      starting.server.close();
    }
  });

  test('a search with no match says so', async () => {
    await page.goto(origin + '/');
    await page.getByTestId('search').locator('input').fill('zzqxv wwkkj');
    await page.locator('.search-message').getByText(/No party matches/).waitFor();
  });
});
