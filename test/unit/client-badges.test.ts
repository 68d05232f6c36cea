/**
 * Programs as badges on their parties (client/src/program-badges.ts, elements.ts) and the canvas filter
 * by the dataset that lists a party, on real states of the Chinyong network (client-fixtures.ts: all
 * four parties under DPRK2 in the 2024-05-03 SDN list). The filter by dataset adds three shapes of party
 * the Chinyong network lacks (names and ids illustrative): one listed only by the UN, one listed by both
 * lists, one only referenced (no dataset).
 */
import type { ElementDefinition } from 'cytoscape';
import { desiredElements, filteredOut, moreId, NO_FILTER } from '../../client/src/elements';
import * as gs from '../../client/src/graph-state';
import { badgeLine, BADGES_SHOWN, expansionTypes, PROGRAM_REL, programLinksOff, remainingOf } from '../../client/src/program-badges';
import { decodeUrlState, EMPTY_URL_STATE, encodeUrlState } from '../../client/src/url-state';
import { REL_TYPE_NAMES } from '../../server/core/model';
import { ALIS, CHINYONG, CHINYONG_1HOP, DPRK2, E, JON, N, node, PIONEER } from './client-fixtures';

const byId = (els: ElementDefinition[], id: string) => els.find((e) => e.data.id === id);
const oneHop = gs.markExpanded(gs.addGraph(gs.EMPTY, CHINYONG_1HOP), CHINYONG);

describe('expansionTypes', () => {
  test('every type shown but program membership, unless programs are hubs', () => {
    expect(PROGRAM_REL).toBe('SANCTION');
    expect(expansionTypes([], false)).toEqual(REL_TYPE_NAMES.filter((t) => t !== 'SANCTION'));
    expect(expansionTypes(['UNKNOWN_LINK', 'SANCTION'], false)).toEqual(['UNKNOWN_LINK']);
    expect(expansionTypes([], true)).toEqual([]);
    expect(expansionTypes(['UNKNOWN_LINK', 'SANCTION'], true)).toEqual(['UNKNOWN_LINK', 'SANCTION']);
    // Only program membership shown: that is what the user asked to follow.
    expect(expansionTypes(['SANCTION'], false)).toEqual(['SANCTION']);
  });
});

describe('badges', () => {
  test('a badge line names the first programs and counts the rest', () => {
    expect(badgeLine([])).toBe('');
    expect(badgeLine(['DPRK2'])).toBe('[DPRK2]');
    const many = ['SDGT', 'IRGC', 'IFSR', 'NPWMD', 'HRIT-IR'];
    expect(BADGES_SHOWN).toBe(3);
    expect(badgeLine(many)).toBe('[SDGT] [IRGC] [IFSR] +2');
  });

  test('by default each party shows its programs under its name, and its "(+N)" leaves them out', () => {
    const els = desiredElements(oneHop, []);
    // 43379: expanded, both links here, its program a badge: nothing left, no handle (as hubs: "+1 more").
    expect(byId(els, CHINYONG)?.data.display).toBe('CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY\n[DPRK2]');
    expect(byId(els, CHINYONG)?.data.badges).toBe('[DPRK2]');
    expect(byId(els, moreId(CHINYONG))).toBeUndefined();
    expect(byId(desiredElements(oneHop, [], { ...NO_FILTER, programHubs: true }), moreId(CHINYONG))?.data.display).toBe('+1 more');
    // 48260 (degree 4: a link, DPRK2, two identifiers): "+2", its identifiers.
    expect(byId(els, ALIS)?.data.display).toBe('LIMITED LIABILITY COMPANY ALIS\n[DPRK2]\n(+2)');
    expect(byId(els, ALIS)?.data.remaining).toBe(2);
    expect(remainingOf(oneHop, ALIS, false)).toBe(2);
    expect(remainingOf(oneHop, ALIS, true)).toBe(3);
    // As hubs: no badge, and the program counts.
    const hubs = desiredElements(oneHop, [], { ...NO_FILTER, programHubs: true });
    expect(byId(hubs, ALIS)?.data.display).toBe('LIMITED LIABILITY COMPANY ALIS\n(+3)');
    expect(byId(hubs, ALIS)?.data.badges).toBeUndefined();
  });

  test('a program node on the canvas: its members’ relationships to it are there, not counted twice', () => {
    const s = gs.addGraph(oneHop, { nodes: [N.dprk2, N.jon], edges: [E.chinyongDprk2, E.alisDprk2, E.jonDprk2, E.jonPioneer] });
    // PIONEER's program relationship is not on the canvas (no edge given), the others' are.
    expect(programLinksOff(s)).toEqual({ [PIONEER]: 1 });
    const els = desiredElements(s, []);
    expect(byId(els, PIONEER)?.data.remaining).toBe(0);
    expect(byId(els, JON)?.data.remaining).toBe(1); // his passport
    // The program's own node keeps its count: 109 members, 3 here.
    expect(byId(els, DPRK2)?.data.remaining).toBe(106);
    // A list naming a program twice has one relationship to it.
    const twice = gs.addGraph(gs.EMPTY, { nodes: [{ ...N.alis, programs: ['DPRK2', 'DPRK2'] }], edges: [] });
    expect(programLinksOff(twice)).toEqual({ [ALIS]: 1 });
  });
});

