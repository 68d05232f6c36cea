/**
 * The explorer in a real browser (Debian's Chromium via playwright-core) against the real server and the
 * real 2024-05-03 SDN data in the test Neo4j: the Chinyong network from a search to an exported subgraph,
 * paths (in each mode), a shared link, hubs, layouts, shortcuts, shared identifiers, reviewing candidate
 * matches, themes and the offline GraphQL IDE. Screenshots of the main views go to test-output/screenshots/
 * (git-ignored) for a person to look at. Every page a test opens is watched from the moment it opens: each
 * test ends with no page error and no request that left the server (afterEach). Nothing waits a fixed time
 * before acting on the canvas: the canvas says when a layout has settled (data-layout="done").
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
import { DEFAULT_PATH_REL_TYPES } from '../../server/core/model';
import { buildClient, launchBrowser, PageWatch, screenshot, takeProblems, watchPage } from './browser';

/** The server's review key (REVIEW_API_KEY), so candidate matches can be confirmed and rejected in the UI. */
const REVIEW_KEY = 'e2e-review-key-0123456789abcdef';

let db: Database;
let server: http.Server;
let origin: string;
let browser: Browser;
let page: Page;
/** Every page opened, watched from its start; afterEach asserts that none had an error. */
const watches: PageWatch[] = [];

/** Opens a page that afterEach will hold to account. */
async function openPage(name: string, options: Parameters<Browser['newPage']>[0] = {}, at = origin): Promise<Page> {
  const p = await browser.newPage(options);
  watches.push(watchPage(p, at, name));
  return p;
}

/** Console errors the current test expects on a page (cleared after the test). */
function allowErrors(p: Page, re: RegExp): void {
  watches.find((w) => w.page === p)!.allowed.push(re);
}

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
  ({ server, origin } = await serve({ notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null }, reviewApiKey: REVIEW_KEY }));
  browser = await launchBrowser();
  page = await openPage('explorer', { viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  // Two loads on a busy 2-core machine take minutes (180 s was seen to run out).
}, 600_000);

