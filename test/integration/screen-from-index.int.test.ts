/**
 * Screening scores its candidates from the in-memory name index's rows, which hold the listing facts
 * its explanations state too, and reads no party from Neo4j (server/api/screen.ts); without the index it
 * reads every candidate and scores it from its entity. Both paths must give the same answer: the same
 * matches in the same order, with the same scores and explanations (listing facts included). Here both answer the same queries against the bundled demo lists (OFAC
 * SDN 2024-05-03, UN 2025-11-18) in the same process, and their answers are compared whole:
 *  - names of every category of the labelled benchmark sets (bench/search-labelled.jsonl: typos, word
 *    order, legal forms, aliases, Arabic, Cyrillic, Han, Hangul; bench/screen-labelled.jsonl:
 *    identifiers typed loosely, names with a birth year and a country; bench/screen-pairs.jsonl: true
 *    and false pairs with kind, birth date and country), a sample of each;
 *  - queries made from the index's own parties, so that the facts read two ways are compared too: an
 *    organisation's name with one of its address countries and with a country it does not state, a
 *    person's name with another passport number of the country of theirs (a conflict), a party's
 *    identifier with and without its type, placeholders' names (listed by no list).
 * The index path keeps its candidates prepared for scoring (screen.ts preparedFromIndex): the same
 * queries screened with none prepared, then again with all prepared, must answer the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../../server/api/context';
import { requestDb } from '../../server/api/request';
import {
  forgetPreparedCandidates,
  prepareCandidates,
  preparedCandidatesLimit,
  preparedCount,
  preparedFromIndex,
  screen,
  setPreparedCandidatesLimit,
  type ScreenAnswer,
} from '../../server/api/screen';
import type { Database, Params } from '../../server/core/neo4j/database';
import { searchIndexReady } from '../../server/core/search/live';
import type { IndexedParty } from '../../server/core/search/name-index';
import { REPO_ROOT } from '../../server/core/settings';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, testDatabase } from '../helpers';

const DEMO = path.join(REPO_ROOT, 'ingest', 'demo');
let db: Database;
let parties: readonly IndexedParty[];

type Query = Record<string, unknown>;

function jsonLines<T>(file: string): T[] {
  return fs
    .readFileSync(path.join(REPO_ROOT, 'bench', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** Every k-th row of each category, at most `per` of each. */
function sample<T>(rows: T[], category: (r: T) => string, per: number): T[] {
  const by = new Map<string, T[]>();
  for (const r of rows) by.set(category(r), [...(by.get(category(r)) ?? []), r]);
  return [...by.values()].flatMap((rs) => rs.filter((_, i) => i % Math.max(1, Math.floor(rs.length / per)) === 0).slice(0, per));
}

/** The database a request would use, with its reads of parties (api-entities) recorded: how many ids each asked for. */
function recorded(): { db: Database; entityReads: number[] } {
  const entityReads: number[] = [];
  const spy = Object.create(db) as Database;
  spy.read = (name: string, params: Params = {}, ...rest: unknown[]) => {
    if (name === 'api-entities') entityReads.push((params.ids as string[]).length);
    return (db.read as (...a: unknown[]) => Promise<never[]>)(name, params, ...rest);
  };
  return { db: spy, entityReads };
}

/** The query screened both ways, each as a request of its own. */
async function bothWays(input: Query, more: { first?: number; threshold?: number } = {}) {
  const args = { input, first: more.first ?? 10, threshold: more.threshold ?? 0 };
  const a = recorded();
  const aCtx: Context = { db: a.db };
  const fast = await screen(requestDb(aCtx), aCtx, args);
  const b = recorded();
  const bCtx: Context = { db: b.db };
  const slow = await screen(requestDb(bCtx), bCtx, args, { fromIndex: false });
  return { fast, slow, fastReads: a.entityReads, slowReads: b.entityReads };
}

const described = (q: Query) => JSON.stringify(q);
const labels = (answers: ScreenAnswer[]) => new Set(answers.flatMap((a) => a.matches.flatMap((m) => m.explanation.map((f) => f.label))));

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(DEMO, 'ofac-sdn-2024-05-03', 'sdn.csv')], release: '2024-05-03' });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(DEMO, 'un-sc-2025-11-18', 'consolidated.xml')] });
  parties = (await searchIndexReady(db)).allParties;
  // The name counts are built on the first screen: not raced by the comparisons.
  const ctx: Context = { db };
  await screen(requestDb(ctx), ctx, { input: { name: 'warm up' } });
}, 900_000);
afterAll(async () => {
  await db.close();
});

