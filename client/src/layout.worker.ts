/**
 * Runs the fcose layout off the main thread: a headless Cytoscape instance with the same elements and
 * starting positions computes the positions, which the canvas then applies in one batch. Keeps pan,
 * zoom and the UI responsive while a large graph is laid out.
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';

cytoscape.use(fcose);

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

self.onmessage = (e: MessageEvent<LayoutRequest>) => {
  try {
    const { seq, nodes, edges, fixed, randomize } = e.data;
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
    } as cytoscape.LayoutOptions).run();
    cy.nodes().forEach((n) => {
      positions[n.id()] = n.position();
    });
    (self as unknown as Worker).postMessage({ seq, positions } satisfies LayoutResponse);
  } catch (err) {
    (self as unknown as Worker).postMessage({ seq: e.data.seq, positions: {}, error: String((err as Error).message ?? err) } satisfies LayoutResponse);
  }
};
