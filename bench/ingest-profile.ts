/**
 * Where one load's time goes (not a benchmark: no ratio, nothing appended to bench/results): the real
 * SDN file loaded twice into an emptied store of a fresh Neo4j of its own (.data/ingest-profile, or
 * .data/$BENCH_STORE), the second load with the loader's phase timings (LOG_LEVEL=debug), the Neo4j CPU
 * seconds used while each query or transaction ran (from /proc: background work of Neo4j's counts too) and, with
 * INGEST_PROFILE_PLANS=1, for the first batch of every write query, Neo4j's PROFILE of it (operators,
 * rows, db hits), printed to stderr; the CPU each of Neo4j's threads used during our load and during
 * LOAD CSV's (its query thread, the JIT compiler, the collector: /proc), beside Node's.
 * INGEST_PROFILE_CPU=<file> writes Node's CPU profile of the profiled load (its Node share);
 * INGEST_PROFILE_LOADCSV=0 leaves LOAD CSV out; INGEST_PROFILE_SET=x4 loads the x4 scale files (npm run scale --
 * --factor 4) instead of the real list:
 *
 *   LOG_LEVEL=debug INGEST_PROFILE_CPU=/tmp/load.cpuprofile node --import tsx bench/ingest-profile.ts
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import path from 'node:path';
import type { ManagedTransaction } from 'neo4j-driver';
import neo4j from 'neo4j-driver';
import { REPO_ROOT } from '../server/core/settings';
import { DEFAULT_SOURCES } from './scale/generate';
import type { RecordShape } from 'neo4j-driver';
import { Database, query, queryWith, type Params, type TxRun } from '../server/core/neo4j/database';
import { neo4jHome } from '../server/core/neo4j/embedded';
import { ingest } from '../ingest/ingest';
import { freshNeo4jIn } from './growth';
import { graphCounts, loadCsvBaseline, writeBaselineCsv } from './ingest-baseline';
import { parseOfacCsv } from '../ingest/sources/ofac-csv';

type Plan = { operatorType: string; rows: number; dbHits: number; children: Plan[] };

function printPlan(p: Plan, depth = 0): void {
  console.error(`${'  '.repeat(depth)}${p.operatorType} rows=${p.rows} dbHits=${p.dbHits}`);
  for (const c of p.children) printPlan(c, depth + 1);
}

/** CPU seconds the Neo4j process has used so far (/proc; utime + stime in ticks of 1/100 s). */
function neo4jCpu(pid: number | null): number {
  if (!pid) return 0;
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/**
 * CPU seconds of each of the Neo4j process's threads so far, added up by thread name with its numbers
 * taken out ("neo4j.BoltWorker-4" and "-5" are one "neo4j.BoltWorker-N"): the thread that runs a
 * transaction's queries (BoltWorker), the JIT compiler ("C2 CompilerThread"), the collector ("GC Thread").
 * Read from /proc/<pid>/task/<tid>/stat (Linux; names cut at 15 characters).
 */
function threadCpu(pid: number | null): Map<string, number> {
  const m = new Map<string, number>();
  if (!pid) return m;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim().replace(/\d+/g, 'N');
      const f = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      m.set(name, (m.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return m;
}

/** What each thread used between two readings of threadCpu, largest first, and Node's own CPU. */
function printThreads(what: string, before: Map<string, number>, after: Map<string, number>, nodeCpu: NodeJS.CpuUsage): void {
  const used = [...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const).filter(([, v]) => v >= 0.05);
  const all = used.reduce((a, [, v]) => a + v, 0);
  console.error(`${what}: Node ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(2)} s of CPU; Neo4j ${all.toFixed(2)} s, by thread:`);
  for (const [k, v] of used.sort((a, b) => b[1] - a[1])) console.error(`  ${v.toFixed(2).padStart(6)} ${k}`);
}

/**
 * A Database whose load transactions PROFILE the first run of each write query (INGEST_PROFILE_PLANS=1),
 * and which adds up the Neo4j CPU seconds used while each query (or transaction) ran.
 */
class ProfilingDatabase extends Database {
  private readonly seen = new Set<string>();
  readonly cpu = new Map<string, number>();
  pid: number | null = null;
  cpuOf<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.counted(name, fn);
  }
  private async counted<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const before = neo4jCpu(this.pid);
    try {
      return await fn();
    } finally {
      this.cpu.set(name, (this.cpu.get(name) ?? 0) + neo4jCpu(this.pid) - before);
    }
  }
  override read<T extends RecordShape = RecordShape>(name: string, params?: Params, timeoutMs?: number, slots?: Record<string, string | number>): Promise<T[]> {
    return this.counted(name, () => super.read<T>(name, params, timeoutMs, slots));
  }
  override write<T extends RecordShape = RecordShape>(name: string, params?: Params): Promise<T[]> {
    return this.counted(name, () => super.write<T>(name, params));
  }
  override async inWriteTransaction<R>(timeoutMs: number, work: (run: TxRun) => Promise<R>): Promise<R> {
    const names: string[] = [];
    const before = neo4jCpu(this.pid);
    try {
      return await this.profiled(timeoutMs, (run) => work((name, params, slots) => (names.push(name), run(name, params, slots))));
    } finally {
      const key = `tx[${[...new Set(names)].join(',')}]`;
      this.cpu.set(key, (this.cpu.get(key) ?? 0) + neo4jCpu(this.pid) - before);
    }
  }
  private async profiled<R>(timeoutMs: number, work: (run: TxRun) => Promise<R>): Promise<R> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(async (tx: ManagedTransaction) =>
        work(async (name, params, slots) => {
          const text = slots ? queryWith(name, slots) : query(name);
          const key = slots ? `${name}:${JSON.stringify(slots)}` : name;
          if (process.env.INGEST_PROFILE_PLANS !== '1' || !name.startsWith('ingest-') || this.seen.has(key)) return (await tx.run(text, params)).records.map((r) => r.toObject());
          this.seen.add(key);
          const t = Date.now();
          // PROFILE goes after a statement's CYPHER options (e.g. replan=skip), else first.
          const res = await tx.run(/^CYPHER [^\n]*$/m.test(text) ? text.replace(/^CYPHER [^\n]*$/m, (m) => `${m} PROFILE`) : `PROFILE ${text}`, params);
          console.error(`PROFILE ${key} (${Date.now() - t} ms)`);
          const plan = res.summary.profile as unknown as Plan | false;
          if (plan) printPlan(plan, 1);
          return res.records.map((r) => r.toObject());
        }),
        { timeout: timeoutMs },
      );
    } finally {
      await session.close();
    }
  }
}

