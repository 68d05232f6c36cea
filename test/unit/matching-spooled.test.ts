/**
 * findCandidatesSpooled (server/core/matching/spooled.ts), which the refresh after every load uses,
 * gives exactly findCandidates' candidates (the same JSON, in the same order) on the real UN
 * (2025-11-18) and OFAC SDN (2024-05-03) lists, with its files made small (several pair files, a short
 * LRU of prepared parties) so that every path of the passes runs; its work folder is removed; and it
 * refuses parties out of id order (whose ranks it relies on) with a clear error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseUnXml } from '../../ingest/sources/un-xml';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { findCandidates, type FindOptions, type MatchParty } from '../../server/core/matching/match';
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

const spooled = async (opts: FindOptions, pageSize = 997) =>
  findCandidatesSpooled(pagesOf(parties, pageSize), { ...opts, dir, partiesPerPairFile: 2_500, keep: 300 });

describe('the same candidates as findCandidates, in bounded memory', () => {
  test.each<[string, FindOptions]>([
    ['every blocked pair (minScore 0)', { minScore: 0 }],
    ['those touching the UN list (the refresh after its load)', { touchingDatasets: ['un-sc'] }],
  ])('%s', async (_, opts) => {
    const expected = findCandidates(parties, opts);
    const { candidates, stats } = await spooled(opts);
    expect(expected.length).toBeGreaterThan(opts.minScore === 0 ? 5_000 : 500);
    expect(JSON.stringify(candidates)).toBe(JSON.stringify(expected));
    expect(stats.parties).toBe(parties.length);
    // Several pair files were made (2,500 parties each), and every one of them removed with the folder.
    expect(parties.length / 2_500).toBeGreaterThan(5);
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 300_000);
});

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
