/**
 * Grouping on the canvas (client/src/grouping.ts) and the breadth-first and concentric layouts
 * (client/src/layout/tiers.ts), without a browser: the Chinyong network's real steps
 * (test/unit/client-fixtures.ts) grouped under DPRK2 and diffed into a headless Cytoscape as the canvas
 * does; the layouts on boxes of the sizes the canvas measures.
 */
import cytoscape, { Core } from 'cytoscape';
import { applyPatch, diffElements } from '../../client/src/canvas-diff';
import { desiredElements, moreId } from '../../client/src/elements';
import * as gs from '../../client/src/graph-state';
import {
  addGroup,
  decodeGroups,
  encodeGroup,
  Group,
  GROUP_PREFIX,
  groupElements,
  groupLinked,
  groupPlaces,
  groupsOf,
  makeGroup,
  toggleGroup,
  ungroup,
} from '../../client/src/grouping';
import { SHORTCUT_HELP, shortcutFor } from '../../client/src/shortcuts';
import { decodeUrlState, encodeUrlState, EMPTY_URL_STATE } from '../../client/src/url-state';
import { Box, breadthFirst, bfsLevels, concentric, concentricRings, overlappingBoxes, ringCapacity, ROW_MAX, RING_MAX, wrap } from '../../client/src/layout/tiers';
import { ALIS, CHINYONG, CHINYONG_1HOP, DPRK2, E, JON, N, PASSPORT, PIONEER } from './client-fixtures';

const oneHop = gs.markExpanded(gs.addGraph(gs.addGraph(gs.EMPTY, { nodes: [N.chinyong], edges: [] }), CHINYONG_1HOP), CHINYONG);
/** CHINYONG, ALIS, PIONEER, JON under DPRK2, with JON's passport. */
const network = gs.addGraph(oneHop, {
  nodes: [N.jon, N.dprk2, N.passport],
  edges: [E.jonPioneer, E.chinyongDprk2, E.alisDprk2, E.pioneerDprk2, E.jonDprk2, E.jonPassport],
});

