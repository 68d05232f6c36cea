/**
 * Hostile files through `npm run ingest` against a real Neo4j (issue 10): before the bounds, a 20 MB name
 * in a CSV and a 30 MB FtM line reached Neo4j and failed there ("Property value is too large to index")
 * with a driver stack trace. Now the giant record is refused before the database is touched, with file,
 * line and reason and no stack trace, and a long name under the record cap is cut to
 * INGEST_MAX_VALUE_SIZE with a warning instead of failing the whole load in Neo4j.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/core/settings';
import { Database } from '../../server/core/neo4j/database';
import { externalNeo4jEnv, fingerprint, resetDatabase, testDatabase } from '../helpers';

const SDN = path.join(REPO_ROOT, 'ingest', 'demo', 'ofac-sdn-2024-05-03', 'sdn.csv');
const ZALA = path.join(REPO_ROOT, 'test', 'fixtures', 'ftm', 'zala-excerpt.ftm.json');
const CHINYONG = '"CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY"';
const MiB = 1024 ** 2;

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', '--no-progress', ...args], { cwd: REPO_ROOT, env: externalNeo4jEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

let db: Database;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-hostile-load-'));
const sdnText = fs.readFileSync(SDN, 'utf8');
const line = sdnText.slice(0, sdnText.indexOf(CHINYONG)).split('\n').length;
function variant(dir: string, name: string, content: string): string {
  const file = path.join(tmp, dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
});
afterAll(async () => {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a 20 MB CSV name and a 30 MB FtM line are refused with file and line, no stack trace, nothing written', async () => {
  const before = await fingerprint(db);
  const csv = variant('csv', 'sdn.csv', sdnText.replace(CHINYONG, `"${'A'.repeat(20 * MiB)}"`));
  const r1 = await cli(['--release', '2024-05-03', csv]);
  expect(r1.code).toBe(1);
  expect(r1.stderr).toContain(`Refused: sdn.csv:${line}: holds a record longer than 8 MiB (INGEST_MAX_RECORD_SIZE)`);
  expect(r1.stderr).not.toMatch(/\n\s+at /); // no stack trace

  const lines = fs.readFileSync(ZALA, 'utf8').split('\n');
  const entity = JSON.parse(lines[1]);
  entity.properties.name = ['N'.repeat(30 * MiB)];
  lines[1] = JSON.stringify(entity);
  const ftm = variant('ftm', 'entities.ftm.json', lines.join('\n'));
  const r2 = await cli(['--release', '2024-05-27', ftm]);
  expect(r2.code).toBe(1);
  expect(r2.stderr).toContain('Refused: entities.ftm.json:2: is longer than 8 MiB (INGEST_MAX_RECORD_SIZE)');
  expect(r2.stderr).not.toMatch(/\n\s+at /);
  expect(await fingerprint(db)).toEqual(before);
});

test('a 100 kB name loads cut to INGEST_MAX_VALUE_SIZE, with a warning naming the record', async () => {
  const name = `CHINYONG ${'X'.repeat(100_000)}`;
  const csv = variant('long', 'sdn.csv', sdnText.replace(CHINYONG, `"${name}"`));
  const r = await cli(['--json', '--release', '2024-05-03', csv]);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  const summary = JSON.parse(r.stdout.trim());
  expect(summary.entities.total).toBe(14965);
  expect(summary.warnings).toContainEqual(expect.stringMatching(new RegExp(`longer than 4 KiB .* cut to it: sdn\\.csv:${line} \\(ent_num 43379\\) name \\(100,009 bytes\\)`)));
  const [row] = await db.runWrite<{ name: string }>('MATCH (p:Party {id: $id}) RETURN p.name AS name', { id: 'ofac-43379' });
  expect(row.name).toBe(name.slice(0, 4096));
});
