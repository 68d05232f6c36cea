/**
 * Paths ranked by evidence (server/core/paths/evidence.ts): steps, strength, the order of candidates,
 * the tiers of the candidate search and the why line. The paths are the shapes of real ones: the ZALA
 * data's Zala Aero - ZAKHAROV - Aeroscan ownership chain and the Moscow address both companies use
 * (test/integration/paths-evidence.int.test.ts finds them in the graph), and the 2024-05-03 SDN's
 * Chinyong network ("Linked To": ofac-48262 - ofac-48261 - ofac-43379).
 */
import { DEFAULT_PATH_REL_TYPES, EVIDENCE_WEIGHTS, REL_TYPE_NAMES } from '../../server/core/model';
import { citationOf, evidenceTiers, hopsOf, pathStrength, rankByEvidence, stepsOf, strengthOf, whyOf } from '../../server/core/paths/evidence';

const W = EVIDENCE_WEIGHTS;
const ownership = { nodes: ['zala', 'zakharov', 'aeroscan'], types: ['OWNERSHIP', 'OWNERSHIP'], rels: ['r-own-zala', 'r-own-aeroscan'] };
const address = { nodes: ['zala', 'moscow', 'aeroscan'], types: ['HAS_ADDRESS', 'HAS_ADDRESS'], rels: ['r-addr-zala', 'r-addr-aeroscan'] };
const linked = { nodes: ['ofac-48262', 'ofac-48261', 'ofac-43379'], types: ['UNKNOWN_LINK', 'UNKNOWN_LINK'], rels: ['r-48262', 'r-48261'] };

test('every relationship type has a weight in [0, 1]; ownership > family > shared identifier > shared address; a program is none', () => {
  for (const t of REL_TYPE_NAMES) expect([t, W[t] >= 0 && W[t] <= 1]).toEqual([t, true]);
  expect(W.OWNERSHIP).toBeGreaterThan(W.FAMILY);
  expect(W.DIRECTORSHIP).toBeGreaterThan(W.ASSOCIATE);
  expect(W.FAMILY).toBeGreaterThan(W.HAS_IDENTIFIER);
  expect(W.HAS_IDENTIFIER).toBeGreaterThan(W.HAS_ADDRESS);
  expect(W.SANCTION).toBe(0);
});

test('a shared address is one step of two relationships; a link is one step', () => {
  expect(stepsOf(address.types)).toEqual([[0, 1]]);
  expect(stepsOf(ownership.types)).toEqual([[0], [1]]);
  expect(stepsOf(['OWNERSHIP', 'HAS_ADDRESS', 'HAS_ADDRESS', 'FAMILY'])).toEqual([[0], [1, 2], [3]]);
  expect(pathStrength(address.types)).toBeCloseTo(W.HAS_ADDRESS, 12);
  expect(pathStrength(ownership.types)).toBeCloseTo(W.OWNERSHIP * W.OWNERSHIP, 12);
  expect(pathStrength(['OWNERSHIP', 'SANCTION', 'SANCTION', 'OWNERSHIP'])).toBe(0);
});

test('ordering: the ownership chain before the shared address whatever order they come in; then fewer steps; duplicates once', () => {
  for (const input of [
    [address, ownership, linked],
    [linked, ownership, address],
    [ownership, address, linked, ownership],
  ]) {
    const ranked = rankByEvidence(input);
    expect(ranked.map((c) => c.rels)).toEqual([ownership.rels, linked.rels, address.rels]);
    expect(ranked.map((c) => c.strength)).toEqual([pathStrength(ownership.types), pathStrength(linked.types), pathStrength(address.types)]);
  }
  // Equal strength: fewer steps first, then fewer relationships, then a stable order by ids.
  const oneFamily = { nodes: ['x', 'y'], types: ['FAMILY'], rels: ['f'] };
  const viaAddress = { nodes: ['x', 'addr', 'y'], types: ['HAS_ADDRESS', 'HAS_ADDRESS'], rels: ['a1', 'a2'] };
  expect(rankByEvidence([{ nodes: ['x', 'y'], types: ['ASSOCIATE'], rels: ['b'] }, oneFamily]).map((c) => c.rels)).toEqual([['b'], ['f']]);
  expect(rankByEvidence([viaAddress, oneFamily]).map((c) => c.rels)).toEqual([['f'], ['a1', 'a2']]);
  // ZAKHAROV twice (there and back over two records of his stakes in CST): not a chain of four, left out.
  const backAndForth = { nodes: ['zala', 'zakharov', 'cst', 'zakharov', 'aeroscan'], types: ['OWNERSHIP', 'OWNERSHIP', 'OWNERSHIP', 'OWNERSHIP'], rels: ['o1', 'o50', 'o48', 'o100'] };
  expect(rankByEvidence([backAndForth, address]).map((c) => c.rels)).toEqual([address.rels]);
});

