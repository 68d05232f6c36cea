/**
 * How the canvas follows the state (client/src/canvas-diff.ts): the patch from the elements a state asks
 * for (client/src/elements.ts) to what a headless Cytoscape holds, applied in one batch. The states are
 * real steps of an investigation of the Chinyong network (test/unit/client-fixtures.ts).
 */
import cytoscape, { Core, ElementDefinition } from 'cytoscape';
import { applyHighlight, applyPatch, diffElements, markTimeline, UNPLACED } from '../../client/src/canvas-diff';
import { desiredElements, moreId, NO_FILTER } from '../../client/src/elements';
import * as gs from '../../client/src/graph-state';
import { ALIS, CHINYONG, CHINYONG_1HOP, DPRK2, E, JON, N, PIONEER } from './client-fixtures';

let cy: Core;
beforeEach(() => {
  cy = cytoscape({ headless: true });
});
afterEach(() => cy.destroy());

/** Programs drawn as hubs, as these steps of an investigation drew them (the "+N more" of a program relationship). */
const HUBS = { ...NO_FILTER, programHubs: true };

/** Diffs a state into the canvas, as GraphCanvas does, and returns the patch. */
function show(s: gs.Investigation, types: string[] = []) {
  const patch = diffElements(cy, desiredElements(s, types, HUBS));
  applyPatch(cy, patch, s.pinned);
  return patch;
}

const ids = (els: ElementDefinition[]) => els.map((e) => e.data.id!).sort();
const onCanvas = () => cy.elements().map((e) => e.id()).sort();

/** The canvas holds exactly the wanted elements, each with the wanted data. */
function expectCanvasIs(s: gs.Investigation, types: string[] = []) {
  const wanted = desiredElements(s, types, HUBS);
  expect(onCanvas()).toEqual(ids(wanted));
  for (const el of wanted) expect(cy.getElementById(el.data.id!).data()).toEqual(expect.objectContaining(el.data));
}

const chinyong = gs.addGraph(gs.EMPTY, { nodes: [N.chinyong], edges: [] });
const oneHop = gs.markExpanded(gs.addGraph(chinyong, CHINYONG_1HOP), CHINYONG);
const withJon = gs.addGraph(oneHop, { nodes: [N.jon, N.dprk2], edges: [E.jonPioneer, E.chinyongDprk2, E.alisDprk2, E.pioneerDprk2, E.jonDprk2] });

describe('diffElements', () => {
  test('an empty canvas: everything is added, new nodes and their edges unplaced until laid out', () => {
    const wanted = desiredElements(oneHop, [], HUBS);
    const patch = diffElements(cy, wanted);
    expect(patch.remove).toEqual([]);
    expect(patch.update).toEqual([]);
    expect(ids(patch.add)).toEqual(ids(wanted));
    // 43379 is expanded and its program is not on the canvas yet: it has a "+1 more" handle.
    expect(patch.addedNodes).toEqual([CHINYONG, moreId(CHINYONG), ALIS, PIONEER]);
    for (const el of patch.add) expect(String(el.classes).split(' ')).toContain(UNPLACED);
    // Reading the canvas does not change it.
    expect(cy.elements().length).toBe(0);
  });

  test('the same state again changes nothing', () => {
    show(oneHop);
    expect(diffElements(cy, desiredElements(oneHop, [], HUBS))).toEqual({ remove: [], update: [], add: [], addedNodes: [] });
  });

  test('growing the canvas: only new elements are added, and only the fields that changed are updated', () => {
    show(oneHop);
    const patch = show(withJon);
    // With DPRK2 on the canvas, nothing of 43379 is left: its handle goes.
    expect(patch.remove.sort()).toEqual([moreId(CHINYONG), `${moreId(CHINYONG)}::edge`]);
    expect(patch.addedNodes).toEqual([JON, DPRK2]);
    expect(ids(patch.add)).toEqual([JON, DPRK2, E.jonPioneer.id, E.chinyongDprk2.id, E.alisDprk2.id, E.pioneerDprk2.id, E.jonDprk2.id].sort());
    // 48261 had "+1" (the link from 48262), 48260 "+1" (DPRK2): both now have all their links but for
    // 48260's identifiers. 43379 is expanded: its label stays plain, its count of what is left changes.
    expect(patch.update).toEqual(
      expect.arrayContaining([
        { id: PIONEER, data: { display: 'PIONEER BENCONT STAR REAL ESTATE', remaining: 0 } },
        { id: ALIS, data: { display: 'LIMITED LIABILITY COMPANY ALIS\n(+2)', remaining: 2 } },
        { id: CHINYONG, data: { remaining: 0 } },
      ]),
    );
    expect(patch.update).toHaveLength(3);
    expectCanvasIs(withJon);
  });

  test('edges that arrive without new nodes (a relationship type shown again) are placed at once', () => {
    show(withJon, ['UNKNOWN_LINK']);
    expect(cy.getElementById(E.jonDprk2.id).empty()).toBe(true);
    const patch = show(withJon, []);
    expect(patch.addedNodes).toEqual([]);
    expect(ids(patch.add)).toEqual([E.chinyongDprk2.id, E.alisDprk2.id, E.pioneerDprk2.id, E.jonDprk2.id].sort());
    for (const el of patch.add) expect(el.classes ?? '').not.toContain(UNPLACED);
    expectCanvasIs(withJon, []);
  });

  test('removing, hiding and undoing: the canvas follows each state exactly', () => {
    let h = gs.historyOf(gs.EMPTY);
    const steps: ((s: gs.Investigation) => gs.Investigation)[] = [
      () => oneHop,
      () => withJon,
      (s) => gs.hideNodes(s, [DPRK2]),
      (s) => gs.removeNodes(s, [PIONEER]),
      (s) => gs.showAll(s),
      (s) => gs.markExpanded(s, DPRK2),
    ];
    for (const step of steps) {
      h = gs.commit(h, step(h.present));
      show(h.present);
      expectCanvasIs(h.present);
    }
    // 48261 was removed with its edges; DPRK2, expanded with more members elsewhere, has its handle.
    expect(cy.getElementById(PIONEER).empty()).toBe(true);
    expect(cy.getElementById(E.jonPioneer.id).empty()).toBe(true);
    expect(cy.getElementById(moreId(DPRK2)).nonempty()).toBe(true);
    while (h.past.length) {
      h = gs.undo(h);
      const patch = show(h.present);
      expectCanvasIs(h.present);
      // Undoing brings elements back, or takes them away, but never re-adds what is already there.
      for (const id of patch.addedNodes) expect(patch.remove).not.toContain(id);
    }
    expect(cy.elements().length).toBe(0);
  });

  test('hiding a node removes it and its edges from the canvas; showing it adds them back as new', () => {
    show(withJon);
    const hidden = show(gs.hideNodes(withJon, [JON]));
    expect(hidden.remove.sort()).toEqual([JON, E.jonPioneer.id, E.jonDprk2.id].sort());
    const shown = show(withJon);
    expect(shown.addedNodes).toEqual([JON]);
    expect(ids(shown.add)).toEqual([JON, E.jonPioneer.id, E.jonDprk2.id].sort());
  });
});

