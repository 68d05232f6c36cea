/**
 * Screening benchmark (issue 13 items 4 to 6): accuracy of `screen` per category, precision and recall at
 * the documented threshold, and bulk screening's throughput and memory through the CLI and the API.
 *
 *   BENCH_ONLY=screen npm run bench
 *
 * A fresh Neo4j of its own (.data/bench-screen) loaded with the bundled demo lists (ingest/demo: the OFAC
 * SDN list of 2024-05-03, the UN list of 2025-11-18), then:
 *
 * 1. Accuracy: every labelled query of bench/search-labelled.jsonl (names with typos, First LAST, legal
 *    forms, an alias with a typo, Arabic, Cyrillic, Han, Hangul) screened as a name, and of
 *    bench/screen-labelled.jsonl (identifiers typed loosely; a name with a birth year and country),
 *    through `screen()` in-process (first 5, threshold 0, so the rank shows even below the threshold).
 *    Per category: top-1 (a party of `expect` first), top-5, and top-1 at the threshold (first and
 *    scored at least SCREEN_THRESHOLD, as a caller sees it). Beside it, for the name categories, a
 *    brute-force Jaro-Winkler scan of every name and alias (bench/search.ts's jaroWinkler; the name
 *    alone: it knows no birth year, country or identifier); p50 latency of both, ours as a server a few
 *    seconds after a load (the index's candidates prepared in the background, awaited), and beside it
 *    `screenColdP50`: every query once right after a load with none prepared in the background.
 * 2. Pairs (bench/screen-pairs.jsonl): each query screened (first 50, threshold 0) and the candidate's
 *    score read (0 when absent); precision and recall at SCREEN_THRESHOLD, the false-positive rate of
 *    each kind of false pair and the recall of each kind of true pair, and the same at 0.5 to 0.9.
 * 3. Bulk: the rows of bench/screen-rows.ts (BENCH_SCREEN_ROWS, 10,000) through the CLI
 *    (`node --import tsx server/screen-cli.ts rows.csv --out cli.csv --format csv`, spawned with this
 *    Neo4j's NEO4J_URI) and through the API (the real server, `server/main.ts` spawned on this Neo4j,
 *    POST /api/screen/bulk?format=csv): rows/s of each (wall time, the CLI's start-up included), the peak
 *    RSS of the CLI process and of the server (VmHWM of /proc/<pid>/status polled every 100 ms; the
 *    server's RSS before the upload beside it), whether the two CSV files are byte-identical (else the
 *    first differing line), and the match rate of each kind of row. Baseline in the same run: the
 *    brute-force Jaro-Winkler scan per row with a name, timed on BENCH_SCREEN_BASELINE_ROWS (400) rows
 *    spread over the file and extrapolated to every named row (rows without a name cost it nothing).
 *    Left out, and said so, while server/screen-cli.ts or server/api/screen-bulk.ts is not there.
 *
 * BENCH_SCREEN_PARTS (default "accuracy,pairs,bulk") runs some of the parts only (the others are null in
 * the results line); BENCH_SCREEN_ROWS (10,000) sets the bulk file's rows.
 *
 * Results: one line appended to bench/results/screen.jsonl; a summary on stderr.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { REPO_ROOT, NEO4J_VERSION } from '../server/core/settings';
import { Database } from '../server/core/neo4j/database';
import type { Neo4jEndpoint } from '../server/core/neo4j/embedded';
import { forgetPreparedCandidates, prepareCandidates, screen, SCREEN_THRESHOLD } from '../server/api/screen';
import { requestDb } from '../server/api/request';
import type { Context } from '../server/api/context';
import { readIndexedParties, searchIndexReady } from '../server/core/search/live';
import { latinTokens } from '../server/core/text/names';
import { ingest } from '../ingest/ingest';
import { freshNeo4jIn, pct, scaleFolders } from './growth';
import { startServer } from './load-server';
import { jaroWinkler } from './search';
import { LABELLED_FILE, type Labelled } from './search-labelled';
import { SCREEN_LABELLED_FILE, SCREEN_PAIRS_FILE, type ScreenLabelled, type ScreenPair, type ScreenQuery } from './screen-labelled';
import { makeScreenRows } from './screen-rows';

const DIR = path.join(REPO_ROOT, '.data', 'bench-screen');
const DEMO = path.join(REPO_ROOT, 'ingest', 'demo');
const SDN = path.join(DEMO, 'ofac-sdn-2024-05-03', 'sdn.csv');
const UN = path.join(DEMO, 'un-sc-2025-11-18', 'consolidated.xml');
const ROWS = Number(process.env.BENCH_SCREEN_ROWS || 10_000);
const BASELINE_ROWS = Number(process.env.BENCH_SCREEN_BASELINE_ROWS || 400);
/**
 * BENCH_SCREEN_FACTOR (default 1): the lists multiplied by the scale generator (bench/scale, seed 1), to see
 * the ratio grow with the data; above x1 the accuracy part asks every k-th query (about 400), the same at
 * each run, as the scan takes FACTOR times as long.
 */