describe('groups', () => {
  test('the parties linked to a program are grouped under it, in canvas order; the program itself stays out', () => {
    const g = groupLinked(network, DPRK2)!;
    expect(g.members).toEqual([CHINYONG, ALIS, PIONEER, JON]);
    expect(g.what).toBe('under DPRK2');
    expect(g.id).toBe(GROUP_PREFIX + CHINYONG);
    expect(g.collapsed).toBe(true);
    // An identifier held by one party: nothing to group.
    expect(groupLinked(network, PASSPORT)).toBeNull();
    expect(groupLinked(network, 'not-on-canvas')).toBeNull();
  });

  test('a selection of fewer than two nodes on the canvas makes no group', () => {
    expect(makeGroup(network, [ALIS, 'gone'])).toBeNull();
    expect(makeGroup(network, [ALIS, ALIS])).toBeNull();
    expect(makeGroup(network, [JON, ALIS])!.members).toEqual([ALIS, JON]);
  });

  test('a node is in one group at most: a new group takes its members from the old, which goes when too small', () => {
    const a = makeGroup(network, [ALIS, PIONEER, JON])!;
    const b = makeGroup(network, [PIONEER, JON])!;
    const both = addGroup([a], b);
    expect(both).toHaveLength(1);
    expect(both[0].members).toEqual([PIONEER, JON]);
    const c = makeGroup(network, [CHINYONG, ALIS, PIONEER])!;
    const d = makeGroup(network, [PIONEER, JON])!;
    const kept = addGroup([c], d);
    expect(kept.map((g) => g.members)).toEqual([[CHINYONG, ALIS], [PIONEER, JON]]);
    // Ungroup by a member or by the group's id; groupsOf finds it the same ways.
    expect(ungroup(kept, [ALIS]).map((g) => g.id)).toEqual([d.id]);
    expect(ungroup(kept, [d.id]).map((g) => g.id)).toEqual([kept[0].id]);
    expect(groupsOf(kept, [JON]).map((g) => g.id)).toEqual([d.id]);
    expect(toggleGroup(kept, d.id)[1].collapsed).toBe(false);
  });

  test('collapsed: one node for the members, their edges to the rest re-routed to it with a count, none inside', () => {
    const g = groupLinked(network, DPRK2)!;
    const els = groupElements(desiredElements(network, []), [g]);
    const nodes = els.filter((e) => e.group === 'nodes').map((e) => e.data.id);
    expect(nodes.sort()).toEqual([DPRK2, g.id, PASSPORT].sort());
    const groupNode = els.find((e) => e.data.id === g.id)!;
    expect(groupNode.data.display).toBe('4 parties under DPRK2');
    expect(groupNode.classes).toBe('group');
    expect(groupNode.data.open).toBe(false);
    const edges = els.filter((e) => e.group === 'edges');
    // The four SANCTION edges become one of count 4; JON's passport one of count 1, with its own wording.
    const toProgram = edges.find((e) => e.data.target === DPRK2 || e.data.source === DPRK2)!;
    expect(toProgram.data).toEqual(expect.objectContaining({ count: 4, type: 'SANCTION', label: '4 links' }));
    const toPassport = edges.find((e) => e.data.target === PASSPORT || e.data.source === PASSPORT)!;
    expect(toPassport.data).toEqual(expect.objectContaining({ count: 1, type: 'HAS_IDENTIFIER', label: 'Passport' }));
    expect(edges).toHaveLength(2);
    // Every edge ends at a drawn node.
    for (const e of edges) for (const end of [e.data.source, e.data.target]) expect(nodes).toContain(end);
  });

  test('a collapsed member with a "+N more" handle: the handle goes with it', () => {
    // JON with two relationships more in the graph than on the canvas.
    const expandedJon = gs.markExpanded(gs.addGraph(network, { nodes: [{ ...N.jon, degree: N.jon.degree + 2 }], edges: [] }), JON);
    const wanted = desiredElements(expandedJon, []);
    expect(wanted.some((e) => e.data.id === moreId(JON))).toBe(true);
    const els = groupElements(wanted, [makeGroup(expandedJon, [PIONEER, JON])!]);
    expect(els.some((e) => e.data.id === moreId(JON) || e.data.target === moreId(JON))).toBe(false);
  });

  test('members not drawn (hidden) do not count, and a group none of whose members is drawn is not drawn', () => {
    const g = groupLinked(network, DPRK2)!;
    const hidden = gs.hideNodes(network, [ALIS, JON]);
    const els = groupElements(desiredElements(hidden, []), [g]);
    expect(els.find((e) => e.data.id === g.id)!.data.display).toBe('2 parties under DPRK2');
    const allHidden = gs.hideNodes(network, g.members);
    expect(groupElements(desiredElements(allHidden, []), [g]).some((e) => e.data.id === g.id)).toBe(false);
  });

  test('in a headless Cytoscape: open puts the members inside a compound node, collapse and ungroup bring them back', () => {
    const cy: Core = cytoscape({ headless: true });
    const show = (groups: Group[]) => {
      const patch = diffElements(cy, groupElements(desiredElements(network, []), groups));
      applyPatch(cy, patch, network.pinned);
    };
    show([]);
    const plain = cy.elements().map((e) => e.id()).sort();
    const g = groupLinked(network, DPRK2)!;
    show([g]);
    expect(cy.getElementById(g.id).nonempty()).toBe(true);
    expect(cy.getElementById(ALIS).empty()).toBe(true);
    const open = toggleGroup([g], g.id);
    show(open);
    expect(cy.getElementById(g.id).isParent()).toBe(true);
    expect(cy.getElementById(ALIS).parent().map((p) => p.id())).toEqual([g.id]);
    expect(cy.getElementById(g.id).children().map((n) => n.id()).sort()).toEqual([...g.members].sort());
    // Collapsed again from open: the children leave the canvas, the group node stays.
    show([g]);
    expect(cy.getElementById(ALIS).empty()).toBe(true);
    expect(cy.getElementById(g.id).isParent()).toBe(false);
    // Open, then ungrouped: the members are top-level nodes again.
    show(open);
    show([]);
    expect(cy.getElementById(ALIS).parent().empty()).toBe(true);
    expect(cy.elements().map((e) => e.id()).sort()).toEqual(plain);
    cy.destroy();
  });

  test('a collapsed group is drawn in the middle of its members\' last places', () => {
    const g = makeGroup(network, [ALIS, JON])!;
    expect(groupPlaces([g], { [ALIS]: { x: 0, y: 10 }, [JON]: { x: 100, y: 30 } })).toEqual({ [g.id]: { x: 50, y: 20 } });
    expect(groupPlaces([{ ...g, collapsed: false }], { [ALIS]: { x: 0, y: 0 } })).toEqual({});
    // Where a link put it wins.
    expect(groupPlaces([{ ...g, at: { x: 7, y: 8 } }], { [ALIS]: { x: 0, y: 10 }, [JON]: { x: 100, y: 30 } })).toEqual({ [g.id]: { x: 7, y: 8 } });
  });

  test('groups go through the link: ids and wording with ~, % and spaces come back as they were', () => {
    const odd = { ...network, order: [...network.order, 'web~site%20x', 'id with space'] };
    const g1: Group = { id: GROUP_PREFIX + ALIS, what: 'at 1~2 Main St, 50% off', members: [ALIS, PIONEER], collapsed: true, at: { x: -120, y: 45 } };
    const g2: Group = { id: GROUP_PREFIX + 'web~site%20x', what: '', members: ['web~site%20x', 'id with space'], collapsed: false };
    const url = encodeUrlState({ ...EMPTY_URL_STATE, nodes: odd.order, groups: [g1, g2] });
    const back = decodeUrlState(url);
    expect(back.groups).toEqual([g1, g2]);
    // Members not on the canvas are dropped; a group left with one member goes; garbage is ignored.
    expect(decodeGroups([encodeGroup(g1), 'x~y', '%E0%A4%A', `c:1,2,3~~${ALIS}~${PIONEER}`], [ALIS])).toEqual([]);
    // A place is kept in whole units; an open group has none.
    expect(decodeGroups([encodeGroup({ ...g1, at: { x: 10.4, y: -3.6 } })], [ALIS, PIONEER])[0].at).toEqual({ x: 10, y: -4 });
    expect(decodeGroups([encodeGroup({ ...g1, collapsed: false })], [ALIS, PIONEER])[0].at).toBeUndefined();
    // Opening, collapsing or a change of members forgets the place.
    expect(toggleGroup([g1], g1.id)[0].at).toBeUndefined();
    expect(addGroup([{ ...g1, members: [ALIS, PIONEER, JON] }], makeGroup(network, [JON, CHINYONG])!)[0].at).toBeUndefined();
    expect(decodeGroups([encodeGroup(g1), encodeGroup({ ...g1, members: [PIONEER, JON] })], [ALIS, PIONEER, JON])).toEqual([g1]);
    expect(decodeUrlState(encodeUrlState({ ...EMPTY_URL_STATE, nodes: [ALIS] })).groups).toBeUndefined();
  });
});

