/**
 * Ingest speed against Neo4j's own tools (issue 11 item 3), on the real 2024-05-03 SDN file and on the
 * x4 scale data (bench/scale), each a ratio against a baseline measured in the same run, runs
 * alternating, median reported:
 *
 *  - parse: our OFAC CSV parser into a spool, as a load parses (MB/s; no ratio here: parsing against a
 *    bare tokenizer is bench/parse-speed.ts's, in processes of their own).
 *  - load:  our whole load as `ingest()` does it (parse, batched writes under a load number, commit,
 *    release snapshot, matching) vs `LOAD CSV ... CALL { } IN TRANSACTIONS OF <INGEST_BATCH_SIZE> ROWS`
 *    writing the same graph (parties with all their properties and labels, programs, addresses,
 *    identifiers, links with "Linked To" names resolved in Cypher, placeholders) under the same
 *    constraints and indexes (cypher/schema.cypher), from CSV files the bench writes from our parser's
 *    output into the embedded Neo4j's import folder (cypher/bench-loadcsv-*.cypher). The baseline does
 *    not parse the lists (its CSV is prepared beforehand, untimed) and hides nothing from readers; ours
 *    does both, so `parse.seconds` is given beside it to read the write-only share.
 *
 * Rows: everything written, the same count for both (parties + program, address and identifier facts
 * + links). Results: one line per run appended to bench/results/ingest.jsonl (kind "vs-load-csv"):
 * `ratio` (median times), `pairedRatio` (median of each run's pair), `cpuRatio` (median CPU seconds of
 * the Neo4j process and this one). BENCH_INGEST_RUNS (3) runs on the real file, BENCH_INGEST_X4_RUNS (1)
 * on x4, after BENCH_INGEST_WARMUP (1) untimed loads of each, and more (at most BENCH_INGEST_MAX_WARMUP, 6)
 * until Neo4j's JIT compiler has settled (see benchSet); BENCH_INGEST_SETS ("x1,x4") chooses the sets,
 * BENCH_STORE the store under .data (bench-ingest), BENCH_INGEST_LABEL a label for the line (what code ran).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, NEO4J_VERSION } from '../server/core/settings';
import { neo4jHome } from '../server/core/neo4j/embedded';
import { Database, query, queryWith } from '../server/core/neo4j/database';
import { LINK_TYPES, partyLabels, type ParsedRelease } from '../server/core/model';
import { toNode } from '../server/core/party-node';
import { nameKey } from '../server/core/text/normalize';
import { parseOfacCsv } from '../ingest/sources/ofac-csv';
import { expandPaths } from '../ingest/formats';
import { DEFAULT_MAX_VALUE_BYTES, ingest } from '../ingest/ingest';
import { Spool } from '../ingest/spool';
import crypto from 'node:crypto';
import neo4j from 'neo4j-driver';
import { freshNeo4jIn, scaleFolders } from './growth';

const REAL_SDN = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions', 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const HOST = { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, neo4j: NEO4J_VERSION };
/** Separates list items in a CSV cell (cypher/bench-loadcsv-parties.cypher): not in any list's text. */
const SEP = '\u001f';
const MB = 2 ** 20;
/** Share of a warm-up pair's Neo4j CPU its JIT compiler threads may take for the JVM to count as warm. */
const JIT_SETTLED = 0.08;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e9, r];
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.map((x) => SEP + String(x)).join('') : String(v);
  return s === '' ? '' : `"${s.replace(/"/g, '""')}"`;
}

function writeCsv(file: string, rows: Record<string, unknown>[], columns: string[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, columns.join(',') + '\n');
    let buf = '';
    for (const r of rows) {
      buf += columns.map((c) => cell(r[c])).join(',') + '\n';
      if (buf.length > 1 << 20) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    }
    fs.writeSync(fd, buf);
  } finally {
    fs.closeSync(fd);
  }
}

function slug(key: string): string {
  return key.toLowerCase().replace(/\s+/g, '-');
}

/**
 * The baseline's input, from our parser's output: one CSV per kind of row (links one per type), in the
 * import folder. Party properties are toNode's, so both loads write the same properties; a link's named
 * end carries the fallback ingest/loader.ts would use when no loaded party has the name (an alias of a
 * party of the release, else the placeholder id).
 */