/** Screens each query both ways; the answers must be equal; returns the index path's answers. */
async function compareAll(queries: Query[], more: { first?: number; threshold?: number } = {}): Promise<ScreenAnswer[]> {
  const answers: ScreenAnswer[] = [];
  const differ: string[] = [];
  for (const q of queries) {
    const { fast, slow, fastReads, slowReads } = await bothWays(q, more);
    // No party is read by the index path (ScreenMatch.entity reads a match's when asked), every candidate by the other.
    expect(fastReads).toEqual([]);
    expect(slowReads.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(slow.matches.length);
    try {
      expect(fast).toEqual(slow);
    } catch (err) {
      differ.push(`${described(q)}: ${(err as Error).message.slice(0, 2000)}`);
    }
    answers.push(fast);
  }
  expect(differ).toEqual([]);
  return answers;
}

test('labelled names of every category: the same answer from the index as from the entities', async () => {
  const named = sample(jsonLines<{ category: string; query: string }>('search-labelled.jsonl'), (r) => r.category, 15);
  expect(new Set(named.map((r) => r.category)).size).toBeGreaterThanOrEqual(8);
  const answers = await compareAll(named.map((r) => ({ name: r.query })));
  // Not a comparison of empty answers: most queries find their party, some read from Hangul.
  expect(answers.filter((a) => a.matches.length > 0).length).toBeGreaterThan(named.length * 0.9);
  expect(labels(answers)).toContain('Read as');
}, 600_000);

test('labelled identifiers and names with birth year and country, and the true and false pairs: the same answers', async () => {
  const labelled = sample(jsonLines<{ category: string; query: Query }>('screen-labelled.jsonl'), (r) => r.category, 12);
  const pairs = sample(jsonLines<{ kind: string; query: Query }>('screen-pairs.jsonl'), (r) => r.kind, 6);
  const answers = await compareAll([...labelled.map((r) => r.query), ...pairs.map((r) => r.query)]);
  for (const label of ['Found by identifier', 'Shared identifier', 'Birth date', 'Country']) expect(labels(answers)).toContain(label);
  // And at the default threshold, as a caller asks.
  await compareAll(labelled.slice(0, 30).map((r) => r.query), { first: 5, threshold: undefined });
}, 600_000);

test("queries made from the parties' own facts (address countries, identifiers, a conflicting passport): the same answers", async () => {
  const orgs = parties.filter((p) => p.kinds[0] === 'Organization' && p.nationalities.length === 0 && p.addressCountries.length > 0);
  const withPassport = parties.filter((p) => p.kinds[0] === 'Person' && p.identifiers.some((x, i) => i % 3 === 0 && x === 'passport' && p.identifiers[i + 2] !== null));
  const withIds = parties.filter((p) => p.identifiers.length >= 6);
  const placeholders = parties.filter((p) => p.kinds.includes('Placeholder'));
  // The demo lists have each kind of party in numbers (UN entities with addresses only, OFAC passports,
  // parties the lists reference by name only).
  for (const group of [orgs, withPassport, withIds]) expect(group.length).toBeGreaterThanOrEqual(20);
  expect(placeholders.length).toBeGreaterThanOrEqual(5);
  const every = <T>(xs: T[], n: number) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / n)) === 0).slice(0, n);
  const queries: Query[] = [];
  for (const p of every(orgs, 20)) {
    queries.push({ name: p.name, country: p.addressCountries[0] });
    queries.push({ name: p.name, kind: 'Organization', country: p.addressCountries[0] === 'Iran' ? 'Japan' : 'Iran' });
  }
  for (const p of every(withPassport, 20)) {
    const i = p.identifiers.findIndex((x, k) => k % 3 === 0 && x === 'passport' && p.identifiers[k + 2] !== null);
    queries.push({ name: p.name, identifiers: [{ type: 'passport', value: `9${p.identifiers[i + 1]}7`, country: p.identifiers[i + 2] }] });
  }
  for (const p of every(withIds, 20)) {
    queries.push({ identifiers: [{ type: p.identifiers[0], value: p.identifiers[1] }] });
    queries.push({ name: p.name, identifiers: [{ value: p.identifiers[4] }] });
  }
  for (const p of every(placeholders, 20)) queries.push({ name: p.name });
  const answers = await compareAll(queries);
  for (const label of ['Country', 'Conflicting identifier', 'Shared identifier', 'Found by identifier', 'Listed on', 'Programs']) expect(labels(answers)).toContain(label);
  // The listing facts of both kinds of match were compared: a listed party's lists, and a placeholder's.
  const lists = new Set(answers.flatMap((a) => a.matches.flatMap((m) => m.explanation.filter((f) => f.label === 'Lists').map((f) => f.value.split(':')[0]))));
  expect(lists).toContain('none');
  expect(lists).toContain('ofac-sdn');
}, 600_000);

