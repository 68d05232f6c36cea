/**
 * Identifiers and addresses on the explorer's canvas, from a real state of the Chinyong network (2024-05-03
 * SDN: JON, Yun Gun's passport 927233154): labelled with their type (client/src/elements.ts), and an
 * expansion that adds nothing says in words that nobody else holds them (hooks/useInvestigation.ts).
 */
import { desiredElements, factTypes, filteredOut, NO_FILTER } from '../../client/src/elements';
import * as gs from '../../client/src/graph-state';
import { nothingMore } from '../../client/src/hooks/useInvestigation';
import { expansionTypes } from '../../client/src/program-badges';
import { CHINYONG, E, JON, N, PASSPORT } from './client-fixtures';

const jonWithPassport = () => gs.addGraph(gs.EMPTY, { nodes: [N.jon, N.passport], edges: [E.jonPassport] });

test('an identifier is labelled with the source’s word for its type, taken from its relationship on the canvas', () => {
  const s = jonWithPassport();
  expect(factTypes(s)).toEqual({ [PASSPORT]: 'Passport' });
  const el = desiredElements(s, []).find((e) => e.data.id === PASSPORT)!;
  expect(el.data.display).toBe('Passport: 927233154');
  // The label itself (what search and tests read) stays the value.
  expect(el.data.label).toBe('927233154');
  // Alone on the canvas, it is still called an identifier.
  expect(factTypes(gs.addGraph(gs.EMPTY, { nodes: [N.passport], edges: [] }))).toEqual({ [PASSPORT]: 'Identifier' });
});

test('an identifier nobody else holds says so, naming its holder; a party says everything linked is on the canvas', () => {
  const s = jonWithPassport();
  const text = nothingMore(s.nodes[PASSPORT], s, []);
  expect(text).toContain('nobody else on the lists holds this identifier');
  expect(text).toContain(`only ${N.jon.label}`);
  expect(nothingMore(N.chinyong, gs.addGraph(gs.EMPTY, { nodes: [N.chinyong], edges: [] }), [])).toBe(`${N.chinyong.label}: everything linked to it is already on the canvas.`);
  expect(nothingMore(s.nodes[JON], s, ['OWNERSHIP'])).toContain('(of the relationship types shown)');
  // Programs as badges: an expansion follows every type but program membership; no filter to speak of.
  expect(nothingMore(s.nodes[JON], s, expansionTypes([], false))).not.toContain('(of the relationship types shown)');
  expect(CHINYONG).toBe(N.chinyong.id);
});

test('the canvas filter hides a kind, a program’s node and the parties listed only under hidden programs, and nothing else', () => {
  const s = gs.addGraph(gs.EMPTY, { nodes: [N.chinyong, N.dprk2, N.jon, N.passport], edges: [E.chinyongDprk2, E.jonPassport] });
  expect([...filteredOut(s, NO_FILTER)]).toEqual([]);
  expect([...filteredOut(s, { kinds: ['Identifier'], programs: [] })]).toEqual([PASSPORT]);
  const hidden = filteredOut(s, { kinds: [], programs: ['DPRK2'] });
  expect(hidden.has(CHINYONG)).toBe(true);
  expect(hidden.has(N.dprk2.id)).toBe(true);
  expect(hidden.has(PASSPORT)).toBe(false);
  // Hidden from view only: the elements leave them out, the investigation keeps them.
  const els = desiredElements(s, [], { kinds: ['Identifier'], programs: [] });
  expect(els.map((e) => e.data.id)).not.toContain(PASSPORT);
  expect(els.filter((e) => e.data.source === PASSPORT || e.data.target === PASSPORT)).toEqual([]);
  expect(desiredElements(s, []).filter((e) => e.data.target === PASSPORT).length).toBe(1);
  expect(s.nodes[PASSPORT]).toBeDefined();
});
