/**
 * Search benchmark (issue 13 items 5 and 6): accuracy and speed of `search` on labelled queries, beside a
 * brute-force Jaro-Winkler scan of every name and alias measured in the same run.
 *
 *   BENCH_ONLY=search npm run bench
 *
 * 1. x1: a fresh Neo4j of its own (.data/bench-search) loaded with the real OFAC SDN list of 2024-05-03
 *    and UN list of 2025-11-18; the name index built (its build time); then every query of
 *    bench/search-labelled.jsonl (made by bench/search-labelled.ts; see bench/search-labelled.md) through
 *    `search(db, { query, first: 5 })` in-process, as a GraphQL request makes it (through a copy of the
 *    database bounded by the request's deadline, as api/request.ts requestDb makes one per request, so
 *    the request's load snapshot is read from Neo4j each time), and through the brute-force scan: for each query, Jaro-Winkler against every name
 *    and alias of every party (each written as its Latin words, lowercase, spaces between, computed once
 *    before timing), best name per party, top 5. Top-1 (a party of `expect` first) and top-5 per
 *    category for both; p50/p95 latency of both and their ratio; beside them the parts of a search's
 *    time: the index lookup alone and the load snapshot's read alone (`snapshot`, one Neo4j round trip
 *    or two). The load average at the start and the end of the queries (the machine may be shared).
 * 2. x4 (BENCH_SEARCH_FACTORS, default "4"; "" to skip): the same on the scale generator's data at that
 *    factor (bench/scale, seed 1; copy 0 is the real list, so the labelled parties exist under the same
 *    ids, among 4x as many names), so the ratio's growth with the data shows; every k-th query, 400 in
 *    all (BENCH_SEARCH_SAMPLE), as the scan takes 4x as long.
 * 3. Memory: the index's retained heap at x1, x4 and x16 (BENCH_SEARCH_MEMORY, default "1,4,16"), built
 *    from the scale files as the parsers read them (no database: the same names, aliases and filter
 *    values a load stores), measured as heap after a full GC with the index minus before it.
 *
 * Results: one line appended to bench/results/search.jsonl. Identifiers typed loosely are not in the
 * labelled set: `search` looks up names only (identifier screening is `screen`'s).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { REPO_ROOT, NEO4J_VERSION } from '../server/core/settings';
import { Database, withDeadline } from '../server/core/neo4j/database';
import { search } from '../server/api/search';
import { readIndexedParties, searchIndexReady } from '../server/core/search/live';
import { indexedParties, NameIndex, type IndexedParty } from '../server/core/search/name-index';
import { latinTokens } from '../server/core/text/names';
import { ingest } from '../ingest/ingest';
import { parseOfacCsv } from '../ingest/sources/ofac-csv';
import { parseUnXml } from '../ingest/sources/un-xml';
import { freshNeo4jIn, pct, scaleFolders } from './growth';
import { LABELLED_FILE, SDN_FILE, UN_FILE, type Labelled } from './search-labelled';

/** Labelled queries asked above x1 (BENCH_SEARCH_SAMPLE), spread evenly over the file. */
const SAMPLE_ABOVE_X1 = Number(process.env.BENCH_SEARCH_SAMPLE || 400);
const HOST = { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, neo4j: NEO4J_VERSION };
const MB = 2 ** 20;

/** Jaro-Winkler similarity (prefix scale 0.1, up to 4 letters), the usual screening baseline. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const ma = new Uint8Array(la);
  const mb = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (!mb[j] && a.charCodeAt(i) === b.charCodeAt(j)) {
        ma[i] = mb[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let t = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (!ma[i]) continue;
    while (!mb[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) t++;
    k++;
  }
  const jaro = (matches / la + matches / lb + (matches - t / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** The brute-force scan: every name of every party, written once as lowercase Latin words. */
class BruteForce {
  private readonly names: string[] = [];
  private readonly owner: number[] = [];
  constructor(private readonly parties: IndexedParty[]) {
    parties.forEach((p, i) => {
      for (const n of new Set([p.name, ...p.aliases])) {
        const w = latinTokens(n).join(' ');
        if (w) {
          this.names.push(w);
          this.owner.push(i);
        }
      }
    });
  }
  get size(): number {
    return this.names.length;
  }
  top(query: string, k: number): string[] {
    const q = latinTokens(query).join(' ');
    const best = new Float64Array(this.parties.length);
    for (let i = 0; i < this.names.length; i++) {
      const s = jaroWinkler(q, this.names[i]);
      if (s > best[this.owner[i]]) best[this.owner[i]] = s;
    }
    const order: number[] = [];
    for (let i = 0; i < best.length; i++) if (best[i] > 0) order.push(i);
    order.sort((a, b) => best[b] - best[a] || (this.parties[a].id < this.parties[b].id ? -1 : 1));
    return order.slice(0, k).map((i) => this.parties[i].id);
  }
}

