/**
 * Growth benchmark (issue 11 item 4): how load time, store size, the load's memory and the API's
 * latency grow with the data. For each factor F of BENCH_GROWTH_FACTORS (default 1,4,16; 64 added when
 * BENCH_GROWTH_MAX=64) it loads the scale generator's OFAC SDN and UN lists multiplied F times
 * (bench/scale, seed 1, generated under .data/scale when absent) into a fresh Neo4j of its own
 * (.data/bench-growth, or .data/$BENCH_STORE), after one untimed warm-up load of the real SDN file (BENCH_GROWTH_WARMUP=0 skips
 * it), then times the explorer's own requests through the real API over HTTP.
 *
 * The query targets are chosen once, at the first factor, from the real SDN file (copy 0 of every
 * factor is the real list, so the same parties exist at every factor): bench/load-traffic.ts's
 * workload (500 sampled names and parties, pairs of linked parties found through the API). So each
 * factor answers the same questions over a larger graph, and the ratios against the first factor say
 * what growth alone costs. Goals (issue 11): load time per party flat (x64 <= 80x the x1 time),
 * query p50 flat (x64 <= 2x the x1 p50).
 *
 * Results: one line per run appended to bench/results/growth.jsonl.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadSettings, REPO_ROOT, NEO4J_VERSION, type Settings } from '../server/core/settings';
import { connectNeo4j, neo4jHome, stopRecordedNeo4j, type Neo4jEndpoint } from '../server/core/neo4j/embedded';
import { Database } from '../server/core/neo4j/database';
import { freePort } from '../server/core/net';
import { createApp } from '../server/api/app';
import { createGraphQLServer } from '../server/api/graphql';
import { DOCUMENTS } from '../client/src/api';
import { ingest } from '../ingest/ingest';
import { searchIndexReady } from '../server/core/search/live';
import { peakRssMb } from '../ingest/loader';
import { DEFAULT_SOURCES, generateScale } from './scale/generate';
import { buildWorkload, type Workload } from './load-traffic';

export const SCALE_DIR = path.join(REPO_ROOT, '.data', 'scale');
/** The growth bench's figures so far while it runs (git-ignored, under .data). */
/** The bench's own store under .data (BENCH_STORE, default bench-growth): two runs at once need two. */
const STORE = process.env.BENCH_STORE || 'bench-growth';
const PARTIAL = path.join(REPO_ROOT, '.data', `${STORE}-partial.json`);
const HOST = { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, neo4j: NEO4J_VERSION };

export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** A fresh Neo4j of the bench's own in `dataDir` (deleted first), on a free port. */
export async function freshNeo4jIn(dataDir: string): Promise<{ settings: Settings; endpoint: Neo4jEndpoint; db: Database }> {
  const base = { ...process.env, DATA_DIR: dataDir, NEO4J_BOLT_PORT: String(await freePort()), NEO4J_URI: '' };
  await stopRecordedNeo4j(loadSettings(base));
  fs.rmSync(dataDir, { recursive: true, force: true });
  const settings = loadSettings(base);
  const endpoint = await connectNeo4j(settings);
  return { settings, endpoint, db: new Database(endpoint, 600_000) };
}

/** The scale generator's folders for factor F, generated (seed 1) when absent. */
export async function scaleFolders(factor: number): Promise<{ ofac: string; un: string }> {
  const ofac = path.join(SCALE_DIR, `ofac-sdn-x${factor}`);
  const un = path.join(SCALE_DIR, `un-sc-x${factor}`);
  if (!fs.existsSync(path.join(ofac, 'sdn.csv')) || !fs.existsSync(path.join(un, 'consolidated.xml'))) {
    console.error(`growth: generating x${factor} scale data into ${path.relative(REPO_ROOT, SCALE_DIR)} (seed 1)`);
    await generateScale({ factor, seed: '1', out: SCALE_DIR });
  }
  return { ofac, un };
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += dirBytes(p);
    else if (e.isFile()) n += fs.statSync(p).size;
  }
  return n;
}

const MB = 2 ** 20;

/**
 * The embedded Neo4j's peak RSS so far (VmHWM; heap, page cache touched and native memory), from the
 * server record the launcher keeps in its home; null when it cannot be read.
 */
