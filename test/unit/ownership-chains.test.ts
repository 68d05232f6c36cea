/**
 * The chains of an ownership verdict (server/core/ownership/chains.ts), who counts as listed on a date
 * (stakes.ts listedAt), and a holding stated with and without a percentage (aggregate.ts).
 */
import { aggregateOwnership, type OwnershipParty, type Stake } from '../../server/core/ownership/aggregate';
import { ownershipChains } from '../../server/core/ownership/chains';
import { listedAt, type ListingFacts } from '../../server/core/ownership/stakes';

let n = 0;
const stake = (owner: string, asset: string, percentage: string | null): Stake => ({ id: `s${++n}`, owner, asset, percentage, startDate: null, endDate: null });
const partiesOf = (listed: string[], others: string[]) =>
  new Map<string, OwnershipParty>([...listed.map((id) => [id, { id, name: id, listed: true }] as const), ...others.map((id) => [id, { id, name: id, listed: false }] as const)]);

test('the issue\'s example: X 80% of A, A 30% of T, Y 30% of T: chains X -> A -> T (24% economic, 30% counted) and Y -> T', () => {
  const stakes = [stake('X', 'A', '80'), stake('A', 'T', '30'), stake('Y', 'T', '30')];
  const result = aggregateOwnership({ target: 'T', rule: 'OFAC', asOf: '2026-01-01', stakes, parties: partiesOf(['X', 'Y'], ['A', 'T']) });
  expect(result.share).toEqual({ low: 60, high: 60 });
  const { chains, truncated } = ownershipChains(result, 50);
  expect(truncated).toBe(false);
  expect(chains.map((c) => [c.links.map((l) => l.owner), c.economicShare, c.counted.low])).toEqual([
    [['X', 'A'], 24, 30],
    [['Y'], 30, 30],
  ]);
  expect(chains[0].arithmetic).toBe(
    "X (listed) holds 80% of A; A holds 30% of T; economic interest 80% x 30% = 24%; under OFAC's rule A is itself blocked, so the stake held in T counts in full: 30%.",
  );
});

test('a ring is walked once per party, and the bound on chains says it cut them', () => {
  // X (listed) 60% of A; A 60% of B; B 60% of A (a ring); A 50% of T and B 50% of T.
  const stakes = [stake('X', 'A', '60'), stake('A', 'B', '60'), stake('B', 'A', '60'), stake('A', 'T', '50'), stake('B', 'T', '50')];
  const result = aggregateOwnership({ target: 'T', rule: 'OFAC', asOf: '2026-01-01', stakes, parties: partiesOf(['X'], ['A', 'B', 'T']) });
  const { chains } = ownershipChains(result, 50);
  expect(chains.map((c) => c.links.map((l) => l.owner).join('>'))).toEqual(['X>A', 'X>A>B']);
  expect(ownershipChains(result, 1)).toMatchObject({ truncated: true, chains: [expect.anything()] });
});

test('an unknown share: no economic share, nothing counted, said in words', () => {
  const result = aggregateOwnership({ target: 'T', rule: 'EU', asOf: '2026-01-01', stakes: [stake('X', 'T', null)], parties: partiesOf(['X'], ['T']) });
  const [chain] = ownershipChains(result, 50).chains;
  expect(chain).toMatchObject({ economicShare: null, counted: { low: 0, high: 100 } });
  expect(chain.arithmetic).toBe('X (listed) holds a share unknown (the source gives no percentage) of T; share unknown: not counted in the known total, never assumed.');
});

test('a holding stated with a percentage and without one is the percentage (the other statement adds nothing)', () => {
  const result = aggregateOwnership({ target: 'T', rule: 'OFAC', asOf: '2026-01-01', stakes: [stake('X', 'T', null), stake('X', 'T', '49')], parties: partiesOf(['X'], ['T']) });
  expect(result.share).toEqual({ low: 49, high: 49 });
  expect(result.verdict).toBe('NOT_BLOCKED');
});

describe('listed on a date', () => {
  const party = (p: Partial<ListingFacts>): ListingFacts => ({ eid: 'e', id: 'p', name: 'P', placeholder: false, programs: 1, datasets: 1, formerDatasets: 0, listedOn: null, delistedOn: null, ...p });
  test.each([
    ['listed, designation undated', party({}), '2000-01-01', true],
    ['designated later', party({ listedOn: '2023-07-01' }), '2023-06-30', false],
    ['designated that day', party({ listedOn: '2023-07-01' }), '2023-07-01', true],
    ['designated in that year (a year only)', party({ listedOn: '2023' }), '2023-03-01', true],
    ['delisted after the date', party({ datasets: 0, formerDatasets: 1, delistedOn: '2024-05-03' }), '2024-04-26', true],
    ['delisted before the date', party({ datasets: 0, formerDatasets: 1, delistedOn: '2024-05-03' }), '2024-05-03', false],
    ['a placeholder', party({ placeholder: true }), '2024-01-01', false],
    ['listed without a program (a related party)', party({ programs: 0 }), '2024-01-01', false],
  ])('%s', (_what, p, day, listed) => expect(listedAt(p, day)).toBe(listed));
});
