/**
 * The explorer on large canvases, in headless Chromium, against a bare Cytoscape.js page drawing the same
 * elements at the same positions with the same stylesheet and viewport (bench/bare-cytoscape.html),
 * measured in the same run, alternating, a fresh page each time.
 *
 * The canvases (cypher/bench-explorer-canvas.cypher, the 2024-05-03 SDN list): "2k", the real members of
 * one sanctions program (IFSR) in id order, each with the programs it is listed under and its identifiers,
 * up to 2,000 nodes (about 4,200 relationships among them); "10k", the same for the largest programs, largest
 * first, up to 10,000 nodes. The explorer shows every relationship among them. The API's subgraph takes at
 * most 5,000 ids, so the 10k canvas's one Canvas query is answered by the bench from pieces (PIECE).
 *
 * Same picture on both sides: the explorer's elements (their data and classes), stylesheet and canvas size
 * are read from the explorer itself; positions come from the explorer's own layout of large canvases
 * (client/src/layout/force.ts, seeded: every run draws the same picture); the viewport is the one the
 * explorer fits to them. In the frame runs the explorer's layout worker script is served as a stub that
 * answers at once with these positions, so the explorer runs its real code path (diff into cy.batch(), a
 * worker start and round trip, positions applied, fit) minus the layout computation.
 *
 * 0. Layout (2k canvas): seconds to lay the canvas out with the explorer's layout (d3-force) against fcose
 *    with the options the layout worker used for every canvas before (the baseline), both in Node on the
 *    same elements and node sizes, alternating (ratio: d3-force / fcose); overlapping node pairs of each.
 *    d3-force gets what the explorer's worker gets: each node's box with its label, as the explorer
 *    measures it (forceS is the worker's own computation). Then the explorer itself with its real worker:
 *    ms from the graph's response body in the page to the canvas saying its layout has settled
 *    (data-layout="done", every node placed), BENCH_EXPLORER_RUNS times, and how many pairs of its
 *    node+label boxes overlap (explorerLabelOverlaps: 0 is the promise).
 * 1. Data to first frame, ms (median). Both pages run bench/explorer-page.js before their own scripts:
 *    from the moment the graph's response body is completely in the page (explorer: the `subgraph` query
 *    that restores a canvas from the URL fragment `#n=id1~id2~...`; bare: the elements JSON) to the first
 *    requestAnimationFrame after the first Cytoscape 'render' event that drew every node and edge at its
 *    final position. Explorer side: parse, investigation state, React render, diff into Cytoscape, layout
 *    worker start and round trip, positions, fit, draw. Bare side: parse, cy.add, draw. Beside it:
 *    Cytoscape's draw time of that frame, and the frames it drew in between (and their draw time).
 * 2. Pan and zoom frame time, ms per frame (median, and 95th percentile, over all frames of all runs): a
 *    mouse drag on the background along a circle (one move per frame), then wheel zooming in and out (one
 *    event per frame), as synthetic DOM events, so the explorer's large-graph settings (no edges and a
 *    cached texture while the viewport moves) act as they do for a user. Frame time is the interval
 *    between animation frames (16.7 ms at 60 Hz when nothing is late); Cytoscape's own draw time per
 *    frame is reported beside it.
 * Ratios are explorer / bare (above 1: the explorer is slower). Runs: BENCH_EXPLORER_RUNS (bench/run.ts);
 * BENCH_EXPLORER_CANVASES=2k or 10k measures one canvas. bench/explorer-only.ts runs it on a store of its own.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import cytoscape, { ElementDefinition, StylesheetJson } from 'cytoscape';
import type { Browser, Page } from 'playwright-core';
import { Database } from '../server/core/neo4j/database';
import { createApp } from '../server/api/app';
import { createGraphQLServer } from '../server/api/graphql';
import { REPO_ROOT } from '../server/core/settings';
import { encodeUrlState, EMPTY_URL_STATE } from '../client/src/url-state';
import { buildClient, launchBrowser } from '../test/e2e/browser';
import { forceLayout, seeded } from '../client/src/layout/force';
import { overlappingPairs } from '../client/src/layout/overlaps';
import { overlappingBoxes } from '../client/src/layout/tiers';

/**
 * The canvases: the members of one program (2,000 nodes: layout time, first frame, pan and zoom), and the
 * members of the largest programs of the 2024-05-03 SDN list, largest first, up to 10,000 nodes (pan and zoom).
 */
