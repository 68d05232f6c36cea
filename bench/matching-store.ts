/**
 * Time of the candidate matching after a load, on a real store (issue 11): where the refresh's time
 * goes (reading every party from Neo4j, finding and scoring the pairs, writing the candidates), and the
 * refresh as it is against comparing every pair (compareAll) in the same run.
 *
 *   BENCH_STORE=match node --import tsx bench/matching-store.ts load 4      # fresh store: OFAC x4, then UN x4
 *   BENCH_STORE=match node --import tsx bench/matching-store.ts measure 4   # on that store, as after the UN load
 *
 * `load` makes .data/$BENCH_STORE (default bench-matching) afresh and loads the scale data's OFAC SDN
 * and UN lists of factor F (bench/scale, seed 1, under .data/scale) with `ingest`, as bench/growth.ts
 * does. `measure` restarts that store and times, in turns (BENCH_MATCHING_RUNS rounds, default 2):
 * - `read`: the parties' pages only (refresh.ts matchPartyPages over cypher/match-parties-page.cypher);
 * - `compareAll`: findCandidatesSpooled on those pages as they are read, comparing every pair with
 *   enough bits (option compareAll: without Comparer.mayReach's cut);
 * - `refresh`: refreshMatches itself for the UN list (reads, matching and the candidates' write).
 * It checks that both find the same candidates (SHA-256 of their JSON) and appends one line to
 * bench/results/matching.jsonl (`kind: "refresh-store"`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings, NEO4J_VERSION, REPO_ROOT } from '../server/core/settings';
import { connectNeo4j } from '../server/core/neo4j/embedded';
import { Database } from '../server/core/neo4j/database';
import { ingest } from '../ingest/ingest';
import { matchPartyPages, refreshMatches } from '../server/core/matching/refresh';
import { findCandidatesSpooled } from '../server/core/matching/spooled';
import { freePort } from '../server/core/net';
import { freshNeo4jIn, scaleFolders } from './growth';

const STORE = process.env.BENCH_STORE || 'bench-matching';
if (!/^[\w-]+$/.test(STORE)) throw new Error(`BENCH_STORE=${STORE}: a folder name under .data (letters, digits, - and _)`);
const DATA_DIR = path.join(REPO_ROOT, '.data', STORE);
const UN_DATASET = 'un-sc';
const TIMEOUT_MS = 3_600_000;
const HOST = { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, neo4j: NEO4J_VERSION };

const seconds = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;
const cpuSeconds = (c: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1e6;
};

async function load(factor: number): Promise<void> {
  const { ofac, un } = await scaleFolders(factor);
  const { settings, endpoint, db } = await freshNeo4jIn(DATA_DIR);
  try {
    const opts = { progress: false, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs };
    await db.applySchema();
    let t = process.hrtime.bigint();
    await ingest(db, { ...opts, paths: [ofac], release: '2024-05-03' });
    console.error(`x${factor}: OFAC loaded in ${seconds(t).toFixed(1)} s`);
    t = process.hrtime.bigint();
    await ingest(db, { ...opts, paths: [un] });
    console.error(`x${factor}: UN loaded in ${seconds(t).toFixed(1)} s`);
    fs.writeFileSync(path.join(DATA_DIR, 'matching-bench.json'), JSON.stringify({ factor }));
  } finally {
    await db.close();
    await endpoint.stop();
  }
}

async function measure(factor: number, rounds: number): Promise<void> {
  const marker = path.join(DATA_DIR, 'matching-bench.json');
  if (!fs.existsSync(marker) || (JSON.parse(fs.readFileSync(marker, 'utf8')) as { factor: number }).factor !== factor) {
    throw new Error(`.data/${STORE} holds no x${factor} load: run \`bench/matching-store.ts load ${factor}\` first`);
  }
  const settings = loadSettings({ ...process.env, DATA_DIR, NEO4J_BOLT_PORT: String(await freePort()), NEO4J_URI: '' });
  const endpoint = await connectNeo4j(settings);
  const db = new Database(endpoint, TIMEOUT_MS);
  // A server just started answers its first queries slowly (the snapshot read allows 10 s): warm it up.
  for (let attempt = 1; ; attempt++) {
    try {
      await db.read('match-other-datasets', { dataset: UN_DATASET }, TIMEOUT_MS);
      break;
    } catch (err) {
      if (attempt === 5) throw err;
    }
  }
  const spool = fs.mkdtempSync(path.join(REPO_ROOT, '.data', 'bench-matching-store-'));
  const pages = () => matchPartyPages((name, params) => db.read(name, params, TIMEOUT_MS));
  const runs: Record<string, { seconds: number; cpuSeconds: number; [k: string]: unknown }[]> = { read: [], compareAll: [], refresh: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      let t = process.hrtime.bigint();
      let c = process.cpuUsage();
      let parties = 0;
      for await (const page of pages()) parties += page.length;
      runs.read.push({ seconds: seconds(t), cpuSeconds: cpuSeconds(c), parties });

      t = process.hrtime.bigint();
      c = process.cpuUsage();
      const all = await findCandidatesSpooled(pages(), { touchingDatasets: [UN_DATASET], dir: spool, compareAll: true });
      runs.compareAll.push({
        seconds: seconds(t), cpuSeconds: cpuSeconds(c), candidates: all.candidates.length,
        sha256: crypto.createHash('sha256').update(JSON.stringify(all.candidates)).digest('hex'), stats: all.stats,
      });

      t = process.hrtime.bigint();
      c = process.cpuUsage();
      const stored = await refreshMatches(db, UN_DATASET, settings.ingestBatchSize, TIMEOUT_MS, spool);
      const candidates = await db.read<{ a: string; b: string; score: number; features: string }>('bench-matching-candidates', { dataset: UN_DATASET }, TIMEOUT_MS);
      runs.refresh.push({
        seconds: seconds(t), cpuSeconds: cpuSeconds(c), candidates: stored,
        sha256: crypto.createHash('sha256').update(JSON.stringify(candidates.map((x) => ({ a: x.a, b: x.b, score: x.score, features: JSON.parse(x.features) as unknown })))).digest('hex'),
      });
      console.error(`x${factor} round ${r + 1}: ${JSON.stringify({ read: runs.read[r], compareAll: runs.compareAll[r], refresh: runs.refresh[r] })}`);
    }
  } finally {
    fs.rmSync(spool, { recursive: true, force: true });
    await db.close();
    await endpoint.stop();
  }
  const best = (k: string) => Math.min(...runs[k].map((x) => x.seconds));
  const line = {
    at: new Date().toISOString(), host: HOST, kind: 'refresh-store', factor, touching: UN_DATASET, rounds,
    loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
    parties: runs.read[0].parties,
    sameCandidates: runs.refresh.every((x, i) => x.sha256 === runs.compareAll[i].sha256),
    bestSeconds: { read: best('read'), compareAll: best('compareAll'), refresh: best('refresh') },
    refreshOverCompareAll: best('refresh') / best('compareAll'),
    runs,
  };
  fs.appendFileSync(path.join(REPO_ROOT, 'bench', 'results', 'matching.jsonl'), `${JSON.stringify(line)}\n`);
  console.log(JSON.stringify(line));
}

async function main(): Promise<void> {
  const [mode, f] = process.argv.slice(2);
  const factor = Number(f);
  if (!['load', 'measure'].includes(mode) || !Number.isInteger(factor) || factor < 1) throw new Error('usage: bench/matching-store.ts load|measure FACTOR');
  if (mode === 'load') await load(factor);
  else await measure(factor, Number(process.env.BENCH_MATCHING_RUNS ?? 2));
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
