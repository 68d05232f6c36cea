/**
 * The investigation on the canvas (graph-state.ts) with its undo history, and the ways it grows through
 * the API: add a party, expand a node (capped, with "+N more" for the rest), everyone who shares an
 * address or identifier, a candidate match. Whatever is added comes with every relationship between it
 * and what is already on the canvas.
 */
import { useCallback, useRef, useState } from 'react';
import * as api from '../api';
import * as gs from '../graph-state';
import { REL_TYPE_NAMES, REL_TYPES, RelType } from '../../../server/core/model';
import { PROGRAM_REL } from '../program-badges';

/** Nodes one expansion adds at most; a hub shows a "+N more" handle for the rest. */
export const EXPAND_CAP = 25;
/** "Show everyone who shares it" adds at most this many. */
export const SHARED_CAP = 60;

export type Notice = { text: string; kind: 'info' | 'warn' | 'error' };

/**
 * Why an expansion added nothing, in words: for an identifier or address, that nobody else holds or used
 * it. `only`: the one relationship type the expansion followed, if it followed one.
 */
export function nothingMore(node: api.GraphNode | undefined, s: gs.Investigation, types: string[], only: RelType | null = null): string {
  const name = node?.label ?? 'This node';
  // Every type but program membership is what an expansion follows with programs as badges: not a filter the user set.
  const allButPrograms = !types.includes(PROGRAM_REL) && REL_TYPE_NAMES.every((t) => t === PROGRAM_REL || types.includes(t));
  const filtered = only ? ` by “${REL_TYPES[only].name}” relationships` : types.length && !allButPrograms ? ' (of the relationship types shown)' : '';
  if (node && (node.kind === 'Identifier' || node.kind === 'Address')) {
    const holders = Object.values(s.edges).filter((e) => e.target === node.id).map((e) => s.nodes[e.source]?.label).filter(Boolean);
    const who = holders.length === 1 ? holders[0] : holders.length ? `the ${holders.length} parties on the canvas` : 'the party on the canvas';
    const what = node.kind === 'Identifier' ? 'holds this identifier' : 'used this address';
    return `${name}: nobody else on the lists ${what}${filtered}; only ${who}.`;
  }
  return `${name}: everything linked to it${filtered} is already on the canvas.`;
}

export function useInvestigation(types: string[], notify: (n: Notice | null) => void) {
  const [history, setHistory] = useState<gs.History>(() => gs.historyOf(gs.EMPTY));
  const [busy, setBusy] = useState<string | null>(null);
  const state = history.present;
  const stateRef = useRef(state);
  stateRef.current = state;

  const change = useCallback((fn: (s: gs.Investigation) => gs.Investigation) => {
    setHistory((h) => gs.commit(h, fn(h.present)));
  }, []);
  const fail = (e: unknown) => notify({ text: api.describeError(e), kind: 'error' });

  /** Adds nodes and every relationship between them and what is already on the canvas. */
  const addWithContext = async (g: api.Subgraph) => {
    const current = stateRef.current;
    const newIds = g.nodes.map((n) => n.id).filter((id) => !current.nodes[id]);
    let edges = g.edges;
    if (newIds.length && current.order.length) {
      const ids = [...new Set([...newIds, ...current.order])].slice(0, 5000);
      edges = [...edges, ...(await api.subgraph(ids)).edges];
    }
    return { nodes: g.nodes, edges, newIds };
  };

  /** Puts a party on the canvas; true when it is there. */
  const addEntity = async (id: string, name: string): Promise<boolean> => {
    setBusy(`Adding ${name}…`);
    try {
      const g = await addWithContext(await api.subgraph([id]));
      if (!g.nodes.length) throw new api.ApiError(`${name} (${id}) is no longer in the data`, 'NOT_FOUND');
      change((s) => gs.addGraph(s, g));
      return true;
    } catch (e) {
      fail(e);
      return false;
    } finally {
      setBusy(null);
    }
  };

  /**
   * Adds a node's neighbours not on the canvas yet (at most `cap`, the most relevant first). `only`: follow
   * only relationships of this type (e.g. only its addresses); such an expansion does not count as the
   * node's expansion (its "(+N)" stays for the rest).
   */
  const expand = async (id: string, cap = EXPAND_CAP, only: RelType | null = null) => {
    const s = stateRef.current;
    const node = s.nodes[id];
    setBusy(`Expanding ${node?.label ?? id}${only ? ` by “${REL_TYPES[only].name}”` : ''}…`);
    try {
      const g = await api.neighborhood([id], { limit: cap + 1, relationTypes: only ? [only] : types, exclude: s.order.filter((x) => x !== id) });
      const withContext = await addWithContext(g);
      change((cur) => {
        const next = gs.addGraph(cur, withContext);
        return only ? next : gs.markExpanded(next, id);
      });
      stateRef.current = gs.addGraph(stateRef.current, withContext);
      const added = withContext.newIds.length;
      if (added === 0) notify({ text: nothingMore(node, s, types, only), kind: 'info' });
      else if (g.truncated) notify({ text: `Added ${added} of the most relevant neighbours of ${node?.label ?? id}; use its “+N more” handle for the rest.`, kind: 'warn' });
      else notify(null);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  /** Expands each of these nodes in turn (a selection of several), by one relationship type when `only`; one status line for all of them. */
  const expandAll = async (ids: string[], only: RelType | null = null) => {
    if (ids.length === 1) return expand(ids[0], EXPAND_CAP, only);
    const before = stateRef.current.order.length;
    for (const id of ids) await expand(id, EXPAND_CAP, only);
    const added = stateRef.current.order.length - before;
    notify({ text: `Expanded ${ids.length} nodes${only ? ` by “${REL_TYPES[only].name}”` : ''}: ${added} ${added === 1 ? 'node' : 'nodes'} added.`, kind: 'info' });
  };

  /** An address or identifier from the details panel: put it on the canvas, then everyone who shares it. */
  const showShared = async (id: string) => {
    if (!stateRef.current.nodes[id]) {
      const g = await addWithContext(await api.subgraph([id])).catch((e) => {
        fail(e);
        return null;
      });
      if (!g) return;
      change((s) => gs.addGraph(s, g));
      stateRef.current = gs.addGraph(stateRef.current, g);
    }
    await expand(id, SHARED_CAP);
  };

  /** Puts these nodes on the canvas, with every relationship among them and to what is there; false when that failed (said in the status bar). */
  const addIds = async (ids: string[]): Promise<boolean> => {
    try {
      const g = await addWithContext(await api.subgraph(ids));
      change((s) => gs.addGraph(s, g));
      return true;
    } catch (e) {
      fail(e);
      return false;
    }
  };

  /** A candidate match next to the party, with their POSSIBLY_SAME_AS relationship. */
  const showMatch = (id: string, other: string) => addIds([id, other]);

  /** Adds what a path search found. */
  const addPaths = async (found: api.Path[]) => {
    const g = await addWithContext({ nodes: found.flatMap((p) => p.nodes), edges: found.flatMap((p) => p.edges), truncated: false });
    change((s) => gs.addGraph(s, g));
  };

  return { history, setHistory, state, change, busy, addEntity, addIds, expand, expandAll, showShared, showMatch, addPaths };
}
