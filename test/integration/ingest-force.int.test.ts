/**
 * `npm run ingest -- --force` as a user runs it (a separate process against the test run's Neo4j): a
 * release older than the loaded one, or one that would delist more than 25% of the dataset, is refused
 * without --force and leaves the database exactly as it was, and is loaded with it. Expected counts come
 * from the raw files (the ent_num column), not from the loader.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/core/settings';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { apiQuery, externalNeo4jEnv, fingerprint, LOAD_DEFAULTS, rawOfacRows, resetDatabase, SHARED, testDatabase } from '../helpers';

const SDN_0426 = path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv');
const SDN_0503 = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const uids = (file: string) => new Set(rawOfacRows(file).map((r) => r[0]!));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', ...args], { cwd: REPO_ROOT, env: externalNeo4jEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const DATASET = `{ datasets { name release releases entityCount } }`;
const dataset = async () => (await apiQuery<{ datasets: { name: string; release: string; releases: string[]; entityCount: number }[] }>(db, DATASET)).datasets;

let db: Database;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-force-'));
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
});
afterAll(async () => {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('an older release: refused without --force (nothing changes), loaded with it', async () => {
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503], release: '2024-05-03' });
  const before = await fingerprint(db);
  const refused = await cli(['--release', '2024-04-26', SDN_0426]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/already holds release 2024-05-03/);
  expect(refused.stderr).toMatch(/--force/);
  expect(await fingerprint(db)).toEqual(before);

  const forced = await cli(['--json', '--force', '--release', '2024-04-26', SDN_0426]);
  expect({ code: forced.code, stderr: forced.code === 0 ? '' : forced.stderr }).toEqual({ code: 0, stderr: '' });
  // The older file lists 14,668 entries; the 305 entries only the newer one has are delisted.
  const older = uids(SDN_0426);
  const newer = uids(SDN_0503);
  const onlyNewer = [...newer].filter((u) => !older.has(u));
  expect([older.size, onlyNewer.length]).toEqual([14668, 305]);
  const summary = JSON.parse(forced.stdout.trim());
  expect(summary).toMatchObject({ dataset: 'ofac-sdn', release: '2024-04-26', entities: { total: older.size }, delisted: onlyNewer.length });
  expect(await dataset()).toEqual([{ name: 'ofac-sdn', release: '2024-04-26', releases: ['2024-04-26', '2024-05-03'], entityCount: older.size }]);
  const [row] = await db.runWrite<{ delistedOn: string; datasets: string[] }>('MATCH (p:Party {id: $id}) RETURN p.delistedOn AS delistedOn, p.datasets AS datasets', { id: `ofac-${onlyNewer[0]}` });
  expect(row).toEqual({ delistedOn: '2024-04-26', datasets: [] });
});

test('a release that would delist more than 25%: refused without --force (nothing changes), loaded with it', async () => {
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503], release: '2024-05-03' });
  // The first 10,000 lines of the real file, as a truncated download would give.
  const cut = path.join(tmp, 'short', 'sdn.csv');
  fs.mkdirSync(path.dirname(cut), { recursive: true });
  fs.writeFileSync(cut, fs.readFileSync(SDN_0503, 'utf8').split('\r\n').slice(0, 10_000).join('\r\n') + '\r\n');
  const all = uids(SDN_0503);
  const kept = uids(cut);
  const gone = all.size - kept.size;
  expect([all.size, kept.size, gone]).toEqual([14965, 10000, 4965]);
  expect(gone / all.size).toBeGreaterThan(0.25); // 33%: over the limit

  const before = await fingerprint(db);
  const refused = await cli(['--release', '2024-05-10', cut]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`would delist ${gone} of its ${all.size} listed parties`);
  expect(await fingerprint(db)).toEqual(before);

  const forced = await cli(['--json', '--force', '--release', '2024-05-10', cut]);
  expect({ code: forced.code, stderr: forced.code === 0 ? '' : forced.stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(forced.stdout.trim())).toMatchObject({ release: '2024-05-10', entities: { total: kept.size }, delisted: gone });
  expect(await dataset()).toEqual([{ name: 'ofac-sdn', release: '2024-05-10', releases: ['2024-05-03', '2024-05-10'], entityCount: kept.size }]);
});
