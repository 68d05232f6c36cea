/**
 * The investigation on the canvas (graph-state.ts) with its undo history, and the ways it grows through
 * the API: add a party, expand a node (capped, with "+N more" for the rest), everyone who shares an
 * address or identifier, a candidate match. Whatever is added comes with every relationship between it
 * and what is already on the canvas.
 */
import { useCallback, useRef, useState } from 'react';
import * as api from '../api';
import * as gs from '../graph-state';

/** Nodes one expansion adds at most; a hub shows a "+N more" handle for the rest. */
export const EXPAND_CAP = 25;
/** "Show everyone who shares it" adds at most this many. */
export const SHARED_CAP = 60;

export type Notice = { text: string; kind: 'info' | 'warn' | 'error' };

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

  const expand = async (id: string, cap = EXPAND_CAP) => {
    const s = stateRef.current;
    const node = s.nodes[id];
    setBusy(`Expanding ${node?.label ?? id}…`);
    try {
      const g = await api.neighborhood([id], { limit: cap + 1, relationTypes: types, exclude: s.order.filter((x) => x !== id) });
      const withContext = await addWithContext(g);
      change((cur) => gs.markExpanded(gs.addGraph(cur, withContext), id));
      const added = withContext.newIds.length;
      if (added === 0) notify({ text: `${node?.label ?? id}: no more neighbours${types.length ? ' of the selected relationship types' : ''}.`, kind: 'info' });
      else if (g.truncated) notify({ text: `Added ${added} of the most relevant neighbours of ${node?.label ?? id}; use its “+N more” handle for the rest.`, kind: 'warn' });
      else notify(null);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
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

  /** A candidate match next to the party, with their POSSIBLY_SAME_AS relationship. */
  const showMatch = async (id: string, other: string) => {
    try {
      const g = await addWithContext(await api.subgraph([id, other]));
      change((s) => gs.addGraph(s, g));
    } catch (e) {
      fail(e);
    }
  };

  /** Adds what a path search found. */
  const addPaths = async (found: api.Path[]) => {
    const g = await addWithContext({ nodes: found.flatMap((p) => p.nodes), edges: found.flatMap((p) => p.edges), truncated: false });
    change((s) => gs.addGraph(s, g));
  };

  return { history, setHistory, state, change, busy, addEntity, expand, showShared, showMatch, addPaths };
}
