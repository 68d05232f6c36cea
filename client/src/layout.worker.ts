/**
 * Runs the force-directed layout off the main thread, and the canvas then applies the positions in one
 * batch: keeps pan, zoom and the UI responsive while a large graph is laid out. Small canvases use fcose
 * (a headless Cytoscape instance with the same elements); canvases above FORCE_LAYOUT_ABOVE nodes use
 * d3-force (layout/force.ts), since fcose needed 20-27 s for 2,000 nodes here.
 */
import type Cytoscape from 'cytoscape';
import { BOX_GAP, boxOf, FORCE_LAYOUT_ABOVE, forceLayout, LayoutNode } from './layout/force';
import { removeOverlaps } from './layout/overlaps';

/**
 * Cytoscape and fcose, loaded on the first small canvas only: a large canvas's first layout need not
 * wait for the worker to parse them.
 */
let fcoseCytoscape: Promise<typeof Cytoscape> | null = null;
function loadFcose(): Promise<typeof Cytoscape> {
  fcoseCytoscape ??= Promise.all([import('cytoscape'), import('cytoscape-fcose')]).then(([c, f]) => {
    c.default.use(f.default);
    return c.default;
  });
  return fcoseCytoscape;
}

/** fcose's ideal edge length and node separation, for boxes that include the labels. */
const IDEAL_EDGE = 40;
const NODE_SEPARATION = 30;

export interface LayoutRequest {
  /** Which layout of the canvas asked; echoed, so the canvas can ignore answers to superseded requests. */
  seq: number;
  /** Each node with the box of its shape and label as the canvas measured it (w, h, ox, oy). */
  nodes: LayoutNode[];
  edges: { id: string; source: string; target: string }[];
  fixed: string[];
  randomize: boolean;
}
export interface LayoutResponse {
  seq: number;
  positions: Record<string, { x: number; y: number }>;
  error?: string;
}

self.onmessage = async (e: MessageEvent<LayoutRequest>) => {
  try {
    const { seq, nodes, edges, fixed, randomize } = e.data;
    if (nodes.length > FORCE_LAYOUT_ABOVE) {
      (self as unknown as Worker).postMessage({ seq, positions: forceLayout({ nodes, edges, fixed }) } satisfies LayoutResponse);
      return;
    }
    const cytoscape = await loadFcose();
    // The headless instance draws no labels, so each node IS its box (shape and label): fcose then keeps
    // labels apart as it keeps shapes apart. It works on the boxes' centres; the answer is the nodes' places.
    const boxes = new Map(nodes.map((n) => [n.id, boxOf(n)]));
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style: [{ selector: 'node', style: { width: 'data(w)', height: 'data(h)' } }],
      elements: [
        ...nodes.map((n) => {
          const b = boxes.get(n.id)!;
          return { group: 'nodes' as const, data: { id: n.id, w: b.w, h: b.h }, position: { x: n.x + b.ox, y: n.y + b.oy } };
        }),
        ...edges.map((ed) => ({ group: 'edges' as const, data: ed })),
      ],
    });
    const positions: Record<string, { x: number; y: number }> = {};
    const fixedSet = new Set(fixed);
    cy.layout({
      name: 'fcose',
      animate: false,
      randomize,
      // 'draft' is the spectral step alone: on big canvases it stacks members onto their hubs.
      quality: 'default',
      nodeRepulsion: 9000,
      // Between the boxes' borders (fcose clips edges at the node's shape), so shorter than for bare shapes.
      idealEdgeLength: IDEAL_EDGE,
      nodeSeparation: NODE_SEPARATION,
      // fcose wants no constraint list at all rather than an empty one.
      fixedNodeConstraint: fixedSet.size
        ? nodes.filter((n) => fixedSet.has(n.id)).map((n) => ({ nodeId: n.id, position: { x: n.x + boxes.get(n.id)!.ox, y: n.y + boxes.get(n.id)!.oy } }))
        : undefined,
    } as Cytoscape.LayoutOptions).run();
    // fcose keeps most boxes apart, not all (a crowded ring round a hub): the rest are pushed apart here,
    // the fixed nodes staying where they are.
    const rects = nodes.map((n) => {
      const p = cy.getElementById(n.id).position();
      const b = boxes.get(n.id)!;
      return { x: p.x, y: p.y, w: b.w, h: b.h, fixed: fixedSet.has(n.id) };
    });
    removeOverlaps(rects, BOX_GAP / 2);
    nodes.forEach((n, i) => {
      const b = boxes.get(n.id)!;
      positions[n.id] = fixedSet.has(n.id) ? { x: n.x, y: n.y } : { x: rects[i].x - b.ox, y: rects[i].y - b.oy };
    });
    (self as unknown as Worker).postMessage({ seq, positions } satisfies LayoutResponse);
  } catch (err) {
    (self as unknown as Worker).postMessage({ seq: e.data.seq, positions: {}, error: String((err as Error).message ?? err) } satisfies LayoutResponse);
  }
};
