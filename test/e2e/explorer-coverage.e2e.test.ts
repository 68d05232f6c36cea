/**
 * Behaviours of issue 12 that were built without a browser test of their own (review of issue 12, gaps
 * 6, 7, 9 and 10), in Debian's Chromium against the real server over the real 2024-05-03 SDN list and
 * OpenSanctions' ZALA FtM records (which, unlike the SDN CSV alone, give parties addresses):
 * - expanding on a small canvas (fCoSE) moves none of the nodes already placed, one dragged by hand included;
 * - the Filters tab's "Show relationships" hides the relationships of a type from the canvas, not the nodes;
 * - when the Paths panel finds no path, it offers to include shared programs, and that search follows them;
 * - an address node's label on the canvas says it is an address, as an identifier's says its type.
 * Expected values come from the API over the same data, not from literals. Each test ends with no page
 * error and no request that left the server (afterEach).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { DEFAULT_PATH_REL_TYPES } from '../../server/core/model';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';
import { buildClient, launchBrowser, PageWatch, takeProblems, watchPage } from './browser';
import { canvasIds, clickNode, dblclickNode, nodePoint, waitForCanvas, waitForLayout } from './explorer-page';

/** CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY (DPRK2), linked to ALIS (48260) and PIONEER (48261). */
const CHINYONG = 'ofac-43379';
/** JON, Yun Gun: linked to PIONEER, with identifiers of his own. */
const JON = 'ofac-48262';
/** ZAKHAROV, Aleksandr Vyacheslavovich in the ZALA records: a person with an address. */
const ZAKHAROV = 'NK-aU5ybkbRFJucf8YMwsJvDw';

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
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'opensanctions-ftm', 'zala', 'entities.ftm.json')], dataset: 'opensanctions-zala', release: '2024-05-27' });
  api = await startApi(db);
  browser = await launchBrowser();
  // The SDN load takes minutes on a busy 2-core machine.
}, 600_000);

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
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

/** The page's Cytoscape, as far as these tests read it. */
type El = { id(): string; data(k: string): unknown; position(): { x: number; y: number }; pstyle(k: string): { strValue: string } };
type CyW = { __cy: { nodes(s?: string): { map<T>(f: (n: El) => T): T[]; length: number }; edges(): { map<T>(f: (e: El) => T): T[]; length: number }; $(s: string): { map<T>(f: (n: El) => T): T[] } } };

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await api.gql(query, variables);
  expect(r.body.errors).toBeUndefined();
  return r.body.data as T;
}

/** Opens the explorer on these nodes (a link's `n=`) and waits for them to be laid out. */
async function open(ids: string[]): Promise<void> {
  await page.goto(`${api.base}/#n=${ids.join('~')}`);
  await waitForCanvas(page, ids);
  await waitForLayout(page);
}

/** Waits until the explorer is not adding or expanding anything (its busy sign is gone) and the layout has settled. */
async function settled(): Promise<void> {
  await page.locator('.canvas-wrap .busy').waitFor({ state: 'detached' });
  await waitForLayout(page);
}

/** Every node's position in the canvas's model coordinates (what a layout changes; pan and zoom do not). */
const positions = () => page.evaluate(() => Object.fromEntries((globalThis as unknown as CyW).__cy.nodes().map((n) => [n.id(), { ...n.position() }] as const)));

/** The relationship types of the edges drawn, one entry an edge. */
const edgeTypes = () => page.evaluate(() => (globalThis as unknown as CyW).__cy.edges().map((e) => String(e.data('type'))));

