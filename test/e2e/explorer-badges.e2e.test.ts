/**
 * Programs as badges on their parties, "Show co-listed parties", "Programs as hubs" and the canvas
 * filter by the dataset that lists a party (issue 12), in a real browser (Debian's Chromium via
 * playwright-core) against the real server over the real 2024-05-03 SDN and 2025-11-18 UN lists. Each
 * test starts from a fresh page and ends with no page error and no request that left the server.
 * The README's screenshot of such a network (client/screenshots/program-badges.png) is written by
 * explorer-labels.e2e.test.ts, which lays the same canvas out and checks its labels stay apart.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';
import { EMPTY_URL_STATE, encodeUrlState } from '../../client/src/url-state';
import { buildClient, launchBrowser, PageWatch, takeProblems, watchPage } from './browser';
import { canvasIds, clickNode, dblclickNode, waitForCanvas, waitForLayout } from './explorer-page';

/** CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY, the top hit of "chinyong": linked to 48260 and 48261, listed under DPRK2. */
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
  await ingest(db, { paths: [path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml')], ...LOAD_DEFAULTS });
  api = await startApi(db);
  browser = await launchBrowser();
  // Two loads on a busy 2-core machine take minutes.
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

/** The slice of Cytoscape's API these tests read in the page. */
type CyW = {
  __cy: {
    getElementById(i: string): { empty(): boolean; data(k: string): unknown; style(k: string): string; connectedEdges(): { map<T>(f: (e: { data(k: string): unknown }) => T): T[] } };
    nodes(): { length: number; map<T>(f: (n: { id(): string; data(k: string): unknown }) => T): T[] };
    edges(): { map<T>(f: (e: { data(k: string): unknown }) => T): T[] };
  };
};

type Loc = { location: { hash: string } };

/** Each drawn node's kind, by id (the "+N more" handles left out). */
const kinds = () =>
  page.evaluate(() =>
    Object.fromEntries(
      (globalThis as unknown as CyW).__cy
        .nodes()
        .map((n) => [n.id(), String(n.data('kind'))] as const)
        .filter(([id]) => !id.startsWith('more::')),
    ),
  );
/** The label a node is drawn with (Cytoscape's computed style, not our data). */
const drawnLabel = (id: string) => page.evaluate((i) => (globalThis as unknown as CyW).__cy.getElementById(i).style('label'), id);
/** Every drawn relationship as [source, target, type]. */
const drawnEdges = () =>
  page.evaluate(() => (globalThis as unknown as CyW).__cy.edges().map((e) => [String(e.data('source')), String(e.data('target')), String(e.data('type'))] as const));

/** The programs and datasets the API gives these nodes. */
async function apiNodes(ids: string[]): Promise<Record<string, { kind: string; programs: string[]; datasets: string[] }>> {
  const r = await api.gql('query ($ids: [ID!]!) { subgraph(ids: $ids) { nodes { id kind programs datasets } } }', { ids });
  return Object.fromEntries((r.body.data!.subgraph.nodes as { id: string; kind: string; programs: string[]; datasets: string[] }[]).map((n) => [n.id, n]));
}

/** Waits until the explorer is not adding or expanding anything and the layout has settled. */
async function settled(): Promise<void> {
  await page.locator('.canvas-wrap .busy').waitFor({ state: 'detached' });
  await waitForLayout(page);
}

async function addChinyong(): Promise<void> {
  await page.getByTestId('search').locator('input').fill('chinyong');
  await page.locator('.search-results .hit').first().waitFor();
  expect(await page.locator('.search-results .hit').first().getAttribute('data-id')).toBe(CHINYONG);
  await page.getByTestId('search').locator('input').press('Enter');
  await waitForCanvas(page, [CHINYONG]);
  await waitForLayout(page);
}

/** The members of DPRK2 the API knows (it holds 109 relationships in this release). */
async function dprk2Members(): Promise<Set<string>> {
  const r = await api.gql('query { neighborhood(ids: ["DPRK2"], depth: 1, limit: 500, relationTypes: [SANCTION]) { nodes { id } } }');
  return new Set((r.body.data!.neighborhood.nodes as { id: string }[]).map((n) => n.id).filter((id) => id !== DPRK2));
}

describe('programs as badges', () => {
  test('expanding a listed party adds no program node; the party shows its programs under its name', async () => {
    await addChinyong();
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, LINKED);
    await settled();
    const drawn = await kinds();
    expect(Object.keys(drawn).sort()).toEqual([CHINYONG, ...LINKED].sort());
    expect(Object.values(drawn)).not.toContain('Program');
    // Each party's badge line is the programs the API gives it.
    const fromApi = await apiNodes([CHINYONG, ...LINKED]);
    for (const id of [CHINYONG, ...LINKED]) {
      expect(fromApi[id].programs.length).toBeGreaterThan(0);
      const label = await drawnLabel(id);
      expect(label.split('\n')[1]).toBe(fromApi[id].programs.map((p) => `[${p}]`).join(' '));
    }
    expect(fromApi[CHINYONG].programs).toEqual([DPRK2]);
    // Its program is on its label, not left to expand: expanded with everything else here, no handle.
    expect(await page.evaluate(() => (globalThis as unknown as CyW).__cy.getElementById('more::ofac-43379').empty())).toBe(true);
    // The canvas filter by program keeps working from the parties' programs: those listed under DPRK2
    // alone go, any also listed under another program stays.
    const only = [CHINYONG, ...LINKED].filter((id) => fromApi[id].programs.every((p) => p === DPRK2));
    expect(only).toContain(CHINYONG);
    await page.getByTestId('canvas-filter').locator(`input[data-program="${DPRK2}"]`).uncheck();
    await page.waitForFunction((xs) => xs.every((id) => (globalThis as unknown as CyW).__cy.getElementById(id).empty()), only);
    expect((await canvasIds(page)).sort()).toEqual([CHINYONG, ...LINKED].filter((id) => !only.includes(id)).sort());
    await page.getByTestId('canvas-filter').locator(`input[data-program="${DPRK2}"]`).check();
    await waitForCanvas(page, [CHINYONG, ...LINKED]);
    await page.getByTestId('legend-badges').waitFor();
  });

  test('"Show co-listed parties" from a party’s programs brings the program and its members, capped, with a "+N more" that pages on', async () => {
    await addChinyong();
    await clickNode(page, CHINYONG);
    const members = await dprk2Members();
    expect(members.size).toBeGreaterThan(30);
    await page.getByTestId('details').getByRole('button', { name: `Show co-listed parties of ${DPRK2}` }).click();
    await waitForCanvas(page, [DPRK2, `more::${DPRK2}`]);
    await settled();
    const drawn = await kinds();
    expect(drawn[DPRK2]).toBe('Program');
    const added = Object.keys(drawn).filter((id) => id !== DPRK2);
    // Capped as a hub's expansion is (25), and only members of the program.
    expect(added.length).toBeGreaterThan(10);
    expect(added.length).toBeLessThanOrEqual(26);
    for (const id of added) expect(members.has(id)).toBe(true);
    // Each member is drawn linked to the program (CHINYONG's relationship included).
    const linkedToProgram = new Set((await drawnEdges()).filter(([, t, type]) => t === DPRK2 && type === 'SANCTION').map(([s]) => s));
    expect([...linkedToProgram].sort()).toEqual(added.sort());
    await page.getByTestId('notice').getByText(/most relevant neighbours of DPRK2/).waitFor();

    // The handle pages on: more members, none of those already there.
    const before = added.length;
    await page.evaluate(() => {
      (globalThis as unknown as { __cy: { getElementById(id: string): { emit(e: string): void } } }).__cy.getElementById('more::DPRK2').emit('tap');
    });
    await page.waitForFunction((n) => (globalThis as unknown as CyW).__cy.nodes().length > n + 10, before + 2);
    await settled();
    const more = Object.keys(await kinds()).filter((id) => id !== DPRK2);
    expect(more.length).toBeGreaterThan(before + 10);
    for (const id of more) expect(members.has(id)).toBe(true);
  });

  test('on a program’s node: "Show co-listed parties" and a double-click bring its members', async () => {
    await page.goto(`${api.base}/?program#${encodeUrlState({ ...EMPTY_URL_STATE, nodes: [DPRK2] })}`);
    await waitForCanvas(page, [DPRK2]);
    await waitForLayout(page);
    await clickNode(page, DPRK2);
    const button = page.getByTestId('details').getByRole('button', { name: 'Show co-listed parties' });
    await button.click();
    await waitForCanvas(page, [`more::${DPRK2}`]);
    await settled();
    const members = await dprk2Members();
    const first = Object.keys(await kinds()).filter((id) => id !== DPRK2);
    expect(first.length).toBeGreaterThan(10);
    for (const id of first) expect(members.has(id)).toBe(true);
    await dblclickNode(page, DPRK2);
    await page.waitForFunction((n) => (globalThis as unknown as CyW).__cy.nodes().length > n + 10, first.length + 2);
  });
});

describe('"Programs as hubs"', () => {
  test('restores program nodes on expansion, without badges, and the link keeps the choice', async () => {
    await addChinyong();
    const hubs = page.getByTestId('program-hubs');
    expect(await hubs.isChecked()).toBe(false);
    await hubs.check();
    await page.waitForFunction(() => (globalThis as unknown as Loc).location.hash.includes('hubs=1'));
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, [...LINKED, DPRK2]);
    await settled();
    expect((await kinds())[DPRK2]).toBe('Program');
    expect(await drawnLabel(CHINYONG)).not.toContain(`[${DPRK2}]`);
    expect((await drawnEdges()).some(([s, t, type]) => s === CHINYONG && t === DPRK2 && type === 'SANCTION')).toBe(true);

    // A reload (or a copied link) keeps the choice.
    await page.reload();
    await waitForCanvas(page, [CHINYONG, ...LINKED, DPRK2]);
    await waitForLayout(page);
    expect(await page.getByTestId('program-hubs').isChecked()).toBe(true);
    expect(await drawnLabel(CHINYONG)).not.toContain(`[${DPRK2}]`);
    // Off again: badges come back on the same canvas.
    await page.getByTestId('program-hubs').uncheck();
    await page.waitForFunction((id) => String((globalThis as unknown as CyW).__cy.getElementById(id).style('label')).includes('[DPRK2]'), CHINYONG);
    await page.waitForFunction(() => !(globalThis as unknown as Loc).location.hash.includes('hubs=1'));
  });
});

describe('canvas filter by the dataset that lists a party', () => {
  test('with SDN and UN loaded, unticking un-sc hides the parties only the UN lists, and only them', async () => {
    const search = async (dataset: string) => {
      const r = await api.gql('query ($d: [String!]) { search(query: "kim", first: 8, datasets: $d) { hits { entity { id } } } }', { d: [dataset] });
      return (r.body.data!.search.hits as { entity: { id: string } }[]).map((h) => h.entity.id);
    };
    const ids = [...(await search('un-sc')), ...(await search('ofac-sdn'))];
    const nodes = await apiNodes(ids);
    const unOnly = ids.filter((id) => nodes[id].datasets.length > 0 && nodes[id].datasets.every((d) => d === 'un-sc'));
    const others = ids.filter((id) => !unOnly.includes(id));
    expect(unOnly.length).toBeGreaterThan(2);
    expect(others.some((id) => nodes[id].datasets.includes('ofac-sdn'))).toBe(true);
    await page.goto(`${api.base}/?datasets#${encodeUrlState({ ...EMPTY_URL_STATE, nodes: ids })}`);
    await waitForCanvas(page, ids);
    await waitForLayout(page);

    const box = page.getByTestId('canvas-filter').locator('input[data-party-dataset="un-sc"]');
    await box.uncheck();
    await page.waitForFunction((xs) => xs.every((id) => (globalThis as unknown as CyW).__cy.getElementById(id).empty()), unOnly);
    expect((await canvasIds(page)).sort()).toEqual([...others].sort());
    const counts = (await page.getByTestId('counts').textContent()) ?? '';
    expect(counts).toContain(`${unOnly.length} filtered from view`);
    await box.check();
    await waitForCanvas(page, unOnly);
    expect((await canvasIds(page)).sort()).toEqual([...ids].sort());
  });
});

describe('a program’s co-listed parties', () => {
  test('a network of about 100 nodes after showing a program’s co-listed parties, with badges, one program node', async () => {
    await addChinyong();
    await dblclickNode(page, CHINYONG);
    await waitForCanvas(page, LINKED);
    await settled();
    await clickNode(page, CHINYONG);
    await page.getByTestId('details').getByRole('button', { name: `Show co-listed parties of ${DPRK2}` }).click();
    await waitForCanvas(page, [`more::${DPRK2}`]);
    await settled();
    // Page on through the program's members until about 100 nodes are drawn.
    for (let i = 0; i < 3; i++) {
      const n = await page.evaluate(() => (globalThis as unknown as CyW).__cy.nodes().length);
      if (n >= 95) break;
      await page.evaluate(() => {
        (globalThis as unknown as { __cy: { getElementById(id: string): { emit(e: string): void } } }).__cy.getElementById('more::DPRK2').emit('tap');
      });
      await page.waitForFunction((m) => (globalThis as unknown as CyW).__cy.nodes().length > m, n);
      await settled();
    }
    const drawn = await kinds();
    expect(Object.keys(drawn).length).toBeGreaterThanOrEqual(80);
    // One program node; every other is a party with its badges.
    expect(Object.values(drawn).filter((k) => k === 'Program')).toEqual(['Program']);
    // The side panels folded away: the whole width for the network (the canvas refits to its new size).
    const width = () => page.evaluate(() => (globalThis as unknown as { __cy: { width(): number } }).__cy.width());
    const narrow = await width();
    await page.getByTestId('fold-left').click();
    await page.getByTestId('fold-right').click();
    await page.waitForFunction((w) => (globalThis as unknown as { __cy: { width(): number } }).__cy.width() > w + 400, narrow);
    await page.evaluate(() => new Promise((r) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => r(null)))));
  });
});
