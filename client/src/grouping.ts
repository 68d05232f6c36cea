/**
 * Grouping on the canvas (issue 12): a set of parties (everyone at one address, everyone holding one
 * identifier, a program's members, or any selection) drawn as one node. A group is either collapsed (one
 * node stands for its members; their relationships to the rest of the canvas are re-routed to it, one
 * edge per outside node with a count) or open (a Cytoscape compound node around its members). Ungrouping
 * draws the members again, and the canvas puts them back where they were (their last positions).
 *
 * Pure functions over plain data and Cytoscape JSON (no renderer): GraphCanvas applies groupElements to
 * what elements.ts asks for, App keeps the groups (and the link carries them, encodeGroup/decodeGroup).
 * A group is a view of the investigation, like the canvas filter: it changes nothing in it.
 */
import type { ElementDefinition } from 'cytoscape';
import type { Investigation } from './graph-state';

/** A place on the canvas (url-state.ts's Point: not imported, url-state imports this file). */
type Point = { x: number; y: number };

export const GROUP_PREFIX = 'group::';

export interface Group {
  /** GROUP_PREFIX + the first member: stable (a node is in one group at most) and rebuilt the same from a link. */
  id: string;
  /** What the members have in common, after their count: "at 12 Main St", "under DPRK2"; "" for a plain selection. */
  what: string;
  /** Node ids, in canvas order. */
  members: string[];
  collapsed: boolean;
  /**
   * Where the collapsed group's node was drawn, when read from a link (a reload draws it there again);
   * absent: in the middle of its members. Opening, collapsing or changing the members forgets it.
   */
  at?: Point;
}

/** Fewer than this and there is nothing to group. */
export const MIN_GROUP = 2;

export function isGroupId(id: string): boolean {
  return id.startsWith(GROUP_PREFIX);
}

/** A group of these nodes (canvas order kept, duplicates and unknown ids dropped), collapsed; null when fewer than MIN_GROUP. */
export function makeGroup(state: Investigation, ids: readonly string[], what = ''): Group | null {
  const wanted = new Set(ids);
  const members = state.order.filter((id) => wanted.has(id));
  if (members.length < MIN_GROUP) return null;
  return { id: GROUP_PREFIX + members[0], what, members, collapsed: true };
}

/**
 * The parties linked on the canvas to an address, identifier or program (its neighbours there, whatever
 * the direction), grouped under what they share: "at <address>", "holding <identifier>", "under <program>".
 */
export function groupLinked(state: Investigation, anchor: string): Group | null {
  const a = state.nodes[anchor];
  if (!a) return null;
  const linked = new Set<string>();
  for (const e of Object.values(state.edges)) {
    const other = e.source === anchor ? e.target : e.target === anchor ? e.source : null;
    if (other && other !== anchor && state.nodes[other] && !isFact(state.nodes[other].kind)) linked.add(other);
  }
  const what = a.kind === 'Address' ? `at ${a.label}` : a.kind === 'Program' ? `under ${a.label}` : a.kind === 'Identifier' ? `holding ${a.label}` : `linked to ${a.label}`;
  return makeGroup(state, [...linked], what);
}

function isFact(kind: string): boolean {
  return kind === 'Address' || kind === 'Identifier' || kind === 'Program';
}

/** The groups with this one added: its members leave any group they were in (a node is in one group at most); groups left too small go. */
export function addGroup(groups: readonly Group[], g: Group): Group[] {
  const taken = new Set(g.members);
  const rest = groups.map((o) => withMembers(o, o.members.filter((m) => !taken.has(m)))).filter((o): o is Group => o !== null);
  return [...rest, g];
}

function withMembers(g: Group, members: string[]): Group | null {
  if (members.length < MIN_GROUP) return null;
  if (members[0] === g.members[0] && members.length === g.members.length) return g;
  const { at: _forgotten, ...rest } = g;
  return { ...rest, id: GROUP_PREFIX + members[0], members };
}

