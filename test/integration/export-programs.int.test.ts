/**
 * The export's party read (cypher/api-export-parties.cypher) states a party's programs only where a
 * SANCTION relationship states them: a party under no program (a placeholder a link names, a related
 * entity OpenSanctions does not list) had an all-null program entry (the null row of the OPTIONAL
 * MATCH, kept by collect as a map of nulls), which made every format show it as listed. On the real
 * Neo4j with the ZALA excerpt of OpenSanctions' FtM data (test/fixtures/ftm), whose owners and assets
 * outside the excerpt are placeholders: the rows and the export agree with the graph's own SANCTION
 * relationships, read here with Cypher.
 */
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { ingest } from '../../ingest/ingest';
import { readEvidence, type PartyRow } from '../../server/api/export-evidence';
import { ftmLines } from '../../server/api/export-ftm';
import { subgraph } from '../../server/api/graph';
import { Database } from '../../server/core/neo4j/database';
import { REPO_ROOT } from '../../server/core/settings';
import { LOAD_DEFAULTS, resetDatabase, testDatabase } from '../helpers';

const ZALA = path.join(REPO_ROOT, 'test', 'fixtures', 'ftm', 'zala-excerpt.ftm.json');

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [ZALA], format: 'ftm', dataset: 'zala', release: '2025-11-18' });
}, 300_000);
afterAll(async () => {
  await db.close();
});

test("a party's programs are the ones its SANCTION relationships state, none for a party under no program", async () => {
  const graph = await db.runWrite<{ id: string; programs: string[] }>(
    'MATCH (p:Party) OPTIONAL MATCH (p)-[:SANCTION]->(g:Program) RETURN p.id AS id, collect(DISTINCT g.name) AS programs ORDER BY id',
  );
  const unlisted = graph.filter((p) => p.programs.length === 0).map((p) => p.id);
  // The sample holds both (else the test could not fail).
  expect(unlisted.length).toBeGreaterThan(0);
  expect(graph.length).toBeGreaterThan(unlisted.length);

  const ids = graph.map((p) => p.id);
  const rows = await db.read<PartyRow>('api-export-parties', { ids, perParty: neo4j.int(200) });
  const read = rows.map((r) => ({ id: r.party.id as string, programs: [...new Set(r.programs.map((g) => g.program))].sort() }));
  expect(read.sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(graph.map((p) => ({ id: p.id, programs: [...p.programs].sort() })));
  for (const r of rows) for (const g of r.programs) expect([r.party.id, typeof g.program, g.dataset]).toEqual([r.party.id, 'string', 'zala']);

  // The FtM export: the unlisted are no target and have no Sanction.
  const g = await readEvidence(db, await subgraph(db, { ids }));
  const lines = ftmLines(g)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; schema: string; target?: boolean; properties: Record<string, string[]> });
  for (const id of unlisted) {
    const e = lines.find((x) => x.id === id)!;
    expect([id, e.target, e.properties.topics]).toEqual([id, false, undefined]);
    expect(lines.filter((x) => x.schema === 'Sanction' && x.properties.entity.includes(id))).toEqual([]);
  }
});