afterEach(() => {
  // Whatever the order the tests run in, each answers for the errors of its own pages.
  expect(takeProblems(watches)).toEqual([]);
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

/** Waits until the canvas holds exactly these nodes (not counting "+N more" handles): a restored link, not the graph before it. */
async function waitForCanvasExactly(p: Page, ids: string[], timeout = 30_000): Promise<void> {
  await p.waitForFunction(
    (want) => {
      const cy = (globalThis as unknown as { __cy?: { nodes(): { map(f: (n: { id(): string }) => string): string[] } } }).__cy;
      const have = cy ? cy.nodes().map((n) => n.id()).filter((id) => !id.startsWith('more::')).sort() : [];
      return JSON.stringify(have) === JSON.stringify([...want].sort());
    },
    ids,
    { timeout },
  );
}

/** How many layouts the canvas has started (data-layout-runs). */
async function layoutRuns(p: Page = page): Promise<number> {
  return Number(await p.getByTestId('canvas').getAttribute('data-layout-runs'));
}

/** Waits until the canvas's layout has settled (data-layout="done"), and if `after` is given, a layout started after that count. */
async function waitForLayout(p: Page = page, after = -1): Promise<void> {
  await p.waitForFunction(
    (n) => {
      const el = (globalThis as unknown as { document: { querySelector(s: string): { dataset: Record<string, string | undefined> } | null } }).document.querySelector('[data-testid=canvas]');
      return !!el && el.dataset.layout === 'done' && Number(el.dataset.layoutRuns) > n;
    },
    after,
    { timeout: 60_000 },
  );
}

/** Node positions on the canvas (model coordinates), parties and facts, not handles. */
async function positions(p: Page = page): Promise<Record<string, { x: number; y: number }>> {
  return p.evaluate(() => {
    const cy = (globalThis as unknown as { __cy: { nodes(s: string): { forEach(f: (n: { id(): string; position(): { x: number; y: number } }) => void): void } } }).__cy;
    const out: Record<string, { x: number; y: number }> = {};
    cy.nodes(':visible').forEach((n) => {
      if (!n.id().startsWith('more::')) out[n.id()] = { ...n.position() };
    });
    return out;
  });
}

/** Selects one node, as a click would, and waits until the details panel shows it. */
async function selectNode(id: string, p: Page = page): Promise<void> {
  const label = await p.evaluate((nodeId) => {
    const cy = (globalThis as unknown as { __cy: { $(s: string): { unselect(): void }; getElementById(id: string): { select(): void; data(k: string): string } } }).__cy;
    cy.$(':selected').unselect();
    cy.getElementById(nodeId).select();
    return cy.getElementById(nodeId).data('label');
  }, id);
  await p.getByTestId('details').locator('h2').filter({ hasText: label }).waitFor();
}

/** Calls the GraphQL API as any client would. */
async function gql<T>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<T> {
  const r = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await r.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
}

/** Double-clicks a node where it is drawn, as a user would, once the layout has put it there. */
async function dblclickNode(id: string): Promise<void> {
  await waitForLayout();
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
    await waitForLayout();
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
    const other = await openPage('second tab', { viewport: { width: 1280, height: 800 } });
    try {
      await other.goto(url);
      await waitForCanvas(other, before);
      const after = (await canvasIds(other)).filter((id) => !id.startsWith('more::')).sort();
      expect(after).toEqual(before);
      await other.getByTestId('notice').getByText(/Restored \d+ nodes? from the link/).waitFor();
      // It lays the graph out and highlights the same path (the link holds the path search).
      await waitForLayout(other);
      await other.getByTestId('path-results').waitFor();
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
    await waitForCanvasExactly(page, ['DPRK2']);
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
    await waitForLayout();
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
    await waitForCanvasExactly(page, ['ofac-43379', 'ofac-48260', 'ofac-48261', 'ofac-48262']);
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme)).toBe('dark');
    await waitForLayout();
    await screenshot(page, '07-dark');
    await page.getByRole('button', { name: /Switch to light theme/ }).click();
  });

  test('each layout of the layout menu lays the canvas out anew, and the link keeps it', async () => {
    await page.goto(origin + '/#n=ofac-43379~ofac-48260~ofac-48261~ofac-48262~DPRK2');
    await waitForCanvasExactly(page, ['ofac-43379', 'ofac-48260', 'ofac-48261', 'ofac-48262', 'DPRK2']);
    await waitForLayout();
    const menu = page.getByRole('toolbar', { name: 'Canvas tools' }).getByLabel('Layout');
    const layouts = await menu.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(layouts).toEqual(['fcose', 'concentric', 'breadthfirst', 'grid']);
    let before = await positions();
    // Every other layout, then back to the force-directed one.
    for (const name of [...layouts.slice(1), layouts[0]]) {
      const runs = await layoutRuns();
      await menu.selectOption(name);
      await waitForLayout(page, runs);
      const after = await positions();
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      const moved = Object.keys(after).filter((id) => Math.hypot(after[id].x - before[id].x, after[id].y - before[id].y) > 1);
      expect([name, moved.length > 0]).toEqual([name, true]);
      // Laid out: no two nodes on one spot, none left unplaced, all in view.
      const spots = new Set(Object.values(after).map((q) => `${Math.round(q.x)},${Math.round(q.y)}`));
      expect(spots.size).toBe(Object.keys(after).length);
      const inView = await page.evaluate(() => {
        const cy = (globalThis as unknown as { __cy: { $(s: string): { length: number }; extent(): { x1: number; y1: number; x2: number; y2: number }; nodes(): { every(f: (n: { position(): { x: number; y: number } }) => boolean): boolean } } }).__cy;
        const e = cy.extent();
        return { unplaced: cy.$('.unplaced').length, all: cy.nodes().every((n) => n.position().x >= e.x1 && n.position().x <= e.x2 && n.position().y >= e.y1 && n.position().y <= e.y2) };
      });
      expect(inView).toEqual({ unplaced: 0, all: true });
      expect(page.url().includes(`layout=${name}`)).toBe(name !== 'fcose');
      if (name === 'grid') await screenshot(page, '10-layout-grid');
      before = after;
    }
  });

  test('keyboard shortcuts: E expands, H hides, P pins, Delete removes, Ctrl+Z / Ctrl+Shift+Z undo and redo, F fits, / searches', async () => {
    await page.goto(origin + '/#n=ofac-43379');
    await waitForCanvasExactly(page, ['ofac-43379']);
    await waitForLayout();
    const has = (id: string) => page.evaluate((x) => (globalThis as unknown as { __cy: { getElementById(id: string): { nonempty(): boolean } } }).__cy.getElementById(x).nonempty(), id);
    const blur = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?(): void } | null } }).document.activeElement?.blur?.());
    const counts = page.getByTestId('counts');

    await selectNode('ofac-43379');
    await blur();
    await page.keyboard.press('e');
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    await waitForLayout();

    await selectNode('ofac-48260');
    await blur();
    await page.keyboard.press('h');
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { getElementById(id: string): { empty(): boolean } } }).__cy.getElementById('ofac-48260').empty());
    await counts.getByText(/· 1 hidden/).waitFor();
    await page.keyboard.press('Control+z');
    await waitForCanvas(page, ['ofac-48260']);
    expect(await counts.textContent()).not.toMatch(/hidden/);
    await page.keyboard.press('Control+Shift+Z');
    await counts.getByText(/· 1 hidden/).waitFor();
    expect(await has('ofac-48260')).toBe(false);
    await page.keyboard.press('Control+z');
    await waitForCanvas(page, ['ofac-48260']);
    await waitForLayout();

    await selectNode('ofac-48260');
    await blur();
    const pinned = () =>
      page.evaluate(() => {
        const n = (globalThis as unknown as { __cy: { getElementById(id: string): { hasClass(c: string): boolean; locked(): boolean } } }).__cy.getElementById('ofac-48260');
        return { pinned: n.hasClass('pinned'), locked: n.locked() };
      });
    await page.keyboard.press('p');
    await page.waitForFunction(() => (globalThis as unknown as { location: { hash: string } }).location.hash.includes('pin=ofac-48260'));
    expect(await pinned()).toEqual({ pinned: true, locked: true });
    await page.keyboard.press('p');
    await page.waitForFunction(() => !(globalThis as unknown as { location: { hash: string } }).location.hash.includes('pin='));
    expect(await pinned()).toEqual({ pinned: false, locked: false });

    await page.keyboard.press('Delete');
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { getElementById(id: string): { empty(): boolean } } }).__cy.getElementById('ofac-48260').empty());
    await page.waitForFunction(() => !(globalThis as unknown as { location: { hash: string } }).location.hash.includes('ofac-48260'));
    await page.keyboard.press('Control+z');
    await waitForCanvas(page, ['ofac-48260']);
    await waitForLayout();

    // Fit: from a viewport that shows none of the graph, back to one that shows all of it.
    const view = () =>
      page.evaluate(() => {
        const cy = (globalThis as unknown as { __cy: { zoom(): number; extent(): { x1: number; y1: number; x2: number; y2: number }; nodes(): { every(f: (n: { position(): { x: number; y: number } }) => boolean): boolean } } }).__cy;
        const e = cy.extent();
        return { zoom: cy.zoom(), all: cy.nodes().every((n) => n.position().x >= e.x1 && n.position().x <= e.x2 && n.position().y >= e.y1 && n.position().y <= e.y2) };
      });
    const fitted = await view();
    expect(fitted.all).toBe(true);
    // A block body: what viewport() returns (the whole graph) must not be sent back.
    await page.evaluate(() => {
      (globalThis as unknown as { __cy: { viewport(v: object): void } }).__cy.viewport({ zoom: 3, pan: { x: 5000, y: 5000 } });
    });
    expect((await view()).all).toBe(false);
    await blur();
    await page.keyboard.press('f');
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { zoom(): number } }).__cy.zoom() < 3);
    expect((await view()).all).toBe(true);

    // "/" goes to the search box; typed there, letters are text, not shortcuts.
    await page.keyboard.press('/');
    const search = page.getByTestId('search').locator('input');
    expect(await search.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
    const nodes = (await canvasIds()).length;
    await page.keyboard.type('eh');
    expect(await search.inputValue()).toBe('eh');
    expect((await canvasIds()).length).toBe(nodes);
    expect(await counts.textContent()).not.toMatch(/hidden/);
    await search.fill('');
  });

  test('clicking an identifier in the details puts everyone who shares it on the canvas', async () => {
    // 2024-05-03 sdn.csv: the phone number 8615815351839 is in the remarks of 41301, 41356, 41357 and 41376.
    const holders = ['ofac-41301', 'ofac-41356', 'ofac-41357', 'ofac-41376'];
    await page.goto(origin + '/#n=ofac-41301');
    await waitForCanvasExactly(page, ['ofac-41301']);
    await waitForLayout();
    await selectNode('ofac-41301');
    const details = page.getByTestId('details');
    await details.getByText(/Identifiers \(\d+\)/).waitFor();
    await details.getByRole('button', { name: '8615815351839' }).click();
    await waitForCanvas(page, holders);
    await waitForLayout();
    const shared = await page.evaluate(() => {
      const cy = (globalThis as unknown as { __cy: { nodes(s: string): { filter(f: (n: { data(k: string): string }) => boolean): { map(f: (n: { id(): string; neighborhood(s: string): { map(f: (m: { id(): string }) => string): string[] } }) => string[]): string[][] } } } }).__cy;
      return cy.nodes('[kind = "Identifier"]').filter((n) => n.data('label').includes('8615815351839')).map((n) => n.neighborhood('node').map((m) => m.id()).sort());
    });
    expect(shared).toEqual([holders]);
    await screenshot(page, '11-shared-identifier');
  });

  test('a candidate match is confirmed and rejected in the details panel with the review key, and the decision is kept', async () => {
    type Matches = { entity: { possibleMatches: { id: string; decision: string | null; decidedBy: string | null }[] } };
    const decision = async () => (await gql<Matches>('query($id: ID!) { entity(id: $id) { possibleMatches { id decision decidedBy } } }', { id: 'ofac-9345' })).entity.possibleMatches.find((m) => m.id === 'un-KPe.001');
    expect((await decision())?.decision).toBeNull();
    await page.goto(origin + '/#n=ofac-9345');
    await page.reload();
    await waitForCanvasExactly(page, ['ofac-9345']);
    await page.evaluate(() => (globalThis as unknown as { sessionStorage: { clear(): void } }).sessionStorage.clear());
    await selectNode('ofac-9345');
    const match = page.getByTestId('possible-matches').locator('li[data-id="un-KPe.001"]');
    await match.waitFor();
    const prompts: string[] = [];
    let answer = 'not-the-review-key-at-all';
    const onDialog = (d: import('playwright-core').Dialog) => {
      prompts.push(d.message());
      void d.accept(answer);
    };
    page.on('dialog', onDialog);
    try {
      // A wrong key is refused and forgotten (the API answers 401, which Chromium logs).
      allowErrors(page, /status of 401/);
      await match.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page.getByTestId('details').getByRole('alert').getByText(/review API key/).waitFor();
      expect((await decision())?.decision).toBeNull();
      // The right one: asked again, then kept for the session.
      answer = REVIEW_KEY;
      await match.getByRole('button', { name: 'Confirm', exact: true }).click();
      await match.getByText('confirmed same by review key').waitFor();
      expect(await decision()).toEqual({ id: 'un-KPe.001', decision: 'CONFIRMED', decidedBy: 'review key' });
      await match.getByRole('button', { name: 'Undo confirm' }).click();
      await match.getByRole('button', { name: 'Confirm', exact: true }).waitFor();
      expect((await decision())?.decision).toBeNull();
      await match.getByRole('button', { name: 'Reject', exact: true }).click();
      await match.getByText('rejected by review key').waitFor();
      expect(await decision()).toEqual({ id: 'un-KPe.001', decision: 'REJECTED', decidedBy: 'review key' });
      expect(prompts).toHaveLength(2);
      expect(prompts[0]).toMatch(/REVIEW_API_KEY/);
      await screenshot(page, '12-review');
      // Kept: a reload shows the decision, and withdrawing it needs no key again (the session has it).
      await page.reload();
      await waitForCanvasExactly(page, ['ofac-9345']);
      await selectNode('ofac-9345');
      await match.getByText('rejected by review key').waitFor();
      await match.getByRole('button', { name: 'Undo reject' }).click();
      await match.getByRole('button', { name: 'Reject', exact: true }).waitFor();
      expect(prompts).toHaveLength(2);
    } finally {
      page.off('dialog', onDialog);
    }
    expect((await decision())?.decision).toBeNull();
  });

  test('paths in each mode (one shortest, all shortest, k shortest) list as many paths as the API finds for the same query', async () => {
    // 2024-05-03 sdn.csv: GUO, Chunyan (41301) and YOULI TECHNOLOGY (41376) share a phone number and a
    // website: two shortest paths of 2 hops; 41357 shares another phone with 41301 and that one with 41376.
    const [from, to] = ['ofac-41301', 'ofac-41376'];
    const expected: Record<string, number> = {};
    for (const mode of ['SHORTEST', 'ALL_SHORTEST', 'K_SHORTEST']) {
      const r = await gql<{ paths: { length: number }[] }>(
        'query($from: ID!, $to: ID!, $mode: PathMode, $limit: Int, $types: [RelationType!]) { paths(from: $from, to: $to, mode: $mode, maxHops: 4, limit: $limit, relationTypes: $types) { length } }',
        // What the Paths panel asks by default: at most 4 hops, 10 paths (1 for one shortest), no program membership.
        { from, to, mode, limit: mode === 'SHORTEST' ? 1 : 10, types: DEFAULT_PATH_REL_TYPES },
      );
      expected[mode] = r.paths.length;
      if (mode !== 'K_SHORTEST') expect(r.paths.every((p) => p.length === 2)).toBe(true);
    }
    expect([expected.SHORTEST, expected.ALL_SHORTEST]).toEqual([1, 2]);
    expect(expected.K_SHORTEST).toBeGreaterThan(2);

    await page.goto(origin + '/#n=ofac-41301~ofac-41376');
    await waitForCanvasExactly(page, [from, to]);
    await waitForLayout();
    await page.getByTestId('tab-paths').click();
    const panel = page.getByTestId('path-panel');
    // Ends an earlier search left are cleared first.
    for (const end of ['From', 'To']) if (await panel.getByRole('button', { name: `Clear ${end}` }).count()) await panel.getByRole('button', { name: `Clear ${end}` }).click();
    for (const [end, id] of [['From', from], ['To', to]] as const) {
      await selectNode(id);
      await panel.getByTestId(end === 'From' ? 'path-from' : 'path-to').getByRole('button', { name: /^Use selected/ }).click();
    }
    expect(await panel.getByTestId('path-from').locator('.chosen-name').getAttribute('data-id')).toBe(from);
    expect(await panel.getByTestId('path-to').locator('.chosen-name').getAttribute('data-id')).toBe(to);
    for (const mode of ['SHORTEST', 'K_SHORTEST', 'ALL_SHORTEST']) {
      await panel.getByLabel('Mode').selectOption(mode);
      if (await panel.getByRole('button', { name: 'Clear', exact: true }).count()) await panel.getByRole('button', { name: 'Clear', exact: true }).click();
      await page.getByTestId('path-results').waitFor({ state: 'detached' });
      await page.getByTestId('find-paths').click();
      const results = page.getByTestId('path-results');
      await results.waitFor();
      expect([mode, await results.locator('ol > li').count()]).toEqual([mode, expected[mode]]);
      expect(await results.getByRole('status').textContent()).toBe(`Path 1 of ${expected[mode]}`);
      // The paths go on the canvas, the first (a shortest: 2 hops, 3 nodes) highlighted.
      await page.getByTestId('find-paths').getByText('Find paths').waitFor();
      await waitForLayout();
      const highlighted = await page.evaluate(() => (globalThis as unknown as { __cy: { $(s: string): { length: number } } }).__cy.$('node.path').length);
      expect([mode, highlighted]).toEqual([mode, 3]);
      // The link holds the search (URL-encoded: '~' is %7E).
      await page.waitForFunction((m) => decodeURIComponent((globalThis as unknown as { location: { hash: string } }).location.hash).includes(`~${m}~4`), mode);
      if (mode === 'K_SHORTEST') await screenshot(page, '13-k-shortest');
    }
  });

  test('the page watch does catch an error of the page (what afterEach checks for every page)', async () => {
    await page.evaluate(() => setTimeout(() => {
      throw new Error('an error thrown on purpose');
    }));
    await page.waitForFunction(() => true);
    const w = watches.find((x) => x.page === page)!;
    for (let i = 0; i < 100 && !w.errors.length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(takeProblems(watches)).toEqual(['explorer: an error thrown on purpose']);
  });
});