/** The groups less those named by `ids`: a group's own id, or any of its members. */
export function ungroup(groups: readonly Group[], ids: readonly string[]): Group[] {
  const named = new Set(ids);
  return groups.filter((g) => !named.has(g.id) && !g.members.some((m) => named.has(m)));
}

/** Opens a collapsed group (its members drawn inside it) or collapses an open one. */
export function toggleGroup(groups: readonly Group[], id: string): Group[] {
  return groups.map((g) => {
    if (g.id !== id) return g;
    const { at: _forgotten, ...rest } = g;
    return { ...rest, collapsed: !g.collapsed };
  });
}

/** The groups named by `ids` (a group's id or one of its members). */
export function groupsOf(groups: readonly Group[], ids: readonly string[]): Group[] {
  const named = new Set(ids);
  return groups.filter((g) => named.has(g.id) || g.members.some((m) => named.has(m)));
}

/** What a group node says: "12 parties at 12 Main St", "3 nodes" (members not all parties). */
export function groupDisplay(g: Group, count: number, kinds: readonly string[]): string {
  const parties = kinds.every((k) => !isFact(k));
  const noun = parties ? (count === 1 ? 'party' : 'parties') : count === 1 ? 'node' : 'nodes';
  return `${count} ${noun}${g.what ? ` ${g.what}` : ''}`;
}

/**
 * The elements to draw once the groups are applied to `wanted` (elements.ts desiredElements). Members not
 * in `wanted` (hidden, filtered, removed) do not count; a group with none drawn is not drawn.
 * - collapsed: the members, their "+N more" handles and the edges among them go; one node (class
 *   `group`, data `open` false) stands for them; each edge between a member and an outside node becomes one edge from the
 *   group to that node, carrying how many it stands for (`count`, and a label when more than one).
 * - open: a compound node (class `group`, data `open` true) is the members' parent (data `parent`).
 * The state is in data, not in classes: the canvas diff (canvas-diff.ts) updates data only.
 */
export function groupElements(wanted: readonly ElementDefinition[], groups: readonly Group[]): ElementDefinition[] {
  if (!groups.length) return wanted.slice();
  const drawn = new Map<string, ElementDefinition>();
  for (const el of wanted) if (el.group === 'nodes') drawn.set(el.data.id!, el);
  /** Where a collapsed member is drawn: its group's node. */
  const into = new Map<string, string>();
  const parent = new Map<string, string>();
  const groupNodes: ElementDefinition[] = [];
  for (const g of groups) {
    const present = g.members.filter((m) => drawn.has(m));
    if (!present.length) continue;
    const kinds = present.map((m) => String(drawn.get(m)!.data.kind ?? ''));
    const display = groupDisplay(g, present.length, kinds);
    if (g.collapsed) {
      for (const m of present) into.set(m, g.id);
      groupNodes.push({ group: 'nodes', data: { id: g.id, kind: 'Group', label: display, display, count: present.length, open: false }, classes: 'group' });
    } else {
      for (const m of present) parent.set(m, g.id);
      groupNodes.push({ group: 'nodes', data: { id: g.id, kind: 'Group', label: display, display, count: present.length, open: true }, classes: 'group' });
    }
  }
  const out: ElementDefinition[] = [];
  const rerouted = new Map<string, { source: string; target: string; count: number; types: Set<string>; label: string | undefined }>();
  for (const el of wanted) {
    const d = el.data;
    if (el.group === 'nodes') {
      if (into.has(d.id!)) continue;
      // The "+N more" handle of a collapsed member goes with it.
      if (d.of && into.has(String(d.of))) continue;
      const p = parent.get(d.id!);
      out.push(p ? { ...el, data: { ...d, parent: p } } : el);
      continue;
    }
    const s = into.get(d.source!) ?? d.source!;
    const t = into.get(d.target!) ?? d.target!;
    if (s === d.source && t === d.target) {
      out.push(el);
      continue;
    }
    // Inside one collapsed group, or a handle's edge of a collapsed member: not drawn.
    if (s === t || (d.source && into.has(d.source) && String(d.target).startsWith('more::'))) continue;
    // One edge per pair of ends, whichever way the relationships it stands for point.
    const key = s < t ? `${s}\u0000${t}` : `${t}\u0000${s}`;
    const r = rerouted.get(key) ?? rerouted.set(key, { source: s, target: t, count: 0, types: new Set(), label: d.label }).get(key)!;
    r.count++;
    if (d.type) r.types.add(String(d.type));
  }
  for (const r of rerouted.values()) {
    const type = r.types.size === 1 ? [...r.types][0] : undefined;
    const label = r.count > 1 ? `${r.count} links` : r.label;
    out.push({ group: 'edges', data: { id: `${r.source}::to::${r.target}`, source: r.source, target: r.target, type, count: r.count, ...(label ? { label } : {}) }, classes: 'group-edge' });
  }
  // Parents before their children: Cytoscape adds a child only under a parent it already has.
  return [...groupNodes, ...out];
}

