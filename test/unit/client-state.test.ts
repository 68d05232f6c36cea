/**
 * The explorer's investigation state (client/src/graph-state.ts): what is on the canvas, expanded,
 * hidden and pinned, the "+N" counts, and undo/redo. Pure functions, no browser.
 */
import * as gs from '../../client/src/graph-state';
import { isPartyKind } from '../../client/src/style';
import { ALIS, CHINYONG, CHINYONG_1HOP, DPRK2, E, JON, N, PASSPORT, PIONEER, REG_NO, TAX_ID, edge, node } from './client-fixtures';

/** The whole Chinyong network: four parties, their program and identifiers, every relationship. */
function wholeNetwork(): gs.Investigation {
  return gs.addGraph(gs.EMPTY, { nodes: Object.values(N), edges: Object.values(E) });
}

describe('addGraph', () => {
  test('keeps insertion order; nodes already on the canvas keep their place and take the newer data', () => {
    let s = gs.addGraph(gs.EMPTY, CHINYONG_1HOP);
    expect(s.order).toEqual([CHINYONG, ALIS, PIONEER]);
    // Expanding 48261 brings 48262 and 48261 itself again, with a newer degree.
    s = gs.addGraph(s, { nodes: [N.jon, { ...N.pioneer, degree: 5 }, N.chinyong], edges: [E.jonPioneer] });
    expect(s.order).toEqual([CHINYONG, ALIS, PIONEER, JON]);
    expect(Object.keys(s.nodes).sort()).toEqual([ALIS, CHINYONG, PIONEER, JON].sort());
    expect(s.nodes[PIONEER].degree).toBe(5);
    expect(Object.keys(s.edges).sort()).toEqual([E.alisChinyong.id, E.pioneerChinyong.id, E.jonPioneer.id].sort());
  });

  test('drops edges with an end that is not on the canvas, keeps those whose ends are old and new', () => {
    // 48262 alone: its link to 48261 and its program have no other end yet.
    let s = gs.addGraph(gs.EMPTY, { nodes: [N.jon], edges: [E.jonPioneer, E.jonDprk2, E.jonPassport] });
    expect(s.order).toEqual([JON]);
    expect(s.edges).toEqual({});
    // 48261 arrives with the link: one end old, one end new.
    s = gs.addGraph(s, { nodes: [N.pioneer], edges: [E.jonPioneer, E.pioneerChinyong] });
    expect(Object.values(s.edges)).toEqual([E.jonPioneer]);
  });

  test('a hidden node that comes back (search, expansion) is shown again; others stay hidden', () => {
    let s = gs.hideNodes(gs.addGraph(gs.EMPTY, CHINYONG_1HOP), [ALIS, PIONEER]);
    expect(s.hidden).toEqual([ALIS, PIONEER]);
    s = gs.addGraph(s, { nodes: [N.alis, N.taxId], edges: [E.alisTaxId] });
    expect(s.hidden).toEqual([PIONEER]);
    expect(s.order).toEqual([CHINYONG, ALIS, PIONEER, TAX_ID]);
  });

  test('does not change the state it is given', () => {
    const before = gs.addGraph(gs.EMPTY, CHINYONG_1HOP);
    const copy = structuredClone(before);
    gs.addGraph(before, { nodes: [N.jon, N.dprk2], edges: [E.jonPioneer, E.chinyongDprk2] });
    expect(before).toEqual(copy);
    expect(gs.EMPTY).toEqual({ nodes: {}, edges: {}, order: [], expanded: [], hidden: [], pinned: [] });
  });
});