describe('a small canvas keeps what is placed', () => {
  test('on the fCoSE canvas, a dragged node and every node placed before stay where they are through two expansions', async () => {
    await open([CHINYONG]);
    // The canvas is small: the layout it runs is fCoSE (d3-force takes over only past 400 nodes).
    expect(await page.locator('select[aria-label=Layout] option:checked').textContent()).toMatch(/fCoSE/);
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, ['ofac-48260', 'ofac-48261']);
    await settled();

    // The user places PIONEER by hand.
    const dragged = 'ofac-48261';
    const was = (await positions())[dragged];
    const at = await nodePoint(page, dragged);
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(at.x + 10 * i, at.y - 6 * i);
    await page.mouse.up();
    const placed = (await positions())[dragged];
    // The drag moved it (so staying put below is the canvas keeping it, not the drag having failed).
    expect(Math.hypot(placed.x - was.x, placed.y - was.y)).toBeGreaterThan(50);

    // Two expansions, each adding nodes: every node drawn before stays within a pixel or two. A re-layout
    // of the whole canvas (what the issue saw: the graph mirrored) moves them by tens of units: with the
    // layout worker told that no node is fixed (its messages' `fixed` emptied in the page), the first
    // expansion moved CHINYONG 60, PIONEER 233 and ALIS 136 units, and this test failed.
    for (const target of ['ofac-48260', dragged]) {
      const before = await positions();
      const n = Object.keys(before).length;
      await dblclickNode(page, target);
      await page.waitForFunction((m) => (globalThis as unknown as CyW).__cy.nodes().length > m, n);
      await settled();
      const after = await positions();
      expect(Object.keys(after).length).toBeGreaterThan(n);
      const moved = Object.entries(before)
        .filter(([id]) => after[id])
        .map(([id, p]) => [id, Math.round(Math.hypot(after[id].x - p.x, after[id].y - p.y))] as const)
        .filter(([, d]) => d > 2);
      expect([target, moved]).toEqual([target, []]);
      // Every node drawn before is still drawn.
      expect(Object.keys(before).filter((id) => !after[id])).toEqual([]);
    }
    // The node placed by hand is where the user left it, after both.
    const end = (await positions())[dragged];
    expect(Math.hypot(end.x - placed.x, end.y - placed.y)).toBeLessThanOrEqual(2);
  });
});

describe('Show relationships', () => {
  test('unticking “identifier” hides every identifier relationship from the canvas and no node; ticking brings them back', async () => {
    await open([JON]);
    await dblclickNode(page, JON);
    await settled();
    const nodes = (await canvasIds(page)).sort();
    const types = await edgeTypes();
    // The case: JON's identifiers are drawn with their relationships, beside his link to PIONEER.
    expect(types.filter((t) => t === 'HAS_IDENTIFIER').length).toBeGreaterThan(0);
    expect(types.filter((t) => t !== 'HAS_IDENTIFIER').length).toBeGreaterThan(0);

    // The Filters tab's checkbox (not the canvas filter's kinds), by the name the model gives the type.
    const box = page.getByRole('region', { name: 'Search filters' }).getByLabel('identifier', { exact: true });
    expect(await box.isChecked()).toBe(true);
    await box.uncheck();
    await page.waitForFunction(() => !(globalThis as unknown as CyW).__cy.edges().map((e) => String(e.data('type'))).includes('HAS_IDENTIFIER'));
    // Only those relationships went: the others stay, and so does every node (the identifiers included).
    expect((await edgeTypes()).sort()).toEqual(types.filter((t) => t !== 'HAS_IDENTIFIER').sort());
    expect((await canvasIds(page)).sort()).toEqual(nodes);

    await box.check();
    await page.waitForFunction((n) => (globalThis as unknown as CyW).__cy.edges().length === n, types.length);
    expect((await edgeTypes()).sort()).toEqual([...types].sort());
    expect((await canvasIds(page)).sort()).toEqual(nodes);
  });
});