type Accuracy = Record<string, { n: number; top1: number; top5: number }>;

function score(rows: { category: string; expect: string[]; ids: string[] }[]): Accuracy {
  const acc: Accuracy = {};
  for (const r of rows) {
    const a = (acc[r.category] ??= { n: 0, top1: 0, top5: 0 });
    a.n++;
    if (r.ids.length > 0 && r.expect.includes(r.ids[0])) a.top1++;
    if (r.ids.slice(0, 5).some((id) => r.expect.includes(id))) a.top5++;
  }
  for (const a of Object.values(acc)) {
    a.top1 = Math.round((a.top1 / a.n) * 1000) / 1000;
    a.top5 = Math.round((a.top5 / a.n) * 1000) / 1000;
  }
  return acc;
}

const latency = (ms: number[]) => ({ p50: pct(ms, 50), p95: pct(ms, 95), n: ms.length });

function ms(t: bigint): number {
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** A request's time limit here: far above any search, so no query is cut short. */
const REQUEST_MS = 60_000;

/**
 * The labelled queries through search() and the brute-force scan, each in a pass of its own, over what
 * `db` holds. search() is called as a GraphQL request calls it (api/request.ts requestDb): through a copy
 * of `db` bounded by a deadline, made for that request, which takes its load snapshot (shared for
 * SNAPSHOT_REUSE_MS when clean, else read from Neo4j). Beside it, the parts of that time: the snapshot
 * step alone and the index lookup alone.
 */
async function measure(db: Database, labelled: Labelled[]) {
  const t = process.hrtime.bigint();
  const index = await searchIndexReady(db);
  const buildMs = ms(t);
  const parties = await readIndexedParties(db, await db.snapshot());
  const brute = new BruteForce(parties);
  // Warm-up, untimed: JIT of both paths, the driver's connection pool.
  const request = () => withDeadline(db, Date.now() + REQUEST_MS, () => new Error(`a search took longer than ${REQUEST_MS} ms`));
  for (const l of labelled.slice(0, 30)) {
    await search(request(), { query: l.query, first: 5 });
    await db.snapshot();
    brute.top(l.query, 5);
  }
  const loadavgBefore = os.loadavg();
  const ours: number[] = [];
  const indexOnly: number[] = [];
  const snapshotMs: number[] = [];
  const bruteMs: number[] = [];
  const oursRows: { category: string; query: string; expect: string[]; ids: string[] }[] = [];
  const bruteRows: { category: string; expect: string[]; ids: string[] }[] = [];
  const none = { kinds: null, datasets: null, programs: null, countries: null };
  // Each method in its own pass over the queries, not interleaved: the scan allocates heavily (hundreds
  // of MB per pass at x4), and interleaved, the collection of its garbage fell into the next search's
  // time (x4: search 8.0 ms p50 beside an index lookup of 0.25 ms and a shared snapshot of 0.008 ms).
  const results: { ids: string[] }[] = [];
  for (const l of labelled) {
    const s = process.hrtime.bigint();
    const r = await search(request(), { query: l.query, first: 5 });
    ours.push(ms(s));
    results.push({ ids: r.hits.map((h) => h.id) });
  }
  for (const l of labelled) {
    const s = process.hrtime.bigint();
    index.search(l.query, none, 300);
    indexOnly.push(ms(s));
  }
  for (let i = 0; i < labelled.length; i++) {
    const s = process.hrtime.bigint();
    await db.snapshot();
    snapshotMs.push(ms(s));
  }
  labelled.forEach((l, i) => {
    const s = process.hrtime.bigint();
    const b = brute.top(l.query, 5);
    bruteMs.push(ms(s));
    oursRows.push({ category: l.category, query: l.query, expect: l.expect, ids: results[i].ids });
    bruteRows.push({ category: l.category, expect: l.expect, ids: b });
  });
  const oursL = latency(ours);
  const bruteL = latency(bruteMs);
  return {
    parties: index.partyCount,
    names: index.nameCount,
    words: index.vocabularySize,
    indexBuildMs: buildMs,
    loadavgBefore,
    accuracy: { ours: score(oursRows), bruteForce: score(bruteRows) },
    latencyMs: { ours: oursL, indexOnly: latency(indexOnly), snapshot: latency(snapshotMs), bruteForce: bruteL },
    ratioP50: bruteL.p50 / oursL.p50,
    ratioP95: bruteL.p95 / oursL.p95,
    misses: oursRows.filter((r) => !r.expect.includes(r.ids[0] ?? '')).map((r) => ({ category: r.category, query: r.query, expect: r.expect, got: r.ids.slice(0, 3) })),
  };
}

/** Retained heap of the index at a factor (MB), with its party and name counts. */
async function indexMemory(factor: number): Promise<{ factor: number; parties: number; names: number; words: number; heapMB: number; buildMs: number }> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const { ofac, un } = factor === 1 ? { ofac: path.dirname(SDN_FILE), un: path.dirname(UN_FILE) } : await scaleFolders(factor);
  const files = (dir: string) => fs.readdirSync(dir).filter((f) => /\.(csv|xml)$/i.test(f)).map((f) => path.join(dir, f));
  gc();
  const before = process.memoryUsage().heapUsed;
  // The parsed releases go out of scope here: only what the index keeps is left after the GC.
  const build = async () => {
    const rows = [...indexedParties(await parseOfacCsv(files(ofac), { release: '2024-05-03' })), ...indexedParties(await parseUnXml(files(un), {}))];
    const t = process.hrtime.bigint();
    return { index: new NameIndex(rows), buildMs: ms(t) };
  };
  const { index, buildMs } = await build();
  gc();
  const heapMB = (process.memoryUsage().heapUsed - before) / MB;
  return { factor, parties: index.partyCount, names: index.nameCount, words: index.vocabularySize, heapMB, buildMs };
}

