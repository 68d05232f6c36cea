/**
 * The kill test (issue 10): `npm run ingest` of a newer release, as a user runs it (a separate process
 * against the test run's Neo4j), killed with SIGKILL at random moments of its load. After each kill,
 * `--status` and a fingerprint of the graph readers see show the previous release, or the new one when
 * the kill came after the commit, never a mix; at the end the load runs to completion, shows the new
 * release, and the database holds nothing of the killed loads (each was rolled back by the next load).
 *
 * The moments are spread over the load's duration, measured once by a full load at the start: the
 * duration is cut into KILLS equal slots and each kill falls at a random point of its slot, from a seeded
 * generator (KILL_SEED, printed), so a failure can be replayed. KILLS is 8 by default, not the issue's
 * 20: on 2 cores shared with other work, a CLI load of the 2024-05-03 list took 11 to 45 s, and each kill
 * also costs a --status process, a fingerprint and, when it came after the commit, reloading the previous
 * release: 12 kills took the test 8.7 minutes, too long for every CI run. 8 slots still put kills into
 * start-up, parsing and all of the write. KILL_COUNT=20 runs the issue's 20 (an estimated 13 to 15 minutes here).
 *
 * "After each kill" means once Neo4j is done with the dead client's transaction. A client killed after it
 * sent COMMIT still has its transaction committed by the server, which for a whole list takes seconds;
 * Neo4j Community reads at read-committed without multi-version storage, so a query that runs during
 * that commit can count some of its changes and not others (seen here: --status reported release
 * 2024-05-03 with the old list's party counts, while the graph, read a moment later, was exactly the
 * new release). That is a transient view of a commit in progress, not a mixed graph; the test waits
 * until SHOW TRANSACTIONS lists nothing but itself, then checks, and reports how long it waited.
 *
 * At scale (issue 11: "kill tests pass on an x16 load as well"): KILL_SCALE=F (unset or 1: the real lists,
 * as above, what CI runs) makes both releases with the scale generator (bench/scale/generate.ts) from the
 * real 2024-04-26 and 2024-05-03 files, same seed, F times each, into a temp folder, and runs the same
 * kills against them; the counts the test expects come from the generator's result. KILLS is then 4 by
 * default (each kill costs a reload of the previous release when it came after the commit). The graph's
 * fingerprint is streamed (test/streamed-fingerprint.ts), at every factor: at x16 the graph has about a
 * million nodes, too many rows to collect and sort in the test process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestSpoolDir, REPO_ROOT } from '../../server/core/settings';
import { Database } from '../../server/core/neo4j/database';
import { leftoverFolders } from '../../server/core/owned-folders';
import { MATCHING_PREFIX } from '../../server/core/matching/spooled';
import { ingest } from '../../ingest/ingest';
import { leftoverSpools } from '../../ingest/spool';
import { generateScale } from '../../bench/scale/generate';
import { externalNeo4jEnv, LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';
import { streamedFingerprint as fingerprint } from '../streamed-fingerprint';

const SCALE = Number(process.env.KILL_SCALE || 1);
if (!Number.isInteger(SCALE) || SCALE < 1) throw new Error(`KILL_SCALE must be a whole number >= 1, not ${process.env.KILL_SCALE}`);
const REAL = {
  old: path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv'),
  new: path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv'),
};
/** A release: its files, its name, and the parties the load must report (the real 2024-05-03 list: 14,965). */
interface Release {
  files: string[];
  release: string;
  parties: number;
}
const OLD: Release = { files: [REAL.old], release: '2024-04-26', parties: NaN };
const NEW: Release = { files: [REAL.new], release: '2024-05-03', parties: 14965 };
const KILLS = Number(process.env.KILL_COUNT || (SCALE > 1 ? 4 : 8));
const SEED = Number(process.env.KILL_SEED || 20240503);
const tmp = SCALE > 1 ? fs.mkdtempSync(path.join(os.tmpdir(), 'sg-ingest-kill-')) : '';

/**
 * Both releases F times (generateScale: copy 0 the real list, copies 1..F-1 made from it), each in its
 * own folder. Seed '1' for both, as the benchmarks, and the names of the 2024-05-03 list as both
 * releases' vocabulary: an entry's copies are made from the seed, its ent_num and that vocabulary, so
 * the releases' copies differ where the real lists do (as a real release of a list 16 times the SDN
 * would). No add.csv (the generator's default
 * is the 2025-12-24 file, of neither release): the same kind of files as the real test, the primary
 * file and its comments continuation. The generator names the OFAC release 2024-05-03 whatever the
 * source; the loads here name theirs with --release.
 */
async function scaleReleases(): Promise<void> {
  for (const [r, sdn] of [
    [OLD, REAL.old],
    [NEW, REAL.new],
  ] as const) {
    const made = await generateScale({ factor: SCALE, seed: '1', out: path.join(tmp, r.release), sdn, add: null, vocabulary: REAL.new });
    r.files = made.files.filter((f) => path.dirname(f.file) === made.ofac.folder).map((f) => f.file);
    r.parties = made.ofac.parties;
    console.log(`kill test x${SCALE}: ${r.release} generated in ${made.seconds.toFixed(1)} s: ${made.ofac.parties} parties, ${made.ofac.links} links, files ${r.files.map((f) => path.basename(f)).join(', ')}`);
  }
}

