/**
 * A search answered from the in-memory name index reads one thing from Neo4j: the request's load
 * snapshot (server/core/search/live.ts). That read is what tells it about loads of other processes, so
 * it is never skipped or cached: here the loads run through a Database of their own (its own driver and
 * connections, as `npm run ingest` in another process has), and the searching Database, whose index was
 * built before, must
 * - find a party of that load in its next search once the load has committed (through a request's
 *   database, as GraphQL calls search, and through the database itself);
 * - never find a party of a load that is writing (hidden) or that was rolled back.
 * Real data: the OFAC SDN list of 2024-04-26 and the UN list of 2025-11-18 (ERIC BADEGE, un-CDi.001, is
 * on the UN list only).
 */
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { search } from '../../server/api/search';
import { Database, withDeadline } from '../../server/core/neo4j/database';
import { searchIndexFor, searchIndexReady } from '../../server/core/search/live';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

const SDN_0426 = path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv');
const UN = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');
const BADEGE = { id: 'un-CDi.001', name: 'eric badege' };

let db: Database;
/** Another process's database: a driver and connections of its own, no index shared with `db`. */
let other: Database;
beforeAll(async () => {
  db = testDatabase();
  other = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0426], release: '2024-04-26' });
}, 600_000);
afterAll(async () => {
  await db?.close();
  await other?.close();
});

/** A request's database, as api/request.ts makes one: its reads share one snapshot. */
const request = () => withDeadline(db, Date.now() + 60_000, () => new Error('the test request timed out'));
const ids = async (query: string, via: Database = request()) => (await search(via, { query, first: 20 })).hits.map((h) => h.id);

test('a load rolled back in another process is never found; one committed there is found by the next search', async () => {
  const index = await searchIndexReady(db);
  // (Compared as booleans: jest would print the whole index.)
  expect((await searchIndexFor(db, await db.snapshot())) === index).toBe(true);
  expect(await ids(BADEGE.name)).not.toContain(BADEGE.id);

  // Another process's load fails half-way: written (hidden), then rolled back.
  let writes = 0;
  const failing = ingest(other, {
    ...LOAD_DEFAULTS,
    batchSize: 200,
    paths: [UN],
    onWrite: async () => {
      writes++;
      expect(await ids(BADEGE.name)).not.toContain(BADEGE.id);
      expect(await ids(BADEGE.name, db)).not.toContain(BADEGE.id);
      if (writes === 3) {
        const [{ hidden }] = await db.runWrite<{ hidden: number }>("MATCH (p:Party) WHERE p.id STARTS WITH 'un-' RETURN count(p) AS hidden");
        expect(hidden).toBeGreaterThan(0);
        throw new Error('stopped half-way by the test');
      }
    },
  });
  await expect(failing).rejects.toThrow(/stopped half-way by the test/);
  expect(writes).toBe(3);
  expect(await ids(BADEGE.name)).not.toContain(BADEGE.id);
  expect(await ids(BADEGE.name, db)).not.toContain(BADEGE.id);
  // The index of the same committed loads (the rolled-back number forgotten) still finds nothing of it.
  expect((await searchIndexReady(db)).search(BADEGE.name, { kinds: null, datasets: null, programs: null, countries: null }, 20)?.map((h) => h.id)).not.toContain(BADEGE.id);

  // Another process's load commits: this process's next search finds its party, with no other call between.
  const held = await searchIndexReady(db);
  let seen = 0;
  await ingest(other, {
    ...LOAD_DEFAULTS,
    batchSize: 200,
    paths: [UN],
    onWrite: async () => {
      seen++;
      expect(await ids(BADEGE.name)).not.toContain(BADEGE.id);
    },
  });
  expect(seen).toBeGreaterThan(2);
  expect(await ids(BADEGE.name)).toContain(BADEGE.id);
  expect(await ids(BADEGE.name, db)).toContain(BADEGE.id);
  // The held index (built before the commit) is not what answered: it does not have the party.
  expect(held.search(BADEGE.name, { kinds: null, datasets: null, programs: null, countries: null }, 20)?.map((h) => h.id)).not.toContain(BADEGE.id);
  // Once rebuilt, the index answers, and finds it.
  const rebuilt = await searchIndexReady(db);
  expect(rebuilt === held).toBe(false);
  expect((await searchIndexFor(db, await db.snapshot())) === rebuilt).toBe(true);
  expect(await ids(BADEGE.name)).toContain(BADEGE.id);
}, 900_000);