describe('applyPatch', () => {
  test('applies in one batch: one batch per change, whatever its size', () => {
    const batch = jest.spyOn(cy, 'batch');
    show(withJon);
    expect(batch).toHaveBeenCalledTimes(1);
    expectCanvasIs(withJon);
  });

  test('new nodes stay unplaced (hidden by the stylesheet) until the layout reveals them', () => {
    show(oneHop);
    expect(cy.$(`.${UNPLACED}`).map((e) => e.id()).sort()).toEqual(onCanvas());
    cy.elements(`.${UNPLACED}`).removeClass(UNPLACED); // what the layout does when it has placed them
    show(withJon);
    expect(cy.nodes(`.${UNPLACED}`).map((e) => e.id()).sort()).toEqual([DPRK2, JON].sort());
    expect(cy.getElementById(CHINYONG).hasClass(UNPLACED)).toBe(false);
  });

  test('pinned nodes are marked and locked; unpinning frees them', () => {
    show(withJon);
    const pinned = gs.togglePin(withJon, [JON, ALIS]);
    const patch = show(pinned);
    // Pinning changes no element data: nothing to add, update or remove.
    expect(patch).toEqual({ remove: [], update: [], add: [], addedNodes: [] });
    expect(cy.nodes('.pinned').map((n) => n.id()).sort()).toEqual([ALIS, JON].sort());
    expect(cy.nodes().filter((n) => n.locked()).map((n) => n.id()).sort()).toEqual([ALIS, JON].sort());
    show(gs.togglePin(pinned, [JON]));
    expect(cy.nodes('.pinned').map((n) => n.id())).toEqual([ALIS]);
    expect(cy.getElementById(JON).locked()).toBe(false);
  });
});

/** How many elements Cytoscape restyles during `fn`: those it emits 'class' for (it restyles exactly those). */
function restyled(fn: () => void): number {
  let n = 0;
  const count = () => void n++;
  cy.on('class', count);
  try {
    fn();
  } finally {
    cy.off('class', count);
  }
  return n;
}

describe('classes are changed only where they change (Cytoscape restyles every element a class call touches)', () => {
  test('the same state, highlight, timeline pick and pins again restyle nothing', () => {
    const pinned = gs.togglePin(withJon, [JON]);
    show(pinned);
    applyHighlight(cy, null);
    markTimeline(cy, [ALIS]);
    expect(restyled(() => show(pinned))).toBe(0);
    expect(restyled(() => applyHighlight(cy, null))).toBe(0);
    expect(restyled(() => markTimeline(cy, [ALIS]))).toBe(0);
    const path = { nodes: [JON, PIONEER], edges: [E.jonPioneer.id] };
    expect(restyled(() => applyHighlight(cy, path))).toBe(cy.elements().length);
    expect(restyled(() => applyHighlight(cy, path))).toBe(0);
    // A pick of another bar restyles the node that leaves it and the one that joins it.
    expect(restyled(() => markTimeline(cy, [JON]))).toBe(2);
    expect(restyled(() => show(gs.togglePin(pinned, [JON])))).toBe(1);
  });
});

describe('highlight and timeline marks', () => {
  test('a path is highlighted and the rest faded; clearing it clears both', () => {
    show(withJon);
    applyHighlight(cy, { nodes: [JON, PIONEER, CHINYONG], edges: [E.jonPioneer.id, E.pioneerChinyong.id] });
    expect(cy.$('.path').map((e) => e.id()).sort()).toEqual([JON, PIONEER, CHINYONG, E.jonPioneer.id, E.pioneerChinyong.id].sort());
    expect(cy.$('.faded').length).toBe(cy.elements().length - 5);
    applyHighlight(cy, null);
    expect(cy.$('.path, .faded').length).toBe(0);
  });

  test('a timeline bar marks its nodes, and only the last bar picked', () => {
    show(withJon);
    markTimeline(cy, [ALIS, JON]);
    expect(cy.$('.timeline-hit').map((n) => n.id()).sort()).toEqual([ALIS, JON].sort());
    markTimeline(cy, [CHINYONG]);
    expect(cy.$('.timeline-hit').map((n) => n.id())).toEqual([CHINYONG]);
  });
});
