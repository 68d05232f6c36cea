/**
 * npm run bench: ingest benchmarks on the real 2024-05-03 OFAC SDN file, each reported as a ratio
 * against a baseline measured in the same run (these machines are noisy; absolute figures are context).
 *
 *  1. parse:  our OFAC parser (CSV + remarks -> model) vs a bare csv-parse tokenizer over the same file.
 *  3. api:    see bench/api.ts (GraphQL tax, throughput, hubs, paths, search), in bench/results/api.jsonl.
 *  2. load:   our full ingest (parse + one-transaction batched UNWIND writes of parties, programs,
 *             identifiers, links) vs Neo4j's own LOAD CSV ... CALL { } IN TRANSACTIONS creating the
 *             same Party nodes (name, type, programs, remarks) under the same constraints.
 *  4. explorer: see bench/explorer.ts (data to first frame and pan/zoom frame time of a 2,000-node canvas
 *             in headless Chromium vs a bare Cytoscape.js page), in bench/results/explorer.jsonl.
 *  5. matching: see bench/matching.ts (cross-list candidates for ~16,400 parties of the UN, SDN and
 *             Consolidated lists vs grouping every name once), in bench/results/matching.jsonl.
 *  6. load:  see bench/load.ts (the real server under 45 honest clients, then the same with 5 abusive
 *             ones beside them: honest p99 and throughput abusive/calm), in bench/results/load.jsonl.
 *             About 2 x BENCH_LOAD_SECONDS (300) plus start-up; BENCH_LOAD=0 leaves it out of the full run.
 *
 * Results are appended as one JSON line to bench/results/ingest.jsonl.
 * BENCH_ONLY=explorer npm run bench: only the explorer benchmark (after one untimed load of the file).
 * BENCH_ONLY=matching npm run bench: only the matching benchmark (no database).
 * BENCH_ONLY=load npm run bench: only the load benchmark (its own server, .data/bench-load).
 * BENCH_ONLY=growth npm run bench: see bench/growth.ts (load time, store size, RSS and API latency at
 *             x1, x4, x16 of the scale data; x64 with BENCH_GROWTH_MAX=64), in bench/results/growth.jsonl.
 * BENCH_ONLY=ingest npm run bench: see bench/ingest-baseline.ts (our load vs LOAD CSV writing the same
 *             graph, our parser vs a bare tokenizer, on the real SDN file and the x4 scale data).
 * BENCH_ONLY=ingest-rss npm run bench: see bench/ingest-rss.ts (Node's RSS of `npm run ingest` as a user runs it, by
 *             phase, on the scale data: OFAC then UN; x64 with BENCH_RSS_FACTORS=64), in bench/results/ingest.jsonl.
 * BENCH_ONLY=admin-import npm run bench: see bench/admin-import.ts (Neo4j's offline importer vs LOAD CSV writing the
 *             same graph into an empty store: x1 and x4, BENCH_ADMIN_SETS=x1,x4,x16 for more), in bench/results/ingest.jsonl.
 * BENCH_ONLY=parse npm run bench: see bench/parse-speed.ts (our OFAC CSV and UN XML parsers, alone and with the load's
 *             spool, vs a bare csv-parse / saxes pass over the same bytes: CPU and wall time, x1 and x4), in
 *             bench/results/parse.jsonl.
 * BENCH_ONLY=search npm run bench: see bench/search.ts (top-1/top-5 per category of labelled queries and
 *             p50/p95 of search vs a brute-force Jaro-Winkler scan, x1 and x4; the name index's memory at
 *             x1/x4/x16), in bench/results/search.jsonl.
 * BENCH_ONLY=screen npm run bench: see bench/screen.ts (top-1/top-5 of screen per category of labelled queries
 *             beside a brute-force Jaro-Winkler scan, precision and recall at the threshold on true and false
 *             pairs, bulk screening of 10,000 rows through the CLI and the API: rows/s, peak RSS, identical
 *             output), in bench/results/screen.jsonl; its own Neo4j (.data/bench-screen).
 * Runs: BENCH_RUNS (parse, load; 3), BENCH_API_RUNS (50), BENCH_EXPLORER_RUNS (5).
 * Uses its own DATA_DIR (.data/bench) and a free port, so it never touches the dev or test database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse';
import { REPO_ROOT, NEO4J_VERSION } from '../server/core/settings';
import { neo4jHome } from '../server/core/neo4j/embedded';
import { parseOfacCsv } from '../ingest/sources/ofac-csv';
import { ingest } from '../ingest/ingest';
import { apiBench } from './api';
import { explorerBench } from './explorer';
import { matchingBench } from './matching';
import { loadBench } from './load';
import { freshNeo4jIn, growthBench } from './growth';
import { ingestBaselineBench } from './ingest-baseline';
import { searchBench } from './search';
import { screenBench } from './screen';
import { parseSpeedBench } from './parse-speed';
import { ingestRssBench } from './ingest-rss';
import { adminImportBench } from './admin-import';

const FILE = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions', 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const RUNS = Number(process.env.BENCH_RUNS || 3);
const EXPLORER_RUNS = Number(process.env.BENCH_EXPLORER_RUNS || 5);
const HOST = { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, neo4j: NEO4J_VERSION };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function bareTokenizer(file: string): Promise<number> {
  let n = 0;
  const parser = fs.createReadStream(file).pipe(parse({ relax_column_count: true }));
  for await (const _ of parser) n++;
  return n;
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e9, r];
}

const LOAD_CSV = `
LOAD CSV FROM 'file:///sdn.csv' AS row
WITH row WHERE row[0] =~ '[0-9]+'
CALL (row) {
  MERGE (p:Party {id: 'ofac-' + row[0]})
  SET p.name = row[1], p.kind = row[2], p.programs = split(row[3], '] ['), p.remarks = row[11]
} IN TRANSACTIONS OF 5000 ROWS`;

/** A fresh Neo4j of the bench's own: DATA_DIR .data/bench, a free port. */
function freshNeo4j() {
  return freshNeo4jIn(path.join(REPO_ROOT, '.data', 'bench'));
}

