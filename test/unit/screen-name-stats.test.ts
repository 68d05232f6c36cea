/**
 * Screening's name counts (server/core/screening/name-stats.ts) are counted in slices that give the
 * event loop back: on the real OFAC SDN list of 2024-05-03, a timer set before counting fires before
 * the count ends (a synchronous count would hold the loop, /healthz included, until the end), and the
 * sliced counts equal the counts made in one go.
 */
import path from 'node:path';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { nameStatsOf } from '../../server/core/matching/match';
import { nameStatsSliced } from '../../server/core/screening/name-stats';
import { SHARED } from '../helpers';

let names: string[][];

beforeAll(async () => {
  const sdn = await parseOfacCsv([path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], { release: '2024-05-03', releaseFrom: 'path' });
  names = sdn.parties.map((p) => [p.name, ...p.aliases.map((a) => a.name)]);
  expect(names.length).toBeGreaterThan(14_000);
});

test('the event loop runs between slices, and the counts are those of one pass', async () => {
  let ended = false;
  const sliced = nameStatsSliced(names).then((stats) => {
    ended = true;
    return stats;
  });
  // Set after the count began: a count that never yields ends (and resolves) before this runs.
  const endedAtProbe = await new Promise<boolean>((resolve) => setImmediate(() => resolve(ended)));
  expect(endedAtProbe).toBe(false);
  const stats = await sliced;
  const whole = nameStatsOf(names);
  expect(stats.parties).toBe(whole.parties);
  expect(whole.words.size).toBeGreaterThan(10_000);
  expect([...stats.words].sort()).toEqual([...whole.words].sort());
  expect([...stats.names].sort()).toEqual([...whole.names].sort());
});
