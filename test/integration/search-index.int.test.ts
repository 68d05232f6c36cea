/**
 * The in-memory name index follows the loads (server/core/search/live.ts), against the real Neo4j and
 * the real OFAC SDN lists of 2024-04-26 and 2024-05-03 and the UN list of 2025-11-18:
 * - while the 2024-05-03 release loads in batches, the index built before it stays in use (nothing readers
 *   see has changed) and finds none of its new parties;
 * - after the commit, a request's snapshot no longer matches the index: the full-text path answers at
 *   once, the rebuilt index then finds the added party, and the delisted one is in no dataset any more;
 * - a load that fails half-way (its parties written, hidden, then rolled back) is never found, not while
 *   it writes nor after;
 * - a store reset and loaded again, whose load numbers start again, is noticed (the index is rebuilt);
 * - an index built for a request whose snapshot was taken before a load registered (clean: nothing to
 *   hide then) does not read that load's hidden parties; a request whose snapshot predates a commit
 *   does not put an index of the older state in place of the newer one.
 * Which parties the releases add and delist is read from the raw files, not from the parser under test.
 */
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { search } from '../../server/api/search';
import { Database } from '../../server/core/neo4j/database';
import { searchIndexFor, searchIndexReady, searchIndexSettled, visibleKey } from '../../server/core/search/live';
import type { NameIndex } from '../../server/core/search/name-index';
import { LOAD_DEFAULTS, rawOfacRows, resetDatabase, SHARED, testDatabase } from '../helpers';

const SDN_0426 = path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv');
const SDN_0503 = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const UN = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');

const rows = (file: string) => new Map(rawOfacRows(file).map((r) => [r[0]!, r[1]!]));
const older = rows(SDN_0426);
const newer = rows(SDN_0503);
// Entries with a name of their own (no other entry of either file has it), so each is the search's target.
const names = [...older.values(), ...newer.values()];
const unique = (name: string) => names.filter((n) => n === name).length === 1;
const added = [...newer.keys()].filter((u) => !older.has(u) && unique(newer.get(u)!));
const delisted = [...older.keys()].filter((u) => !newer.has(u) && unique(older.get(u)!));

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0426], release: '2024-04-26' });
}, 600_000);
afterAll(async () => {
  await db?.close();
});

const ids = async (query: string, datasets?: string[]) => (await search(db, { query, datasets, first: 20 })).hits.map((h) => h.id);
/** Whether the index (not the full-text path) answers a request starting now. */
const indexAnswers = async () => (await searchIndexFor(db, await db.snapshot())) !== null;

test('the raw files add and delist entries with names of their own', () => {
  expect(added.length).toBeGreaterThan(100);
  expect(delisted.length).toBeGreaterThan(0);
});

test('a store reset and loaded again under the same load numbers is noticed: the index is rebuilt', async () => {
  const sdnOnly = { id: `ofac-${delisted[0]}`, name: older.get(delisted[0])! };
  const first = await searchIndexReady(db);
  const keyBefore = visibleKey(await db.snapshot());
  expect(await ids(sdnOnly.name)).toContain(sdnOnly.id);
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [UN] });
  // Load number 1 again: the same key as the index's, another store.
  expect(visibleKey(await db.snapshot())).toBe(keyBefore);
  const rebuilt = await searchIndexReady(db);
  expect(rebuilt).not.toBe(first);
  expect(await ids('eric badege')).toContain('un-CDi.001');
  expect(await ids(sdnOnly.name)).not.toContain(sdnOnly.id);
  // Back to the SDN list of 2024-04-26 alone for the tests below.
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0426], release: '2024-04-26' });
}, 900_000);

test('a second release is found once it commits, never before; a delisted party leaves its dataset', async () => {
  const index = await searchIndexReady(db);
  expect(await indexAnswers()).toBe(true);
  const probe = added.slice(0, 5).map((u) => ({ id: `ofac-${u}`, name: newer.get(u)! }));
  const gone = { id: `ofac-${delisted[0]}`, name: older.get(delisted[0])! };
  for (const p of probe) expect([p.name, await ids(p.name)]).toEqual([p.name, expect.not.arrayContaining([p.id])]);
  expect(await ids(gone.name, ['ofac-sdn'])).toContain(gone.id);

  let checks = 0;
  await ingest(db, {
    ...LOAD_DEFAULTS,
    batchSize: 2000,
    paths: [SDN_0503],
    release: '2024-05-03',
    onWrite: async () => {
      // A load writing hidden changes nothing readers see: the same index answers, without the new parties.
      expect(await indexAnswers()).toBe(true);
      expect(await searchIndexReady(db)).toBe(index);
      for (const p of probe) expect([p.name, await ids(p.name)]).toEqual([p.name, expect.not.arrayContaining([p.id])]);
      checks++;
    },
  });
  expect(checks).toBeGreaterThan(2);

  // Committed: the index no longer matches what a request sees; the full-text path answers meanwhile,
  // and the answer says so (the first request after the commit starts the rebuild, which takes seconds,
  // and does not wait for it; checked right after it, before the full-text reads below).
  expect(await indexAnswers()).toBe(false);
  expect((await search(db, { query: probe[0].name })).nameLookup).toBe('FULL_TEXT');
  for (const p of probe.slice(0, 2)) expect(await ids(p.name)).toContain(p.id);
  const rebuilt = await searchIndexReady(db);
  expect(rebuilt).not.toBe(index);
  expect(await indexAnswers()).toBe(true);
  expect((await search(db, { query: probe[0].name })).nameLookup).toBe('NAME_INDEX');
  for (const p of probe) expect([p.name, (await ids(p.name))[0]]).toEqual([p.name, p.id]);
  // Delisted: still a party of the graph (found without filters), in no dataset any more.
  expect(await ids(gone.name)).toContain(gone.id);
  expect(await ids(gone.name, ['ofac-sdn'])).not.toContain(gone.id);
}, 900_000);

