/**
 * The database of the export tests (export-formats.int, export-ftm.int): the real OFAC SDN list of
 * 2024-05-03 and the cases it does not hold, FtM lines loaded through the FtM ingest as the dataset
 * export-cases (test/fixtures/export-cases/README.md says what each line is for).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { REPO_ROOT } from '../../server/core/settings';
import type { Database } from '../../server/core/neo4j/database';
import { LOAD_DEFAULTS, resetDatabase, SHARED } from '../helpers';

export const CASES = path.join(REPO_ROOT, 'test', 'fixtures', 'export-cases', 'export-cases.ftm.json');

/** An FtM entity as the fixture and the export write it. */
export type Entity = { id: string; schema: string; target?: boolean; properties: Record<string, string[]> };
export const entities = (text: string): Entity[] => text.trim().split('\n').map((l) => JSON.parse(l) as Entity);
/** The fixture's lines by id: what the source states, to compare an export with. */
export const fixture = (): Map<string, Entity> => new Map(entities(fs.readFileSync(CASES, 'utf8')).map((e) => [e.id, e]));

/** Empties the test database and loads the SDN list and the fixture; a rejected fixture line fails the test. */
export async function loadSdnWithCases(db: Database): Promise<void> {
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], release: '2024-05-03' });
  const { parsed } = await ingest(db, { ...LOAD_DEFAULTS, paths: [CASES], format: 'ftm', dataset: 'export-cases', release: '2024-05-03' });
  if (parsed.rejected.length) throw new Error(`${CASES}: ${parsed.rejected.map((r) => `line ${r.line}: ${r.reason}`).join('; ')}`);
}

/** The ids of the list's vessels and aircraft (more than a thousand). */
export async function vehicleIds(db: Database): Promise<string[]> {
  const rows = await db.runWrite<{ id: string }>("MATCH (p:Party) WHERE p.kind IN ['Vessel', 'Aircraft'] RETURN p.id AS id ORDER BY id");
  return rows.map((r) => r.id);
}
