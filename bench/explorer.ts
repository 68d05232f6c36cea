/**
 * The explorer on a large canvas, in headless Chromium, against a bare Cytoscape.js page drawing the same
 * elements at the same positions with the same stylesheet and viewport (bench/bare-cytoscape.html),
 * measured in the same run, alternating, a fresh page each time.
 *
 * The canvas: the real members of one sanctions program (IFSR in the 2024-05-03 SDN list) in id order, each
 * with the programs it is listed under and its identifiers, up to 2,000 nodes (cypher/
 * bench-explorer-canvas.cypher); the explorer shows every relationship among them (about 4,000).
 *
 * Same picture on both sides: the explorer's elements (their data and classes), stylesheet and canvas size
 * are read from the explorer itself; positions come from fcose with the explorer's options, computed once
 * per run here (seeded, so every run draws the same picture); the viewport is the one the explorer fits to
 * them. Layout time is not measured: in the timed runs the explorer's layout worker script is served as a
 * stub that answers at once with these positions, so the explorer runs its real code path (diff into
 * cy.batch(), a worker start and round trip, positions applied, fit) minus the layout computation. No
 * change to the explorer was needed for this.
 *
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
 * Ratios are explorer / bare (above 1: the explorer is slower). Runs: BENCH_EXPLORER_RUNS (bench/run.ts).
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

/** The program whose members make the canvas, and the canvas size. */
const PROGRAM = 'IFSR';
const MAX_NODES = 2000;
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

/** The canvas: the program's members in id order, each followed by its programs and identifiers. */
async function canvasIds(db: Database): Promise<string[]> {
  const rows = await db.read<{ id: string; programs: string[]; identifiers: string[] }>('bench-explorer-canvas', { program: PROGRAM });
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const id of [r.id, ...r.programs, ...r.identifiers]) {
      if (ids.length === MAX_NODES) return ids;
      if (!seen.has(id)) ids.push(id);
      seen.add(id);
    }
  }
  return ids;
}

async function listen(app: express.Express): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function openWithProbe(browser: Browser, spec: Spec): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.on('pageerror', (e) => console.error(`bench explorer: page error: ${e.message}`));
  await page.addInitScript({ content: `window.__benchSpec = ${JSON.stringify(spec)};\n${PROBE_JS}` });
  return page;
}

/** One run on a fresh page: data to first frame, then (unless `gestures` is false) the two gestures. */
async function sample(browser: Browser, url: string, spec: Spec, gestures = true): Promise<Sample> {
  const page = await openWithProbe(browser, spec);
  try {
    await page.goto(url, { timeout: 120_000 });
    // Function predicates, not strings: the server's CSP has no 'unsafe-eval', which a string predicate needs.
    await page.waitForFunction(() => (globalThis as unknown as { __bench: { t1: number | null } }).__bench.t1 !== null, undefined, { timeout: 180_000, polling: 100 });
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

/** A small seeded generator (mulberry32), so that every run lays the canvas out the same way. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Positions for the canvas: the explorer's fcose options (client/src/layout.worker.ts), on nodes sized by
 * the explorer's stylesheet, but always at quality 'default'. (The worker uses 'draft' above 1,000 nodes,
 * which is fcose's spectral step alone and piles this canvas's members onto their programs.)
 */
function layOut(elements: ElementDefinition[], style: StylesheetJson): Positions {
  const random = Math.random;
  Math.random = seeded(20240503);
  const cy = cytoscape({ headless: true, styleEnabled: true, style, elements: elements.map((e) => ({ group: e.group, data: e.data, classes: e.classes })) });
  try {
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

export async function explorerBench(db: Database, runs: number): Promise<Record<string, unknown>> {
  buildClient();
  const ids = await canvasIds(db);
  const hash = encodeUrlState({ ...EMPTY_URL_STATE, nodes: ids });

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

  try {
    browser = await launchBrowser();
    // The canvas as the explorer builds it (in one batch): its elements, stylesheet and size.
    const prep = await browser.newPage({ viewport: VIEWPORT });
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
        elements: cy.elements().map((e) => ({ group: e.group(), data: e.data(), classes: e.classes() })),
        style: cy.style().json(),
        width: cy.width(), height: cy.height(), minZoom: cy.minZoom(), maxZoom: cy.maxZoom(),
        background: getComputedStyle(cy.container()).backgroundColor,
        nodes: cy.nodes().length, edges: cy.edges().length,
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
    };
    await prep.close();
    const laidOut = Date.now();
    const positions = layOut(canvas.elements, canvas.style);
    const layoutS = (Date.now() - laidOut) / 1000;
    console.error(`explorer: canvas of ${canvas.nodes} nodes, ${canvas.edges} edges (${ids.length} ids asked), ${canvas.width}x${canvas.height} px; fcose layout ${layoutS.toFixed(1)} s`);

    stub = `// The explorer benchmark's stand-in for the layout worker: answers at once with fixed positions.
const P = ${JSON.stringify(positions)};
self.onmessage = (e) => {
  const positions = {};
  for (const n of e.data.nodes) if (P[n.id]) positions[n.id] = P[n.id];
  self.postMessage({ positions });
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
          `explorer: run ${i + 1}/${runs} ${side}: first frame ${s.firstFrameMs.toFixed(0)} ms (its draw ${s.firstDrawMs.toFixed(0)} ms, ` +
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
    return rounded({
      chromium: browser.version(),
      graph: { program: PROGRAM, idsAsked: ids.length, nodes: canvas.nodes, edges: canvas.edges },
      canvas: { width, height, zoom, viewport: VIEWPORT, fcoseLayoutS: layoutS },
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
    });
  } finally {
    await browser?.close();
    for (const s of servers) await new Promise((r) => s.server.close(r));
    await graphql.stop();
  }
}