describe('markExpanded, hideNodes, showAll, togglePin', () => {
  test('markExpanded records a node once and returns the same state the second time', () => {
    const s = gs.markExpanded(gs.addGraph(gs.EMPTY, CHINYONG_1HOP), CHINYONG);
    expect(s.expanded).toEqual([CHINYONG]);
    expect(gs.markExpanded(s, CHINYONG)).toBe(s);
  });

  test('hideNodes ignores ids not on the canvas and never lists a node twice; showAll clears', () => {
    const base = gs.addGraph(gs.EMPTY, CHINYONG_1HOP);
    let s = gs.hideNodes(base, [ALIS, 'ofac-99999']);
    s = gs.hideNodes(s, [ALIS, PIONEER]);
    expect(s.hidden).toEqual([ALIS, PIONEER]);
    expect(gs.showAll(s).hidden).toEqual([]);
    expect(gs.showAll(base)).toBe(base);
  });

  test('togglePin pins what is on the canvas, unpins when all given are pinned, pins all of a mixed selection', () => {
    const base = gs.addGraph(gs.EMPTY, CHINYONG_1HOP);
    let s = gs.togglePin(base, [CHINYONG, 'ofac-99999']);
    expect(s.pinned).toEqual([CHINYONG]);
    s = gs.togglePin(s, [CHINYONG, ALIS]);
    expect(s.pinned).toEqual([CHINYONG, ALIS]);
    s = gs.togglePin(s, [ALIS, CHINYONG]);
    expect(s.pinned).toEqual([]);
  });
});

describe('removeNodes', () => {
  test('removes the nodes, every edge touching them, and them from expanded, hidden and pinned', () => {
    let s = wholeNetwork();
    s = gs.markExpanded(gs.markExpanded(s, CHINYONG), PIONEER);
    s = gs.hideNodes(s, [JON, TAX_ID]);
    s = gs.togglePin(s, [ALIS, PIONEER]);
    s = gs.removeNodes(s, [PIONEER, JON]);
    expect(s.order).toEqual([CHINYONG, ALIS, DPRK2, TAX_ID, REG_NO, PASSPORT]);
    expect(Object.keys(s.nodes).sort()).toEqual([...s.order].sort());
    expect(Object.keys(s.edges).sort()).toEqual(
      [E.alisChinyong, E.chinyongDprk2, E.alisDprk2, E.alisTaxId, E.alisRegNo].map((e) => e.id).sort(),
    );
    for (const e of Object.values(s.edges)) expect([s.nodes[e.source], s.nodes[e.target]]).not.toContain(undefined);
    expect(s.expanded).toEqual([CHINYONG]);
    expect(s.hidden).toEqual([TAX_ID]);
    expect(s.pinned).toEqual([ALIS]);
  });
});

describe('remaining, remainingAll', () => {
  test('degree minus the edges on the canvas, per node', () => {
    const s = gs.addGraph(gs.EMPTY, CHINYONG_1HOP);
    // 43379: program + two links, both links on the canvas. 48260: program, two identifiers, one link.
    expect([CHINYONG, ALIS, PIONEER].map((id) => gs.remaining(s, id))).toEqual([1, 3, 2]);
    expect(gs.remainingAll(s)).toEqual({ [CHINYONG]: 1, [ALIS]: 3, [PIONEER]: 2 });
    expect(gs.remaining(s, JON)).toBe(0);
  });

  test('the whole network leaves nothing to expand but the program hub (109 listed, 4 here)', () => {
    const s = wholeNetwork();
    const all = gs.remainingAll(s);
    expect(all[DPRK2]).toBe(105);
    for (const id of s.order) {
      expect([id, gs.remaining(s, id)]).toEqual([id, all[id]]);
      if (id !== DPRK2) expect([id, all[id]]).toEqual([id, 0]);
    }
  });

  test('never negative, even when the canvas holds more edges than a stale degree says', () => {
    const stale = { ...N.chinyong, degree: 1 };
    const s = gs.addGraph(gs.EMPTY, { nodes: [stale, N.alis, N.pioneer, N.dprk2], edges: [E.alisChinyong, E.pioneerChinyong, E.chinyongDprk2] });
    expect(gs.remaining(s, CHINYONG)).toBe(0);
    expect(gs.remainingAll(s)[CHINYONG]).toBe(0);
  });

  test('a self-loop counts once in both (the server degree counts it once)', () => {
    const self = node('NK-loop', 'Company', 'SELF-OWNED HOLDING', 2);
    const s = gs.addGraph(gs.EMPTY, { nodes: [self], edges: [edge('NK-loop', 'NK-loop', 'OWNERSHIP', 'owns')] });
    expect(gs.remaining(s, 'NK-loop')).toBe(1);
    expect(gs.remainingAll(s)['NK-loop']).toBe(1);
  });

  test('partyIds lists the parties in canvas order, not programs or identifiers', () => {
    expect(gs.partyIds(wholeNetwork(), isPartyKind)).toEqual([CHINYONG, ALIS, PIONEER, JON]);
  });
});