/**
 * Where each collapsed group's node goes when it is drawn: where a link says it was (`at`), else the
 * middle of its members' last places (those with one), so collapsing draws it where they were.
 */
export function groupPlaces(groups: readonly Group[], positions: Record<string, Point>): Record<string, Point> {
  const out: Record<string, Point> = {};
  for (const g of groups) {
    if (!g.collapsed) continue;
    if (g.at) {
      out[g.id] = g.at;
      continue;
    }
    const known = g.members.map((m) => positions[m]).filter((p): p is Point => !!p);
    if (!known.length) continue;
    out[g.id] = { x: known.reduce((a, p) => a + p.x, 0) / known.length, y: known.reduce((a, p) => a + p.y, 0) / known.length };
  }
  return out;
}

// In the link: one `g` parameter a group, "c" or "o" (collapsed, open; a collapsed group's place after a
// colon, "c:120,-45" in whole units), what, then the members; parts joined with '~' and each part
// URI-escaped ('~' too), so any id or address comes back as it was.
const part = (s: string) => encodeURIComponent(s).replaceAll('~', '%7E');

export function encodeGroup(g: Group): string {
  const state = g.collapsed ? (g.at && Number.isFinite(g.at.x) && Number.isFinite(g.at.y) ? `c:${Math.round(g.at.x)},${Math.round(g.at.y)}` : 'c') : 'o';
  return [state, g.what, ...g.members].map(part).join('~');
}

/**
 * A group read from a link, with only the members that are on the canvas (`nodes`); null when the text is
 * not a group (a hand-edited link) or fewer than MIN_GROUP members are left.
 */
export function decodeGroup(raw: string, nodes: readonly string[]): Group | null {
  let parts: string[];
  try {
    parts = raw.split('~').map(decodeURIComponent);
  } catch {
    return null;
  }
  const state = /^(c|o)(?::(-?\d{1,9}),(-?\d{1,9}))?$/.exec(parts[0] ?? '');
  if (parts.length < 2 + MIN_GROUP || !state) return null;
  const onCanvas = new Set(nodes);
  const members = [...new Set(parts.slice(2))].filter((m) => onCanvas.has(m));
  if (members.length < MIN_GROUP) return null;
  const g: Group = { id: GROUP_PREFIX + members[0], what: parts[1], members, collapsed: state[1] === 'c' };
  if (g.collapsed && state[2] !== undefined) g.at = { x: Number(state[2]), y: Number(state[3]) };
  return g;
}

/** The groups of a link, a node in one group at most (the first that names it). */
export function decodeGroups(raws: readonly string[], nodes: readonly string[]): Group[] {
  let out: Group[] = [];
  for (const raw of raws) {
    const g = decodeGroup(raw, nodes);
    if (!g) continue;
    const taken = new Set(out.flatMap((o) => o.members));
    const left = g.members.filter((m) => !taken.has(m));
    if (left.length === g.members.length) out = [...out, g];
    else if (left.length >= MIN_GROUP) out = [...out, withMembers(g, left)!];
  }
  return out;
}