const FACTOR = Number(process.env.BENCH_SCREEN_FACTOR || 1);
const HOST = { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, neo4j: NEO4J_VERSION };
const CLI = path.join(REPO_ROOT, 'server', 'screen-cli.ts');
const BULK_API = path.join(REPO_ROOT, 'server', 'api', 'screen-bulk.ts');

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

function jsonLines<T>(file: string): T[] {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: see bench/screen-labelled.md for how it is made`);
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}

/** The baseline: every name and alias of every party as lowercase Latin words; Jaro-Winkler against each, best per party. */
function bruteForceScan(parties: { id: string; name: string; aliases: readonly string[] }[]): (query: string, k: number) => string[] {
  const entries = parties.flatMap((p, owner) => [...new Set([p.name, ...p.aliases])].map((n) => ({ owner, text: latinTokens(n).join(' ') })).filter((e) => e.text !== ''));
  return (query, k) => {
    const q = latinTokens(query).join(' ');
    const best = new Float64Array(parties.length);
    for (const e of entries) best[e.owner] = Math.max(best[e.owner], jaroWinkler(q, e.text));
    return [...best.keys()]
      .filter((i) => best[i] > 0)
      .sort((a, b) => best[b] - best[a] || (parties[a].id < parties[b].id ? -1 : 1))
      .slice(0, k)
      .map((i) => parties[i].id);
  };
}

/** One screen() as a request makes it: its own context, deadline and loaders. */
async function screenOnce(db: Database, input: ScreenQuery, first: number): Promise<{ id: string; score: number }[]> {
  const ctx: Context = { db };
  const r = await screen(requestDb(ctx), ctx, { input, first, threshold: 0 });
  return r.matches.map((m) => ({ id: m.id, score: m.score }));
}

interface Row {
  category: string;
  expect: string[];
  got: { id: string; score: number }[];
  brute: string[] | null;
}

function accuracy(rows: Row[]) {
  const by: Record<string, { n: number; top1: number; top5: number; top1AtThreshold: number; bruteTop1: number | null; bruteTop5: number | null }> = {};
  for (const r of rows) {
    const a = (by[r.category] ??= { n: 0, top1: 0, top5: 0, top1AtThreshold: 0, bruteTop1: r.brute ? 0 : null, bruteTop5: r.brute ? 0 : null });
    a.n++;
    const first = r.got[0];
    if (first && r.expect.includes(first.id)) {
      a.top1++;
      if (first.score >= SCREEN_THRESHOLD) a.top1AtThreshold++;
    }
    if (r.got.slice(0, 5).some((g) => r.expect.includes(g.id))) a.top5++;
    if (r.brute && a.bruteTop1 !== null && a.bruteTop5 !== null) {
      if (r.expect.includes(r.brute[0] ?? '')) a.bruteTop1++;
      if (r.brute.slice(0, 5).some((id) => r.expect.includes(id))) a.bruteTop5++;
    }
  }
  for (const a of Object.values(by)) {
    a.top1 = round(a.top1 / a.n);
    a.top5 = round(a.top5 / a.n);
    a.top1AtThreshold = round(a.top1AtThreshold / a.n);
    if (a.bruteTop1 !== null) a.bruteTop1 = round(a.bruteTop1 / a.n);
    if (a.bruteTop5 !== null) a.bruteTop5 = round(a.bruteTop5 / a.n);
  }
  return by;
}

/** Part 1. */
async function accuracyPart(db: Database, brute: (q: string, k: number) => string[]) {
  const all: { category: string; input: ScreenQuery; expect: string[] }[] = [
    ...jsonLines<Labelled>(LABELLED_FILE).map((l) => ({ category: l.category, input: { name: l.query }, expect: l.expect })),
    ...jsonLines<ScreenLabelled>(SCREEN_LABELLED_FILE).map((l) => ({ category: l.category, input: l.query, expect: l.expect })),
  ];
  const step = FACTOR === 1 ? 1 : Math.max(1, Math.ceil(all.length / 400));
  const queries = all.filter((_, i) => i % step === 0);
  // First, the screens right after a load with no candidate prepared in the background (each screen
  // prepares its own and keeps it): reported beside, as screenColdP50.
  const index = await searchIndexReady(db);
  forgetPreparedCandidates(index);
  const coldMs: number[] = [];
  for (const q of queries) {
    const t = process.hrtime.bigint();
    await screenOnce(db, q.input, 5);
    coldMs.push(seconds(t) * 1000);
  }
  // Then as a server a few seconds after a load: the index's candidates prepared in the background
  // (screen.ts prepareCandidates, which the first screen after a load starts), awaited here.
  forgetPreparedCandidates(index);
  const prepared = await prepareCandidates(index);
  // Warm-up, untimed: the name index, the name counts, JIT, the driver's pool.
  for (const q of queries.filter((_, i) => i % 50 === 0)) await screenOnce(db, q.input, 5);
  const rows: Row[] = [];
  const oursMs: number[] = [];
  const bruteMs: number[] = [];
  for (const q of queries) {
    let t = process.hrtime.bigint();
    const got = await screenOnce(db, q.input, 5);
    oursMs.push(seconds(t) * 1000);
    let b: string[] | null = null;
    if (q.input.name) {
      t = process.hrtime.bigint();
      b = brute(q.input.name, 5);
      bruteMs.push(seconds(t) * 1000);
    }
    rows.push({ category: q.category, expect: q.expect, got, brute: b });
    if (rows.length % 250 === 0) console.error(`screen accuracy: ${rows.length} of ${queries.length} queries`);
  }
  const misses = rows
    .filter((r) => !r.expect.includes(r.got[0]?.id ?? ''))
    .map((r, i) => ({ i, category: r.category, expect: r.expect.slice(0, 3), got: r.got.slice(0, 2) }));
  return {
    queries: queries.length,
    byCategory: accuracy(rows),
    latencyMs: {
      screenP50: round(pct(oursMs, 50)),
      screenP95: round(pct(oursMs, 95)),
      bruteForceP50: round(pct(bruteMs, 50)),
      ratioP50: round(pct(bruteMs, 50) / pct(oursMs, 50)),
      candidatesPrepared: prepared,
      screenColdP50: round(pct(coldMs, 50)),
      screenColdP95: round(pct(coldMs, 95)),
      ratioColdP50: round(pct(bruteMs, 50) / pct(coldMs, 50)),
    },
    missesSample: misses.filter((_, i) => i % Math.max(1, Math.ceil(misses.length / 40)) === 0),
  };
}

/** Part 2. */
async function pairsPart(db: Database) {
  const pairs = jsonLines<ScreenPair>(SCREEN_PAIRS_FILE);
  const scored: (ScreenPair & { score: number })[] = [];
  for (const p of pairs) {
    const got = await screenOnce(db, p.query, 50);
    scored.push({ ...p, score: got.find((g) => g.id === p.candidate)?.score ?? 0 });
  }
  const at = (threshold: number) => {
    const tp = scored.filter((p) => p.same && p.score >= threshold).length;
    const fp = scored.filter((p) => !p.same && p.score >= threshold).length;
    const positives = scored.filter((p) => p.same).length;
    return { threshold, precision: round(tp / Math.max(1, tp + fp)), recall: round(tp / Math.max(1, positives)), tp, fp, fn: positives - tp, tn: scored.length - positives - fp };
  };
  const kinds: Record<string, { same: boolean; n: number; aboveThreshold: number; medianScore: number }> = {};
  for (const kind of [...new Set(scored.map((p) => p.kind))]) {
    const of = scored.filter((p) => p.kind === kind);
    kinds[kind] = { same: of[0].same, n: of.length, aboveThreshold: round(of.filter((p) => p.score >= SCREEN_THRESHOLD).length / of.length), medianScore: round(pct(of.map((p) => p.score), 50)) };
  }
  const wrong = scored.filter((p) => p.same !== p.score >= SCREEN_THRESHOLD);
  return {
    pairs: pairs.length,
    atThreshold: at(SCREEN_THRESHOLD),
    curve: [0.5, 0.6, 0.7, 0.8, 0.9].map(at),
    byKind: kinds,
    wrongSample: wrong.filter((_, i) => i % Math.max(1, Math.ceil(wrong.length / 30)) === 0).map((p) => ({ kind: p.kind, from: p.from, candidate: p.candidate, score: round(p.score), query: p.query })),
  };
}

// ---------------------------------------------------------------------------------------------
// Part 3: bulk

/** Peak resident memory of a live process (VmHWM), in MiB, or null once it is gone. */
function vmHwmMiB(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Polls a process's peak RSS every 100 ms until stop() (the last value read: VmHWM only grows). */
function watchPeak(pid: number): () => number | null {
  let peak: number | null = vmHwmMiB(pid);
  const timer = setInterval(() => (peak = vmHwmMiB(pid) ?? peak), 100);
  return () => {
    clearInterval(timer);
    return peak === null ? null : round(peak, 1);
  };
}

function firstDifference(a: Buffer, b: Buffer): { line: number; cli: string; api: string } | null {
  if (a.equals(b)) return null;
  const la = a.toString('utf8').split('\n');
  const lb = b.toString('utf8').split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return { line: i + 1, cli: (la[i] ?? '(end of file)').slice(0, 400), api: (lb[i] ?? '(end of file)').slice(0, 400) };
  }
  return { line: -1, cli: '(same lines, different bytes)', api: '' };
}

/** Per kind of row (the ref's prefix): rows, and how many screened to a match, to no match, to an error. */
function outcomes(csv: Buffer): Record<string, Record<string, number>> {
  const records = parse(csv, { bom: true, columns: true, relax_column_count: true }) as Record<string, string>[];
  const status = new Map<string, string>();
  for (const r of records) if (!status.has(r.line)) status.set(r.line, `${(r.ref || 'none').replace(/-\d+$/, '')} ${r.status}`);
  const out: Record<string, Record<string, number>> = {};
  for (const s of status.values()) {
    const [kind, st] = s.split(' ');
    out[kind] ??= {};
    out[kind][st] = (out[kind][st] ?? 0) + 1;
  }
  return out;
}

async function bulkPart(endpoint: Neo4jEndpoint, brute: (q: string, k: number) => string[]) {
  const missing = [CLI, BULK_API].filter((f) => !fs.existsSync(f));
  if (missing.length) return { skipped: `not there yet: ${missing.map((f) => path.relative(REPO_ROOT, f)).join(', ')}` };
  const rowsFile = path.join(DIR, 'rows.csv');
  const input = Buffer.from(makeScreenRows(ROWS));
  fs.writeFileSync(rowsFile, input);
  const neo4jEnv = { NEO4J_URI: endpoint.uri, NEO4J_USER: endpoint.user, NEO4J_PASSWORD: endpoint.password, LOG_LEVEL: 'warn' };

  // The CLI, as a user runs it.
  const cliOut = path.join(DIR, 'cli.csv');
  const cliLog = path.join(DIR, 'cli.log');
  const log = fs.openSync(cliLog, 'w');
  let t = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, rowsFile, '--out', cliOut, '--format', 'csv'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...neo4jEnv, DATA_DIR: path.join(DIR, 'cli') },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const cliPeak = watchPeak(child.pid!);
  const code = await new Promise<number | string>((resolve) => child.once('exit', (c, s) => resolve(c ?? s ?? 'unknown')));
  const cliSeconds = seconds(t);
  const cliRss = cliPeak();
  if (code !== 0) throw new Error(`screen-cli exited ${code}; its log ${cliLog} ends: ${fs.readFileSync(cliLog, 'utf8').slice(-2000)}`);
  const cliCsv = fs.readFileSync(cliOut);
  console.error(`screen bulk: CLI ${ROWS} rows in ${cliSeconds.toFixed(1)} s, peak RSS ${cliRss} MiB`);

  // The API: the real server on the same Neo4j.
  const server = await startServer({ dataDir: path.join(DIR, 'server'), env: { ...neo4jEnv, LOAD_DEMO_DATA: '0' }, fresh: true, startTimeoutMs: 300_000 });
  let api: { seconds: number; rssBeforeMiB: number | null; peakRssMiB: number | null; status: number };
  let apiCsv: Buffer;
  try {
    // One untimed small request first: the server's lazy start-up (name index, name counts) is not the upload's.
    await fetch(`${server.url}/api/screen`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'warm up' }) }).then((r) => r.arrayBuffer());
    await sleep(500);
    const rssBefore = vmHwmMiB(server.pid);
    const serverPeak = watchPeak(server.pid);
    t = process.hrtime.bigint();
    const res = await fetch(`${server.url}/api/screen/bulk?format=csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: input });
    apiCsv = Buffer.from(await res.arrayBuffer());
    api = { seconds: seconds(t), rssBeforeMiB: rssBefore === null ? null : round(rssBefore, 1), peakRssMiB: serverPeak(), status: res.status };
    fs.writeFileSync(path.join(DIR, 'api.csv'), apiCsv);
    if (res.status !== 200) throw new Error(`POST /api/screen/bulk answered ${res.status}: ${apiCsv.toString('utf8').slice(0, 500)}`);
  } finally {
    await server.stop();
  }
  console.error(`screen bulk: API ${ROWS} rows in ${api.seconds.toFixed(1)} s, server peak RSS ${api.peakRssMiB} MiB (${api.rssBeforeMiB} before)`);

  // Baseline: the brute-force scan of each named row, timed on rows spread over the file.
  const named = (parse(input, { columns: true }) as { name: string }[]).map((r) => r.name).filter((n) => n && n.trim() !== '');
  const step = Math.max(1, Math.floor(named.length / BASELINE_ROWS));
  const sample = named.filter((_, i) => i % step === 0).slice(0, BASELINE_ROWS);
  t = process.hrtime.bigint();
  for (const n of sample) brute(n, 5);
  const perNamed = seconds(t) / sample.length;
  const baselineRowsPerS = ROWS / (perNamed * named.length);

  const difference = firstDifference(cliCsv, apiCsv);
  const cliRowsPerS = ROWS / cliSeconds;
  const apiRowsPerS = ROWS / api.seconds;
  return {
    rows: ROWS,
    inputBytes: input.length,
    cli: { seconds: round(cliSeconds, 2), rowsPerS: round(cliRowsPerS, 1), peakRssMiB: cliRss, outputBytes: cliCsv.length },
    api: { ...api, seconds: round(api.seconds, 2), rowsPerS: round(apiRowsPerS, 1), outputBytes: apiCsv.length },
    baseline: { namedRows: named.length, sampled: sample.length, msPerNamedRow: round(perNamed * 1000), rowsPerS: round(baselineRowsPerS, 1) },
    ratio: { cli: round(cliRowsPerS / baselineRowsPerS, 2), api: round(apiRowsPerS / baselineRowsPerS, 2) },
    identical: difference === null,
    firstDifference: difference,
    outcomes: outcomes(cliCsv),
  };
}

