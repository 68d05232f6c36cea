/**
 * Delisting keeps a party's history: a party a newer release no longer lists stays, delisted, with the
 * facts and links it had in its last release (README "Loading lists"). Real case: EMPEROR AVIATION LTD
 * (ent_num 38556) is in the SDN list of 2024-04-26, "Linked To: KERIMOVA, Gulnara Suleymanovna"
 * (38279), and gone from 2024-05-03, where KERIMOVA is still listed; reloading 2024-05-03 over 2024-04-26
 * used to remove that link, because restating KERIMOVA cleared every link of hers, both directions.
 *
 * What is expected is computed from the raw files and from a fresh load of the newer release alone:
 * after loading 2024-04-26 then 2024-05-03, the links readers see are those of a fresh 2024-05-03 load,
 * plus the 2024-04-26 links of every party the newer release delists; and not one more.
 */
import path from 'node:path';
import { Database, visibleIn } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { apiQuery, LOAD_DEFAULTS, rawOfacRows, resetDatabase, SHARED, testDatabase } from '../helpers';

const SDN_0426 = path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv');
const SDN_0503 = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
});
afterAll(async () => {
  await db.close();
});

interface Link {
  from: string;
  fromName: string;
  type: string;
  to: string;
  toName: string;
  label: string;
}

/** The links between parties that a reader starting now sees (ends named: a placeholder has the name it stands for). */
async function visibleLinks(): Promise<Link[]> {
  const snap = await db.snapshot();
  return db.runWrite<Link & Record<string, unknown>>(
    `MATCH (a:Party)-[r]->(b:Party) WHERE r.dataset = 'ofac-sdn' AND ${visibleIn('r')} AND ${visibleIn('a')} AND ${visibleIn('b')}
     RETURN a.id AS from, a.name AS fromName, type(r) AS type, b.id AS to, b.name AS toName, r.label AS label`,
    { ...snap },
  );
}
/** A link by its ends' names (a link to a party that is not loaded ends at a placeholder of its name). */
const byName = (l: Link) => JSON.stringify([l.fromName, l.type, l.toName, l.label]);

test('a party the newer release delists keeps its links to parties still listed; the rest is as a fresh load of the newer release', async () => {
  const older = new Set(rawOfacRows(SDN_0426).map((r) => `ofac-${r[0]}`));
  const newer = new Set(rawOfacRows(SDN_0503).map((r) => `ofac-${r[0]}`));
  const delisted = new Set([...older].filter((id) => !newer.has(id)));
  expect(delisted.size).toBe(8); // the data's README: 8 removed against 2024-04-26
  expect(delisted.has('ofac-38556')).toBe(true); // EMPEROR AVIATION LTD

  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503], release: '2024-05-03' });
  const fresh = await visibleLinks();

  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0426], release: '2024-04-26' });
  const before = await visibleLinks();
  const ofDelisted = before.filter((l) => delisted.has(l.from) || delisted.has(l.to));
  // The case seen: EMPEROR AVIATION -> KERIMOVA, who stays listed.
  expect(ofDelisted.filter((l) => l.from === 'ofac-38556' && l.to === 'ofac-38279')).toHaveLength(1);
  expect(ofDelisted.filter((l) => newer.has(l.from) || newer.has(l.to)).length).toBeGreaterThan(0);

  const { result } = await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503], release: '2024-05-03' });
  expect(result.delisted).toBe(delisted.size);
  const after = await visibleLinks();
  const expected = new Set([...fresh.map(byName), ...ofDelisted.map(byName)]);
  expect([...new Set(after.map(byName))].sort()).toEqual([...expected].sort());
  // One relationship per statement: the kept links are not doubled by the newer release's restatements.
  expect(after.length).toBe(new Set(after.map(byName)).size);
  // Kept as they were: ends and provenance of the release that last stated them.
  const kept = after.filter((l) => l.from === 'ofac-38556' && l.to === 'ofac-38279');
  expect(kept).toHaveLength(1);
  const [{ release }] = await db.runWrite<{ release: string }>(
    "MATCH (:Party {id: 'ofac-38556'})-[r]->(:Party {id: 'ofac-38279'}) WHERE r.removedSeq IS NULL RETURN r.release AS release",
  );
  expect(release).toBe('2024-04-26');

  // Queries as of today show the party delisted, with that link.
  const { entity } = await apiQuery<{ entity: { name: string; delistedOn: string | null } }>(db, `{ entity(id: "ofac-38556") { name delistedOn } }`);
  expect(entity).toEqual({ name: 'EMPEROR AVIATION LTD', delistedOn: '2024-05-03' });
}, 900_000); // three loads of the SDN list on a shared machine