async function loadInto(db: Database, ofac: string, un: string, batchSize: number, txTimeoutMs: number): Promise<void> {
  await db.write('database-reset');
  await db.applySchema();
  const opts = { progress: false, batchSize, txTimeoutMs };
  await ingest(db, { ...opts, paths: [ofac], release: '2024-05-03' });
  await ingest(db, { ...opts, paths: [un] });
}

export async function searchBench(): Promise<void> {
  if (!fs.existsSync(LABELLED_FILE)) throw new Error(`${LABELLED_FILE} is missing: node --import tsx bench/search-labelled.ts makes it`);
  const labelled = fs.readFileSync(LABELLED_FILE, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Labelled);
  const factors = (process.env.BENCH_SEARCH_FACTORS ?? '4').split(',').filter((f) => f.trim() !== '').map(Number);
  const memoryFactors = (process.env.BENCH_SEARCH_MEMORY ?? '1,4,16').split(',').filter((f) => f.trim() !== '').map(Number);
  const at = new Date().toISOString();
  const points: Record<string, unknown>[] = [];
  const { settings, endpoint, db } = await freshNeo4jIn(path.join(REPO_ROOT, '.data', 'bench-search'));
  try {
    for (const factor of [1, ...factors]) {
      const { ofac, un } = factor === 1 ? { ofac: SDN_FILE, un: UN_FILE } : await scaleFolders(factor);
      const t = process.hrtime.bigint();
      await loadInto(db, ofac, un, settings.ingestBatchSize, settings.ingestTxTimeoutMs);
      console.error(`search x${factor}: loaded in ${(ms(t) / 1000).toFixed(0)} s; ${labelled.length} labelled queries`);
      // Above x1 the brute-force scan takes factor times as long: every k-th query (the same at each run).
      const step = factor === 1 ? 1 : Math.max(1, Math.ceil(labelled.length / SAMPLE_ABOVE_X1));
      const m = await measure(db, labelled.filter((_, i) => i % step === 0));
      const { misses, ...shown } = m;
      console.error(`search x${factor}: ${JSON.stringify(shown, (k, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v))}`);
      points.push({ factor, queries: Math.ceil(labelled.length / step), loadavg: os.loadavg(), ...shown, missesOfOurs: misses.slice(0, 50) });
    }
  } finally {
    await db.close();
    await endpoint.stop();
  }
  const memory = [];
  for (const f of memoryFactors) {
    const m = await indexMemory(f);
    console.error(`search index memory x${f}: ${JSON.stringify(m)}`);
    memory.push(m);
  }
  const out = path.join(REPO_ROOT, 'bench', 'results', 'search.jsonl');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const growth = points.length > 1 ? { ratioP50: points.map((p) => [p.factor, p.ratioP50]) } : null;
  fs.appendFileSync(out, JSON.stringify({ at, host: HOST, labelled: path.relative(REPO_ROOT, LABELLED_FILE), queries: labelled.length, points, growth, memory }) + '\n');
  console.error(`search results appended to ${path.relative(REPO_ROOT, out)}`);
}