function neo4jPeakMB(settings: Settings): number | null {
  try {
    const rec = JSON.parse(fs.readFileSync(path.join(neo4jHome(settings), 'run', 'server.json'), 'utf8')) as { server?: { pid?: number } };
    const status = fs.readFileSync(`/proc/${rec.server?.pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status);
    return kb ? Number(kb[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples this process's RSS while `fn` runs; the sampler runs between the load's awaits. */
/** Resets this process's VmHWM (Linux: clear_refs 5), so the next peakRssMb is the peak from now on. */
function resetPeakRss(): void {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    /* not Linux: the peak stays the process's own */
  }
}

export async function withRssPeak<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; rssPeakMB: number; rssBeforeMB: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  const t = process.hrtime.bigint();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, seconds: Number(process.hrtime.bigint() - t) / 1e9, rssPeakMB: peak / MB, rssBeforeMB: before / MB };
  } finally {
    clearInterval(timer);
  }
}

const NEIGHBORHOOD = `query Expand($ids: [ID!]!, $depth: Int, $limit: Int) {
  neighborhood(ids: $ids, depth: $depth, limit: $limit) { ...SubgraphFields }
}
${DOCUMENTS.subgraphFragments}`;

type Latency = { p50: number; p95: number; n: number };

/** The API over HTTP on a free loopback port, as `npm start` serves it (anonymous reads). */
async function startApi(db: Database): Promise<{ url: string; stop: () => Promise<void> }> {
  const graphql = createGraphQLServer();
  await graphql.start();
  const app = createApp({ notReady: null, db, neo4j: { uri: 'bench', embedded: true, version: null } }, graphql);
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    stop: async () => {
      await new Promise((r) => server.close(r));
      await graphql.stop();
    },
  };
}

async function postGraphql(url: string, query: string, variables: Record<string, unknown>): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

/**
 * p50/p95 of each request type over `runs` requests, one at a time (latency, not throughput), after two
 * untimed warm-up requests per type. A request answered with errors fails the bench: a fast error is
 * not a fast answer.
 */
async function queryLatencies(url: string, w: Workload, runs: number): Promise<{ latency: Record<string, Latency>; exportNodes: number }> {
  let exportNodes = 0;
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const r = await postGraphql(url, query, variables);
    if (r.errors?.length || !r.data) throw new Error(`growth: request failed: ${JSON.stringify(r.errors).slice(0, 500)}`);
    return r.data;
  };
  // ~500 nodes: the 2-hop neighbourhood of ten parties, capped at 500 nodes, as the explorer exports it.
  const exportIds = (i: number) => w.ids.slice((i * 10) % 490, ((i * 10) % 490) + 10).join(',');
  const kinds: Record<string, (i: number) => Promise<unknown>> = {
    search: (i) => gql(DOCUMENTS.search, { query: w.names[i % w.names.length].split(/\s+/).slice(0, 8).join(' '), first: 20 }),
    entity: (i) => gql(DOCUMENTS.entity, { id: w.ids[i % w.ids.length] }),
    neighborhood1: (i) => gql(NEIGHBORHOOD, { ids: [w.ids[i % w.ids.length]], depth: 1, limit: 50 }),
    neighborhood2: (i) => gql(NEIGHBORHOOD, { ids: [w.ids[i % w.ids.length]], depth: 2, limit: 200 }),
    shortestPath: (i) => {
      const [from, to] = w.linkedPairs[i % w.linkedPairs.length];
      return gql(DOCUMENTS.paths, { from, to, mode: 'SHORTEST', maxHops: 4, limit: 10 });
    },
    export500: async (i) => {
      const q = new URLSearchParams({ ids: exportIds(i), depth: '2', limit: '500', format: 'json' });
      const res = await fetch(`${url}/api/export?${q}`);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`growth: export answered ${res.status}: ${text.slice(0, 300)}`);
      const body = JSON.parse(text) as { elements?: { nodes?: unknown[] }; nodes?: unknown[] };
      exportNodes = Math.max(exportNodes, (body.elements?.nodes ?? body.nodes ?? []).length);
    },
  };
  const latency: Record<string, Latency> = {};
  for (const [kind, fn] of Object.entries(kinds)) {
    await fn(runs);
    await fn(runs + 1);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      await fn(i);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    latency[kind] = { p50: pct(ms, 50), p95: pct(ms, 95), n: runs };
  }
  return { latency, exportNodes };
}

export interface GrowthPoint {
  factor: number;
  parties: { ofac: number; un: number };
  loadSeconds: { ofac: number; un: number };
  /** Node's RSS before the loads and its peak during them (this process: parse and write). */
  rssMB: { before: number; peak: number };
  /** This process's peak RSS (VmHWM) per list: when its load committed, and after its candidate matching. */
  loadRssPeakMB?: Record<'ofac' | 'un', { atCommit: number | null; afterMatching: number | null }>;
  /** The Neo4j process's peak RSS since it started (the warm-up load included). */
  neo4jRssPeakMB: number | null;
  storeMB: number;
  loadAvg: { before: number[]; afterLoad: number[] };
  /** The API's name index, built before the timed requests: build time, and the process's heap used (garbage included) and RSS after it. */
  nameIndex?: { seconds: number; parties: number; heapUsedMB: number; rssMB: number };
  queriesMs: Record<string, Latency>;
  exportNodes: number;
}

/** One factor: fresh store, both lists loaded and timed, then the API timed. */
async function growthPoint(factor: number, runs: number, workload: Workload | null): Promise<{ point: GrowthPoint; workload: Workload }> {
  const { ofac, un } = await scaleFolders(factor);
  const dataDir = path.join(REPO_ROOT, '.data', STORE);
  const { settings, endpoint, db } = await freshNeo4jIn(dataDir);
  try {
    const opts = { progress: false, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs };
    await db.write('database-reset-rels');
    await db.write('database-reset');
    await db.applySchema();
    if (process.env.BENCH_GROWTH_WARMUP !== '0') {
      // A freshly started Neo4j writes its first load several times slower than the next (JIT, query
      // plans, page cache: 38 s then 8 s for the real SDN file here), which would flatter the growth of
      // every factor against x1's small load: one untimed load of the real file first, then an empty store.
      await ingest(db, { ...opts, paths: [DEFAULT_SOURCES.sdn], release: DEFAULT_SOURCES.ofacRelease });
      await db.write('database-reset-rels');
      await db.write('database-reset');
      await db.applySchema();
    }
    const before = os.loadavg();
    const loaded = await withRssPeak(async () => {
      const t = process.hrtime.bigint();
      resetPeakRss();
      const o = await ingest(db, { ...opts, paths: [ofac], release: '2024-05-03' });
      const ofacS = Number(process.hrtime.bigint() - t) / 1e9;
      const ofacPeak = peakRssMb();
      resetPeakRss();
      const u = await ingest(db, { ...opts, paths: [un] });
      // Each list's peak (VmHWM) when its load committed, and after candidate matching (screen's
      // refreshMatches, which reads every party when another dataset is loaded: the UN load here).
      const loadRss = {
        ofac: { atCommit: o.result.peakRssMbAtCommit, afterMatching: ofacPeak },
        un: { atCommit: u.result.peakRssMbAtCommit, afterMatching: peakRssMb() },
      };
      return { ofacS, unS: Number(process.hrtime.bigint() - t) / 1e9 - ofacS, ofacParties: o.summary.entities.total, unParties: u.summary.entities.total, loadRss };
    });
    const afterLoad = os.loadavg();
    const neo4jRssPeakMB = neo4jPeakMB(settings);
    const storeMB = dirBytes(path.join(neo4jHome(settings), 'data')) / MB;
    console.error(
      `growth x${factor}: loaded ${loaded.value.ofacParties} + ${loaded.value.unParties} parties in ${loaded.value.ofacS.toFixed(1)} + ${loaded.value.unS.toFixed(1)} s, ` +
        `RSS peak ${loaded.rssPeakMB.toFixed(0)} MB (Neo4j ${neo4jRssPeakMB?.toFixed(0)} MB), store ${storeMB.toFixed(0)} MB, load average ${afterLoad.map((x) => x.toFixed(1)).join(' ')}`,
    );
    const api = await startApi(db);
    try {
      // The name index is built before the first timed request, as \`npm start\` builds it at start-up:
      // otherwise the first searches of a large factor wait FIRST_BUILD_WAIT_MS (15 s) each and are then
      // answered by the full-text path (the first x64 run's search p95 was 15.6 s). Its build time and
      // the process's heap and RSS once it is built are recorded (the index of x64 is about a million parties).
      const t = process.hrtime.bigint();
      const index = await searchIndexReady(db);
      const nameIndex = {
        seconds: Number(process.hrtime.bigint() - t) / 1e9,
        parties: index.partyCount,
        heapUsedMB: process.memoryUsage().heapUsed / MB,
        rssMB: process.memoryUsage.rss() / MB,
      };
      console.error(`growth x${factor}: name index of ${nameIndex.parties} parties built in ${nameIndex.seconds.toFixed(1)} s; heap used ${nameIndex.heapUsedMB.toFixed(0)} MB, RSS ${nameIndex.rssMB.toFixed(0)} MB`);
      const w = workload ?? (await buildWorkload(1, (body) => postGraphql(api.url, body.query, body.variables)));
      const q = await queryLatencies(api.url, w, runs);
      console.error(`growth x${factor}: ${Object.entries(q.latency).map(([k, v]) => `${k} p50 ${v.p50.toFixed(1)} p95 ${v.p95.toFixed(1)} ms`).join(', ')}; export ${q.exportNodes} nodes`);
      return {
        workload: w,
        point: {
          factor,
          parties: { ofac: loaded.value.ofacParties, un: loaded.value.unParties },
          loadSeconds: { ofac: loaded.value.ofacS, un: loaded.value.unS },
          rssMB: { before: loaded.rssBeforeMB, peak: loaded.rssPeakMB },
          loadRssPeakMB: loaded.value.loadRss,
          neo4jRssPeakMB,
          storeMB,
          loadAvg: { before, afterLoad },
          nameIndex,
          queriesMs: q.latency,
          exportNodes: q.exportNodes,
        },
      };
    } finally {
      await api.stop();
    }
  } finally {
    await db.close();
    await endpoint.stop();
  }
}

/** Ratios of each point against the first (x1): query p50 and p95, load time and load time per party. */
export function growthRatios(points: GrowthPoint[]): Record<string, unknown>[] {
  const [base] = points;
  const perParty = (p: GrowthPoint) => (p.loadSeconds.ofac + p.loadSeconds.un) / (p.parties.ofac + p.parties.un);
  return points.slice(1).map((p) => ({
    factor: p.factor,
    vsFactor: base.factor,
    loadTime: (p.loadSeconds.ofac + p.loadSeconds.un) / (base.loadSeconds.ofac + base.loadSeconds.un),
    loadTimePerParty: perParty(p) / perParty(base),
    storeSize: p.storeMB / base.storeMB,
    queryP50: Object.fromEntries(Object.entries(p.queriesMs).map(([k, v]) => [k, v.p50 / base.queriesMs[k].p50])),
    queryP95: Object.fromEntries(Object.entries(p.queriesMs).map(([k, v]) => [k, v.p95 / base.queriesMs[k].p95])),
  }));
}

export function appendGrowth(line: Record<string, unknown>): void {
  const out = path.join(REPO_ROOT, 'bench', 'results', 'growth.jsonl');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.appendFileSync(out, JSON.stringify(line) + '\n');
  console.error(`growth results appended to ${path.relative(REPO_ROOT, out)}`);
}

/**
 * BENCH_ONLY=growth. Factors from BENCH_GROWTH_FACTORS (e.g. "1,4"), else 1, 4, 16 and 64 up to
 * BENCH_GROWTH_MAX (16); BENCH_GROWTH_RUNS requests per query type (30); REQUEST_TIMEOUT 120 s unless set.
 * A factor that fails (memory,
 * timeout) ends the run, and the line is still appended, with what the smaller factors measured and
 * the error, since where it breaks is itself a result. While it runs, the figures of the factors done so
 * far are in .data/bench-growth-partial.json.
 */
export async function growthBench(): Promise<void> {
  const max = Number(process.env.BENCH_GROWTH_MAX || 16);
  const factors = process.env.BENCH_GROWTH_FACTORS
    ? process.env.BENCH_GROWTH_FACTORS.split(',').map(Number)
    : [1, 4, 16, 64].filter((f) => f <= max);
  const runs = Number(process.env.BENCH_GROWTH_RUNS || 30);
  // Latencies are measured, not cut: at the API's default 20 s a request of x16 on a busy machine (load
  // average 13) timed out and ended a run before it reached x64. REQUEST_TIMEOUT set measures with that limit.
  process.env.REQUEST_TIMEOUT ??= '120';
  const requestTimeoutS = Number(process.env.REQUEST_TIMEOUT);
  const at = new Date().toISOString();
  const points: GrowthPoint[] = [];
  let workload: Workload | null = null;
  let error: string | null = null;
  const line = () => ({ at, host: HOST, runs, requestTimeoutS, warmUp: process.env.BENCH_GROWTH_WARMUP !== '0', factors, points, ratios: points.length > 1 ? growthRatios(points) : [], error });
  for (const factor of factors) {
    try {
      const r = await growthPoint(factor, runs, workload);
      workload = r.workload;
      points.push(r.point);
    } catch (err) {
      error = `x${factor}: ${(err as Error).stack ?? String(err)}`;
      console.error(`growth x${factor} failed: ${error}`);
      break;
    }
    // What is measured so far, in case a larger factor never ends (the last line of a run is complete).
    if (factor !== factors[factors.length - 1]) fs.writeFileSync(PARTIAL, JSON.stringify({ ...line(), partial: true }) + '\n');
  }
  fs.rmSync(PARTIAL, { force: true });
  appendGrowth(line());
  if (error) process.exitCode = 1;
}