test('a load that fails half-way is never found, while it writes nor after its rollback', async () => {
  const index = await searchIndexReady(db);
  const before = (await db.snapshot());
  // ERIC BADEGE (un-CDi.001) is on the UN list only.
  expect(await ids('eric badege')).not.toContain('un-CDi.001');
  let writes = 0;
  const failing = ingest(db, {
    ...LOAD_DEFAULTS,
    batchSize: 200,
    paths: [UN],
    onWrite: async () => {
      writes++;
      expect(await indexAnswers()).toBe(true);
      expect(await searchIndexReady(db)).toBe(index);
      expect(await ids('eric badege')).not.toContain('un-CDi.001');
      if (writes === 3) {
        // Written, hidden: the UN parties are in the store, and not found.
        const [{ hidden }] = await db.runWrite<{ hidden: number }>("MATCH (p:Party) WHERE p.id STARTS WITH 'un-' RETURN count(p) AS hidden");
        expect(hidden).toBeGreaterThan(0);
        throw new Error('stopped half-way by the test');
      }
    },
  });
  await expect(failing).rejects.toThrow(/stopped half-way by the test/);
  const [{ written }] = await db.runWrite<{ written: number }>("MATCH (p:Party) WHERE p.id STARTS WITH 'un-' RETURN count(p) AS written");
  expect(written).toBe(0);
  // The rolled-back load's number is forgotten: the key may change, the parties found may not.
  const after = await db.snapshot();
  expect(visibleKey(after) === visibleKey(before) || (await searchIndexReady(db)) !== index).toBe(true);
  await searchIndexReady(db);
  expect(await indexAnswers()).toBe(true);
  expect(await ids('eric badege')).not.toContain('un-CDi.001');
}, 900_000);

const indexIds = (index: NameIndex | null, query: string) =>
  (index?.search(query, { kinds: null, datasets: null, programs: null, countries: null }, 20) ?? []).map((h) => h.id);

test('an index built for a request whose snapshot predates a load registering never holds its hidden parties', async () => {
  // Nothing open: the snapshot is clean, which lets a short read skip the visibility filter.
  const stale = await db.snapshot();
  expect(stale.clean).toBe(true);
  let writes = 0;
  let built: NameIndex | null = null;
  const failing = ingest(db, {
    ...LOAD_DEFAULTS,
    batchSize: 200,
    paths: [UN],
    onWrite: async () => {
      if (++writes < 3) return;
      // The UN parties are written, hidden. A database with no index yet is asked by a request that
      // took its (clean) snapshot before the load registered: its build must not see them.
      const other = testDatabase();
      try {
        await searchIndexFor(other, stale);
        built = await searchIndexReady(other);
      } finally {
        await other.close();
      }
      throw new Error('stopped half-way by the test');
    },
  });
  await expect(failing).rejects.toThrow(/stopped half-way by the test/);
  expect(built).not.toBeNull();
  expect(indexIds(built, 'kim jong un').length).toBeGreaterThan(0);
  expect(indexIds(built, 'eric badege')).not.toContain('un-CDi.001');
}, 900_000);

test('a request whose snapshot predates a commit does not replace the newer index', async () => {
  await searchIndexReady(db);
  const straggler = await db.snapshot();
  await ingest(db, { ...LOAD_DEFAULTS, paths: [UN] });
  const newer = await searchIndexReady(db);
  expect(indexIds(newer, 'eric badege')).toContain('un-CDi.001');
  // The straggler sees less than the index: answered without it, and nothing rebuilt from its snapshot.
  expect(await searchIndexFor(db, straggler)).toBeNull();
  await searchIndexSettled(db);
  // (Compared as booleans: jest would print the whole index.)
  expect((await searchIndexFor(db, await db.snapshot())) === newer).toBe(true);
  expect((await searchIndexReady(db)) === newer).toBe(true);
  expect(await ids('eric badege')).toContain('un-CDi.001');
}, 900_000);

test('a query of more Hangul syllables than LIMITS.searchWords is refused; repeats count once', async () => {
  // One token to the full-text path, fourteen words to the index: each syllable is looked up.
  await expect(search(db, { query: '가나다라마바사아자차카타파하' })).rejects.toThrow(/14 different words/);
  await expect(search(db, { query: '김정은'.repeat(60) })).resolves.toBeDefined();
  await expect(search(db, { query: 'al '.repeat(66) })).resolves.toBeDefined();
}, 300_000);

test('a store reset and loaded again with fewer loads than the index saw gets a new index', async () => {
  const before = await searchIndexReady(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503], release: '2024-05-03' });
  const held = await searchIndexReady(db);
  expect(held === before).toBe(false);
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [UN] });
  // Load number 1 now, below the index's: built anew (it was kept, or rebuilt without end, before).
  const rebuilt = await searchIndexReady(db);
  expect(rebuilt === held).toBe(false);
  expect(indexIds(rebuilt, 'eric badege')).toContain('un-CDi.001');
  expect(await ids(newer.get(added[0])!)).not.toContain(`ofac-${added[0]}`);
}, 900_000);