describe('keys', () => {
  const key = (k: string, shiftKey = false, ctrlKey = false) => shortcutFor({ key: k, shiftKey, ctrlKey, metaKey: false });
  test('G groups the selection, Shift+G ungroups (whatever case Caps Lock gives); Ctrl+G is the browser\'s', () => {
    expect(key('g')).toBe('group');
    expect(key('G')).toBe('group');
    expect(key('G', true)).toBe('ungroup');
    expect(key('g', false, true)).toBeNull();
    const sheet = SHORTCUT_HELP.map((s) => `${s.keys}: ${s.what}`);
    expect(sheet.some((l) => l.startsWith('G:') && /Group/.test(l))).toBe(true);
    expect(sheet.some((l) => l.startsWith('Shift+G:') && /Ungroup/.test(l))).toBe(true);
  });
});

/** Boxes of the sizes the canvas measures: a 54 px hub, members with labels of one or two lines. */
function hubAndMembers(n: number): { boxes: Box[]; edges: { source: string; target: string }[] } {
  const boxes: Box[] = [{ id: 'hub', w: 60, h: 72, ox: 0, oy: 9, degree: n }];
  const edges: { source: string; target: string }[] = [];
  for (let i = 0; i < n; i++) {
    const twoLines = i % 3 === 0;
    boxes.push({ id: `m${i}`, w: 40 + ((i * 37) % 100), h: twoLines ? 52 : 40, ox: (i % 5) - 2, oy: twoLines ? 14 : 8, degree: 1 + (i % 7) });
    edges.push({ source: 'hub', target: `m${i}` });
  }
  return { boxes, edges };
}