const CANVASES = [
  { name: '2k', programs: ['IFSR'], maxNodes: 2000, layout: true },
  { name: '10k', programs: ['RUSSIA-EO14024', 'SDGT', 'SDNTK', 'IFSR', 'NPWMD', 'GLOMAG', 'SYRIA', 'IRAN'], maxNodes: 10_000, layout: false },
] as const;
type Canvas = (typeof CANVASES)[number];
/**
 * The API's subgraph takes at most 5,000 ids (server/api/validate.ts) and its HTTP body is capped too: a
 * larger canvas is fetched by the bench in pieces of this many ids, every pair of pieces together (so every relationship among them comes
 * back), and handed to the page as the one answer to its Canvas query (Playwright's page.route).
 */
const PIECE = 1000;
/** The browser window (as in the e2e tests); the explorer's canvas is what is left of it beside its panels. */
const VIEWPORT = { width: 1440, height: 900 };
/** Frames per gesture. */
const GESTURE_FRAMES = 60;
const PROBE_JS = fs.readFileSync(path.join(__dirname, 'explorer-page.js'), 'utf8');
const BARE_HTML = path.join(__dirname, 'bare-cytoscape.html');
const CYTOSCAPE_ESM = path.join(REPO_ROOT, 'node_modules', 'cytoscape', 'dist', 'cytoscape.esm.min.mjs');

// cytoscape-fcose ships no types (the client declares them in client/src/types.d.ts, outside this project).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped CommonJS module, typed here
const fcose: cytoscape.Ext = require('cytoscape-fcose');
cytoscape.use(fcose);

type Positions = Record<string, { x: number; y: number }>;
/** Each node's box with its label: size, and its centre's offset from the node's position. */
type Boxes = Record<string, { w: number; h: number; ox: number; oy: number }>;
interface Spec {
  match: string;
  nodes: number;
  edges: number;
  positions: Positions;
}
interface Gesture {
  frameMs: number[];
  drawMs: number[];
  panned: number;
  zoomMax: number;
}
interface Sample {
  firstFrameMs: number;
  /** Cytoscape's draw time of the first complete frame, and of the frames it drew before it after t0. */
  firstDrawMs: number;
  earlyDrawMs: number[];
  viewport: { zoom: number; pan: { x: number; y: number }; width: number; height: number };
  pan: Gesture;
  zoom: Gesture;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Numbers to three decimals, for the results file. */
function rounded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v)));
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** The canvas: each program's members in id order, each followed by its programs and identifiers. */
async function canvasIds(db: Database, canvas: Canvas): Promise<string[]> {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const program of canvas.programs) {
    const rows = await db.read<{ id: string; programs: string[]; identifiers: string[] }>('bench-explorer-canvas', { program });
    for (const r of rows) {
      for (const id of [r.id, ...r.programs, ...r.identifiers]) {
        if (ids.length === canvas.maxNodes) return ids;
        if (!seen.has(id)) ids.push(id);
        seen.add(id);
      }
    }
  }
  return ids;
}

/** The answer to the explorer's Canvas query for more ids than the API takes at once: see PIECE. */
async function piecedCanvas(url: string, headers: Record<string, string>, body: { query: string; variables: { ids: string[] } }): Promise<string> {
  const ids = body.variables.ids;
  const pieces: string[][] = [];
  for (let i = 0; i < ids.length; i += PIECE) pieces.push(ids.slice(i, i + PIECE));
  const nodes = new Map<string, { id: string }>();
  const edges = new Map<string, { id: string }>();
  let first: Record<string, unknown> | null = null;
  for (let a = 0; a < pieces.length; a++) {
    for (let b = a; b < pieces.length; b++) {
      const part = a === b ? pieces[a] : [...pieces[a], ...pieces[b]];
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ ...body, variables: { ...body.variables, ids: part } }) });
      const json = (await res.json()) as { data?: { subgraph: { nodes: { id: string }[]; edges: { id: string }[] } }; errors?: unknown };
      if (!json.data || json.errors) throw new Error(`the Canvas query for ${part.length} ids failed: ${JSON.stringify(json.errors)}`);
      first ??= json.data.subgraph;
      for (const n of json.data.subgraph.nodes) nodes.set(n.id, n);
      for (const e of json.data.subgraph.edges) edges.set(e.id, e);
    }
  }
  const ordered = ids.filter((id) => nodes.has(id)).map((id) => nodes.get(id));
  return JSON.stringify({ data: { subgraph: { ...first, nodes: ordered, edges: [...edges.values()] } } });
}