test('candidates kept prepared: the same answers with none prepared as with all prepared by an earlier screen, and as from the entities', async () => {
  const index = await searchIndexReady(db);
  const named = sample(jsonLines<{ category: string; query: string }>('search-labelled.jsonl'), (r) => r.category, 6).map((r): Query => ({ name: r.query }));
  const labelled = sample(jsonLines<{ category: string; query: Query }>('screen-labelled.jsonl'), (r) => r.category, 4).map((r) => r.query);
  const queries = [...named, ...labelled];
  const args = (input: Query) => ({ input, first: 10, threshold: 0 });
  forgetPreparedCandidates(index);
  expect(preparedCount(index)).toBe(0);
  const cold: ScreenAnswer[] = [];
  for (const q of queries) {
    const ctx: Context = { db };
    cold.push(await screen(requestDb(ctx), ctx, args(q)));
  }
  const kept = preparedCount(index);
  // Their candidates were prepared and kept (fewer than the bound: none was dropped).
  expect(kept).toBeGreaterThan(queries.length * 5);
  expect(kept).toBeLessThan(preparedCandidatesLimit());
  const differ: string[] = [];
  for (const [i, q] of queries.entries()) {
    const { fast, slow } = await bothWays(q);
    if (JSON.stringify(fast) !== JSON.stringify(cold[i]) || JSON.stringify(slow) !== JSON.stringify(cold[i])) differ.push(described(q));
  }
  expect(differ).toEqual([]);
  // The second screens prepared nothing again: every candidate was found kept.
  expect(preparedCount(index)).toBe(kept);
  expect(cold.filter((a) => a.matches.length > 0).length).toBeGreaterThan(queries.length * 0.9);
}, 600_000);

test('candidates kept prepared: at most SCREEN_PREPARED_CANDIDATES of an index, the least recently screened dropped first', () => {
  return searchIndexReady(db).then((index) => {
    const rows = index.allParties;
    // A bound below the demo lists' parties: all of them prepared, the first ones are dropped.
    const PREPARED_CANDIDATES = 10_000;
    const was = setPreparedCandidatesLimit(PREPARED_CANDIDATES);
    try {
      expect(rows.length).toBeGreaterThan(PREPARED_CANDIDATES);
      forgetPreparedCandidates(index);
      const first = preparedFromIndex(index, rows[0]);
      const second = preparedFromIndex(index, rows[1]);
      for (const r of rows.slice(2)) {
        preparedFromIndex(index, r);
        // Screened again now and then: the first stays among the most recently screened.
        if (preparedCount(index) % 1000 === 0) expect(preparedFromIndex(index, rows[0])).toBe(first);
      }
      expect(preparedCount(index)).toBe(PREPARED_CANDIDATES);
      const last = rows[rows.length - 1];
      expect(preparedFromIndex(index, last)).toBe(preparedFromIndex(index, last));
      expect(preparedFromIndex(index, rows[0])).toBe(first);
      // The second was not screened again: dropped, and prepared anew (equal, but another object).
      const again = preparedFromIndex(index, rows[1]);
      expect(again).not.toBe(second);
      expect(again).toEqual(second);
      expect(preparedCount(index)).toBe(PREPARED_CANDIDATES);
    } finally {
      setPreparedCandidatesLimit(was);
    }
  });
}, 600_000);

test('candidates prepared in the background after a load: every party up to the bound, the same answers as prepared per screen', async () => {
  const index = await searchIndexReady(db);
  const queries = sample(jsonLines<{ category: string; query: string }>('search-labelled.jsonl'), (r) => r.category, 4).map((r): Query => ({ name: r.query }));
  const args = (input: Query) => ({ input, first: 10, threshold: 0 });
  const screenAll = async () => {
    const out: string[] = [];
    for (const q of queries) {
      const ctx: Context = { db };
      out.push(JSON.stringify(await screen(requestDb(ctx), ctx, args(q))));
    }
    return out;
  };
  // None prepared, none in the background: each screen prepares its own candidates.
  forgetPreparedCandidates(index);
  const cold = await screenAll();
  const byScreens = preparedCount(index);
  expect(byScreens).toBeLessThan(index.allParties.length / 2);
  // A bound below the parties: the background stops there and drops nothing screens prepared.
  const was = setPreparedCandidatesLimit(index.allParties.length - 1000);
  try {
    await expect(prepareCandidates(index)).resolves.toBe(index.allParties.length - 1000);
    expect(preparedCount(index)).toBe(index.allParties.length - 1000);
  } finally {
    setPreparedCandidatesLimit(was);
  }
  // Forgotten, then all prepared in the background: same answers, and the screens prepared nothing more.
  forgetPreparedCandidates(index);
  await expect(prepareCandidates(index)).resolves.toBe(Math.min(index.allParties.length, preparedCandidatesLimit()));
  const warm = await screenAll();
  expect(preparedCount(index)).toBe(Math.min(index.allParties.length, preparedCandidatesLimit()));
  expect(warm).toEqual(cold);
}, 600_000);
