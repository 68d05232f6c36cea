/**
 * The spool of real loads (ingest/spool.ts): a load leaves no descriptor open on its spool, in full and
 * delta mode (a delta load never reads its snapshot file back: it stayed open), and `npm run ingest`
 * stopped with SIGINT or SIGTERM while it writes exits 130, removes its spool folder under
 * INGEST_SPOOL_DIR and leaves the database as readers saw it before (the load stays hidden; the next load
 * rolls it back). Stopped after the commit (deleting what it replaced, refreshing matches), it says the
 * release is loaded, exits 3, and the next load does the tidying. Real files: the EU FSF FtM export and
 * its OpenSanctions deltas, the SDN lists, the UN list.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/core/settings';
import { Database } from '../../server/core/neo4j/database';
import { ingest } from '../../ingest/ingest';
import neo4j from 'neo4j-driver';
import { externalNeo4jEnv, fingerprint, LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase, testNeo4j } from '../helpers';

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

/** `npm run ingest` of the SDN list of 2024-05-03 against the test's Neo4j, spooling under `spoolDir`. */
function loadSdn0503(spoolDir: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', '--no-progress', '--release', '2024-05-03', path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], {
    cwd: REPO_ROOT,
    env: externalNeo4jEnv({ INGEST_SPOOL_DIR: spoolDir, INGEST_READER_GRACE: '0', INGEST_BATCH_SIZE: '500' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} while a load writes: exit 130, its spool folder removed, the database as readers saw it before`, async () => {
    await resetDatabase(db);
    await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv')], release: '2024-04-26' });
    const before = await fingerprint(db, { visible: true });
    const spoolDir = path.join(tmp, `spool-${signal}`);
    const child = loadSdn0503(spoolDir);
    try {
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
    } finally {
      // A test failing before the child ends must not leave a load running into the next test.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 600_000);
}

test('SIGINT after the load committed: it says the release is loaded and exits 3; the next load tidies up', async () => {
  await resetDatabase(db);
  // A second dataset, so the SDN loads compute candidate matches (against the UN list).
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml')] });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv')], release: '2024-04-26' });
  // The child stops where the test wants it, whatever the machine's speed: this transaction holds a UN
  // party that is a candidate match of an SDN party and that no SDN link reaches. The SDN load's writes
  // before its commit never touch it; its matching after the commit deletes that candidate (match-clear,
  // which locks both ends), so the child waits there until it is signalled.
  const { uri, user, password, database } = testNeo4j();
  const driver = neo4j.driver(uri, neo4j.auth.basic(user, password));
  const session = driver.session({ database });
  const hold = await session.beginTransaction();
  const spoolDir = path.join(tmp, 'spool-committed');
  let child: ChildProcess | undefined;
  let heldId: string | undefined;
  try {
    const held = await hold.run(
      `MATCH (a:Party)-[m:POSSIBLY_SAME_AS]-(u:Party)
       WHERE m.decision IS NULL AND 'ofac-sdn' IN a.datasets AND u.datasets = ['un-sc']
         AND NOT EXISTS { MATCH (u)-[r]-(:Party) WHERE r.dataset = 'ofac-sdn' }
       WITH u LIMIT 1 SET u.heldByTest = true RETURN u.id AS id`,
    );
    expect(held.records).toHaveLength(1);
    heldId = held.records[0].get('id') as string;
    child = loadSdn0503(spoolDir);
    let stderr = '';
    child.stdout!.on('data', () => undefined);
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    // Committed (state 'finishing'), held in the matching until this transaction ends.
    const finishing = async () => (await db.runWrite<{ n: number }>("MATCH (l:Load {state: 'finishing', release: '2024-05-03'}) RETURN count(l) AS n"))[0].n;
    while (Number(await finishing()) === 0) {
      if (child.exitCode !== null) throw new Error(`the load ended before it committed: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(3);
    expect(stderr).toContain('SIGINT: stopping; the release is loaded (committed) and readers see it');
    expect(stderr).not.toContain('nothing of it is kept');
    expect(fs.readdirSync(spoolDir)).toEqual([]);
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await hold.rollback().catch(() => undefined);
    await session.close();
    await driver.close();
  }
  // Readers see the new release; the next load (the same release again) finishes what was left: no load
  // stays open or finishing, nothing replaced is left hidden, and the candidate matches are refreshed.
  const [{ release }] = await db.runWrite<{ release: string }>("MATCH (d:Dataset {name: 'ofac-sdn'}) RETURN d.release AS release");
  expect(release).toBe('2024-05-03');
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], release: '2024-05-03' });
  expect(Number((await db.runWrite<{ n: number }>("MATCH (l:Load) WHERE l.state <> 'committed' RETURN count(l) AS n"))[0].n)).toBe(0);
  expect(Number((await db.runWrite<{ n: number }>("MATCH ()-[r]->() WHERE r.removedSeq IS NOT NULL AND NOT type(r) STARTS WITH 'PAST_' RETURN count(r) AS n"))[0].n)).toBe(0);
  expect(Number((await db.runWrite<{ n: number }>('MATCH (:Party)-[m:POSSIBLY_SAME_AS]-(u:Party {id: $id}) RETURN count(m) AS n', { id: heldId }))[0].n)).toBeGreaterThan(0);
}, 900_000);
