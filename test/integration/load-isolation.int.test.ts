/**
 * Loads write in many small transactions (ingest/loader.ts), and readers still see one release whole:
 * the real 2021-07-07 SDN list (its sdn.csv), then the 2024-05-03 one loaded over it in batches of 1,000 rows. At
 * moments spread over the second load's write, what the API answers (datasets, search for an entry the
 * new release adds, the entries it changes and delists, a neighbourhood, the whole graph readers see)
 * is exactly what it answered before the load; after the commit it is the new release.
 */
import path from 'node:path';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { fingerprint, LOAD_DEFAULTS, rawOfacRows, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';

const OLD = { file: path.join(SHARED, 'ofac-sdn-csv-2021-07-07', 'sdn.csv'), release: '2021-07-07' };
const NEW = { file: path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv'), release: '2024-05-03' };

let db: Database;
let api: TestApi;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  api = await startApi(db);
});
afterAll(async () => {
  await api.close();
  await db.close();
});

/** The entries of each file by ent_num, read without the parser under test. */
const rows = (file: string) => new Map(rawOfacRows(file).map((r) => [r[0]!, r]));

const VIEW = `query View($q: String!, $ids: [ID!]!, $changed: ID!, $gone: ID!) {
  datasets { name release releases entityCount }
  search(query: $q, first: 5) { total hits { entity { id name } } }
  changed: entity(id: $changed) { id name programs remarks datasets degree }
  gone: entity(id: $gone) { id name datasets delistedOn }
  neighborhood(ids: $ids, depth: 2, limit: 300) { nodes { id kind label } edges { source target type } truncated }
}`;

test('while a release loads in batches, readers see the previous one whole; after the commit, the new one', async () => {
  const before = rows(OLD.file);
  const after = rows(NEW.file);
  const added = [...after.keys()].find((id) => !before.has(id))!;
  const gone = [...before.keys()].find((id) => !after.has(id))!;
  const changed = [...after.keys()].find((id) => before.has(id) && JSON.stringify(before.get(id)) !== JSON.stringify(after.get(id)))!;
  expect([added, gone, changed].every(Boolean)).toBe(true);
  const vars = { q: after.get(added)![1], ids: [`ofac-${changed}`, `ofac-${gone}`], changed: `ofac-${changed}`, gone: `ofac-${gone}` };
  const view = async () => {
    const r = await api.gql(VIEW, vars);
    expect(r.body.errors).toBeUndefined();
    return { answers: r.body.data, graph: await fingerprint(db, { visible: true }) };
  };

  await ingest(db, { ...LOAD_DEFAULTS, paths: [OLD.file], release: OLD.release });
  const previous = await view();
  expect(previous.answers!.search.hits.map((h: { entity: { id: string } }) => h.entity.id)).not.toContain(`ofac-${added}`);
  expect(previous.answers!.gone.datasets).toEqual(['ofac-sdn']);

  const seenDuring: string[] = [];
  await ingest(db, {
    ...LOAD_DEFAULTS,
    batchSize: 1000,
    paths: [NEW.file],
    release: NEW.release,
    onWrite: async (done, total, phase) => {
      // Once in every phase (after its first batch), and past the middle of the write.
      const last = seenDuring.at(-1);
      const middle = done >= total / 2 && !seenDuring.some((x) => x.startsWith('middle'));
      if (last?.split(' ')[0] === phase && !middle) return;
      if (middle) seenDuring.push('middle');
      expect(await view()).toEqual(previous);
      seenDuring.push(`${phase} ${done}/${total}`);
    },
  });
  expect(seenDuring.length).toBeGreaterThanOrEqual(5);
  expect(seenDuring).toContain('middle');

  const now = await view();
  expect(now.answers!.datasets).toEqual([expect.objectContaining({ release: NEW.release, releases: [OLD.release, NEW.release], entityCount: after.size })]);
  expect(now.answers!.search.hits.map((h: { entity: { id: string } }) => h.entity.id)).toContain(`ofac-${added}`);
  expect(now.answers!.gone).toMatchObject({ datasets: [], delistedOn: NEW.release });
  expect(now.graph.hash).not.toBe(previous.graph.hash);
  // Nothing of the load's bookkeeping is left: no drafts, no open load, no marks of what it replaced.
  const raw = await fingerprint(db);
  expect(raw.openLoads).toBe(0);
  const [{ marked }] = await db.runWrite<{ marked: number }>("MATCH ()-[r]->() WHERE r.removedSeq IS NOT NULL AND NOT type(r) STARTS WITH 'PAST_' RETURN count(r) AS marked");
  expect(marked).toBe(0);
}, 900_000);
