/**
 * The investigation in the URL, so a copied link restores the same graph: the node ids on the canvas
 * (restored exactly through the API's `subgraph` query), which were expanded, hidden or pinned, the
 * relationship-type filter, the layout, a path search, whether programs are drawn as hubs and where each
 * node was on the canvas. Kept in
 * the fragment (#...), which browsers do not send to servers or log.
 */
import { isAllowedRelType } from '../../server/core/model';
import type { PathMode } from './api';
import { decodeGroups, encodeGroup, Group } from './grouping';

export interface UrlState {
  nodes: string[];
  expanded: string[];
  hidden: string[];
  pinned: string[];
  /** Relationship types shown; empty = all. */
  types: string[];
  layout: string | null;
  /** The path search shown; `rank` only when paths are ordered by evidence (links without it read as HOPS). */
  path: { from: string; to: string; mode: string; maxHops: number; rank?: 'EVIDENCE' } | null;
  selected: string | null;
  /**
   * Where nodes were drawn, in model coordinates (whole units: a link restores them within half a
   * pixel at zoom 1), by id; absent in links made before positions were kept, which then lay out anew.
   */
  positions?: Record<string, Point>;
  /**
   * Programs drawn as hub nodes (the "Programs as hubs" choice) instead of badges on their parties;
   * absent or false: badges, the default (so links made before the choice open with badges).
   */
  hubs?: boolean;
  /** Groups drawn as one node or as a compound node (grouping.ts); absent or empty: none. */
  groups?: Group[];
  /** The toolbar's As of date (YYYY-MM-DD); absent: today. */
  asOf?: string;
}

export interface Point {
  x: number;
  y: number;
}

export const EMPTY_URL_STATE: UrlState = { nodes: [], expanded: [], hidden: [], pinned: [], types: [], layout: null, path: null, selected: null };

// Lists are joined with '~' (short, and left alone by URL encoding); a '~' inside an id (a website
// identifier can hold one) is escaped as %7E, and '%' as %25, so every id comes back as it was.
const SEP = '~';

const PATH_MODES: Record<PathMode, true> = { SHORTEST: true, ALL_SHORTEST: true, K_SHORTEST: true };

function list(xs: string[]): string {
  return xs.map((x) => x.replaceAll('%', '%25').replaceAll(SEP, '%7E')).join(SEP);
}
function unlist(s: string | null): string[] {
  return s ? s.split(SEP).filter(Boolean).map((x) => x.replace(/%7E/gi, SEP).replaceAll('%25', '%')) : [];
}

/**
 * Positions aligned with the node list, one `x.y` a node in signed base 36 (a 600-node canvas in about
 * 4 KB: the ids need far more), an empty entry for a node with no place yet.
 */
function encodePositions(nodes: string[], positions: Record<string, Point>): string {
  const n36 = (v: number) => Math.round(v).toString(36);
  const entries = nodes.map((id) => {
    const p = positions[id];
    return p && Number.isFinite(p.x) && Number.isFinite(p.y) ? `${n36(p.x)}.${n36(p.y)}` : '';
  });
  return entries.some(Boolean) ? entries.join(SEP) : '';
}

/** The positions of a link; a list that does not line up with its nodes (a hand-edited link) gives none. */
function decodePositions(nodes: string[], raw: string | null): Record<string, Point> | undefined {
  if (!raw) return undefined;
  const entries = raw.split(SEP);
  if (entries.length !== nodes.length) return undefined;
  const out: Record<string, Point> = {};
  entries.forEach((e, i) => {
    const m = /^(-?[0-9a-z]{1,7})\.(-?[0-9a-z]{1,7})$/.exec(e);
    if (m) out[nodes[i]] = { x: parseInt(m[1], 36), y: parseInt(m[2], 36) };
  });
  return out;
}

export function encodeUrlState(s: UrlState): string {
  const p = new URLSearchParams();
  if (s.nodes.length) p.set('n', list(s.nodes));
  if (s.expanded.length) p.set('x', list(s.expanded));
  if (s.hidden.length) p.set('h', list(s.hidden));
  if (s.pinned.length) p.set('pin', list(s.pinned));
  if (s.types.length) p.set('t', s.types.join(','));
  if (s.layout) p.set('layout', s.layout);
  if (s.path) p.set('path', list([s.path.from, s.path.to, s.path.mode, String(s.path.maxHops), ...(s.path.rank === 'EVIDENCE' ? ['EVIDENCE'] : [])]));
  if (s.selected) p.set('sel', s.selected);
  const pos = s.positions ? encodePositions(s.nodes, s.positions) : '';
  if (pos) p.set('p', pos);
  for (const g of s.groups ?? []) p.append('g', encodeGroup(g));
  if (s.hubs) p.set('hubs', '1');
  if (s.asOf) p.set('asof', s.asOf);
  return p.toString();
}

/** The link's groups, as a field only when there are some (links without groups read as before). */
function groupsOf(raws: string[], nodes: string[]): { groups?: Group[] } {
  const groups = decodeGroups(raws, nodes);
  return groups.length ? { groups } : {};
}

export function decodeUrlState(hash: string): UrlState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const nodes = unlist(p.get('n'));
  const onCanvas = new Set(nodes);
  const within = (xs: string[]) => xs.filter((x) => onCanvas.has(x));
  let path: UrlState['path'] = null;
  const raw = unlist(p.get('path'));
  const ranked = raw.length === 5 && raw[4] === 'EVIDENCE';
  if ((raw.length === 4 || ranked) && Object.hasOwn(PATH_MODES, raw[2]) && /^[1-9]\d*$/.test(raw[3])) {
    path = { from: raw[0], to: raw[1], mode: raw[2], maxHops: Number(raw[3]), ...(ranked ? { rank: 'EVIDENCE' as const } : {}) };
  }
  const positions = decodePositions(nodes, p.get('p'));
  return {
    nodes,
    expanded: within(unlist(p.get('x'))),
    hidden: within(unlist(p.get('h'))),
    pinned: within(unlist(p.get('pin'))),
    types: (p.get('t') ?? '').split(',').filter(isAllowedRelType),
    layout: p.get('layout'),
    path,
    selected: p.get('sel'),
    ...(positions ? { positions } : {}),
    ...groupsOf(p.getAll('g'), nodes),
    ...(p.get('hubs') === '1' ? { hubs: true } : {}),
    ...asOfOf(p.get('asof')),
  };
}

/** A link's As of date, only when it is a real calendar day (the server refuses others; a link must not fail on one). */
function asOfOf(raw: string | null): { asOf?: string } {
  if (!raw || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return {};
  const day = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === raw ? { asOf: raw } : {};
}
