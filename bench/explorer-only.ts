/**
 * The explorer benchmark (bench/explorer.ts) alone, on a Neo4j store of its own: what
 * `BENCH_ONLY=explorer npm run bench` does, but under .data/$BENCH_STORE (default `bench-explorer`)
 * instead of the shared .data/bench, so that it runs beside another engineer's bench or a test run
 * without stopping their server or wiping their store.
 *
 *   BENCH_STORE=me node --import tsx bench/explorer-only.ts
 *
 * Loads the 2024-05-03 SDN list once (untimed), runs the benchmark, appends one line to
 * bench/results/explorer.jsonl. Runs: BENCH_EXPLORER_RUNS (5).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings, REPO_ROOT, NEO4J_VERSION } from '../server/core/settings';
import { connectNeo4j, stopRecordedNeo4j } from '../server/core/neo4j/embedded';
import { Database } from '../server/core/neo4j/database';
import { freePort } from '../server/core/net';
import { ingest } from '../ingest/ingest';
import { explorerBench } from './explorer';

const FILE = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions', 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const RUNS = Number(process.env.BENCH_EXPLORER_RUNS || 5);
const STORE = process.env.BENCH_STORE || 'bench-explorer';
const HOST = { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, neo4j: NEO4J_VERSION };

async function main(): Promise<void> {
  if (!/^[\w-]+$/.test(STORE)) throw new Error(`BENCH_STORE=${STORE}: a folder name under .data (letters, digits, - and _)`);
  const dataDir = path.join(REPO_ROOT, '.data', STORE);
  const base = { ...process.env, DATA_DIR: dataDir, NEO4J_BOLT_PORT: String(await freePort()), NEO4J_URI: '' };
  await stopRecordedNeo4j(loadSettings(base));
  fs.rmSync(dataDir, { recursive: true, force: true });
  const settings = loadSettings(base);
  const endpoint = await connectNeo4j(settings);
  const db = new Database(endpoint, 600_000);
  try {
    await db.write('database-reset');
    await db.applySchema();
    await ingest(db, { paths: [FILE], release: '2024-05-03', progress: false, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs });
    const result = await explorerBench(db, RUNS);
    const out = path.join(REPO_ROOT, 'bench', 'results', 'explorer.jsonl');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.appendFileSync(out, JSON.stringify({ at: new Date().toISOString(), host: HOST, ...result }) + '\n');
    console.error(`explorer results appended to ${path.relative(REPO_ROOT, out)}`);
  } finally {
    await db.close();
    await endpoint.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