/**
 * Node's CPU profile of the profiled load alone (INGEST_PROFILE_CPU=<file>.cpuprofile; `node --cpu-prof`
 * covers the whole process: Neo4j's start, the warm-up, LOAD CSV's files). Returns the call that stops it
 * and writes the file (open it in Chrome's DevTools).
 */
async function startCpuProfile(): Promise<(file: string) => Promise<void>> {
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.error(`Node's CPU profile of the profiled load: ${file}`);
  };
}

function printCpu(db: ProfilingDatabase): void {
  const total = [...db.cpu.values()].reduce((a, b) => a + b, 0);
  console.error(`Neo4j CPU seconds by query or transaction (${total.toFixed(1)} s in all):`);
  for (const [k, v] of [...db.cpu].sort((a, b) => b[1] - a[1])) console.error(`  ${v.toFixed(2).padStart(6)} ${k}`);
}

async function main(): Promise<void> {
  const store = process.env.BENCH_STORE || 'ingest-profile';
  if (!/^[\w-]+$/.test(store)) throw new Error(`BENCH_STORE=${store}: a folder name under .data (letters, digits, - and _)`);
  const { settings, endpoint, db: plain } = await freshNeo4jIn(path.join(REPO_ROOT, '.data', store));
  const db = new ProfilingDatabase(endpoint, 600_000);
  try {
    db.pid = Number((JSON.parse(fs.readFileSync(path.join(neo4jHome(settings), 'run', 'server.json'), 'utf8')) as { server: { pid: number } }).server.pid);
  } catch {
    /* no record: no CPU figures */
  }
  // INGEST_PROFILE_SET=x4: the x4 scale files (npm run scale -- --factor 4) instead of the real SDN list.
  const x4 = process.env.INGEST_PROFILE_SET === 'x4';
  const sdnPaths = x4 ? ['sdn.csv', 'add.csv', 'sdn_comments.csv'].map((f) => path.join(REPO_ROOT, '.data', 'scale', 'ofac-sdn-x4', f)) : [DEFAULT_SOURCES.sdn];
  const opts = { paths: sdnPaths, release: DEFAULT_SOURCES.ofacRelease, progress: false, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs };
  try {
    for (const round of ['warm-up', 'profiled']) {
      await plain.write('database-reset');
      await plain.applySchema();
      const t = process.hrtime.bigint();
      const cpuProfile = round === 'profiled' && process.env.INGEST_PROFILE_CPU ? await startCpuProfile() : null;
      const threads = threadCpu(db.pid);
      const nodeCpu = process.cpuUsage();
      await ingest(round === 'warm-up' ? plain : db, opts);
      if (round === 'profiled') printThreads('our load', threads, threadCpu(db.pid), process.cpuUsage(nodeCpu));
      if (cpuProfile) await cpuProfile(process.env.INGEST_PROFILE_CPU!);
      console.error(`${round}: ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s; ${JSON.stringify(await graphCounts(plain))}`);
    }
    // LOAD CSV of the same rows, query by query (bench/ingest-baseline.ts), for the CPU each takes
    // (INGEST_PROFILE_LOADCSV=0 leaves it out: our load's figures only).
    if (process.env.INGEST_PROFILE_LOADCSV === '0') return printCpu(db);
    await plain.write('database-reset');
    await plain.applySchema();
    const rel = await parseOfacCsv(sdnPaths, { release: DEFAULT_SOURCES.ofacRelease });
    const csv = writeBaselineCsv(rel, path.join(neo4jHome(settings), 'import', 'bench-ingest', 'profile'));
    const t = process.hrtime.bigint();
    const counting = new Proxy(plain, {
      get: (target, prop, receiver) =>
        prop === 'runWrite'
          ? (text: string, params: Params) => db.cpuOf(`LOAD CSV ${/FROM \$url[\s\S]*?(MERGE|MATCH) \((\w+:\w+)/.exec(text)?.[2]} ${String(params.url).split('/').pop()}`, () => target.runWrite(text, params))
          : Reflect.get(target, prop, receiver),
    });
    const threads = threadCpu(db.pid);
    const nodeCpu = process.cpuUsage();
    await loadCsvBaseline(counting, (f) => `file:///bench-ingest/profile/${f}`, rel, csv.linkTypes, settings.ingestBatchSize);
    printThreads('LOAD CSV', threads, threadCpu(db.pid), process.cpuUsage(nodeCpu));
    console.error(`LOAD CSV: ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s; ${JSON.stringify(await graphCounts(plain))}`);
    printCpu(db);
  } finally {
    await db.close();
    await plain.close();
    await endpoint.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