function appendExplorer(at: string, explorer: Record<string, unknown>): void {
  const out = path.join(REPO_ROOT, 'bench', 'results', 'explorer.jsonl');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.appendFileSync(out, JSON.stringify({ at, host: HOST, ...explorer }) + '\n');
  console.error(`explorer results appended to ${path.relative(REPO_ROOT, out)}`);
}

function appendMatching(at: string, matching: Record<string, unknown>): void {
  const out = path.join(REPO_ROOT, 'bench', 'results', 'matching.jsonl');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.appendFileSync(out, JSON.stringify({ at, host: HOST, runs: RUNS, ...matching }) + '\n');
  console.error(`matching results appended to ${path.relative(REPO_ROOT, out)}`);
}

/** BENCH_ONLY=explorer: one untimed load of the file, then the explorer benchmark alone. */
async function explorerOnly(): Promise<void> {
  const { settings, endpoint, db } = await freshNeo4j();
  try {
    await db.write('database-reset-rels');
    await db.write('database-reset');
    await db.applySchema();
    await ingest(db, { paths: [FILE], release: '2024-05-03', progress: false, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs });
    appendExplorer(new Date().toISOString(), await explorerBench(db, EXPLORER_RUNS));
  } finally {
    await db.close();
    await endpoint.stop();
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'explorer') return explorerOnly();
  if (process.env.BENCH_ONLY === 'matching') return appendMatching(new Date().toISOString(), await matchingBench(RUNS));
  if (process.env.BENCH_ONLY === 'load') return void (await loadBench());
  if (process.env.BENCH_ONLY === 'growth') return growthBench();
  if (process.env.BENCH_ONLY === 'ingest') return ingestBaselineBench();
  if (process.env.BENCH_ONLY === 'search') return searchBench();
  if (process.env.BENCH_ONLY === 'screen') return screenBench();
  if (process.env.BENCH_ONLY === 'parse') return parseSpeedBench();
  if (process.env.BENCH_ONLY === 'ingest-rss') return ingestRssBench();
  if (process.env.BENCH_ONLY === 'admin-import') return adminImportBench();
  if (process.env.BENCH_ONLY) throw new Error(`BENCH_ONLY=${process.env.BENCH_ONLY}: only 'explorer', 'matching', 'load', 'growth', 'ingest', 'ingest-rss', 'admin-import', 'search', 'screen' or 'parse' runs alone`);
  const rows = (await bareTokenizer(FILE)) - 1; // minus OFAC's end-of-file record
  console.error(`bench: ${FILE} (${rows} entries), ${RUNS} runs each, median reported`);

  // 1. Parsing.
  const bare: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push((await time(() => bareTokenizer(FILE)))[0]);
    ours.push((await time(() => parseOfacCsv([FILE], { release: '2024-05-03' })))[0]);
  }
  const parse = { bareRowsPerS: rows / median(bare), oursRowsPerS: rows / median(ours), ratio: median(ours) / median(bare) };
  console.error(`parse: bare csv-parse ${parse.bareRowsPerS.toFixed(0)} rows/s, ours ${parse.oursRowsPerS.toFixed(0)} rows/s (ours takes ${parse.ratio.toFixed(2)}x)`);

  // 2. Loading, against a fresh Neo4j of the bench's own.
  const { settings, endpoint, db } = await freshNeo4j();
  const importDir = path.join(neo4jHome(settings), 'import');
  fs.mkdirSync(importDir, { recursive: true });
  fs.copyFileSync(FILE, path.join(importDir, 'sdn.csv'));
  const loadCsv: number[] = [];
  const oursLoad: number[] = [];
  let stats: { nodes: number; relationships: number };
  let api: Record<string, unknown>;
  let explorer: Record<string, unknown>;
  try {
    for (let i = 0; i < RUNS; i++) {
      await db.write('database-reset-rels');
      await db.write('database-reset');
      await db.applySchema();
      loadCsv.push((await time(() => db.runWrite(LOAD_CSV)))[0]);
      await db.write('database-reset-rels');
      await db.write('database-reset');
      await db.applySchema();
      const [t] = await time(() =>
        ingest(db, { paths: [FILE], release: '2024-05-03', progress: false, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs }),
      );
      oursLoad.push(t);
    }
    const [c] = await db.runWrite<{ nodes: number; relationships: number }>('MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS relationships');
    stats = c;
    // 3. The API, over the graph the last load left.
    api = await apiBench(db, Number(process.env.BENCH_API_RUNS || 50));
    console.error(`api: ${JSON.stringify(api, (k, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v))}`);
    // 4. The explorer, over the same graph.
    explorer = await explorerBench(db, EXPLORER_RUNS);
  } finally {
    await db.close();
    await endpoint.stop();
  }
  const load = {
    loadCsvRowsPerS: rows / median(loadCsv),
    oursRowsPerS: rows / median(oursLoad),
    ratio: median(oursLoad) / median(loadCsv),
    oursGraph: stats,
  };
  console.error(
    `load: LOAD CSV (parties only) ${load.loadCsvRowsPerS.toFixed(0)} rows/s, ours (full model: ${stats.nodes} nodes, ` +
      `${stats.relationships} relationships) ${load.oursRowsPerS.toFixed(0)} rows/s (ours takes ${load.ratio.toFixed(2)}x)`,
  );

  const result = {
    at: new Date().toISOString(),
    host: HOST,
    file: path.basename(path.dirname(FILE)) + '/sdn.csv',
    rows,
    runs: RUNS,
    seconds: { bareParse: bare, oursParse: ours, loadCsv, oursLoad },
    parse,
    load,
  };
  const out = path.join(REPO_ROOT, 'bench', 'results', 'ingest.jsonl');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.appendFileSync(out, JSON.stringify(result) + '\n');
  const apiOut = path.join(REPO_ROOT, 'bench', 'results', 'api.jsonl');
  fs.appendFileSync(apiOut, JSON.stringify({ at: result.at, host: result.host, runs: Number(process.env.BENCH_API_RUNS || 50), ...api }) + '\n');
  console.error(`results appended to ${path.relative(REPO_ROOT, out)} and ${path.relative(REPO_ROOT, apiOut)}`);
  appendExplorer(result.at, explorer);
  // 5. Matching (no database).
  appendMatching(result.at, await matchingBench(RUNS));
  // 6. Load (its own server and store; the bench's Neo4j is stopped by now).
  if (process.env.BENCH_LOAD !== '0') await loadBench();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