async function listen(app: express.Express): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Answers a Canvas query for more than 2 x PIECE ids in pieces (once per canvas, then from memory). */
const pieced = new Map<string, Promise<string>>();
async function routeLargeCanvas(page: Page): Promise<void> {
  await page.route('**/graphql', async (route) => {
    const req = route.request();
    const body = req.method() === 'POST' ? (req.postDataJSON() as { query?: string; variables?: { ids?: string[] } } | null) : null;
    const ids = body?.variables?.ids;
    if (!body?.query?.includes('query Canvas(') || !ids || ids.length <= 2 * PIECE) return route.continue();
    const key = ids.join('~');
    if (!pieced.has(key)) pieced.set(key, piecedCanvas(req.url(), { 'content-type': 'application/json', accept: 'application/json' }, body as { query: string; variables: { ids: string[] } }));
    try {
      await route.fulfill({ status: 200, contentType: 'application/json', body: await pieced.get(key)! });
    } catch (err) {
      // The page then waits in vain and the run fails on its timeout, with this said first.
      console.error(`bench explorer: ${(err as Error).message}`);
      await route.abort();
    }
  });
}

async function openWithProbe(browser: Browser, spec: Spec): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.on('pageerror', (e) => console.error(`bench explorer: page error: ${e.message}`));
  await page.addInitScript({ content: `window.__benchSpec = ${JSON.stringify(spec)};\n${PROBE_JS}` });
  await routeLargeCanvas(page);
  return page;
}

/**
 * One run of the explorer with its real layout worker, on a fresh page: ms from the graph's response body
 * in the page to the canvas saying its layout has settled with every node placed (data-layout="done"),
 * and the positions it drew.
 */
async function layoutSample(browser: Browser, url: string, spec: Spec): Promise<{ ms: number; positions: Positions }> {
  const page = await openWithProbe(browser, spec);
  try {
    await page.goto(url, { timeout: 120_000 });
    await page.waitForFunction(() => (globalThis as unknown as { __bench: { laidOut: number | null } }).__bench.laidOut !== null, undefined, { timeout: 600_000, polling: 100 });
    const r = (await page.evaluate(`(() => {
      const positions = {};
      window.__cy.nodes().forEach((n) => { positions[n.id()] = n.position(); });
      return { ms: window.__bench.laidOut - window.__bench.t0, positions };
    })()`)) as { ms: number; positions: Positions };
    return r;
  } finally {
    await page.close();
  }
}

