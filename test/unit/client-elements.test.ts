/**
 * What the canvas is asked to show (client/src/elements.ts desiredElements) and the designation
 * timeline (client/src/timeline.ts), from real states of the Chinyong network.
 */
import type { ElementDefinition } from 'cytoscape';
import { desiredElements, moreId, NO_FILTER } from '../../client/src/elements';
import * as gs from '../../client/src/graph-state';
import { timelineBuckets } from '../../client/src/timeline';
import { ALIS, CHINYONG, DPRK2, E, JON, N, PASSPORT, PIONEER, node } from './client-fixtures';

const ids = (els: ElementDefinition[], group: 'nodes' | 'edges') => els.filter((e) => e.group === group).map((e) => e.data.id!);
const byId = (els: ElementDefinition[], id: string) => els.find((e) => e.data.id === id);
const realEdges = (els: ElementDefinition[]) => els.filter((e) => e.group === 'edges' && !e.classes);

/** 43379 expanded (both links and its program on the canvas) and the program hub DPRK2 expanded. */
function expandedHub(): gs.Investigation {
  let s = gs.addGraph(gs.EMPTY, {
    nodes: [N.chinyong, N.alis, N.pioneer, N.dprk2],
    edges: [E.alisChinyong, E.pioneerChinyong, E.chinyongDprk2, E.alisDprk2, E.pioneerDprk2],
  });
  s = gs.markExpanded(s, CHINYONG);
  return gs.markExpanded(s, DPRK2);
}

