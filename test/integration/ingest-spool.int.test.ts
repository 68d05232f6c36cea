/**
 * The spool of real loads (ingest/spool.ts): a load leaves no descriptor open on its spool, in full and
 * delta mode (a delta load never reads its snapshot file back: it stayed open), and `npm run ingest`
 * stopped with SIGINT or SIGTERM while it writes exits 130, removes its spool folder under
 * INGEST_SPOOL_DIR and leaves the database as readers saw it before (the load stays hidden; the next load
 * rolls it back). Real files: the EU FSF FtM export and its OpenSanctions deltas, the SDN lists.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/core/settings';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { externalNeo4jEnv, fingerprint, LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

let db: Database;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-ingest-spool-'));
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
});
afterAll(async () => {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Descriptors of this process open on a file under `dir` (a removed file still shows its old path). */
function openUnder(dir: string): string[] {
  const out: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) out.push(target);
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

test('a full load and a delta load leave no descriptor open on their spool, and remove it', async () => {
  const spoolDir = path.join(tmp, 'spool-fds');
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'opensanctions-ftm', 'eu-fsf-t1')], release: '2024-05-20', spoolDir });
  expect(openUnder(spoolDir)).toEqual([]);
  const { parsed } = await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'opensanctions-ftm', 'deltas-2024-05-27')], spoolDir });
  expect(parsed.mode).toBe('delta');
  expect(openUnder(spoolDir)).toEqual([]);
  expect(fs.readdirSync(spoolDir)).toEqual([]);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} while a load writes: exit 130, its spool folder removed, the database as readers saw it before`, async () => {
    await resetDatabase(db);
    await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv')], release: '2024-04-26' });
    const before = await fingerprint(db, { visible: true });
    const spoolDir = path.join(tmp, `spool-${signal}`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', '--no-progress', '--release', '2024-05-03', path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], {
      cwd: REPO_ROOT,
      env: externalNeo4jEnv({ INGEST_SPOOL_DIR: spoolDir, INGEST_READER_GRACE: '0', INGEST_BATCH_SIZE: '500' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout!.on('data', () => undefined);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Writing: the parse is over ("Parsed ...") and the load has written its first batches (the snapshot
    // lines in the spool grow with them).
    const snapshotLines = () => {
      for (const d of fs.existsSync(spoolDir) ? fs.readdirSync(spoolDir) : []) {
        const f = path.join(spoolDir, d, 'snapshot.jsonl');
        if (fs.existsSync(f) && fs.statSync(f).size > 0) return true;
      }
      return false;
    };
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (d) => {
        stderr += d;
      });
      const poll = setInterval(() => {
        if (child.exitCode !== null) {
          clearInterval(poll);
          reject(new Error(`the load ended before it was interrupted: ${stderr}`));
        } else if (stderr.includes('Parsed ') && snapshotLines()) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
    expect(fs.readdirSync(spoolDir)).toHaveLength(1);
    child.kill(signal);
    expect(await exited).toBe(130);
    expect(stderr).toContain(`${signal}: stopping`);
    expect(fs.readdirSync(spoolDir)).toEqual([]);
    expect(await fingerprint(db, { visible: true })).toEqual(before);
  }, 600_000);
}
