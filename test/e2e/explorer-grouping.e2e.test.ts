/**
 * Grouping and the breadth-first and concentric layouts (issue 12), in a real browser (Debian's Chromium
 * via playwright-core) against the real server over the real 2024-05-03 SDN and 2025-11-18 UN lists:
 * - the 111 members of DPRK2 with their program drawn as a hub: breadth-first wraps them into rows of at
 *   most ROW_MAX, concentric puts them on rings no fuller than the ring holds, and under either no two
 *   node boxes (shape and label, as Cytoscape measures them) overlap;
 * - the parties at one UN address grouped into one node from the address's details, its edges re-routed
 *   with a count; the group survives a reload (the link), opens into a compound node on double-click,
 *   and Shift+G ungroups with every member back where it was; G groups a selection;
 * - a program's members on the canvas grouped from the program's details, and back.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';
import { EMPTY_URL_STATE, encodeUrlState } from '../../client/src/url-state';
import { ringCapacity, ROW_MAX } from '../../client/src/layout/tiers';
import { buildClient, launchBrowser, PageWatch, screenshot, takeProblems, watchPage } from './browser';
import { clickNode, dblclickNode, selectedIds, waitForCanvas, waitForLayout } from './explorer-page';

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
  watches.push(watchPage(page, api.base, 'grouping'));
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
  x: number;
  y: number;
  /** The node's box with its label, as Cytoscape measures it (model coordinates). */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  parent: string | null;
  display: string;
  count: number | undefined;
  group: boolean;
}