describe('desiredElements', () => {
  test('visible nodes in canvas order, with "+N" only on unexpanded nodes that have more (programs as hubs)', () => {
    const els = desiredElements(expandedHub(), [], { ...NO_FILTER, programHubs: true });
    expect(ids(els, 'nodes').filter((id) => !id.startsWith('more::'))).toEqual([CHINYONG, ALIS, PIONEER, DPRK2]);
    const display = (id: string) => byId(els, id)?.data.display;
    // 43379: degree 3, all three on the canvas, expanded: plain label.
    expect(display(CHINYONG)).toBe('CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY');
    // 48260: program and link here, two identifiers not.
    expect(display(ALIS)).toBe('LIMITED LIABILITY COMPANY ALIS\n(+2)');
    // 48261: program and link to 43379 here, the link from 48262 not.
    expect(display(PIONEER)).toBe('PIONEER BENCONT STAR REAL ESTATE\n(+1)');
    // DPRK2 is expanded: its label stays plain; what is left goes on the handle.
    expect(display(DPRK2)).toBe('DPRK2');
    expect(byId(els, ALIS)?.data).toEqual({
      id: ALIS, kind: 'Organization', label: 'LIMITED LIABILITY COMPANY ALIS', display: 'LIMITED LIABILITY COMPANY ALIS\n(+2)',
      degree: 4, placeholder: false, delisted: false, remaining: 2,
    });
  });

  test('a "+N more" handle (node and edge) only for expanded nodes with something left', () => {
    const els = desiredElements(expandedHub(), []);
    const handles = els.filter((e) => e.classes === 'more');
    expect(handles).toEqual([
      { group: 'nodes', data: { id: moreId(DPRK2), display: '+106 more', of: DPRK2, degree: 1 }, classes: 'more' },
      { group: 'edges', data: { id: `${moreId(DPRK2)}::edge`, source: DPRK2, target: moreId(DPRK2) }, classes: 'more' },
    ]);
    // The handle follows its hub (the canvas places it next to it).
    const order = els.map((e) => e.data.id);
    expect(order.indexOf(moreId(DPRK2))).toBe(order.indexOf(DPRK2) + 1);
    // 48260 has more left but is not expanded: no handle, a "+2" instead.
    expect(byId(els, moreId(ALIS))).toBeUndefined();
  });

  test('handle ids never collide with real node or edge ids, colons and all', () => {
    // Identifier ids hold colons and spaces, edge ids are Neo4j element ids ("5:uuid:n"). Expand everything.
    let s = gs.addGraph(gs.EMPTY, { nodes: Object.values(N), edges: [E.jonPassport, E.jonDprk2, E.alisTaxId, E.alisRegNo] });
    s = gs.addGraph(s, { nodes: [{ ...N.passport, degree: 3 }], edges: [] });
    for (const id of s.order) s = gs.markExpanded(s, id);
    const els = desiredElements(s, []);
    const all = els.map((e) => e.data.id!);
    expect(new Set(all).size).toBe(all.length);
    // Every node but 48260's two identifiers (their one relationship is here) has something left.
    const hubs = els.filter((e) => e.classes === 'more' && e.group === 'nodes').map((h) => h.data.of);
    expect(hubs).toEqual([CHINYONG, ALIS, PIONEER, JON, DPRK2, PASSPORT]);
    expect(byId(els, moreId(PASSPORT))?.data.display).toBe('+2 more');
    const real = new Set([...Object.keys(s.nodes), ...Object.keys(s.edges)]);
    for (const h of els.filter((e) => e.classes === 'more')) {
      expect([h.data.id, real.has(h.data.id!), h.data.id!.startsWith('more::')]).toEqual([h.data.id, false, true]);
    }
    // No real id uses the handle prefix: parties are "<dataset>-...", identifiers "<type>:...", addresses
    // are normalised text without colons, programs are codes.
    for (const id of real) expect(id.startsWith('more::')).toBe(false);
  });

  test('hidden nodes and every edge touching them are left out; counts still see the hidden edges', () => {
    const s = gs.hideNodes(expandedHub(), [PIONEER]);
    const els = desiredElements(s, []);
    expect(ids(els, 'nodes')).not.toContain(PIONEER);
    expect(ids(els, 'edges').sort()).toEqual([E.alisChinyong.id, E.chinyongDprk2.id, E.alisDprk2.id, `${moreId(DPRK2)}::edge`].sort());
    // Hiding is not removing: 43379 has nothing more to expand, DPRK2 still 106.
    expect(byId(els, CHINYONG)?.data.remaining).toBe(0);
    expect(byId(els, moreId(DPRK2))?.data.display).toBe('+106 more');
    for (const e of els.filter((x) => x.group === 'edges')) {
      expect(ids(els, 'nodes')).toEqual(expect.arrayContaining([e.data.source, e.data.target]));
    }
  });

  test('the type filter keeps the edges of the chosen types only; an empty filter keeps all', () => {
    const s = expandedHub();
    const links = desiredElements(s, ['UNKNOWN_LINK']);
    expect(realEdges(links).map((e) => e.data.id).sort()).toEqual([E.alisChinyong.id, E.pioneerChinyong.id].sort());
    // Nodes and handles stay: the filter is about relationships.
    expect(ids(links, 'nodes')).toEqual(ids(desiredElements(s, []), 'nodes'));
    expect(byId(links, `${moreId(DPRK2)}::edge`)).toBeDefined();
    expect(realEdges(desiredElements(s, ['SANCTION', 'OWNERSHIP'])).map((e) => e.data.type)).toEqual(['SANCTION', 'SANCTION', 'SANCTION']);
    expect(realEdges(desiredElements(s, []))).toHaveLength(5);
  });

  test('edges carry type and source wording; an unlabelled edge has no label (so `edge[label]` does not match)', () => {
    const els = desiredElements(expandedHub(), []);
    expect(byId(els, E.alisChinyong.id)).toEqual({
      group: 'edges',
      data: { id: E.alisChinyong.id, source: ALIS, target: CHINYONG, type: 'UNKNOWN_LINK', label: 'Linked To' },
    });
    expect(byId(els, E.chinyongDprk2.id)?.data.label).toBeUndefined();
  });

  test('placeholder and delisted parties are flagged for the stylesheet', () => {
    const ref = node('ofac-ref-korea-sobaeksu-trading-company', 'LegalEntity', 'KOREA SOBAEKSU TRADING COMPANY', 1, { placeholder: true });
    const gone = node('ofac-12345', 'Person', 'DELISTED PERSON', 2, { delistedOn: '2024-03-01' });
    const els = desiredElements(gs.addGraph(gs.EMPTY, { nodes: [ref, gone, N.jon], edges: [] }), []);
    expect([ref.id, gone.id, JON].map((id) => [byId(els, id)?.data.placeholder, byId(els, id)?.data.delisted])).toEqual([
      [true, false],
      [false, true],
      [false, false],
    ]);
  });

  test('an empty canvas asks for nothing', () => {
    expect(desiredElements(gs.EMPTY, [])).toEqual([]);
    expect(desiredElements(gs.EMPTY, ['UNKNOWN_LINK'])).toEqual([]);
  });
});

