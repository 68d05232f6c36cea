/**
 * The explorer on a large canvas, in a real browser against the real server and the real 2024-05-03 SDN
 * list: 2,000 nodes restored from a link are laid out (the canvas says so with data-layout="done"), every
 * node at a finite place and hardly any two on top of each other; expanding a node of that canvas adds its
 * neighbours without moving anything already placed. How fast is measured in bench/explorer.ts, not here.
 */
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { encodeUrlState, EMPTY_URL_STATE } from '../../client/src/url-state';
import { overlappingPairs } from '../../client/src/layout/overlaps';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';
import { buildClient, launchBrowser, PageWatch, screenshot, takeProblems, watchPage } from './browser';

/** The benchmark's 2,000-node canvas: the members of IFSR with their programs and identifiers. */
const PROGRAM = 'IFSR';
const NODES = 2000;

let db: Database;
let server: http.Server;
let origin: string;
let browser: Browser;
let page: Page;
const watches: PageWatch[] = [];

type Positions = Record<string, { x: number; y: number }>;

beforeAll(async () => {
  buildClient();
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { paths: [path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], ...LOAD_DEFAULTS });
  const graphql = createGraphQLServer();
  await graphql.start();
  server = http.createServer(createApp({ notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null } }, graphql));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  watches.push(watchPage(page, origin, 'large canvas'));
});

afterEach(() => {
  expect(takeProblems(watches)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  await db?.close();
});

/** The canvas's ids, as the benchmark picks them (cypher/bench-explorer-canvas.cypher). */
async function canvasIds(): Promise<string[]> {
  const rows = await db.read<{ id: string; programs: string[]; identifiers: string[] }>('bench-explorer-canvas', { program: PROGRAM });
  const ids = new Set<string>();
  for (const r of rows) for (const id of [r.id, ...r.programs, ...r.identifiers]) if (ids.size < NODES) ids.add(id);
  return [...ids];
}

/** Waits until the canvas holds `count` nodes and says its layout has settled, a layout started after `after`. */
async function waitForLayout(count: number, after: number): Promise<void> {
  await page.waitForFunction(
    ([n, runs]) => {
      const g = globalThis as unknown as {
        __cy?: { nodes(): { length: number } };
        document: { querySelector(s: string): { dataset: Record<string, string | undefined> } | null };
      };
      const el = g.document.querySelector('[data-testid=canvas]');
      return !!g.__cy && g.__cy.nodes().length >= n && !!el && el.dataset.layout === 'done' && Number(el.dataset.layoutRuns) > runs;
    },
    [count, after] as const,
    // Generous: a busy 2-core machine; the time itself is the benchmark's business.
    { timeout: 170_000, polling: 250 },
  );
}

async function layoutRuns(): Promise<number> {
  return Number(await page.getByTestId('canvas').getAttribute('data-layout-runs'));
}

/** Every node's position and drawn size, and how many are still hidden as unplaced. */
async function drawn(): Promise<{ positions: Positions; sizes: Record<string, number>; unplaced: number }> {
  return page.evaluate(() => {
    type Node = { id(): string; position(): { x: number; y: number }; width(): number; height(): number };
    const cy = (globalThis as unknown as { __cy: { nodes(): { forEach(f: (n: Node) => void): void }; $(s: string): { length: number } } }).__cy;
    const positions: Record<string, { x: number; y: number }> = {};
    const sizes: Record<string, number> = {};
    cy.nodes().forEach((n) => {
      positions[n.id()] = { ...n.position() };
      sizes[n.id()] = Math.max(n.width(), n.height());
    });
    return { positions, sizes, unplaced: cy.$('.unplaced').length };
  });
}

describe('explorer, large canvas', () => {
  test('a 2,000-node canvas from a link is laid out: every node placed at a finite position, hardly any overlapping', async () => {
    const ids = await canvasIds();
    expect(ids).toHaveLength(NODES);
    await page.goto(`${origin}/#${encodeUrlState({ ...EMPTY_URL_STATE, nodes: ids })}`);
    await waitForLayout(NODES, 0);
    await screenshot(page, '20-large-canvas');
    const { positions, sizes, unplaced } = await drawn();
    expect(Object.keys(positions).sort()).toEqual([...ids].sort());
    expect(unplaced).toBe(0);
    const notFinite = Object.entries(positions).filter(([, p]) => !Number.isFinite(p.x) || !Number.isFinite(p.y));
    expect(notFinite).toEqual([]);
    // Not all on one spot or one line: the layout spreads the canvas in both directions.
    const xs = Object.values(positions).map((p) => p.x);
    const ys = Object.values(positions).map((p) => p.y);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(1000);
    expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan(1000);
    // At most 1% of the nodes in an overlapping pair (fcose's former layout of this canvas had hundreds).
    expect(overlappingPairs(positions, sizes)).toBeLessThanOrEqual(NODES / 100);
  });

  test('expanding a node of the large canvas adds its neighbours and moves none of the nodes already placed', async () => {
    const before = await drawn();
    const count = Object.keys(before.positions).length;
    expect(count).toBeGreaterThanOrEqual(NODES);
    // A party whose neighbours are not all on the canvas yet (its label says "+N").
    const target = await page.evaluate(() => {
      type Node = { id(): string; data(k: string): unknown; hasClass(c: string): boolean };
      const cy = (globalThis as unknown as { __cy: { nodes(): { filter(f: (n: Node) => boolean): { map(f: (n: Node) => string): string[] } } } }).__cy;
      return cy.nodes().filter((n) => Number(n.data('remaining')) > 0 && !n.hasClass('more') && String(n.id()).startsWith('ofac-')).map((n) => n.id())[0];
    });
    expect(target).toBeTruthy();
    const runs = await layoutRuns();
    await page.evaluate((id) => {
      (globalThis as unknown as { __cy: { getElementById(id: string): { emit(e: string): void } } }).__cy.getElementById(id).emit('dbltap');
    }, target);
    await waitForLayout(count + 1, runs);
    const after = await drawn();
    const added = Object.keys(after.positions).filter((id) => !(id in before.positions));
    expect(added.length).toBeGreaterThan(0);
    expect(after.unplaced).toBe(0);
    const moved = Object.entries(before.positions).filter(([id, p]) => {
      const q = after.positions[id];
      return !q || Math.abs(q.x - p.x) > 1e-6 || Math.abs(q.y - p.y) > 1e-6;
    });
    expect(moved).toEqual([]);
    for (const id of added) expect(Number.isFinite(after.positions[id].x) && Number.isFinite(after.positions[id].y)).toBe(true);
  });
});