describe('layouts', () => {
  test('wrap: rows of at most the limit, as even as can be, none lost', () => {
    const xs = Array.from({ length: 107 }, (_, i) => i);
    const rows = wrap(xs, 20);
    expect(rows).toHaveLength(6);
    expect(Math.max(...rows.map((r) => r.length))).toBeLessThanOrEqual(20);
    expect(Math.max(...rows.map((r) => r.length)) - Math.min(...rows.map((r) => r.length))).toBeLessThanOrEqual(rows.length);
    expect(rows.flat()).toEqual(xs);
  });

  test('breadth-first: 107 members of a hub wrap into rows of at most ROW_MAX, no two boxes overlap', () => {
    const input = hubAndMembers(107);
    const levels = bfsLevels(input);
    expect(levels[0]).toEqual(['hub']);
    expect(levels[1]).toHaveLength(107);
    const pos = breadthFirst(input);
    expect(Object.keys(pos)).toHaveLength(108);
    // Rows: boxes whose centres share a y.
    const rows = new Map<number, number>();
    for (const b of input.boxes) {
      const y = Math.round(pos[b.id].y + b.oy);
      rows.set(y, (rows.get(y) ?? 0) + 1);
    }
    expect(Math.max(...rows.values())).toBeLessThanOrEqual(ROW_MAX);
    expect(rows.size).toBe(1 + Math.ceil(107 / ROW_MAX));
    expect(overlappingBoxes(input.boxes, pos)).toEqual([]);
  });

  test('breadth-first: pieces not connected to each other each have their own root on the first level', () => {
    const input = { boxes: [...hubAndMembers(3).boxes, { id: 'lone', w: 50, h: 40, ox: 0, oy: 8, degree: 1 }], edges: hubAndMembers(3).edges };
    expect(bfsLevels(input)[0].sort()).toEqual(['hub', 'lone']);
    expect(overlappingBoxes(input.boxes, breadthFirst(input))).toEqual([]);
  });

  test('concentric: the hub in the middle, rings by degree bucket and capacity, no two boxes overlap', () => {
    for (const n of [5, 40, 107, 400]) {
      const input = hubAndMembers(n);
      const rings = concentricRings(input);
      expect(rings[0]).toEqual(['hub']);
      expect(rings.flat().sort()).toEqual(input.boxes.map((b) => b.id).sort());
      rings.forEach((r, k) => expect(r.length).toBeLessThanOrEqual(k === 0 ? 1 : Math.min(RING_MAX, ringCapacity(k))));
      const degreeOf = new Map(input.boxes.map((b) => [b.id, b.degree]));
      // Each ring is of one degree bucket.
      for (const r of rings) expect(new Set(r.map((id) => Math.floor(Math.log2(degreeOf.get(id)!)))).size).toBe(1);
      const pos = concentric(input);
      expect(pos.hub.x + 0).toBeCloseTo(0);
      expect(overlappingBoxes(input.boxes, pos)).toEqual([]);
    }
  });

  test('overlappingBoxes finds boxes on top of each other (the check can fail)', () => {
    const boxes: Box[] = [
      { id: 'a', w: 100, h: 40, ox: 0, oy: 0, degree: 1 },
      { id: 'b', w: 100, h: 40, ox: 0, oy: 0, degree: 1 },
    ];
    expect(overlappingBoxes(boxes, { a: { x: 0, y: 0 }, b: { x: 90, y: 30 } })).toEqual([['a', 'b']]);
    expect(overlappingBoxes(boxes, { a: { x: 0, y: 0 }, b: { x: 101, y: 30 } })).toEqual([]);
  });
});
