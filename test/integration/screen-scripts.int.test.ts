/**
 * Screening names written in Hangul and Han (server/core/screening/readings.ts) against the bundled demo
 * lists (OFAC SDN 2024-05-03, UN 2025-11-18), which write DPRK names only in Latin letters. The Hangul
 * names are those of the search benchmark (bench/search-labelled.jsonl, category script-hangul: each
 * made from a listed DPRK person's real name, syllable by syllable, by bench/search-labelled.ts), so
 * the expected parties come from the lists, not from this test.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../../server/api/context';
import { requestDb } from '../../server/api/request';
import { FULL_TEXT_NAME_NOTE, screen, SCREEN_THRESHOLD } from '../../server/api/screen';
import { REPO_ROOT } from '../../server/core/settings';
import type { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { searchIndexReady } from '../../server/core/search/live';
import { LOAD_DEFAULTS, resetDatabase, testDatabase } from '../helpers';

const DEMO = path.join(REPO_ROOT, 'ingest', 'demo');
let db: Database;

interface Labelled {
  category: string;
  query: string;
  expect: string[];
  from: { id: string; name: string };
}
const hangul = fs
  .readFileSync(path.join(REPO_ROOT, 'bench', 'search-labelled.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Labelled)
  .filter((r) => r.category === 'script-hangul');

async function screenName(name: string, threshold = 0) {
  const ctx: Context = { db };
  return screen(requestDb(ctx), ctx, { input: { name }, first: 5, threshold });
}

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(DEMO, 'ofac-sdn-2024-05-03', 'sdn.csv')], release: '2024-05-03' });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(DEMO, 'un-sc-2025-11-18', 'consolidated.xml')] });
  // Screened through the name index, as a running server does (npm start builds it at start-up): a first
  // request waits for the build only FIRST_BUILD_WAIT_MS (live.ts), and on a busy machine the build took
  // longer (18.6 s), so the first screen went to the full-text fallback, which has no readings of Hangul.
  await searchIndexReady(db);
}, 900_000);
afterAll(async () => {
  await db.close();
});

test('the labelled Hangul names are real ones of the lists (at least 100 of them)', () => {
  expect(hangul.length).toBeGreaterThanOrEqual(100);
  for (const r of hangul) expect(r.query).toMatch(/^\p{Script=Hangul}+$/u);
});

test('a listed DPRK person written in Hangul is screened to that person, first and above the threshold, read as the lists spell the name', async () => {
  // 리원호 (RI Won Ho, OFAC 19609 and UN KPi.033), the first labelled query from an OFAC name.
  const r = await screenName('리원호');
  expect(r.nameLookup).toBe('NAME_INDEX');
  expect(r.identifiers).toEqual([]);
  const top = r.matches[0];
  expect(['ofac-19609', 'un-KPi.033']).toContain(top.id);
  expect(top.score).toBeGreaterThanOrEqual(SCREEN_THRESHOLD);
  expect(top.explanation).toContainEqual({ label: 'Read as', value: 'Hangul 리원호 read as RI WON HO (McCune-Reischauer, as the lists write DPRK names)' });
  expect(top.explanation.find((f) => f.label === 'Name')?.value).toMatch(/^RI WON HO ~ /);
}, 120_000);

test('at least 80 % of the labelled Hangul names screen to their party first and above the threshold', async () => {
  let first = 0;
  const misses: string[] = [];
  for (const r of hangul) {
    const m = (await screenName(r.query)).matches[0];
    if (m && r.expect.includes(m.id) && m.score >= SCREEN_THRESHOLD) first++;
    else misses.push(`${r.query} (${r.from.name}): got ${m ? `${m.id} ${m.score}` : 'nothing'}`);
  }
  // The misses are printed for whoever reads a failure; the bound is the issue's goal.
  if (first / hangul.length < 0.8) console.log(misses.join('\n'));
  expect(first / hangul.length).toBeGreaterThanOrEqual(0.8);
}, 600_000);

test('a Hangul name nobody listed bears stays below the threshold', async () => {
  // 홍길동 (Hong Gil-dong, the Korean "John Doe") and 배수지 (a South Korean singer): no listed party's name.
  for (const name of ['홍길동', '배수지']) {
    const r = await screenName(name);
    expect(r.matches.length).toBeGreaterThan(0); // candidates were found and scored
    expect(r.matches[0].score).toBeLessThan(SCREEN_THRESHOLD);
  }
}, 120_000);

test('a Han name is read by its Korean reading; a Latin name is compared as written (no reading)', async () => {
  const han = await screenName('李元浩');
  expect(['ofac-19609', 'un-KPi.033']).toContain(han.matches[0].id);
  expect(han.matches[0].explanation.find((f) => f.label === 'Read as')?.value).toBe('Han 李元浩 read as RI WON HO (Korean readings of the Han characters)');
  const latin = await screenName('RI Won Ho');
  expect(['ofac-19609', 'un-KPi.033']).toContain(latin.matches[0].id);
  expect(latin.matches[0].explanation.some((f) => f.label === 'Read as')).toBe(false);
}, 120_000);

test('a screen while the name index is rebuilt after a load says its name was searched with the full-text index', async () => {
  await searchIndexReady(db);
  // Another load commits: the index no longer sees what requests see, and is rebuilt in the background.
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(DEMO, 'un-sc-2025-11-18', 'consolidated.xml')] });
  // The first screen after the commit starts the rebuild and does not wait for it (an index was built before).
  const during = await screenName('리원호');
  expect(during.nameLookup).toBe('FULL_TEXT');
  expect(during.identifiers[0]).toEqual({ label: 'name', value: FULL_TEXT_NAME_NOTE });
  // The full-text index has no reading of the Hangul: this is why the answer must say how it was made.
  expect(during.matches.map((m) => m.id)).not.toContain('ofac-19609');
  await searchIndexReady(db);
  const after = await screenName('리원호');
  expect(after.nameLookup).toBe('NAME_INDEX');
  expect(after.identifiers).toEqual([]);
  expect(['ofac-19609', 'un-KPi.033']).toContain(after.matches[0]?.id);
  // A screen by identifiers alone searches no name.
  const byId = await screen(requestDb({ db }), { db }, { input: { identifiers: [{ value: 'someone@example.com' }] }, threshold: 0 });
  expect(byId.nameLookup).toBeNull();
}, 600_000);