export function writeBaselineCsv(rel: ParsedRelease, dir: string): { files: Record<string, string>; rows: number; linkTypes: string[] } {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const parties = rel.parties.map((p) => {
    const labels = partyLabels(p.kind);
    const node = toNode(p);
    const { release: _r, record: _rec, ...fields } = node;
    const digest = crypto.createHash('sha1').update(JSON.stringify([labels, fields])).digest('base64url');
    return { ...node, labels: labels.join(';'), digest };
  });
  const partyColumns = Object.keys(parties[0]);
  writeCsv(path.join(dir, 'parties.csv'), parties, partyColumns);
  writeCsv(
    path.join(dir, 'programs.csv'),
    rel.parties.flatMap((p) => p.programs.map((program) => ({ partyId: p.id, program, record: p.provenance.record }))),
    ['partyId', 'program', 'record'],
  );
  writeCsv(
    path.join(dir, 'addresses.csv'),
    rel.addresses.map((a) => ({ partyId: a.partyId, key: a.address.key, full: a.address.full, street: a.address.street, city: a.address.city, country: a.address.country, record: a.provenance.record })),
    ['partyId', 'key', 'full', 'street', 'city', 'country', 'record'],
  );
  writeCsv(
    path.join(dir, 'identifiers.csv'),
    rel.identifiers.map((i) => ({ partyId: i.partyId, key: i.identifier.key, type: i.identifier.type, value: i.identifier.value, country: i.identifier.country, label: i.label, issued: i.issued, expires: i.expires, record: i.provenance.record })),
    ['partyId', 'key', 'type', 'value', 'country', 'label', 'issued', 'expires', 'record'],
  );
  const primary = new Set(rel.parties.map((p) => nameKey(p.name)));
  const byAlias = new Map<string, string>();
  for (const p of rel.parties) for (const a of p.aliases) if (!primary.has(nameKey(a.name)) && !byAlias.has(nameKey(a.name))) byAlias.set(nameKey(a.name), p.id);
  const linkTypes: string[] = [];
  const files: Record<string, string> = {};
  for (const type of LINK_TYPES) {
    const links = rel.links.filter((l) => l.type === type);
    if (links.length === 0) continue;
    linkTypes.push(type);
    writeCsv(
      path.join(dir, `links-${type}.csv`),
      links.map((l) => {
        const key = l.to.name ? nameKey(l.to.name) : null;
        return {
          self: l.from,
          otherId: l.to.id ?? null,
          otherKey: key,
          otherName: l.to.name ?? null,
          otherFallback: l.to.id ?? (key ? (byAlias.get(key) ?? `${rel.idPrefix}-ref-${slug(key)}`) : null),
          inverse: l.inverse ? '1' : '',
          label: l.label,
          record: l.provenance.record,
          percentage: l.percentage ?? null,
          startDate: l.startDate ?? null,
          endDate: l.endDate ?? null,
          sourceId: l.sourceId ?? null,
        };
      }),
      ['self', 'otherId', 'otherKey', 'otherName', 'otherFallback', 'inverse', 'label', 'record', 'percentage', 'startDate', 'endDate', 'sourceId'],
    );
  }
  for (const f of fs.readdirSync(dir)) files[f] = path.join(dir, f);
  const programRows = rel.parties.reduce((n, p) => n + p.programs.length, 0);
  return { files, rows: rel.parties.length + programRows + rel.addresses.length + rel.identifiers.length + rel.links.length, linkTypes };
}

/** The baseline load: each file by its LOAD CSV query, parties first (the facts attach to them). */
export async function loadCsvBaseline(db: Database, urlOf: (file: string) => string, rel: ParsedRelease, linkTypes: string[], batch: number): Promise<void> {
  // An integer, not a float: IN TRANSACTIONS OF refuses 5000.0 (JS numbers go over Bolt as floats).
  const params = { dataset: rel.dataset, release: rel.release, sep: SEP, batch: neo4j.int(batch) };
  await db.runWrite(query('bench-loadcsv-parties'), { ...params, url: urlOf('parties.csv') });
  await db.runWrite(query('bench-loadcsv-programs'), { ...params, url: urlOf('programs.csv') });
  await db.runWrite(query('bench-loadcsv-addresses'), { ...params, url: urlOf('addresses.csv') });
  await db.runWrite(query('bench-loadcsv-identifiers'), { ...params, url: urlOf('identifiers.csv') });
  for (const t of linkTypes) await db.runWrite(queryWith('bench-loadcsv-links', { linkType: t }), { ...params, url: urlOf(`links-${t}.csv`) });
}