/** Every position a finite number, and how many pairs of nodes overlap: their shapes, and their boxes with their labels. */
function layoutCheck(positions: Positions, sizes: Record<string, number>, boxes: Boxes): { finite: boolean; overlaps: number; labelOverlaps: number } {
  const finite = Object.values(positions).every((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const labelled = Object.entries(boxes).map(([id, b]) => ({ id, ...b, degree: 0 }));
  return { finite, overlaps: overlappingPairs(positions, sizes), labelOverlaps: overlappingBoxes(labelled, positions).length };
}

/** One run on a fresh page: data to first frame, then (unless `gestures` is false) the two gestures. */
async function sample(browser: Browser, url: string, spec: Spec, gestures = true): Promise<Sample> {
  const page = await openWithProbe(browser, spec);
  try {
    await page.goto(url, { timeout: 120_000 });
    // Function predicates, not strings: the server's CSP has no 'unsafe-eval', which a string predicate needs.
    await page
      .waitForFunction(() => (globalThis as unknown as { __bench: { t1: number | null } }).__bench.t1 !== null, undefined, { timeout: 180_000, polling: 100 })
      .catch(async (err: Error) => {
        // Say what the page holds instead of what it was expected to draw.
        const state = await page.evaluate(`(() => {
          const cy = window.__cy, spec = window.__benchSpec;
          if (!cy) return 'no Cytoscape instance';
          const off = cy.nodes().filter((n) => { const w = spec.positions[n.id()], p = n.position(); return !w || w.x !== p.x || w.y !== p.y; });
          return { t0: window.__bench.t0, nodes: cy.nodes().length, edges: cy.edges().length, want: [spec.nodes, spec.edges], offPosition: off.length, example: off.length ? { id: off[0].id(), at: off[0].position(), want: spec.positions[off[0].id()] } : null };
        })()`);
        throw new Error(`${err.message}: ${JSON.stringify(state)}`);
      });
    const first = (await page.evaluate(
      '({ t0: window.__bench.t0, t1: window.__bench.t1, viewport: window.__bench.viewport, firstDrawMs: window.__bench.firstDrawMs, earlyDrawMs: window.__bench.earlyDrawMs })',
    )) as { t0: number; t1: number; viewport: Sample['viewport']; firstDrawMs: number; earlyDrawMs: number[] };
    // The viewport once the page has settled (the explorer fits after its first complete frame): what the
    // bare page is given, and where both pages' gestures start.
    await page.evaluate('window.__bench.quiet(500, 20000)');
    const settled = (await page.evaluate('({ zoom: window.__cy.zoom(), pan: window.__cy.pan(), width: window.__cy.width(), height: window.__cy.height() })')) as Sample['viewport'];
    const none = { frameMs: [], drawMs: [], panned: 0, zoomMax: 0 };
    const gesture = async (kind: 'pan' | 'zoom'): Promise<Gesture> => {
      if (!gestures) return none;
      await page.evaluate('window.__bench.quiet(500, 20000)');
      return (await page.evaluate(`window.__bench.gesture('${kind}', ${GESTURE_FRAMES})`)) as Gesture;
    };
    const pan = await gesture('pan');
    const zoom = await gesture('zoom');
    return { firstFrameMs: first.t1 - first.t0, firstDrawMs: first.firstDrawMs, earlyDrawMs: first.earlyDrawMs, viewport: settled, pan, zoom };
  } finally {
    await page.close();
  }
}

/**
 * The layout baseline: fcose with the options the explorer's layout worker used for every canvas until
 * large ones moved to d3-force (client/src/layout/force.ts), on nodes sized by the explorer's stylesheet.
 */
function layOut(elements: ElementDefinition[], style: StylesheetJson): Positions {
  const random = Math.random;
  Math.random = seeded(20240503);
  const cy = cytoscape({ headless: true, styleEnabled: true, style, elements: elements.map((e) => ({ group: e.group, data: e.data, classes: e.classes })) });
  try {
    // The options of the layout worker before d3-force took over the large canvases (commit 09f7eba).
    cy.layout({ name: 'fcose', animate: false, randomize: true, quality: 'default', nodeRepulsion: 9000, idealEdgeLength: 110, nodeSeparation: 90 } as cytoscape.LayoutOptions).run();
    const positions: Positions = {};
    cy.nodes().forEach((n) => {
      positions[n.id()] = { ...n.position() };
    });
    return positions;
  } finally {
    Math.random = random;
    cy.destroy();
  }
}

/** Each node's drawn size as the explorer's stylesheet gives it (what its layout worker is told). */
function nodeSizes(elements: ElementDefinition[], style: StylesheetJson): Record<string, number> {
  const cy = cytoscape({ headless: true, styleEnabled: true, style, elements: elements.map((e) => ({ group: e.group, data: e.data, classes: e.classes })) });
  try {
    const sizes: Record<string, number> = {};
    cy.nodes().forEach((n) => {
      sizes[n.id()] = Math.max(n.width(), n.height());
    });
    return sizes;
  } finally {
    cy.destroy();
  }
}

/** The explorer's layout of large canvases (client/src/layout/force.ts), from scratch, as its worker runs it: on the nodes' boxes with their labels. */
function forceLaidOut(elements: ElementDefinition[], sizes: Record<string, number>, boxes: Boxes): Positions {
  const nodes = elements.filter((e) => e.group === 'nodes').map((e) => ({ id: e.data.id!, x: 0, y: 0, size: sizes[e.data.id!], ...boxes[e.data.id!] }));
  const edges = elements.filter((e) => e.group === 'edges').map((e) => ({ source: e.data.source as string, target: e.data.target as string }));
  return forceLayout({ nodes, edges, fixed: [] });
}

function seconds<T>(fn: () => T): [number, T] {
  const t = process.hrtime.bigint();
  const r = fn();
  return [Number(process.hrtime.bigint() - t) / 1e9, r];
}

export async function explorerBench(db: Database, runs: number): Promise<Record<string, unknown>> {
  buildClient();

  // The explorer, with its layout worker replaceable by a stub that answers with fixed positions.
  let stub: string | null = null;
  let stubServed = 0;
  const graphql = createGraphQLServer();
  await graphql.start();
  const front = express();
  front.get(/^\/assets\/layout\.worker-[\w-]+\.js$/, (_req, res, next) => {
    if (stub === null) return next();
    stubServed++;
    res.type('text/javascript').set('cache-control', 'no-store').send(stub);
  });
  front.use(createApp({ notReady: null, db, neo4j: { uri: 'bench', embedded: true, version: null } }, graphql));
  // The bare page, its Cytoscape.js from node_modules, and its data.
  let bareConfig = '';
  let bareElements = '';
  const bare = express();
  bare.get('/', (_req, res) => res.sendFile(BARE_HTML));
  bare.get('/cytoscape.esm.min.mjs', (_req, res) => res.type('text/javascript').sendFile(CYTOSCAPE_ESM));
  bare.get('/config.json', (_req, res) => res.type('application/json').send(bareConfig));
  bare.get('/elements.json', (_req, res) => res.type('application/json').send(bareElements));
  const servers = [await listen(front), await listen(bare)];
  const [explorerOrigin, bareOrigin] = servers.map((s) => s.origin);
  let browser: Browser | null = null;

  /** One canvas: its elements as the explorer builds them, its layout, first frame, pan and zoom. */
  const measureCanvas = async (browser: Browser, def: Canvas): Promise<Record<string, unknown>> => {
    const ids = await canvasIds(db, def);
    const hash = encodeUrlState({ ...EMPTY_URL_STATE, nodes: ids });
    // The explorer's own layout worker until the positions are known.
    stub = null;
    // The canvas as the explorer builds it (in one batch): its elements, stylesheet and size.
    const prep = await browser.newPage({ viewport: VIEWPORT });
    await routeLargeCanvas(prep);
    await prep.goto(`${explorerOrigin}/#${hash}`, { timeout: 120_000 });
    await prep.waitForFunction(
      () => {
        const cy = (globalThis as unknown as { __cy?: { nodes(): { length: number } } }).__cy;
        return !!cy && cy.nodes().length > 0;
      },
      undefined,
      { timeout: 180_000, polling: 100 },
    );
    const canvas = (await prep.evaluate(`(() => {
      const cy = window.__cy;
      return {
        // Without 'unplaced' (canvas-diff.ts), which hides new elements until the layout has placed them:
        // read before the layout ends, it left the bare page drawing nothing.
        elements: cy.elements().map((e) => ({ group: e.group(), data: e.data(), classes: e.classes().filter((c) => c !== 'unplaced') })),
        style: cy.style().json(),
        width: cy.width(), height: cy.height(), minZoom: cy.minZoom(), maxZoom: cy.maxZoom(),
        background: getComputedStyle(cy.container()).backgroundColor,
        nodes: cy.nodes().length, edges: cy.edges().length,
        // Each node's box with its label, as the explorer measures it before a layout (GraphCanvas
        // measureBoxes), for the same layout here in Node. This page is closed next: shown to be measured.
        boxes: (() => {
          cy.nodes('.unplaced').removeClass('unplaced');
          const out = {};
          cy.nodes().forEach((n) => {
            const bb = n.boundingBox({ includeLabels: true, includeOverlays: false }), p = n.position();
            out[n.id()] = { w: bb.w, h: bb.h, ox: (bb.x1 + bb.x2) / 2 - p.x, oy: (bb.y1 + bb.y2) / 2 - p.y };
          });
          return out;
        })(),
      };
    })()`)) as {
      elements: ElementDefinition[];
      style: StylesheetJson;
      width: number;
      height: number;
      minZoom: number;
      maxZoom: number;
      background: string;
      nodes: number;
      edges: number;
      boxes: Boxes;
    };
    await prep.close();
    // Layout: the explorer's layout (d3-force above 400 nodes) against the worker's former fcose, both here
    // in Node on the same elements and sizes, alternating; then the explorer itself, from data to laid out.
    const sizes = nodeSizes(canvas.elements, canvas.style);
    const [forceS, positions] = seconds(() => forceLaidOut(canvas.elements, sizes, canvas.boxes));
    console.error(`explorer ${def.name}: canvas of ${canvas.nodes} nodes, ${canvas.edges} edges (${ids.length} ids asked), ${canvas.width}x${canvas.height} px; d3-force layout ${forceS.toFixed(1)} s`);
    let layout: Record<string, unknown> | null = null;
    if (def.layout) {
      const fcoseS: number[] = [];
      const d3S: number[] = [forceS];
      const layoutRuns = Math.min(runs, 3);
      for (let i = 0; i < layoutRuns; i++) {
        fcoseS.push(seconds(() => layOut(canvas.elements, canvas.style))[0]);
        if (i > 0) d3S.push(seconds(() => forceLaidOut(canvas.elements, sizes, canvas.boxes))[0]);
        console.error(`explorer ${def.name}: layout run ${i + 1}/${layoutRuns}: fcose (before) ${fcoseS[i].toFixed(1)} s, d3-force ${d3S[i].toFixed(2)} s`);
      }
      const browserMs: number[] = [];
      let drawn: ReturnType<typeof layoutCheck> | null = null;
      for (let i = 0; i < runs; i++) {
        const r = await layoutSample(browser, `${explorerOrigin}/#${hash}`, { match: 'query Canvas(', nodes: canvas.nodes, edges: canvas.edges, positions: {} });
        browserMs.push(r.ms);
        drawn = layoutCheck(r.positions, sizes, canvas.boxes);
        console.error(`explorer ${def.name}: explorer laid out the canvas ${r.ms.toFixed(0)} ms after its data arrived (${drawn.overlaps} overlapping pairs, ${drawn.labelOverlaps} of node+label boxes)`);
      }
      layout = {
        fcoseS: median(fcoseS),
        forceS: median(d3S),
        ratio: median(d3S) / median(fcoseS),
        explorerDataToLaidOutMs: median(browserMs),
        explorerDataToLaidOutMsAll: browserMs,
        explorerFinite: drawn!.finite,
        explorerOverlaps: drawn!.overlaps,
        explorerLabelOverlaps: drawn!.labelOverlaps,
        fcoseOverlaps: layoutCheck(layOut(canvas.elements, canvas.style), sizes, canvas.boxes).overlaps,
      };
    }

    stub = `// The explorer benchmark's stand-in for the layout worker: answers at once with fixed positions.
const P = ${JSON.stringify(positions)};
self.onmessage = (e) => {
  const positions = {};
  for (const n of e.data.nodes) if (P[n.id]) positions[n.id] = P[n.id];
  // The request's id, echoed: the canvas ignores answers to a request it has superseded.
  self.postMessage({ seq: e.data.seq, positions });
};
`;
    const counts = { nodes: canvas.nodes, edges: canvas.edges, positions };
    const sides = {
      explorer: { url: `${explorerOrigin}/#${hash}`, spec: { match: 'query Canvas(', ...counts } },
      bare: { url: `${bareOrigin}/`, spec: { match: '/elements.json', ...counts } },
    };
    // An untimed explorer run: the viewport the explorer fits to these positions, for the bare page.
    const warm = await sample(browser, sides.explorer.url, sides.explorer.spec, false);
    const { minZoom, maxZoom, background, style } = canvas;
    // The canvas size too comes from the run: the explorer's panels can change its height between loads.
    const { zoom, pan, width, height } = warm.viewport;
    bareConfig = JSON.stringify({ style, zoom, pan, width, height, minZoom, maxZoom, background });
    bareElements = JSON.stringify(canvas.elements.map((e) => (e.group === 'nodes' ? { ...e, position: positions[e.data.id!] } : e)));
    const samples: Record<'explorer' | 'bare', Sample[]> = { explorer: [], bare: [] };
    for (let i = 0; i < runs; i++) {
      // Alternate which side goes first, so a slow spell of the machine does not favour one.
      for (const side of i % 2 ? (['bare', 'explorer'] as const) : (['explorer', 'bare'] as const)) {
        const served = stubServed;
        const s = await sample(browser, sides[side].url, sides[side].spec);
        if (side === 'explorer' && stubServed !== served + 1) throw new Error('the explorer did not load its layout worker from /assets/layout.worker-*.js: the stub was not used');
        samples[side].push(s);
        console.error(
          `explorer ${def.name}: run ${i + 1}/${runs} ${side}: first frame ${s.firstFrameMs.toFixed(0)} ms (its draw ${s.firstDrawMs.toFixed(0)} ms, ` +
            `${s.earlyDrawMs.length} frames drawn before it in ${s.earlyDrawMs.reduce((a, b) => a + b, 0).toFixed(0)} ms), ` +
            `pan ${median(s.pan.frameMs).toFixed(1)} ms/frame, zoom ${median(s.zoom.frameMs).toFixed(1)} ms/frame`,
        );
      }
    }

    // Both sides must have drawn the same picture and moved it the same way.
    const [e0, b0] = [samples.explorer[0], samples.bare[0]];
    const same = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a));
    if (!same(e0.viewport.zoom, b0.viewport.zoom) || !same(e0.viewport.width, b0.viewport.width) || !same(e0.viewport.height, b0.viewport.height)) {
      throw new Error(`the two pages drew different viewports: explorer ${JSON.stringify(e0.viewport)}, bare ${JSON.stringify(b0.viewport)}`);
    }
    if (!same(e0.zoom.zoomMax, b0.zoom.zoomMax)) throw new Error(`the zoom gestures reached different zooms: explorer ${e0.zoom.zoomMax}, bare ${b0.zoom.zoomMax}`);
    for (const s of [...samples.explorer, ...samples.bare]) if (s.pan.panned < 50) throw new Error(`a pan gesture did not pan (moved ${s.pan.panned} px)`);

    const summary = (side: 'explorer' | 'bare') => {
      const xs = samples[side];
      const all = (k: 'pan' | 'zoom', f: 'frameMs' | 'drawMs') => xs.flatMap((s) => s[k][f]);
      const frames = [...all('pan', 'frameMs'), ...all('zoom', 'frameMs')];
      return {
        firstFrameMs: median(xs.map((s) => s.firstFrameMs)),
        firstDrawMs: median(xs.map((s) => s.firstDrawMs)),
        framesDrawnBeforeFirst: median(xs.map((s) => s.earlyDrawMs.length)),
        drawMsBeforeFirst: median(xs.map((s) => s.earlyDrawMs.reduce((a, b) => a + b, 0))),
        panFrameMs: median(all('pan', 'frameMs')),
        zoomFrameMs: median(all('zoom', 'frameMs')),
        frameMs: median(frames),
        frameMsP95: percentile(frames, 95),
        frameMsMax: Math.max(...frames),
        drawMs: median([...all('pan', 'drawMs'), ...all('zoom', 'drawMs')]),
      };
    };
    const explorer = summary('explorer');
    const bareSide = summary('bare');
    return {
      graph: { programs: def.programs, idsAsked: ids.length, nodes: canvas.nodes, edges: canvas.edges },
      canvas: { width, height, zoom, viewport: VIEWPORT },
      layout,
      runs,
      gestureFrames: GESTURE_FRAMES,
      firstFrameMs: { explorer: samples.explorer.map((s) => s.firstFrameMs), bare: samples.bare.map((s) => s.firstFrameMs) },
      explorer,
      bare: bareSide,
      ratio: {
        firstFrame: explorer.firstFrameMs / bareSide.firstFrameMs,
        panZoomFrame: explorer.frameMs / bareSide.frameMs,
        panZoomFrameP95: explorer.frameMsP95 / bareSide.frameMsP95,
        panZoomDraw: explorer.drawMs / bareSide.drawMs,
      },
    };
  };

  try {
    browser = await launchBrowser();
    const canvases: Record<string, unknown> = {};
    // BENCH_EXPLORER_CANVASES=2k,10k (default: all) picks canvases.
    const only = process.env.BENCH_EXPLORER_CANVASES?.split(',');
    for (const def of CANVASES) if (!only || only.includes(def.name)) canvases[def.name] = await measureCanvas(browser, def);
    return rounded({ chromium: browser.version(), canvases });
  } finally {
    await browser?.close();
    for (const s of servers) await new Promise((r) => s.server.close(r));
    await graphql.stop();
  }
}