describe('canvas filter by the dataset that lists a party', () => {
  const un = node('un-KPe.001', 'Person', 'A PARTY OF THE UN LIST', 2, { programs: ['UN-DPRK'], datasets: ['un-sc'] });
  const both = node('ofac-9345', 'Person', 'A PARTY OF BOTH LISTS', 5, { programs: ['DPRK2'], datasets: ['ofac-sdn', 'un-sc'] });
  const referenced = node('ofac-99999', 'LegalEntity', 'A PARTY ONLY REFERENCED', 1, { placeholder: true });
  const s = gs.addGraph(gs.EMPTY, { nodes: [N.chinyong, N.alis, N.dprk2, un, both, referenced], edges: [E.alisChinyong, E.chinyongDprk2] });

  test('a party goes when every dataset that lists it is unticked; one also on a shown list, facts and referenced parties stay', () => {
    expect([...filteredOut(s, { ...NO_FILTER, partyDatasets: ['un-sc'] })]).toEqual(['un-KPe.001']);
    expect([...filteredOut(s, { ...NO_FILTER, partyDatasets: ['ofac-sdn'] })]).toEqual([CHINYONG, ALIS]);
    expect([...filteredOut(s, { ...NO_FILTER, partyDatasets: ['ofac-sdn', 'un-sc'] })].sort()).toEqual([CHINYONG, ALIS, 'un-KPe.001', 'ofac-9345'].sort());
    // The relationships of a hidden party go with it; the rest stay.
    const els = desiredElements(s, [], { ...NO_FILTER, partyDatasets: ['ofac-sdn'] });
    expect(els.map((e) => e.data.id)).toEqual([DPRK2, 'un-KPe.001', 'ofac-9345', 'ofac-99999']);
    expect([...filteredOut(s, NO_FILTER)]).toEqual([]);
  });
});

describe('the link keeps "Programs as hubs"', () => {
  test('hubs=1 only when chosen; links without it open with badges', () => {
    const u = { ...EMPTY_URL_STATE, nodes: [CHINYONG, DPRK2] };
    expect(encodeUrlState(u)).not.toContain('hubs');
    expect(decodeUrlState(encodeUrlState(u)).hubs).toBeUndefined();
    const withHubs = encodeUrlState({ ...u, hubs: true });
    expect(withHubs).toContain('hubs=1');
    expect(decodeUrlState(withHubs)).toEqual({ ...u, hubs: true });
    expect(decodeUrlState(`#n=${CHINYONG}&hubs=yes`).hubs).toBeUndefined();
  });
});