type Counts = { parties: number; placeholders: number; facts: number; links: number };

/** What a load left: parties, placeholders, fact relationships and party-to-party links. */
export async function graphCounts(db: Database): Promise<Counts> {
  const [c] = await db.write<Counts>('bench-graph-counts');
  return c;
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 where /proc does not say. */
function procCpuSeconds(pid: number | null): number {
  if (!pid) return 0;
  try {
    // Fields after the command (which may hold spaces, in parentheses): utime and stime are the 12th and
    // 13th, in clock ticks (100 a second on Linux).
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds the JVM's JIT compiler threads of a process have used so far ("C2 CompilerThread0",
 * "C1 CompilerThre..." in /proc/<pid>/task/<tid>/comm); 0 where /proc does not say.
 */
export function jitCpuSeconds(pid: number | null): number {
  if (!pid) return 0;
  let n = 0;
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        if (!/^C\d CompilerThre/.test(fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8'))) continue;
        const f = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
        n += (Number(f[11]) + Number(f[12])) / 100;
      } catch {
        /* the thread ended meanwhile */
      }
    }
  } catch {
    return 0;
  }
  return n;
}

interface RunCpu {
  wall: number;
  /** The Neo4j process's and this process's CPU seconds. */
  cpu: number;
  /** This process's. */
  node: number;
  /** Neo4j's JIT compiler threads'. */
  jit: number;
}

/** Wall seconds and CPU seconds of `fn` (RunCpu). */
async function timeCpu(neo4jPid: number | null, fn: () => Promise<unknown>): Promise<RunCpu> {
  const neo4jBefore = procCpuSeconds(neo4jPid);
  const jitBefore = jitCpuSeconds(neo4jPid);
  const nodeBefore = process.cpuUsage();
  const [s] = await time(fn);
  const used = process.cpuUsage(nodeBefore);
  const node = (used.user + used.system) / 1e6;
  return { wall: s, cpu: procCpuSeconds(neo4jPid) - neo4jBefore + node, node, jit: jitCpuSeconds(neo4jPid) - jitBefore };
}

/** The pid of the embedded Neo4j of a home folder (run/server.json), or null. */
function neo4jPidOf(home: string): number | null {
  try {
    return Number((JSON.parse(fs.readFileSync(path.join(home, 'run', 'server.json'), 'utf8')) as { server: { pid: number } }).server.pid) || null;
  } catch {
    return null;
  }
}

async function resetStore(db: Database): Promise<void> {
  await db.write('database-reset');
  await db.applySchema();
}

async function benchSet(
  name: string,
  paths: string[],
  runs: number,
  db: Database,
  importDir: string,
  batch: number,
  txTimeoutMs: number,
  neo4jPid: number | null,
  spoolRoot: string,
): Promise<Record<string, unknown>> {
  const warmups = Number(process.env.BENCH_INGEST_WARMUP ?? 1);
  const files = expandPaths(paths);
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const release = '2024-05-03';

  // Our parse as a load does it (into a spool on disk), for the share of our time the baseline does not
  // spend: its CSV is written beforehand. Parsing against a bare tokenizer is bench/parse-speed.ts's
  // (a process per way and run, the tokenizer with the options ingest/csv.ts passes it).
  const parseS: number[] = [];
  for (let i = 0; i < runs; i++) {
    const spool = new Spool(DEFAULT_MAX_VALUE_BYTES, spoolRoot);
    try {
      parseS.push((await time(() => parseOfacCsv(files, { release, sink: spool }).then(() => spool.close())))[0]);
    } finally {
      spool.remove();
    }
  }
  const parseResult = { bytes, oursMBps: bytes / MB / median(parseS), seconds: parseS, vsBare: 'bench/results/parse.jsonl (bench/parse-speed.ts)' };
  console.error(`ingest ${name}: our parse into a spool ${parseResult.oursMBps.toFixed(1)} MB/s, median ${median(parseS).toFixed(2)} s`);

  // The baseline's CSV, from our parser's output (untimed).
  // Only the release's name and size are kept from here on. Holding its records (about 250 MB of objects
  // at x4) in this process's heap for the whole bench made every collection of our loads, which run in
  // this process, walk them: a load run by the CLI has no such heap. (Parsed in a function of its own, so
  // that no variable of this one keeps the records.)
  const dir = path.join(importDir, 'bench-ingest', name);
  const { csv, entries, rel } = await (async () => {
    const parsed = await parseOfacCsv(files, { release });
    const written = writeBaselineCsv(parsed, dir);
    return { csv: written, entries: parsed.parties.length, rel: { ...parsed, parties: [], addresses: [], identifiers: [], links: [] } as ParsedRelease };
  })();
  const urlOf = (f: string) => `file:///bench-ingest/${name}/${f}`;

  // Loading, each into an emptied store with the schema applied. One untimed load of each first: a
  // freshly started Neo4j runs its first load several times slower (JIT, query plans), which made the
  // first timed run (LOAD CSV's) 2-4x the others. Then runs alternate which load goes first (ABBA), so a
  // change in the machine's load from the other work on it is shared by both; each run's pair gives a
  // ratio, and the median of those is reported beside the ratio of the median times. CPU seconds (the
  // Neo4j process's from /proc, and this process's) are recorded too: on a machine shared with other
  // work they vary far less than wall time.
  const baseS: number[] = [];
  const oursS: number[] = [];
  const baseCpu: number[] = [];
  const oursCpu: number[] = [];
  const oursNodeCpu: number[] = [];
  let baseGraph: Counts | null = null;
  let oursGraph: Counts | null = null;
  const baseJit: number[] = [];
  const oursJit: number[] = [];
  const runBase = async (): Promise<RunCpu> => {
    await resetStore(db);
    const r = await timeCpu(neo4jPid, () => loadCsvBaseline(db, urlOf, rel, csv.linkTypes, batch));
    baseGraph = await graphCounts(db);
    return r;
  };
  const runOurs = async (): Promise<RunCpu> => {
    await resetStore(db);
    const r = await timeCpu(neo4jPid, () => ingest(db, { paths: files, release, progress: false, batchSize: batch, txTimeoutMs }));
    oursGraph = await graphCounts(db);
    return r;
  };
  // Warm-up pairs until Neo4j's JIT compiler has settled: at x4, the JVM was still compiling through the
  // second and third loads of each (its compiler threads used 6-16 s of CPU in a 20-30 s load, against
  // under 1 s from the fourth on), and a timed run taken meanwhile measured the JIT as much as the load
  // (one warm-up each gave LOAD CSV 19.9-21.7 s at x4, 13.6-13.9 s once settled). At least `warmups`
  // pairs; then more while a pair's compiler CPU is over JIT_SETTLED of its Neo4j CPU, at most maxWarmups.
  const maxWarmups = Number(process.env.BENCH_INGEST_MAX_WARMUP ?? 6);
  const warmed: { loadCsv: RunCpu; ours: RunCpu }[] = [];
  for (let i = 0; i < maxWarmups; i++) {
    const b = await runBase();
    const o = await runOurs();
    warmed.push({ loadCsv: b, ours: o });
    const jitShare = (b.jit + o.jit) / (b.cpu + o.cpu - o.node);
    console.error(`ingest ${name} warm-up ${i + 1}: LOAD CSV ${b.wall.toFixed(1)} s, ours ${o.wall.toFixed(1)} s; JIT ${(b.jit + o.jit).toFixed(1)} s of Neo4j's CPU (${(jitShare * 100).toFixed(0)}%)`);
    if (i + 1 >= warmups && jitShare <= JIT_SETTLED) break;
  }
  for (let i = 0; i < runs; i++) {
    let b: RunCpu;
    let o: RunCpu;
    if (i % 2 === 0) {
      b = await runBase();
      o = await runOurs();
    } else {
      o = await runOurs();
      b = await runBase();
    }
    baseS.push(b.wall);
    baseCpu.push(b.cpu);
    baseJit.push(b.jit);
    oursS.push(o.wall);
    oursCpu.push(o.cpu);
    oursNodeCpu.push(o.node);
    oursJit.push(o.jit);
    console.error(
      `ingest ${name} run ${i + 1}: LOAD CSV ${b.wall.toFixed(1)} s (CPU ${b.cpu.toFixed(1)} s, JIT ${b.jit.toFixed(1)} s), ours ${o.wall.toFixed(1)} s (CPU ${o.cpu.toFixed(1)} s, Node ${o.node.toFixed(1)} s, JIT ${o.jit.toFixed(1)} s) ` +
        `(load average ${os.loadavg()[0].toFixed(1)})`,
    );
  }
  const load = {
    entries,
    rows: csv.rows,
    batchSize: batch,
    loadCsvRowsPerS: csv.rows / median(baseS),
    oursRowsPerS: csv.rows / median(oursS),
    ratio: median(baseS) / median(oursS),
    pairedRatio: median(baseS.map((b, i) => b / oursS[i])),
    cpuRatio: median(baseCpu) / median(oursCpu),
    warmups: warmed.length,
    // The warm-up runs, for the cold figures: the first pair is a freshly started Neo4j's (LOAD CSV first).
    warmupSeconds: { loadCsv: warmed.map((w) => w.loadCsv.wall), ours: warmed.map((w) => w.ours.wall) },
    warmupJitSeconds: { loadCsv: warmed.map((w) => w.loadCsv.jit), ours: warmed.map((w) => w.ours.jit) },
    seconds: { loadCsv: baseS, ours: oursS },
    cpuSeconds: { loadCsv: baseCpu, ours: oursCpu, oursNode: oursNodeCpu },
    jitCpuSeconds: { loadCsv: baseJit, ours: oursJit },
    graphs: { loadCsv: baseGraph, ours: oursGraph },
  };
  console.error(
    `ingest ${name}: ${csv.rows} rows, LOAD CSV ${load.loadCsvRowsPerS.toFixed(0)} rows/s, ours ${load.oursRowsPerS.toFixed(0)} rows/s ` +
      `(ours/baseline ${load.ratio.toFixed(2)}x; median of the runs' ratios ${load.pairedRatio.toFixed(2)}x; CPU ${load.cpuRatio.toFixed(2)}x); graphs ${JSON.stringify(load.graphs)}`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return { set: name, files: files.map((f) => path.relative(REPO_ROOT, f)), parse: parseResult, load };
}

/** BENCH_ONLY=ingest: both sets against one fresh Neo4j of the bench's own (.data/bench-ingest, or .data/$BENCH_STORE). */
export async function ingestBaselineBench(): Promise<void> {
  const sets = (process.env.BENCH_INGEST_SETS || 'x1,x4').split(',');
  const store = process.env.BENCH_STORE || 'bench-ingest';
  if (!/^[\w-]+$/.test(store)) throw new Error(`BENCH_STORE=${store}: a folder name under .data (letters, digits, - and _)`);
  const dataDir = path.join(REPO_ROOT, '.data', store);
  const { settings, endpoint, db } = await freshNeo4jIn(dataDir);
  const importDir = path.join(neo4jHome(settings), 'import');
  const results: Record<string, unknown>[] = [];
  const loadAvgBefore = os.loadavg();
  try {
    for (const set of sets) {
      const paths = set === 'x1' ? [REAL_SDN] : [(await scaleFolders(Number(set.slice(1)))).ofac];
      const runs = Number((set === 'x1' ? process.env.BENCH_INGEST_RUNS : process.env.BENCH_INGEST_X4_RUNS) || (set === 'x1' ? 3 : 1));
      results.push(await benchSet(set, paths, runs, db, importDir, settings.ingestBatchSize, settings.ingestTxTimeoutMs, neo4jPidOf(neo4jHome(settings)), path.join(dataDir, 'spool')));
    }
  } finally {
    await db.close();
    await endpoint.stop();
  }
  const out = path.join(REPO_ROOT, 'bench', 'results', 'ingest.jsonl');
  // BENCH_INGEST_LABEL: what code was measured (e.g. before and after a change, run side by side).
  const label = process.env.BENCH_INGEST_LABEL || undefined;
  fs.appendFileSync(out, JSON.stringify({ at: new Date().toISOString(), kind: 'vs-load-csv', label, host: HOST, loadAvg: { before: loadAvgBefore, after: os.loadavg() }, sets: results }) + '\n');
  console.error(`results appended to ${path.relative(REPO_ROOT, out)}`);
}
