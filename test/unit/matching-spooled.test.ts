/**
 * findCandidatesSpooled (server/core/matching/spooled.ts), which the refresh after every load uses,
 * gives exactly findCandidates' candidates (the same JSON, in the same order) on the real UN
 * (2025-11-18) and OFAC SDN (2024-05-03) lists, with its files made small (several pair files, a short
 * LRU of prepared parties) so that every path of the passes runs, at several thresholds (the pairs
 * Comparer.mayReach rules out are not compared: none of them would have been a candidate); its work
 * folder is removed; and it refuses parties out of id order (whose ranks it relies on) with a clear error.
 * Comparer.mayReach itself is never false for a pair that reaches the threshold, and rules most out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseUnXml } from '../../ingest/sources/un-xml';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { Comparer, findCandidates, kindRelation, prepare, type FindOptions, type MatchParty } from '../../server/core/matching/match';
import { findCandidatesSpooled } from '../../server/core/matching/spooled';
import { matchParties } from '../../bench/matching';
import { SHARED } from '../helpers';

const UN = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');
const SDN = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');

async function* pagesOf(parties: readonly MatchParty[], size: number): AsyncGenerator<MatchParty[]> {
  for (let i = 0; i < parties.length; i += size) yield parties.slice(i, i + size);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-matching-spooled-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The parties as the refresh reads them: one per id (one node), ascending by id. */
let parties: MatchParty[];
beforeAll(async () => {
  const un = await parseUnXml([UN], {});
  const sdn = await parseOfacCsv([SDN], { release: '2024-05-03', releaseFrom: 'path' });
  parties = [un, sdn].flatMap(matchParties).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}, 120_000);

/** Anchor parties per pair file: several files whichever datasets are singled out (the UN list has about 1,000 parties). */
const SPAN = 300;

const spooled = async (opts: FindOptions, pageSize = 997) =>
  findCandidatesSpooled(pagesOf(parties, pageSize), { ...opts, dir, partiesPerPairFile: SPAN, keep: 100 });

describe('the same candidates as findCandidates, in bounded memory', () => {
  test.each<[string, FindOptions, number]>([
    ['every blocked pair (minScore 0)', { minScore: 0 }, 5_000],
    ['those touching the UN list (the refresh after its load)', { touchingDatasets: ['un-sc'] }, 500],
    ['those touching the UN list at 0.5', { touchingDatasets: ['un-sc'], minScore: 0.5 }, 600],
    ['those touching the UN list at 0.9', { touchingDatasets: ['un-sc'], minScore: 0.9 }, 200],
    ['those touching the SDN list (anchors: the larger list)', { touchingDatasets: ['ofac-sdn'] }, 500],
  ])('%s', async (_, opts, least) => {
    const expected = findCandidates(parties, opts);
    const { candidates, stats } = await spooled(opts);
    expect(expected.length).toBeGreaterThan(least);
    expect(JSON.stringify(candidates)).toBe(JSON.stringify(expected));
    expect(stats.parties).toBe(parties.length);
    // Above a threshold, most pairs with enough bits are ruled out without a comparison; at 0, none.
    if (opts.minScore === 0) expect(stats.compared).toBe(stats.scored);
    else expect(stats.compared).toBeLessThan(stats.scored / 2);
    // Several pair files were made (SPAN anchors each), and every one of them removed with the folder.
    const anchors = opts.touchingDatasets ? parties.filter((p) => opts.touchingDatasets!.includes(p.dataset)).length : parties.length;
    expect(anchors / SPAN).toBeGreaterThan(3);
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 300_000);
});

test('Comparer.mayReach is true for every blocked pair whose score reaches the threshold, and false for most of the others', () => {
  // Every blocked pair with its score (findCandidates with minScore 0), compared again by a Comparer of
  // the same parties (the same indices: findCandidates sorts them by id, as they are here).
  const all = findCandidates(parties, { minScore: 0 });
  const caches = { dates: new Map(), countries: new Map() };
  const prepared = parties.map((p) => prepare(p, caches));
  const index = new Map(parties.map((p, i) => [p.id, i]));
  const comparer = new Comparer(prepared);
  for (const threshold of [0.5, 0.7, 0.9]) {
    let reaching = 0;
    let ruledOut = 0;
    for (const c of all) {
      const a = index.get(c.a)!;
      const b = index.get(c.b)!;
      const may = comparer.mayReach(a, b, kindRelation(parties[a].kind, parties[b].kind)!, threshold);
      if (c.score >= threshold) {
        reaching++;
        if (!may) throw new Error(`mayReach(${c.a}, ${c.b}, ${threshold}) is false, but the pair scores ${c.score}`);
      } else if (!may) ruledOut++;
    }
    expect(reaching).toBeGreaterThan(100);
    expect(ruledOut).toBeGreaterThan((all.length - reaching) / 2);
  }
  expect(comparer.mayReach(0, 1, 'same', 0)).toBe(true);
}, 300_000);

test('an identifier holding a line break and a backslash blocks as findCandidates blocks it', async () => {
  const email = 'odd\\name\n@example.org';
  const party = (id: string, dataset: string, name: string): MatchParty => ({
    id, dataset, kind: 'Person', names: [name], birthDates: ['1970'], nationalities: [], identifiers: [{ type: 'email', value: email, country: null }],
  });
  const two = [party('a-1', 'x', 'Ivan Petrov'), party('b-1', 'y', 'Petrov Ivan Sergeevich')];
  const expected = findCandidates(two, { minScore: 0 });
  expect(expected.map((c) => c.features.identifiers)).toEqual([[`email: ${email}`]]);
  const { candidates } = await findCandidatesSpooled(pagesOf(two, 1), { minScore: 0, dir });
  expect(candidates).toEqual(expected);
});

test('parties out of id order are refused, naming the two ids, and the work folder is removed', async () => {
  const swapped = [parties[1], parties[0], ...parties.slice(2, 50)];
  await expect(findCandidatesSpooled(pagesOf(swapped, 10), { dir })).rejects.toThrow(`"${parties[0].id}" after "${parties[1].id}"`);
  expect(fs.readdirSync(dir)).toEqual([]);
});