describe('history', () => {
  const s0 = gs.EMPTY;
  const s1 = gs.addGraph(s0, CHINYONG_1HOP);
  const s2 = gs.addGraph(s1, { nodes: [N.jon], edges: [E.jonPioneer] });
  const s3 = gs.hideNodes(s2, [JON]);

  function through(...states: gs.Investigation[]): gs.History {
    return states.reduce(gs.commit, gs.historyOf(s0));
  }

  test('a commit of an unchanged state is not a step, whether the same object or an equal new one', () => {
    const h = through(s1, s2);
    expect(gs.commit(h, h.present)).toBe(h);
    // Adding what is already there (search hit already on the canvas), hiding what is hidden, expanding a
    // node that has nothing more, removing nothing: each returns a new but equal state.
    expect(gs.commit(h, gs.addGraph(h.present, { nodes: [N.jon, N.pioneer], edges: [E.jonPioneer] }))).toBe(h);
    expect(gs.commit(h, gs.addGraph(h.present, { nodes: [], edges: [] }))).toBe(h);
    expect(gs.commit(h, gs.removeNodes(h.present, []))).toBe(h);
    const expanded = gs.commit(h, gs.markExpanded(h.present, PIONEER));
    expect(gs.commit(expanded, gs.markExpanded(gs.addGraph(expanded.present, { nodes: [N.pioneer], edges: [] }), PIONEER))).toBe(expanded);
    const hidden = gs.commit(h, s3);
    expect(gs.commit(hidden, gs.hideNodes(hidden.present, [JON]))).toBe(hidden);
    // A real change still is one.
    expect(gs.commit(h, gs.markExpanded(h.present, PIONEER)).past).toHaveLength(3);
  });

  test('undo and redo walk the steps and stop at either end', () => {
    let h = through(s1, s2, s3);
    expect(h.past).toEqual([s0, s1, s2]);
    h = gs.undo(h);
    expect(h.present).toBe(s2);
    h = gs.undo(h);
    expect(h.present).toBe(s1);
    expect(h.future).toEqual([s2, s3]);
    h = gs.redo(h);
    expect(h.present).toBe(s2);
    h = gs.redo(h);
    expect(h.present).toBe(s3);
    expect(gs.redo(h)).toBe(h);
    h = gs.undo(gs.undo(gs.undo(h)));
    expect(h.present).toBe(s0);
    expect(h.future).toEqual([s1, s2, s3]);
    expect(gs.undo(h)).toBe(h);
  });

  test('a new commit after undo clears redo', () => {
    let h = gs.undo(gs.undo(through(s1, s2, s3)));
    expect(h.future).toHaveLength(2);
    const other = gs.markExpanded(h.present, CHINYONG);
    h = gs.commit(h, other);
    expect(h).toEqual({ past: [s0, s1], present: other, future: [] });
    expect(gs.redo(h)).toBe(h);
  });

  test(`keeps at most HISTORY_DEPTH (${gs.HISTORY_DEPTH}) steps back, dropping the oldest`, () => {
    const states: gs.Investigation[] = [];
    let s = s0;
    for (let i = 1; i <= gs.HISTORY_DEPTH + 5; i++) {
      s = gs.addGraph(s, { nodes: [node(`ofac-${50000 + i}`, 'Person', `PERSON ${i}`, 1)], edges: [] });
      states.push(s);
    }
    let h = states.reduce(gs.commit, gs.historyOf(s0));
    expect(h.past).toHaveLength(gs.HISTORY_DEPTH);
    expect(h.present).toBe(states[states.length - 1]);
    // s0 and states 1..4 fell off; the oldest reachable is the 5th commit.
    expect(h.past[0]).toBe(states[4]);
    for (let i = 0; i < gs.HISTORY_DEPTH; i++) h = gs.undo(h);
    expect(h.present).toBe(states[4]);
    expect(h.present.order).toHaveLength(5);
    expect(gs.undo(h)).toBe(h);
    expect(h.future).toHaveLength(gs.HISTORY_DEPTH);
  });
});
