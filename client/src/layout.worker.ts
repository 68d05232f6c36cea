/**
 * Runs the force-directed layout off the main thread, and the canvas then applies the positions in one
 * batch: keeps pan, zoom and the UI responsive while a large graph is laid out. Small canvases use fcose
 * (a headless Cytoscape instance with the same elements); canvases above FORCE_LAYOUT_ABOVE nodes use
 * d3-force (layout/force.ts), since fcose needed 20-27 s for 2,000 nodes here.
 */
import type Cytoscape from 'cytoscape';
import { FORCE_LAYOUT_ABOVE, forceLayout } from './layout/force';

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

export interface LayoutRequest {
  /** Which layout of the canvas asked; echoed, so the canvas can ignore answers to superseded requests. */
  seq: number;
  nodes: { id: string; x: number; y: number; size: number }[];
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
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style: [{ selector: 'node', style: { width: 'data(size)', height: 'data(size)' } }],
      elements: [
        ...nodes.map((n) => ({ group: 'nodes' as const, data: { id: n.id, size: n.size }, position: { x: n.x, y: n.y } })),
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
      idealEdgeLength: 110,
      nodeSeparation: 90,
      // fcose wants no constraint list at all rather than an empty one.
      fixedNodeConstraint: fixedSet.size ? nodes.filter((n) => fixedSet.has(n.id)).map((n) => ({ nodeId: n.id, position: { x: n.x, y: n.y } })) : undefined,
    } as Cytoscape.LayoutOptions).run();
    cy.nodes().forEach((n) => {
      positions[n.id()] = n.position();
    });
    (self as unknown as Worker).postMessage({ seq, positions } satisfies LayoutResponse);
  } catch (err) {
    (self as unknown as Worker).postMessage({ seq: e.data.seq, positions: {}, error: String((err as Error).message ?? err) } satisfies LayoutResponse);
  }
};