describe('timelineBuckets', () => {
  // UN Security Council listing dates (consolidated list of 2025-11-18, test/fixtures/un-xml).
  const KP = [
    { id: 'un-KPi.008', date: '2013-01-22' },
    { id: 'un-KPi.033', date: '2016-11-30' },
    { id: 'un-KPe.023', date: '2016-03-02' },
    { id: 'un-KPe.027', date: '2016-03-02' },
    { id: 'un-KPi.066', date: '2017-12-22' },
  ];

  test('by year over a long range, empty years filled in so gaps look like gaps', () => {
    const r = timelineBuckets(KP);
    expect(r.undated).toBe(0);
    expect(r.buckets).toEqual([
      { key: '2013', label: '2013', ids: ['un-KPi.008'] },
      { key: '2014', label: '2014', ids: [] },
      { key: '2015', label: '2015', ids: [] },
      { key: '2016', label: '2016', ids: ['un-KPi.033', 'un-KPe.023', 'un-KPe.027'] },
      { key: '2017', label: '2017', ids: ['un-KPi.066'] },
    ]);
  });

  test('by month when all dates fall within two calendar years, trimmed to the first and last listing', () => {
    const r = timelineBuckets(KP.slice(1));
    expect(r.buckets.map((b) => b.key)).toEqual([
      '2016-03', '2016-04', '2016-05', '2016-06', '2016-07', '2016-08', '2016-09', '2016-10', '2016-11', '2016-12',
      '2017-01', '2017-02', '2017-03', '2017-04', '2017-05', '2017-06', '2017-07', '2017-08', '2017-09', '2017-10', '2017-11', '2017-12',
    ]);
    expect(r.buckets[0].ids).toEqual(['un-KPe.023', 'un-KPe.027']);
    expect(r.buckets.find((b) => b.key === '2016-11')?.ids).toEqual(['un-KPi.033']);
    expect(r.buckets[r.buckets.length - 1].ids).toEqual(['un-KPi.066']);
    expect(r.buckets.reduce((n, b) => n + b.ids.length, 0)).toBe(4);
  });

  test('one date gives one month', () => {
    expect(timelineBuckets([{ id: 'un-QDe.137', date: '2014-05-14' }]).buckets).toEqual([{ key: '2014-05', label: '2014-05', ids: ['un-QDe.137'] }]);
  });

  test('a date known only to the year makes the buckets years, even within two years', () => {
    const r = timelineBuckets([
      { id: 'un-KPe.023', date: '2016-03-02' },
      { id: 'NK-year-only', date: '2017' },
    ]);
    expect(r.buckets).toEqual([
      { key: '2016', label: '2016', ids: ['un-KPe.023'] },
      { key: '2017', label: '2017', ids: ['NK-year-only'] },
    ]);
  });

  test('parties without a listing date are counted, not placed', () => {
    // The OFAC sdn.csv has no designation dates: the Chinyong parties are undated.
    const r = timelineBuckets([...[CHINYONG, ALIS, PIONEER, JON].map((id) => ({ id, date: null })), { id: 'x', date: '' }, { id: 'y', date: 'unknown' }, KP[0]]);
    expect(r.undated).toBe(6);
    expect(r.buckets).toEqual([{ key: '2013-01', label: '2013-01', ids: ['un-KPi.008'] }]);
    expect(timelineBuckets([{ id: CHINYONG, date: null }])).toEqual({ buckets: [], undated: 1 });
    expect(timelineBuckets([])).toEqual({ buckets: [], undated: 0 });
  });
});