test('tiers: one search per weight class over the types at least that strong, never a program', () => {
  const tiers = evidenceTiers(DEFAULT_PATH_REL_TYPES);
  expect(tiers[0].sort()).toEqual(['DIRECTORSHIP', 'OWNERSHIP']);
  expect(tiers.at(-1)!.sort()).toEqual([...DEFAULT_PATH_REL_TYPES].sort());
  for (let i = 1; i < tiers.length; i++) expect(tiers[i].length).toBeGreaterThan(tiers[i - 1].length);
  expect(evidenceTiers([...REL_TYPE_NAMES]).flat()).not.toContain('SANCTION');
  expect(evidenceTiers(['HAS_ADDRESS'])).toEqual([['HAS_ADDRESS']]);
});

test('the why line: each hop in words, link direction as the source states it, percentage, address, citations', () => {
  const nodes = [
    { id: 'zala', label: 'Zala Aero' },
    { id: 'zak', label: 'ZAKHAROV' },
    { id: 'aero', label: 'Aeroscan' },
  ];
  const own = [
    { source: 'zak', target: 'zala', type: 'OWNERSHIP', dataset: 'zala', release: '2026-04-29', record: 'entities.ftm.json:80 (id ru-d8c9)' },
    { source: 'zak', target: 'aero', type: 'OWNERSHIP', percentage: '100', dataset: 'zala', release: '2026-04-29', record: 'entities.ftm.json:65 (id ru-159c)' },
  ];
  expect(whyOf(nodes, own)).toBe(
    'ZAKHAROV owns Zala Aero (zala 2026-04-29, record entities.ftm.json:80 (id ru-d8c9)); ZAKHAROV owns 100% of Aeroscan (zala 2026-04-29, record entities.ftm.json:65 (id ru-159c))',
  );
  const viaAddress = [nodes[0], { id: 'addr', label: 'ПЕР ПЕРУНОВСКИИ Д 3' }, nodes[2]];
  const addr = [
    { source: 'zala', target: 'addr', type: 'HAS_ADDRESS', dataset: 'zala', release: '2026-04-29', record: 'a:1' },
    { source: 'aero', target: 'addr', type: 'HAS_ADDRESS', dataset: 'zala', release: '2026-04-29', record: 'a:2' },
  ];
  const [hop] = hopsOf(viaAddress, addr);
  expect(hop).toEqual({ text: 'Zala Aero and Aeroscan share the address ПЕР ПЕРУНОВСКИИ Д 3', weight: W.HAS_ADDRESS, edges: addr, citation: 'zala 2026-04-29, records a:1; a:2' });
  // The source's wording where it says more than the verb; a relationship without provenance says so.
  const dir = [{ source: 'zak', target: 'zala', type: 'DIRECTORSHIP', label: 'Leader or official of' }];
  expect(whyOf([nodes[1], nodes[0]], dir)).toBe('ZAKHAROV directs Zala Aero ("Leader or official of") (source not recorded)');
  // A path from an address (an exposure): first half a shared fact, then a whole one; not misread as pairs.
  const fromAddress = [{ id: 'addr', label: 'ПЕР ПЕРУНОВСКИИ Д 3' }, nodes[0], { id: 'addr2', label: 'IZHEVSK 426008' }, nodes[1]];
  const fromAddressEdges = [
    { source: 'zala', target: 'addr', type: 'HAS_ADDRESS' },
    { source: 'zala', target: 'addr2', type: 'HAS_ADDRESS' },
    { source: 'zak', target: 'addr2', type: 'HAS_ADDRESS' },
  ];
  expect(hopsOf(fromAddress, fromAddressEdges).map((h) => h.text)).toEqual([
    'Zala Aero has the address ПЕР ПЕРУНОВСКИИ Д 3',
    'Zala Aero and ZAKHAROV share the address IZHEVSK 426008',
  ]);
  expect(strengthOf(fromAddress, fromAddressEdges)).toBeCloseTo(W.HAS_ADDRESS ** 2, 12);
  // Wording that only repeats the type (FtM's schema name) is not repeated.
  expect(hopsOf(nodes.slice(0, 2), [{ ...own[0], label: 'Ownership' }])[0].text).toBe('ZAKHAROV owns Zala Aero');
  expect(citationOf([addr[0], { ...addr[1], dataset: 'ofac-sdn', release: '2024-05-03' }])).toBe('zala 2026-04-29, record a:1; ofac-sdn 2024-05-03, record a:2');
});
