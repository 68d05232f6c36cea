/**
 * Hubs stay cheap and exact where it matters: a neighbourhood hop reads at most a bounded number of a
 * hub's neighbours (cypher/api-neighborhood-hop.cypher), yet paging with `exclude` still reaches every
 * member of a program; and the degree shown for a node (the `{{degree:x}}` macro, database.ts degreeIn)
 * is what the reader sees: the stored degree when nothing is hidden, the visible count while a load is
 * in progress, never a mix. On the real SDN lists of 2024-04-26 and 2024-05-03.
 */
import path from 'node:path';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, rawOfacRows, resetDatabase, SHARED, startApi, TestApi, testDatabase } from '../helpers';

const OLD = { file: path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv'), release: '2024-04-26' };
const NEW = { file: path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv'), release: '2024-05-03' };

/** Members per program code, from the raw file's program column ("SDGT] [IRGC" for two), no parser. */
function programMembers(file: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of rawOfacRows(file)) {
    for (const code of (r[3] ?? '').split(/\]\s*\[/).map((s) => s.replace(/[[\]]/g, '').trim()).filter(Boolean)) {
      if (!out.has(code)) out.set(code, new Set());
      out.get(code)!.add(`ofac-${r[0]}`);
    }
  }
  return out;
}

let db: Database;
let api: TestApi;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  api = await startApi(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [OLD.file], release: OLD.release });
});
afterAll(async () => {
  await api.close();
  await db.close();
});

const PAGE = `query($ids: [ID!]!, $exclude: [ID!], $limit: Int) { neighborhood(ids: $ids, limit: $limit, exclude: $exclude, relationTypes: [SANCTION]) { truncated nodes { id } } }`;
const DEGREE = `query($ids: [ID!]!, $id: ID!) { subgraph(ids: $ids) { nodes { id degree } } entity(id: $id) { degree } }`;

/** Relationships of a node counted one by one (no degree store), as the test's own measure. */
async function countedDegree(id: string): Promise<number> {
  const [{ n }] = await db.runWrite<{ n: number }>('MATCH ({id: $id})-[r]-() RETURN count(r) AS n', { id });
  return Number(n);
}

test('paging a program hub far larger than one hop reads reaches every member once', async () => {
  const members = programMembers(OLD.file);
  // A program of a few hundred members: many times the 19 neighbours
  // a hop of limit 10 reads.
  const [code, expected] = [...members].filter(([, m]) => m.size >= 100 && m.size <= 400).sort((a, b) => a[1].size - b[1].size)[0];
  const seen: string[] = [];
  for (let page = 0; page < 100; page++) {
    const { body } = await api.gql(PAGE, { ids: [code], exclude: seen, limit: 10 });
    expect(body.errors).toBeUndefined();
    const ids = body.data!.neighborhood.nodes.map((n: { id: string }) => n.id).filter((id: string) => id !== code);
    for (const id of ids) expect(seen).not.toContain(id);
    seen.push(...ids);
    if (!body.data!.neighborhood.truncated) break;
    expect(ids.length).toBe(9);
  }
  expect(new Set(seen)).toEqual(expected);
});

test('degree: the stored count when nothing is hidden, the visible count while a load writes', async () => {
  const before = programMembers(OLD.file);
  const after = programMembers(NEW.file);
  // The program whose membership the new release changes most: its hub gains hidden relationships mid-load.
  const [code] = [...after].map(([c, m]) => [c, m.size - (before.get(c)?.size ?? 0)] as const).sort((a, b) => b[1] - a[1])[0];
  const party = [...before.get(code)!][0];
  const degrees = async () => {
    const { body } = await api.gql(DEGREE, { ids: [code, party], id: party });
    expect(body.errors).toBeUndefined();
    const byId = new Map(body.data!.subgraph.nodes.map((n: { id: string; degree: number }) => [n.id, n.degree]));
    return { hub: byId.get(code), party: byId.get(party), entity: body.data!.entity.degree };
  };
  const counted = async () => ({ hub: await countedDegree(code), party: await countedDegree(party) });

  const old = await counted();
  expect(await degrees()).toEqual({ ...old, entity: old.party });

  let checks = 0;
  let hidden = 0;
  await ingest(db, {
    ...LOAD_DEFAULTS,
    batchSize: 1000,
    paths: [NEW.file],
    release: NEW.release,
    onWrite: async () => {
      // Mid-load the store holds the new release's relationships too (hidden): the raw count moves, the
      // degree readers see does not.
      if ((await countedDegree(code)) > old.hub) hidden++;
      expect(await degrees()).toEqual({ ...old, entity: old.party });
      checks++;
    },
  });
  expect(checks).toBeGreaterThan(3);
  expect(hidden).toBeGreaterThan(0);

  const now = await counted();
  expect(now.hub).toBeGreaterThan(old.hub);
  expect(await degrees()).toEqual({ ...now, entity: now.party });
});
