/**
 * What the canvas should show for a state: visible nodes (with "+N" counts of what is not on the canvas
 * yet), their edges under the type filter, and a "+N more" handle for each expanded hub with more left.
 * Plain Cytoscape JSON keyed by stable ids, diffed into the canvas by GraphCanvas.
 */
import type { ElementDefinition } from 'cytoscape';
import { Investigation, remainingAll } from './graph-state';

/** Above this many nodes, layouts do not animate and the canvas drops detail while panning. */
export const LARGE_GRAPH = 400;

export function moreId(id: string) {
  return `more::${id}`;
}

/** The elements the state asks for: visible nodes, their edges and the "+N more" handles. */
export function desiredElements(state: Investigation, types: string[]): ElementDefinition[] {
  const hidden = new Set(state.hidden);
  const left = remainingAll(state);
  const out: ElementDefinition[] = [];
  for (const id of state.order) {
    if (hidden.has(id)) continue;
    const n = state.nodes[id];
    const more = left[id];
    const expanded = state.expanded.includes(id);
    // Unexpanded nodes say how much there is to expand; expanded ones with more left get a handle.
    const display = !expanded && more > 0 ? `${n.label}\n(+${more})` : n.label;
    out.push({
      group: 'nodes',
      data: { id, kind: n.kind, label: n.label, display, degree: n.degree, placeholder: n.placeholder, delisted: !!n.delistedOn, remaining: more },
    });
    if (expanded && more > 0) {
      out.push({ group: 'nodes', data: { id: moreId(id), display: `+${more} more`, of: id, degree: 1 }, classes: 'more' });
      out.push({ group: 'edges', data: { id: `${moreId(id)}::edge`, source: id, target: moreId(id) }, classes: 'more' });
    }
  }
  const typeFilter = types.length ? new Set(types) : null;
  for (const e of Object.values(state.edges)) {
    if (hidden.has(e.source) || hidden.has(e.target)) continue;
    if (typeFilter && !typeFilter.has(e.type)) continue;
    out.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, type: e.type, label: e.label ?? undefined } });
  }
  return out;
}