/** Every node drawn (not the "+N more" handles), with its box. */
async function drawn(): Promise<Drawn[]> {
  return page.evaluate(() => {
    type N = {
      id(): string;
      hasClass(c: string): boolean;
      position(): { x: number; y: number };
      boundingBox(o: object): { x1: number; y1: number; x2: number; y2: number };
      parent(): { empty(): boolean; map(f: (p: { id(): string }) => string): string[] };
      data(k: string): unknown;
    };
    const cy = (globalThis as unknown as { __cy: { nodes(): { map<T>(f: (n: N) => T): T[] } } }).__cy;
    return cy.nodes().map((n) => {
      const b = n.boundingBox({ includeLabels: true, includeOverlays: false });
      const p = n.position();
      return {
        id: n.id(),
        x: p.x,
        y: p.y,
        x1: b.x1,
        y1: b.y1,
        x2: b.x2,
        y2: b.y2,
        parent: n.parent().empty() ? null : n.parent().map((q) => q.id())[0],
        display: String(n.data('display') ?? ''),
        count: n.data('count') as number | undefined,
        group: n.hasClass('group'),
        more: n.hasClass('more'),
      };
    }).filter((n) => !n.more);
  });
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

const layoutRuns = () => page.evaluate(() => Number((globalThis as unknown as { document: { querySelector(s: string): { dataset: Record<string, string> } } }).document.querySelector('[data-testid=canvas]').dataset.layoutRuns));

/** Chooses a layout in the toolbar and waits until it has run and settled. */
async function chooseLayout(name: string): Promise<void> {
  const before = await layoutRuns();
  await page.locator('select[aria-label=Layout]').selectOption(name);
  await page.waitForFunction((runs) => {
    const el = (globalThis as unknown as { document: { querySelector(s: string): { dataset: Record<string, string> } } }).document.querySelector('[data-testid=canvas]');
    return el.dataset.layout === 'done' && Number(el.dataset.layoutRuns) > runs;
  }, before);
}

describe('layouts on a program of more than 100 members', () => {
  test('breadth-first wraps the members into rows of at most ROW_MAX, concentric into rings they fit on; no two node boxes overlap', async () => {
    const rows = await db.read<{ id: string }>('bench-explorer-canvas', { program: 'DPRK2' });
    expect(rows.length).toBeGreaterThan(100);
    const ids = ['DPRK2', ...rows.map((r) => r.id)];
    // The program drawn as a hub linked to its members (hubs=1), as an expansion of it draws them.
    await page.goto(`${api.base}/#${encodeUrlState({ ...EMPTY_URL_STATE, nodes: ids, expanded: ['DPRK2'] })}&hubs=1`);
    await waitForCanvas(page, ids, 120_000);
    await waitForLayout(page);
    const centreOf = (n: Drawn) => ({ x: (n.x1 + n.x2) / 2, y: (n.y1 + n.y2) / 2 });

    await chooseLayout('breadthfirst');
    let nodes = await drawn();
    expect(nodes.map((n) => n.id).sort()).toEqual([...ids].sort());
    // A row: the boxes whose centres share a y (the layout centres each box in its row).
    const byRow = new Map<number, string[]>();
    for (const n of nodes) {
      const y = Math.round(centreOf(n).y);
      byRow.set(y, [...(byRow.get(y) ?? []), n.id]);
    }
    const rowsTopDown = [...byRow.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    expect(rowsTopDown[0]).toEqual(['DPRK2']);
    expect(Math.max(...rowsTopDown.map((r) => r.length))).toBeLessThanOrEqual(ROW_MAX);
    expect(rowsTopDown.length).toBeGreaterThanOrEqual(1 + Math.ceil(rows.length / ROW_MAX));
    expect(overlaps(nodes)).toEqual([]);
    await screenshot(page, 'layout-breadthfirst');

    await chooseLayout('concentric');
    nodes = await drawn();
    const rings = await page.evaluate(() => (globalThis as unknown as { document: { querySelector(s: string): { dataset: Record<string, string> } } }).document.querySelector('[data-testid=canvas]').dataset.rings);
    const [sx, sy] = rings.split(',').map(Number);
    expect(sx).toBeGreaterThan(0);
    // The program, best connected, in the middle; every other box centre on an ellipse k ring steps out.
    const centre = centreOf(nodes.find((n) => n.id === 'DPRK2')!);
    const perRing = new Map<number, number>();
    for (const n of nodes) {
      const c = centreOf(n);
      const rho = Math.hypot((c.x - centre.x) / sx, (c.y - centre.y) / sy);
      const k = Math.round(rho);
      expect([n.id, Math.abs(rho - k) < 0.01]).toEqual([n.id, true]);
      perRing.set(k, (perRing.get(k) ?? 0) + 1);
    }
    expect(perRing.get(0)).toBe(1);
    for (const [k, count] of perRing) if (k > 0) expect([k, count <= ringCapacity(k)]).toEqual([k, true]);
    // More than one ring: not 100 nodes on one circle.
    expect(perRing.size).toBeGreaterThan(3);
    expect(overlaps(nodes)).toEqual([]);
    await screenshot(page, 'layout-concentric');
  });
});

describe('grouping', () => {
  /** KPi.001 (UN 2025-11-18): his address, Pyongyang, is shared by many parties on the UN list. */
  const PARTY = 'un-KPi.001';

  test('the parties at one address become one node and back: re-routed edges with a count, kept by a reload, opened, ungrouped where they were', async () => {
    const r = await api.gql('query ($id: ID!) { entity(id: $id) { addresses { id full } } }', { id: PARTY });
    const addresses = r.body.data!.entity.addresses as { id: string; full: string }[];
    const g = await api.gql('query ($ids: [ID!]!) { subgraph(ids: $ids) { nodes { id degree } } }', { ids: addresses.map((a) => a.id) });
    const degrees = g.body.data!.subgraph.nodes as { id: string; degree: number }[];
    const shared = degrees.sort((a, b) => b.degree - a.degree)[0];
    expect(shared.degree).toBeGreaterThanOrEqual(5);
    const address = addresses.find((a) => a.id === shared.id)!;

    await page.goto(`${api.base}/#n=${PARTY}`);
    await waitForCanvas(page, [PARTY]);
    await waitForLayout(page);
    await clickNode(page, PARTY);
    await page.getByTestId('details').getByRole('button', { name: address.full, exact: true }).click();
    await waitForCanvas(page, [address.id]);
    await page.locator('.canvas-wrap .busy').waitFor({ state: 'detached' });
    await waitForLayout(page);
    const members = await page.evaluate((id) => {
      const cy = (globalThis as unknown as { __cy: { getElementById(i: string): { neighborhood(s: string): { map(f: (n: { id(): string }) => string): string[] } } } }).__cy;
      return cy.getElementById(id).neighborhood('node').map((n) => n.id());
    }, address.id);
    expect(members.length).toBe(shared.degree);
    const before = new Map((await drawn()).map((n) => [n.id, n]));

    // The address's details offer to group its parties.
    await clickNode(page, address.id);
    await page.getByTestId('group-linked').click();
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { nodes(s: string): { length: number } } }).__cy.nodes('.group').length === 1);
    let nodes = await drawn();
    const group = nodes.find((n) => n.group)!;
    const label = String(await page.evaluate((id) => (globalThis as unknown as { __cy: { getElementById(i: string): { data(k: string): unknown } } }).__cy.getElementById(id).data('label'), address.id));
    expect(group.display).toBe(`${members.length} parties at ${label}`);
    expect(group.count).toBe(members.length);
    for (const m of members) expect(nodes.some((n) => n.id === m)).toBe(false);
    // Drawn where its members were (their middle), moved just clear of the address drawn there.
    const mid = (f: (n: Drawn) => number) => members.reduce((a, m) => a + f(before.get(m)!), 0) / members.length;
    expect(Math.hypot(group.x - mid((n) => n.x), group.y - mid((n) => n.y))).toBeLessThan(300);
    expect(overlaps(nodes)).toEqual([]);
    // One edge from the group to the address, standing for the members' relationships to it.
    const edges = await page.evaluate((id) => {
      type E = { source(): { id(): string }; target(): { id(): string }; data(k: string): unknown };
      const cy = (globalThis as unknown as { __cy: { getElementById(i: string): { connectedEdges(): { map<T>(f: (e: E) => T): T[] } } } }).__cy;
      return cy.getElementById(id).connectedEdges().map((e) => ({ ends: [e.source().id(), e.target().id()].sort(), count: Number(e.data('count')), label: String(e.data('label')) }));
    }, group.id);
    const toAddress = edges.filter((e) => e.ends.includes(address.id));
    expect(toAddress).toHaveLength(1);
    expect(toAddress[0].count).toBe(members.length);
    expect(toAddress[0].label).toBe(`${members.length} links`);
    await page.evaluate(() => (globalThis as unknown as { __cy: { $(s: string): { unselect(): void } } }).__cy.$(':selected').unselect());
    await page.keyboard.press('f');
    await screenshot(page, 'grouped-address');

    // The link keeps the group: a reload draws it again, collapsed, where it was.
    expect(new URL(page.url()).hash).toMatch(/[#&]g=/);
    await page.reload();
    await waitForCanvas(page, [group.id, address.id]);
    await waitForLayout(page);
    nodes = await drawn();
    const again = nodes.find((n) => n.group)!;
    expect(again.display).toBe(group.display);
    expect(Math.abs(again.x - group.x)).toBeLessThan(1.5);
    expect(Math.abs(again.y - group.y)).toBeLessThan(1.5);
    for (const m of members) expect(nodes.some((n) => n.id === m)).toBe(false);

    // A double-click opens it: the members drawn inside it, where they were.
    await dblclickNode(page, group.id);
    await waitForCanvas(page, members);
    nodes = await drawn();
    for (const m of members) {
      const n = nodes.find((x) => x.id === m)!;
      expect([m, n.parent]).toEqual([m, group.id]);
      expect(Math.abs(n.x - before.get(m)!.x)).toBeLessThan(1);
      expect(Math.abs(n.y - before.get(m)!.y)).toBeLessThan(1);
    }

    await screenshot(page, 'grouped-address-open');

    // Shift+G on a member ungroups: no group left, every member on its own where it was.
    await clickNode(page, members[0]);
    await page.keyboard.press('Shift+G');
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { nodes(s: string): { length: number } } }).__cy.nodes('.group').length === 0);
    nodes = await drawn();
    for (const m of members) {
      const n = nodes.find((x) => x.id === m)!;
      expect([m, n.parent]).toEqual([m, null]);
      expect(Math.abs(n.x - before.get(m)!.x)).toBeLessThan(1);
      expect(Math.abs(n.y - before.get(m)!.y)).toBeLessThan(1);
    }
    expect(new URL(page.url()).hash).not.toMatch(/[#&]g=/);

    // G groups a selection: two members, clicked and Shift+clicked.
    const placed = new Map((await drawn()).map((n) => [n.id, n]));
    await clickNode(page, members[0]);
    await clickNode(page, members[1], true);
    // Both clicks reached their nodes (a failure says what was selected instead, not only that no group came).
    expect(await selectedIds(page)).toEqual([members[0], members[1]].sort());
    await page.keyboard.press('g');
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { nodes(s: string): { length: number } } }).__cy.nodes('.group').length === 1);
    nodes = await drawn();
    const pair = nodes.find((n) => n.group)!;
    expect(pair.display).toBe('2 parties');
    expect(nodes.some((n) => n.id === members[0] || n.id === members[1])).toBe(false);
    // Shift+G on the collapsed group: both back where they were.
    await clickNode(page, pair.id);
    await page.keyboard.press('Shift+G');
    await waitForCanvas(page, [members[0], members[1]]);
    nodes = await drawn();
    expect(nodes.some((n) => n.group)).toBe(false);
    for (const m of [members[0], members[1]]) {
      const n = nodes.find((x) => x.id === m)!;
      expect([m, Math.abs(n.x - placed.get(m)!.x) < 1, Math.abs(n.y - placed.get(m)!.y) < 1]).toEqual([m, true, true]);
    }
  });

  test('a program’s members on the canvas become one node from the program’s details, and come back with Shift+G', async () => {
    // DPRK2 drawn as a hub with 30 of its members (hubs=1: each linked to it on the canvas).
    const rows = await db.read<{ id: string }>('bench-explorer-canvas', { program: 'DPRK2' });
    const members = rows.slice(0, 30).map((r) => r.id);
    expect(members).toHaveLength(30);
    await page.goto(`${api.base}/#${encodeUrlState({ ...EMPTY_URL_STATE, nodes: ['DPRK2', ...members], expanded: ['DPRK2'] })}&hubs=1`);
    await waitForCanvas(page, ['DPRK2', ...members], 120_000);
    await waitForLayout(page);
    const linked = await page.evaluate(() => {
      const cy = (globalThis as unknown as { __cy: { getElementById(i: string): { neighborhood(s: string): { map(f: (n: { id(): string }) => string): string[] } } } }).__cy;
      return cy.getElementById('DPRK2').neighborhood('node').map((n) => n.id());
    });
    // Every member drawn is linked to the program on the canvas (else the button would group fewer).
    expect([...linked].filter((id) => !id.startsWith('more::')).sort()).toEqual([...members].sort());
    const before = new Map((await drawn()).map((n) => [n.id, n]));

    await clickNode(page, 'DPRK2');
    await page.getByTestId('group-linked').click();
    await page.waitForFunction(() => (globalThis as unknown as { __cy: { nodes(s: string): { length: number } } }).__cy.nodes('.group').length === 1);
    let nodes = await drawn();
    const group = nodes.find((n) => n.group)!;
    expect(group.count).toBe(members.length);
    expect(group.display).toMatch(new RegExp(`^${members.length} parties .*DPRK2`));
    for (const m of members) expect(nodes.some((n) => n.id === m)).toBe(false);
    expect(nodes.some((n) => n.id === 'DPRK2')).toBe(true);

    await clickNode(page, group.id);
    await page.keyboard.press('Shift+G');
    await waitForCanvas(page, members);
    nodes = await drawn();
    expect(nodes.some((n) => n.group)).toBe(false);
    for (const m of members) {
      const n = nodes.find((x) => x.id === m)!;
      expect([m, Math.abs(n.x - before.get(m)!.x) < 1, Math.abs(n.y - before.get(m)!.y) < 1]).toEqual([m, true, true]);
    }
  });
});
