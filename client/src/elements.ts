/**
 * What the canvas should show for a state: visible nodes (with "+N" counts of what is not on the canvas
 * yet), their edges under the type filter, and a "+N more" handle for each expanded hub with more left.
 * Plain Cytoscape JSON keyed by stable ids, diffed into the canvas by GraphCanvas.
 */
import type { ElementDefinition } from 'cytoscape';
import { Investigation, remainingAll } from './graph-state';
import { isPartyKind } from '../../server/core/model';
import { badgeLine, programLinksOff } from './program-badges';

/** Above this many nodes, layouts do not animate and the canvas drops detail while panning. */
export const LARGE_GRAPH = 400;

export function moreId(id: string) {
  return `more::${id}`;
}

/**
 * What an identifier or address is, to put before its value on the canvas (a bare "927233154" says
 * nothing): an identifier's type is the source's wording on a relationship to it on the canvas (e.g.
 * "Passport", "Tax ID No."), else "Identifier"; an address is an "Address". Parties and programs: none.
 */
export function factTypes(state: Investigation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of state.order) {
    const kind = state.nodes[id].kind;
    if (kind === 'Identifier' || kind === 'Address') out[id] = kind;
  }
  for (const e of Object.values(state.edges)) {
    if (out[e.target] === 'Identifier' && e.label) out[e.target] = e.label;
  }
  return out;
}

/** What the canvas filter hides (components/CanvasFilter.tsx): a view, not a change of the investigation. */
export interface CanvasFilter {
  kinds: string[];
  programs: string[];
  /**
   * Parties listed before `listedFrom` or after `listedTo` (YYYY-MM-DD, both ends included; GraphNode
   * listedOn) are hidden; parties without a listing date stay.
   */
  listedFrom?: string | null;
  listedTo?: string | null;
  /** Datasets whose relationships are hidden (GraphEdge.dataset: the list that states each one). */
  datasets?: string[];
  /**
   * Datasets whose parties are hidden: a party goes when every dataset that lists (or listed) it is
   * among these (GraphNode.datasets); a party only referenced (no dataset) and fact nodes stay.
   */
  partyDatasets?: string[];
  /**
   * How programs are drawn (a view choice, kept in the link: url-state.ts `hubs`): false (the default)
   * as badges on their parties ("[DPRK2]" under the name, program-badges.ts), true as hub nodes linked
   * to their members, as expansions brought them before badges.
   */
  programHubs?: boolean;
}
export const NO_FILTER: CanvasFilter = { kinds: [], programs: [] };

/**
 * The nodes a canvas filter hides: those of a hidden kind, a hidden program's own node, parties every
 * one of whose programs is hidden (a party also listed under a shown program stays), and parties every
 * one of whose datasets is hidden (a party also on a shown list stays).
 */
export function filteredOut(state: Investigation, filter: CanvasFilter): Set<string> {
  const out = new Set<string>();
  const from = filter.listedFrom || null;
  const to = filter.listedTo || null;
  if (!filter.kinds.length && !filter.programs.length && !filter.partyDatasets?.length && !from && !to) return out;
  const kinds = new Set(filter.kinds);
  const programs = new Set(filter.programs);
  const datasets = new Set(filter.partyDatasets ?? []);
  for (const id of state.order) {
    const n = state.nodes[id];
    const hiddenProgram = n.kind === 'Program' && programs.has(n.label);
    const allProgramsHidden = n.programs.length > 0 && n.programs.every((p) => programs.has(p));
    // `?? []`: a node kept from before the API returned datasets (an older state) is judged on nothing.
    const ds = n.datasets ?? [];
    const allDatasetsHidden = datasets.size > 0 && isPartyKind(n.kind) && ds.length > 0 && ds.every((d) => datasets.has(d));
    if (kinds.has(n.kind) || hiddenProgram || allProgramsHidden || allDatasetsHidden || !listedWithin(n.listedOn, from, to)) out.add(id);
  }
  return out;
}

/**
 * Whether a listing date falls in [from, to] (YYYY-MM-DD). A date the source gives only in part (a year,
 * a month) is compared by what it gives: "2016" is within a range that holds any day of 2016. No date: in.
 */
export function listedWithin(listedOn: string | null | undefined, from: string | null, to: string | null): boolean {
  if (!listedOn) return true;
  if (from && listedOn < from.slice(0, listedOn.length)) return false;
  if (to && listedOn > to.slice(0, listedOn.length)) return false;
  return true;
}

/** Relationships the filter hides by the dataset that states them. */
function edgeFilteredOut(e: { dataset?: string | null }, filter: CanvasFilter): boolean {
  return !!filter.datasets?.length && !!e.dataset && filter.datasets.includes(e.dataset);
}

/** The elements the state asks for: visible nodes, their edges and the "+N more" handles. */
export function desiredElements(state: Investigation, types: string[], filter: CanvasFilter = NO_FILTER): ElementDefinition[] {
  const hidden = new Set([...state.hidden, ...filteredOut(state, filter)]);
  const left = remainingAll(state);
  // Programs as badges: a party's program relationships are on its label, not left to expand.
  const badges = !filter.programHubs;
  const programsOff = badges ? programLinksOff(state) : {};
  const facts = factTypes(state);
  const out: ElementDefinition[] = [];
  for (const id of state.order) {
    if (hidden.has(id)) continue;
    const n = state.nodes[id];
    const more = Math.max(0, left[id] - (programsOff[id] ?? 0));
    const expanded = state.expanded.includes(id);
    // Unexpanded nodes say how much there is to expand; expanded ones with more left get a handle.
    const named = facts[id] ? `${facts[id]}: ${n.label}` : n.label;
    const badge = badges ? badgeLine(n.programs) : '';
    const label = badge ? `${named}\n${badge}` : named;
    const display = !expanded && more > 0 ? `${label}\n(+${more})` : label;
    out.push({
      group: 'nodes',
      data: { id, kind: n.kind, label: n.label, display, degree: n.degree, placeholder: n.placeholder, delisted: !!n.delistedOn, remaining: more, ...(badge ? { badges: badge } : {}) },
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
    if (edgeFilteredOut(e, filter)) continue;
    out.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, type: e.type, label: e.label ?? undefined } });
  }
  return out;
}