describe('offline GraphQL IDE', () => {
  test('GET /graphql in a browser shows GraphiQL from our own server, and it runs a query', async () => {
    const p = await openPage('GraphiQL', { viewport: { width: 1280, height: 800 } });
    try {
      await p.goto(origin + '/graphql');
      await p.locator('.graphiql-container').waitFor({ timeout: 30_000 });
      // The editor holds the example query, and the schema has loaded (the docs button works off it).
      // Function predicates, not strings: the server's CSP has no 'unsafe-eval', which a string would need.
      const holds = ([selector, word]: [string, string]) =>
        ((globalThis as unknown as { document: { querySelector(q: string): { textContent: string | null } | null } }).document.querySelector(selector)?.textContent ?? '').includes(word);
      await p.waitForFunction(holds, ['.graphiql-query-editor', 'neighborhood'] as [string, string], { timeout: 30_000 });
      // The schema's introspection has come back (nothing left in flight) before running the query.
      await p.waitForLoadState('networkidle');
      await p.getByRole('button', { name: /Execute query/i }).click();
      await p.waitForFunction(holds, ['.result-window', '"ofac-43379"'] as [string, string], { timeout: 60_000 });
      await screenshot(p, '08-graphiql');
    } finally {
      await p.close();
    }
  });
});

describe('server states', () => {
  test('while the server loads its data, the explorer says so', async () => {
    const starting = await serve({ notReady: 'loading demo data', db: null, neo4j: { uri: 'test', embedded: false, version: null } });
    const p = await openPage('loading server', {}, starting.origin);
    // The explorer's data requests are answered 503 while the server loads: Chromium logs each one.
    allowErrors(p, /status of 503/);
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
