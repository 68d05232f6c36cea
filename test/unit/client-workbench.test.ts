/**
 * The explorer past 30 nodes, without a browser: node positions in the link (client/src/url-state.ts),
 * the canvas filter by listing date and by the dataset that states a relationship (client/src/elements.ts).
 * The browser tests (test/e2e/explorer-workbench.e2e.test.ts) drive the same through the page.
 */
import * as gs from '../../client/src/graph-state';
import { desiredElements, filteredOut, listedWithin, NO_FILTER } from '../../client/src/elements';
import { EMPTY_URL_STATE, decodeUrlState, encodeUrlState } from '../../client/src/url-state';
import { ALIS, CHINYONG, edge, JON, node, PASSPORT, PIONEER } from './client-fixtures';

describe('positions in the link', () => {
  test('each node’s place survives the round trip to the nearest unit, negative and large ones too; a node with no place has none', () => {
    const nodes = [CHINYONG, ALIS, PIONEER, JON, PASSPORT];
    const positions = { [CHINYONG]: { x: 0, y: 0 }, [ALIS]: { x: -123.4, y: 88.6 }, [PIONEER]: { x: 40_000.2, y: -7_777.7 }, [PASSPORT]: { x: 12.5, y: -0.49 } };
    const back = decodeUrlState(encodeUrlState({ ...EMPTY_URL_STATE, nodes, positions }));
    expect(back.nodes).toEqual(nodes);
    expect(back.positions).toEqual({ [CHINYONG]: { x: 0, y: 0 }, [ALIS]: { x: -123, y: 89 }, [PIONEER]: { x: 40_000, y: -7_778 }, [PASSPORT]: { x: 13, y: 0 } });
    for (const [id, p] of Object.entries(positions)) {
      expect(Math.abs(back.positions![id].x - p.x)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(back.positions![id].y - p.y)).toBeLessThanOrEqual(0.5);
    }
    expect(back.positions![JON]).toBeUndefined();
  });

  test('a link without positions (as links were before) or with a list that does not line up with its nodes gives none, and its nodes still open', () => {
    const old = decodeUrlState(`n=${CHINYONG}~${ALIS}`);
    expect(old.nodes).toEqual([CHINYONG, ALIS]);
    expect(old.positions).toBeUndefined();
    expect(decodeUrlState(`n=${CHINYONG}~${ALIS}&p=1.2`).positions).toBeUndefined();
    expect(decodeUrlState(`n=${CHINYONG}~${ALIS}&p=1.2~zz.-zz`).positions).toEqual({ [CHINYONG]: { x: 1, y: 2 }, [ALIS]: { x: 35 * 36 + 35, y: -(35 * 36 + 35) } });
    // An entry that is not a position is left out, not read as zero.
    expect(decodeUrlState(`n=${CHINYONG}~${ALIS}&p=1.2~x`).positions).toEqual({ [CHINYONG]: { x: 1, y: 2 } });
    expect(encodeUrlState({ ...EMPTY_URL_STATE, nodes: [CHINYONG], positions: {} })).toBe(`n=${CHINYONG}`);
  });
});

describe('canvas filter by listing date and dataset', () => {
  test('listedWithin compares what a date gives (a year, a month) and keeps undated nodes', () => {
    expect(listedWithin('2016-09-30', '2016-01-01', '2016-12-31')).toBe(true);
    expect(listedWithin('2015-12-31', '2016-01-01', null)).toBe(false);
    expect(listedWithin('2017-01-01', null, '2016-12-31')).toBe(false);
    expect(listedWithin('2016', '2016-05-01', '2016-06-01')).toBe(true);
    expect(listedWithin('2016-04', '2016-05-01', null)).toBe(false);
    expect(listedWithin(null, '2016-05-01', '2016-06-01')).toBe(true);
    expect(listedWithin('2016-05-01', null, null)).toBe(true);
  });

  test('a range hides the parties listed outside it and nothing else; a hidden dataset hides the relationships it states', () => {
    const early = node(CHINYONG, 'Organization', 'CHINYONG', 3, { listedOn: '2018-09-13', programs: ['DPRK2'] });
    const late = node(ALIS, 'Organization', 'ALIS', 4, { listedOn: '2024-05-03', programs: ['DPRK2'] });
    const passport = node(PASSPORT, 'Identifier', '927233154', 1);
    const linked = edge(ALIS, CHINYONG, 'UNKNOWN_LINK', 'Linked To');
    const held = edge(ALIS, PASSPORT, 'HAS_IDENTIFIER', 'Passport');
    const s = gs.addGraph(gs.EMPTY, { nodes: [early, late, passport], edges: [linked, held] });
    expect([...filteredOut(s, { ...NO_FILTER, listedFrom: '2020-01-01' })]).toEqual([CHINYONG]);
    expect([...filteredOut(s, { ...NO_FILTER, listedTo: '2020-01-01' })]).toEqual([ALIS]);
    expect([...filteredOut(s, { ...NO_FILTER, listedFrom: '2018-09-13', listedTo: '2024-05-03' })]).toEqual([]);
    const ids = (f: typeof NO_FILTER) => desiredElements(s, [], f).map((e) => e.data.id);
    expect(ids({ ...NO_FILTER, datasets: ['ofac-sdn'] }).sort()).toEqual([CHINYONG, ALIS, PASSPORT].sort());
    expect(ids({ ...NO_FILTER, datasets: ['un-sc'] })).toEqual(expect.arrayContaining([linked.id, held.id]));
    // Hidden from view only: the investigation keeps them.
    expect(Object.keys(s.edges).length).toBe(2);
  });
});
