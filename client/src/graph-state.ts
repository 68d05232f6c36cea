/**
 * The investigation on the canvas, as plain data: which nodes and edges are there, which were expanded,
 * hidden or pinned, and the undo/redo history. Pure functions only (unit-tested without a browser); the
 * canvas component diffs this state into Cytoscape.
 */
import type { GraphEdge, GraphNode, Subgraph } from './api';

export interface Investigation {
  nodes: Record<string, GraphNode>;
  edges: Record<string, GraphEdge>;
  /** Insertion order of nodes (stable URLs and layouts). */
  order: string[];
  /** Nodes whose neighbours were asked for. */
  expanded: string[];
  hidden: string[];
  pinned: string[];
}

export const EMPTY: Investigation = { nodes: {}, edges: {}, order: [], expanded: [], hidden: [], pinned: [] };

const uniq = (xs: string[]) => [...new Set(xs)];

/** Adds a subgraph's nodes and edges (edges only where both ends are on the canvas). */
export function addGraph(s: Investigation, g: Pick<Subgraph, 'nodes' | 'edges'>): Investigation {
  const nodes = { ...s.nodes };
  const order = s.order.slice();
  for (const n of g.nodes) {
    if (!nodes[n.id]) order.push(n.id);
    nodes[n.id] = n;
  }
  const edges = { ...s.edges };
  for (const e of g.edges) if (nodes[e.source] && nodes[e.target]) edges[e.id] = e;
  // A node that was hidden and is brought back by a search or expansion is shown again.
  const incoming = new Set(g.nodes.map((n) => n.id));
  return { ...s, nodes, edges, order, hidden: s.hidden.filter((id) => !incoming.has(id)) };
}

export function markExpanded(s: Investigation, id: string): Investigation {
  return s.expanded.includes(id) ? s : { ...s, expanded: [...s.expanded, id] };
}

export function removeNodes(s: Investigation, ids: string[]): Investigation {
  const gone = new Set(ids);
  const nodes: Record<string, GraphNode> = {};
  for (const [id, n] of Object.entries(s.nodes)) if (!gone.has(id)) nodes[id] = n;
  const edges: Record<string, GraphEdge> = {};
  for (const [id, e] of Object.entries(s.edges)) if (!gone.has(e.source) && !gone.has(e.target)) edges[id] = e;
  const keep = (xs: string[]) => xs.filter((x) => !gone.has(x));
  return { nodes, edges, order: keep(s.order), expanded: keep(s.expanded), hidden: keep(s.hidden), pinned: keep(s.pinned) };
}

export function hideNodes(s: Investigation, ids: string[]): Investigation {
  return { ...s, hidden: uniq([...s.hidden, ...ids.filter((id) => s.nodes[id])]) };
}
export function showAll(s: Investigation): Investigation {
  return s.hidden.length ? { ...s, hidden: [] } : s;
}
export function togglePin(s: Investigation, ids: string[]): Investigation {
  const allPinned = ids.every((id) => s.pinned.includes(id));
  return { ...s, pinned: allPinned ? s.pinned.filter((p) => !ids.includes(p)) : uniq([...s.pinned, ...ids.filter((id) => s.nodes[id])]) };
}

/** Relationships a node has in the whole graph that are not on the canvas: what expanding would add. */
export function remaining(s: Investigation, id: string): number {
  const n = s.nodes[id];
  if (!n) return 0;
  let onCanvas = 0;
  for (const e of Object.values(s.edges)) if (e.source === id || e.target === id) onCanvas++;
  return Math.max(0, n.degree - onCanvas);
}

/** Counts for every node at once (one pass over the edges), for the canvas labels. */
export function remainingAll(s: Investigation): Record<string, number> {
  const onCanvas: Record<string, number> = {};
  for (const e of Object.values(s.edges)) {
    onCanvas[e.source] = (onCanvas[e.source] ?? 0) + 1;
    // A self-loop is one relationship of its node (as in `remaining` and the server's degree).
    if (e.target !== e.source) onCanvas[e.target] = (onCanvas[e.target] ?? 0) + 1;
  }
  const out: Record<string, number> = {};
  for (const [id, n] of Object.entries(s.nodes)) out[id] = Math.max(0, n.degree - (onCanvas[id] ?? 0));
  return out;
}

/** Ids of party nodes on the canvas (not addresses, identifiers or programs). */
export function partyIds(s: Investigation, isParty: (kind: string) => boolean): string[] {
  return s.order.filter((id) => isParty(s.nodes[id].kind));
}

// --- undo / redo -----------------------------------------------------------------------------------

export interface History {
  past: Investigation[];
  present: Investigation;
  future: Investigation[];
}

export const HISTORY_DEPTH = 100;

export function historyOf(s: Investigation): History {
  return { past: [], present: s, future: [] };
}

/** Equality of plain data (records, arrays, strings, numbers, booleans, null), as the state is. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(rb, k) && same(ra[k], rb[k]));
}

/**
 * Records a change; a change that changes nothing is not a step. The operations above return a new
 * object even when nothing changed (adding nodes already on the canvas, hiding hidden ones), so this
 * compares contents, not references.
 */
export function commit(h: History, next: Investigation): History {
  if (same(next, h.present)) return h;
  return { past: [...h.past, h.present].slice(-HISTORY_DEPTH), present: next, future: [] };
}
export function undo(h: History): History {
  if (!h.past.length) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}
export function redo(h: History): History {
  if (!h.future.length) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}