describe('Paths panel', () => {
  interface PathNode {
    id: string;
    kind: string;
  }
  const PATHS = 'query ($from: ID!, $to: ID!, $t: [RelationType!]) { paths(from: $from, to: $to, maxHops: 2, relationTypes: $t) { nodes { id kind } } }';

  /**
   * A party of CHINYONG's program (DPRK2) with no path to CHINYONG of at most 2 hops over the panel's
   * default relationship types, and one once shared programs are followed; its name finds it in search.
   */
  async function memberReachedOnlyThroughTheProgram(): Promise<{ id: string; name: string; via: PathNode[][] }> {
    const { neighborhood } = await gql<{ neighborhood: { nodes: { id: string; kind: string; label: string }[] } }>(
      'query { neighborhood(ids: ["DPRK2"], relationTypes: [SANCTION], limit: 60) { nodes { id kind label } } }',
    );
    for (const n of neighborhood.nodes) {
      if (n.id === CHINYONG || n.kind === 'Program') continue;
      const plain = await gql<{ paths: { nodes: PathNode[] }[] }>(PATHS, { from: CHINYONG, to: n.id, t: DEFAULT_PATH_REL_TYPES });
      if (plain.paths.length) continue;
      const withPrograms = await gql<{ paths: { nodes: PathNode[] }[] }>(PATHS, { from: CHINYONG, to: n.id, t: [...DEFAULT_PATH_REL_TYPES, 'SANCTION'] });
      if (!withPrograms.paths.length) continue;
      const { search } = await gql<{ search: { hits: { entity: { id: string } }[] } }>('query ($q: String!) { search(query: $q, first: 10) { hits { entity { id } } } }', { q: n.label });
      if (search.hits.some((h) => h.entity.id === n.id)) return { id: n.id, name: n.label, via: withPrograms.paths.map((p) => p.nodes) };
    }
    throw new Error('no DPRK2 party reached from CHINYONG only through the program: the data no longer shows the case');
  }

  /** Picks a path end by the panel's own search box, the hit with this id. */
  async function pickEnd(end: 'path-from' | 'path-to', q: string, id: string): Promise<void> {
    const box = page.getByTestId(end);
    await box.locator('input').fill(q);
    const hit = box.locator(`.hit[data-id="${id}"]`);
    await hit.waitFor();
    await hit.click();
    await box.locator('.chosen-name').waitFor();
  }

  test('with no path, “Include shared programs” is offered; taken, the search follows program membership and finds the path through the program', async () => {
    const other = await memberReachedOnlyThroughTheProgram();
    // Through the API, every path found then passes through a Program node (DPRK2).
    for (const p of other.via) expect(p.some((n) => n.kind === 'Program')).toBe(true);

    await page.goto(api.base + '/');
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('tab-paths').click();
    await pickEnd('path-from', 'chinyong', CHINYONG);
    await pickEnd('path-to', other.name, other.id);
    await page.getByTestId('max-hops').fill('2');
    await page.getByTestId('find-paths').click();
    await page.getByTestId('no-path').waitFor();

    // By default the search leaves shared programs out, and says so.
    const typesButton = page.getByRole('button', { name: /^Relationship types:/ });
    expect(await typesButton.textContent()).toMatch(/program/);
    const offer = page.getByTestId('with-programs');
    expect(await offer.textContent()).toMatch(/Include shared programs/);
    await offer.click();
    const results = page.getByTestId('path-results');
    await results.waitFor();
    await page.getByTestId('no-path').waitFor({ state: 'detached' });
    // The panel now says it follows programs too (the types it lists no longer leave "program" out).
    expect(await typesButton.textContent()).not.toMatch(/program/);
    // The path found is drawn through a Program node, between the two parties (the canvas takes its nodes
    // after the list shows: wait for it; a search that left programs out finds no such path, and this times out).
    await page.waitForFunction(() => (globalThis as unknown as CyW).__cy.$('node.path').map((n) => String(n.data('kind'))).includes('Program'));
    const pathNodes = await page.evaluate(() => (globalThis as unknown as CyW).__cy.$('node.path').map((n) => [n.id(), String(n.data('kind'))] as const));
    expect(pathNodes.map(([id]) => id)).toEqual(expect.arrayContaining([CHINYONG, other.id]));
    // The programs it passes through are those the API's paths pass through, and the list names one.
    const programs = [...new Set(other.via.flat().filter((n) => n.kind === 'Program').map((n) => n.id))];
    const drawn = pathNodes.filter(([, kind]) => kind === 'Program').map(([id]) => id);
    expect(drawn.filter((id) => !programs.includes(id))).toEqual([]);
    const first = (await results.locator('[data-testid=path-item]').first().textContent()) ?? '';
    expect(programs.filter((id) => first.includes(id)).length).toBeGreaterThan(0);
  });
});

describe('fact nodes', () => {
  test('an address node’s label on the canvas starts with “Address”, then the address', async () => {
    const { entity } = await gql<{ entity: { addresses: { id: string; full: string }[] } }>('query ($id: ID!) { entity(id: $id) { addresses { id full } } }', { id: ZAKHAROV });
    const addresses = entity.addresses.map((a) => a.id);
    expect(addresses.length).toBeGreaterThan(0);
    await open([ZAKHAROV]);
    await clickNode(page, ZAKHAROV);
    await page.getByTestId('expand-by-type').locator('button[data-type="HAS_ADDRESS"]').click();
    await waitForCanvas(page, addresses);
    await settled();
    const drawn = await page.evaluate(() => (globalThis as unknown as CyW).__cy.nodes('[kind = "Address"]').map((n) => [n.id(), String(n.data('label')), n.pstyle('label').strValue] as const));
    expect(drawn.map(([id]) => id).sort()).toEqual([...addresses].sort());
    for (const [id, label, shown] of drawn) {
      // The label is the address as the API gives it; what the canvas draws puts "Address: " before it.
      expect([id, label]).toEqual([id, entity.addresses.find((a) => a.id === id)!.full]);
      expect([id, shown.startsWith(`Address: ${label}`)]).toEqual([id, true]);
    }
  });
});
