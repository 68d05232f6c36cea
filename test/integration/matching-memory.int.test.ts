/**
 * The candidate matching a load refreshes (server/core/matching/refresh.ts, through spooled.ts) holds no
 * structure as large as the lists (issue 11): measured on the x2 scale data (made by the scale generator
 * from the real SDN and UN lists: 29,930 + 2,000 parties), fed in pages of MATCH_PAGE in id order as
 * the refresh reads them from the graph, the heap it keeps alive (after a full garbage collection, at
 * every page and every work file) stays under a third of what holding every party prepared does (as
 * findCandidates holds them, and the refresh did until it spooled: 1.8 GB of RSS at x16), and it finds
 * the same candidates as findCandidates over all of them, byte for byte. The second measure shows the
 * first can see a whole list held.
 *
 * What spooled matching holds is set by its bounds (prepared parties kept for scoring, parties per pair
 * file), not by the list. The test sets them smaller than a load's defaults (SMALL_BOUNDS) so that x2
 * data shows the gap x4 data showed with the defaults (52 vs 172 MB), in a tenth of the time: building
 * and matching x4 took 7 minutes of CI on a busy machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { generateScale, DEFAULT_SOURCES } from '../../bench/scale/generate';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { parseUnXml } from '../../ingest/sources/un-xml';
import { findCandidates, prepare, type Caches, type MatchParty } from '../../server/core/matching/match';
import { MATCH_PAGE } from '../../server/core/matching/refresh';
import { findCandidatesSpooled } from '../../server/core/matching/spooled';
import { matchParties } from '../../bench/matching';
import { liveHeap, MB } from '../live-heap';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-matching-memory-'));
/** Every party of the x2 lists as matching reads it, one JSON line each, ascending by id. */
const partiesFile = path.join(tmp, 'parties.jsonl');
let partyCount = 0;
const UN_DATASET = 'un-sc';
/** Bounds of spooled matching a fifth of a load's (PREPARED_KEPT, PARTIES_PER_PAIR_PART: anchors held per pair file). */
const SMALL_BOUNDS = { keep: 200, partiesPerPairFile: 1_000 };

beforeAll(async () => {
  const scale = await generateScale({ factor: 2, seed: '1', out: tmp });
  const ofacFiles = fs.readdirSync(scale.ofac.folder).sort().map((f) => path.join(scale.ofac.folder, f));
  const ofac = await parseOfacCsv(ofacFiles, { release: DEFAULT_SOURCES.ofacRelease, releaseFrom: 'flag' });
  const un = await parseUnXml([path.join(scale.un.folder, 'consolidated.xml')], {});
  const parties = [ofac, un].flatMap(matchParties).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  expect(parties.filter((p) => p.dataset === UN_DATASET).length).toBe(scale.un.parties);
  fs.writeFileSync(partiesFile, parties.map((p) => `${JSON.stringify(p)}\n`).join(''));
  partyCount = parties.length;
}, 1_200_000);
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The parties in pages of MATCH_PAGE, read from the file as they are asked for (as from the graph). */
async function* pages(sample: () => void): AsyncGenerator<MatchParty[]> {
  let page: MatchParty[] = [];
  for await (const line of readline.createInterface({ input: fs.createReadStream(partiesFile), crlfDelay: Infinity })) {
    page.push(JSON.parse(line) as MatchParty);
    if (page.length === MATCH_PAGE) {
      sample();
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

test('matching keeps less than a third of the heap every party held and prepared takes, and finds the same candidates', async () => {
  const start = liveHeap();
  let peak = 0;
  // A full collection per call (~170 calls: pages, 128 key files, pair files) took 8 minutes late in a
  // whole test run, whose heap holds every earlier test file's leftovers: every 8th call is measured.
  // What holding every party would keep is there at every call after the read, so it is still seen.
  let calls = 0;
  const sample = () => {
    if (calls++ % 8 === 0) peak = Math.max(peak, liveHeap() - start);
  };
  const spooled = await findCandidatesSpooled(pages(sample), { touchingDatasets: [UN_DATASET], dir: tmp, progress: sample, ...SMALL_BOUNDS });
  expect(spooled.stats.parties).toBe(partyCount);
  peak = Math.max(peak, liveHeap() - start);
  const spooledJson = JSON.stringify(spooled.candidates);
  const candidates = spooled.candidates.length;
  spooled.candidates.length = 0;

  // What the refresh held before it spooled: every party, read in pages into one array, and prepared
  // for comparison (what findCandidates holds besides its blocks and pairs).
  const before = liveHeap();
  const all: MatchParty[] = [];
  for await (const page of pages(() => undefined)) all.push(...page);
  const caches: Caches = { dates: new Map(), countries: new Map() };
  const prepared = all.map((p) => prepare(p, caches));
  const held = liveHeap() - before;
  expect(prepared.length).toBe(partyCount);
  prepared.length = 0;
  const expected = JSON.stringify(findCandidates(all, { touchingDatasets: [UN_DATASET] }));

  console.log(`x2: ${partyCount} parties (${MB(fs.statSync(partiesFile).size)} of JSON), ${candidates} candidates; live heap peak of spooled matching ${MB(peak)}, every party held and prepared ${MB(held)}`);
  expect(candidates).toBeGreaterThan(500);
  expect(spooledJson).toBe(expected);
  expect(held).toBeGreaterThan(50e6);
  expect(peak).toBeLessThan(held / 3);
}, 1_800_000);