/** mulberry32: a small seeded generator, so that the kill moments can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `npm run ingest -- ARGS` as a child process; killed with SIGKILL after `killAfterMs` when given. */
function cli(args: string[], killAfterMs?: number): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', '--no-progress', ...args], {
    cwd: REPO_ROOT,
    env: externalNeo4jEnv({ LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

const load = (killAfterMs?: number) => cli(['--json', '--release', NEW.release, ...NEW.files], killAfterMs);

/** `--status --json`, without the time of the last load (which differs between two loads of one release). */
async function status(): Promise<unknown> {
  const r = await cli(['--status', '--json']);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  const { datasets } = JSON.parse(r.stdout) as { datasets: Record<string, unknown>[] };
  return datasets.map(({ loadedAt: _, ...rest }) => rest);
}

type State = { status: unknown; graph: Awaited<ReturnType<typeof fingerprint>> };
/** What readers see: a killed load stays in the database, hidden, until the next load rolls it back. */
const state = async (): Promise<State> => ({ status: await status(), graph: await fingerprint(db, { visible: true }) });

/**
 * Waits until the server runs no transaction other than this query (the killed client's transaction is
 * committed or rolled back); returns the ms waited.
 */
async function settled(): Promise<number> {
  const started = Date.now();
  for (;;) {
    const [{ n }] = await db.runWrite<{ n: number }>(
      "SHOW TRANSACTIONS YIELD currentQuery WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN count(*) AS n",
    );
    if (n === 0) return Date.now() - started;
    if (Date.now() - started > 300_000 * SCALE) throw new Error(`the killed load's transaction is still open after ${300 * SCALE} s (${n} transactions)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The previous release alone, loaded in-process (the starting point of every kill). */
async function loadOld(): Promise<void> {
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: OLD.files, release: OLD.release });
}

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  if (SCALE > 1) await scaleReleases();
}, 600_000 * SCALE);
afterAll(async () => {
  await db.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test(`${SCALE > 1 ? `x${SCALE} scale data: ` : ''}SIGKILL at ${KILLS} random moments of a load: the previous release or the new one, never a mix; then the load succeeds`, async () => {
  // The two states a kill may leave, and the load's duration, from one full load by the CLI.
  await loadOld();
  const before = await state();
  expect(before.status).toEqual([expect.objectContaining({ dataset: 'ofac-sdn', release: OLD.release, releases: [OLD.release] })]);
  const full = await load();
  expect({ code: full.code, stderr: full.code === 0 ? '' : full.stderr }).toEqual({ code: 0, stderr: '' });
  const after = await state();
  const afterRaw = await fingerprint(db);
  expect(after.status).toEqual([expect.objectContaining({ release: NEW.release, releases: [OLD.release, NEW.release] })]);
  expect(after.graph.hash).not.toBe(before.graph.hash);
  // Loading the previous release again gives the same graph (else "the previous release" could not be checked).
  await loadOld();
  expect(await state()).toEqual(before);

  const random = seeded(SEED);
  // The first load on a fresh store is the slowest (cold caches); a load that ends before its kill
  // shortens the span, so that the later slots still fall inside the load.
  let span = full.ms;
  const outcomes: string[] = [];
  for (let i = 0; i < KILLS; i++) {
    const at = Math.round(((i + random()) / KILLS) * span);
    const run = await load(at);
    if (run.code === 0) span = Math.min(span, run.ms);
    const waited = await settled();
    const now = await state();
    const which = now.graph.hash === before.graph.hash ? 'previous' : now.graph.hash === after.graph.hash ? 'new' : 'MIX';
    const phase = run.signal ? (run.stderr.includes('Parsed ') ? ' while writing' : ' while starting or parsing') : '';
    outcomes.push(`${at} ms: ${run.signal ?? `exit ${run.code}`}${phase} -> ${which}${waited > 250 ? ` (the server finished its transaction ${waited} ms later)` : ''}`);
    // Never a mix: the whole graph and --status are exactly one of the two states.
    expect({ kill: i, seed: SEED, at, state: now }).toEqual({ kill: i, seed: SEED, at, state: which === 'new' ? after : before });
    if (which === 'new') await loadOld(); // the kill came after the commit: start the next one from the previous release
  }
  console.log(`kill test (x${SCALE}, seed ${SEED}, first full load ${full.ms} ms, span ${span} ms):\n${outcomes.join('\n')}`);
  // The kills fell over the whole load: some before the commit. (Those after it depend on the machine's speed.)
  // (An outcome may end with the server's wait after '-> previous': not endsWith.)
  expect(outcomes.filter((o) => o.includes('-> previous')).length).toBeGreaterThan(0);

  // The next load succeeds and shows the new release.
  const last = await load();
  expect({ code: last.code, stderr: last.code === 0 ? '' : last.stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(last.stdout.trim())).toMatchObject({ dataset: 'ofac-sdn', release: NEW.release, entities: { total: NEW.parties } });
  expect(await state()).toEqual(after);
  // And nothing of the killed loads is left in the database: the next load rolled each one back; nor
  // on disk: the spool folders of killed loads (ingest/spool.ts) and the work folders of their matching
  // refresh (server/core/matching/spooled.ts) were removed by the next load. (With one list loaded, as
  // here, no refresh runs; test/unit/matching-leftovers.test.ts kills refreshes in progress.)
  expect(await fingerprint(db)).toEqual(afterRaw);
  expect(leftoverSpools()).toEqual([]);
  expect(leftoverFolders(ingestSpoolDir(), MATCHING_PREFIX)).toEqual([]);
}, 1_200_000 * SCALE);