export async function screenBench(): Promise<void> {
  const at = new Date().toISOString();
  const loadavg = { start: os.loadavg().map((x) => round(x, 2)) } as Record<string, number[]>;
  const { settings, endpoint, db } = await freshNeo4jIn(DIR);
  let result: Record<string, unknown>;
  try {
    await db.write('database-reset');
    await db.applySchema();
    const opts = { progress: false, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs };
    let t = process.hrtime.bigint();
    // Above x1, the scale generator's lists (copy 0 is the real list: the labelled parties keep their ids).
    const { ofac, un } = FACTOR === 1 ? { ofac: SDN, un: UN } : await scaleFolders(FACTOR);
    await ingest(db, { ...opts, paths: [ofac], release: '2024-05-03' });
    await ingest(db, { ...opts, paths: [un] });
    console.error(`screen: demo lists loaded in ${seconds(t).toFixed(0)} s`);
    await searchIndexReady(db);
    const brute = bruteForceScan(await readIndexedParties(db, await db.snapshot()));

    const parts = new Set((process.env.BENCH_SCREEN_PARTS || 'accuracy,pairs,bulk').split(',').map((x) => x.trim()));
    result = { at, host: HOST, loadavg, threshold: SCREEN_THRESHOLD, factor: FACTOR, lists: ['ofac-sdn 2024-05-03', 'un-sc 2025-11-18'], accuracy: null, pairs: null, bulk: null };
    if (parts.has('accuracy')) {
      t = process.hrtime.bigint();
      const acc = await accuracyPart(db, brute);
      loadavg.accuracy = os.loadavg().map((x) => round(x, 2));
      console.error(`screen accuracy (${acc.queries} queries, ${seconds(t).toFixed(0)} s; threshold ${SCREEN_THRESHOLD}): category n top1 top5 top1@threshold | brute-force top1 top5`);
      for (const [c, a] of Object.entries(acc.byCategory)) {
        console.error(`  ${c.padEnd(20)} ${String(a.n).padStart(4)} ${a.top1.toFixed(3)} ${a.top5.toFixed(3)} ${a.top1AtThreshold.toFixed(3)} | ${a.bruteTop1 === null ? '-' : `${a.bruteTop1.toFixed(3)} ${a.bruteTop5!.toFixed(3)}`}`);
      }
      console.error(`  latency: ${JSON.stringify(acc.latencyMs)}`);
      result.accuracy = acc;
    }
    if (parts.has('pairs')) {
      const pairs = await pairsPart(db);
      loadavg.pairs = os.loadavg().map((x) => round(x, 2));
      const p = pairs.atThreshold;
      console.error(`screen pairs (${pairs.pairs}): at ${SCREEN_THRESHOLD} precision ${p.precision} recall ${p.recall} (tp ${p.tp}, fp ${p.fp}, fn ${p.fn}, tn ${p.tn})`);
      for (const [k, v] of Object.entries(pairs.byKind)) console.error(`  ${k.padEnd(26)} ${v.same ? 'true ' : 'false'} n ${v.n}: ${(v.aboveThreshold * 100).toFixed(1)}% above the threshold, median score ${v.medianScore}`);
      result.pairs = pairs;
    }
    if (parts.has('bulk')) {
      // A failure of the bulk part is reported in the results, not allowed to lose parts 1 and 2.
      const bulk = await bulkPart(endpoint, brute).catch((err: unknown) => ({ skipped: `failed: ${err instanceof Error ? err.message : String(err)}` }));
      loadavg.bulk = os.loadavg().map((x) => round(x, 2));
      if ('skipped' in bulk) console.error(`screen bulk: skipped (${bulk.skipped})`);
      else {
        console.error(
          `screen bulk (${bulk.rows} rows): CLI ${bulk.cli.rowsPerS} rows/s (peak RSS ${bulk.cli.peakRssMiB} MiB), API ${bulk.api.rowsPerS} rows/s (server peak RSS ${bulk.api.peakRssMiB} MiB), ` +
            `brute-force baseline ${bulk.baseline.rowsPerS} rows/s: ratio CLI ${bulk.ratio.cli}x, API ${bulk.ratio.api}x; CLI and API CSV identical: ${bulk.identical ? 'yes' : `NO, first difference at line ${bulk.firstDifference!.line}:\n    CLI: ${bulk.firstDifference!.cli}\n    API: ${bulk.firstDifference!.api}`}`,
        );
        console.error(`  outcomes by kind of row: ${JSON.stringify(bulk.outcomes)}`);
      }
      result.bulk = bulk;
    }
  } finally {
    await db.close();
    await endpoint.stop();
  }
  const out = path.join(REPO_ROOT, 'bench', 'results', 'screen.jsonl');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.appendFileSync(out, JSON.stringify(result) + '\n');
  console.error(`screen results appended to ${path.relative(REPO_ROOT, out)}`);
}
