/**
 * Memory and time of the candidate matching a load refreshes, at scale (issue 11): the parties of the
 * scale data's OFAC SDN and UN lists (x4, x16, ...; bench/scale, seed 1, generated under .data/scale when
 * absent), as the refresh reads them (one per id, ascending, in pages of MATCH_PAGE), matched for the
 * UN list's load (candidates touching it) by
 * - `spooled`: findCandidatesSpooled (server/core/matching/spooled.ts), what the refresh runs;
 * - `whole`: every party read into one array, then findCandidates: what the refresh ran before, the
 *   baseline of the same run;
 * - `former`: findCandidatesSpooled as it was at git revision BENCH_MATCHING_FORMER (its server/core,
 *   taken with `git archive` into the bench's folder): the refresh's own code before a change, measured
 *   in the same run.
 * BENCH_MATCHING_VARIANTS (default `spooled,whole`, or `spooled,former` with BENCH_MATCHING_FORMER)
 * says which run.
 * Each runs in a child process of its own, so that its peak RSS (VmHWM) is its own; the parent checks
 * that both found the same candidates (SHA-256 of their JSON) and appends one line per factor to
 * bench/results/matching.jsonl (`kind: "refresh-memory"`). No database: the refresh's reads are the
 * paging query's (cypher/match-parties-page.cypher), measured with the loads in bench/growth.ts.
 *
 *   node --import tsx bench/matching-refresh.ts 4 16
 *
 * BENCH_MATCHING_HEAP_MB=N runs the children with V8's old space capped at N MB (--max-old-space-size):
 * a variant that needs more fails (recorded as `failed` with its exit status) instead of growing.
 */
import crypto from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseOfacCsv } from '../ingest/sources/ofac-csv';
import { parseUnXml } from '../ingest/sources/un-xml';
import { findCandidates, type MatchParty } from '../server/core/matching/match';
import { MATCH_PAGE } from '../server/core/matching/refresh';
import { findCandidatesSpooled } from '../server/core/matching/spooled';
import { matchParties } from './matching';
import { NEO4J_VERSION, REPO_ROOT } from '../server/core/settings';
import { DEFAULT_SOURCES } from './scale/generate';
import { scaleFolders } from './growth';

const UN_DATASET = 'un-sc';
const HEAP_MB = process.env.BENCH_MATCHING_HEAP_MB ? Number(process.env.BENCH_MATCHING_HEAP_MB) : null;
const FORMER = process.env.BENCH_MATCHING_FORMER || null;
const VARIANTS = (process.env.BENCH_MATCHING_VARIANTS || (FORMER ? 'spooled,former' : 'spooled,whole')).split(',');
const HOST = { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, neo4j: NEO4J_VERSION };

/** The parties of factor F's lists, one JSON line each, ascending by id (written once per factor). */
async function partiesFile(factor: number, dir: string): Promise<{ file: string; parties: number }> {
  const { ofac, un } = await scaleFolders(factor);
  const ofacFiles = fs.readdirSync(ofac).sort().map((f) => path.join(ofac, f));
  const releases = [
    await parseOfacCsv(ofacFiles, { release: DEFAULT_SOURCES.ofacRelease, releaseFrom: 'flag' }),
    await parseUnXml([path.join(un, 'consolidated.xml')], {}),
  ];
  const parties = releases.flatMap(matchParties).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const file = path.join(dir, `parties-x${factor}.jsonl`);
  const out = fs.openSync(file, 'w');
  for (let i = 0; i < parties.length; i += 10_000) fs.writeSync(out, parties.slice(i, i + 10_000).map((p) => `${JSON.stringify(p)}\n`).join(''));
  fs.closeSync(out);
  return { file, parties: parties.length };
}

async function* pages(file: string): AsyncGenerator<MatchParty[]> {
  let page: MatchParty[] = [];
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
    page.push(JSON.parse(line) as MatchParty);
    if (page.length === MATCH_PAGE) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

function vmHwmMB(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb ? Math.round(Number(kb) / 1024) : NaN;
}

/** A child: one variant on the parties file; prints one JSON line. */
async function child(variant: string, file: string, dir: string): Promise<void> {
  const rssBeforeMB = vmHwmMB();
  const t = process.hrtime.bigint();
  let candidates;
  let stats = {};
  if (variant === 'spooled') {
    const r = await findCandidatesSpooled(pages(file), { touchingDatasets: [UN_DATASET], dir });
    candidates = r.candidates;
    stats = r.stats;
  } else if (variant === 'former') {
    const former = (await import(path.join(dir, 'former', 'server', 'core', 'matching', 'spooled.ts'))) as { findCandidatesSpooled: typeof findCandidatesSpooled };
    const r = await former.findCandidatesSpooled(pages(file), { touchingDatasets: [UN_DATASET], dir });
    candidates = r.candidates;
    stats = r.stats;
  } else {
    const all: MatchParty[] = [];
    for await (const page of pages(file)) all.push(...page);
    candidates = findCandidates(all, { touchingDatasets: [UN_DATASET] });
  }
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const json = JSON.stringify(candidates);
  const usage = process.cpuUsage();
  console.log(JSON.stringify({ variant, seconds, cpuSeconds: (usage.user + usage.system) / 1e6, rssPeakMB: vmHwmMB(), rssBeforeMB, candidates: candidates.length, sha256: crypto.createHash('sha256').update(json).digest('hex'), stats }));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3], process.argv[4], process.argv[5]);
  const factors = process.argv.slice(2).map(Number);
  if (factors.length === 0 || factors.some((f) => !Number.isInteger(f) || f < 1)) throw new Error('usage: bench/matching-refresh.ts FACTOR... (e.g. 4 16)');
  if (VARIANTS.some((v) => !['spooled', 'whole', 'former'].includes(v)) || (VARIANTS.includes('former') && !FORMER)) {
    throw new Error('BENCH_MATCHING_VARIANTS: spooled, whole and former (which needs BENCH_MATCHING_FORMER=<git revision>)');
  }
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, '.data', 'bench-matching-refresh-'));
  try {
    if (FORMER) {
      // The former code beside the bench's files; its packages are the repository's.
      const former = path.join(dir, 'former');
      fs.mkdirSync(former);
      execFileSync('sh', ['-c', `git -C "${REPO_ROOT}" archive "${FORMER}" server/core | tar -x -C "${former}"`]);
      fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(former, 'node_modules'));
    }
    for (const factor of factors) {
      const { file, parties } = await partiesFile(factor, dir);
      const runs: Record<string, Record<string, unknown>> = {};
      for (const variant of VARIANTS) {
        const heap = HEAP_MB ? [`--max-old-space-size=${HEAP_MB}`] : [];
        const r = spawnSync(process.execPath, [...heap, '--import', 'tsx', __filename, '--child', variant, file, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
        if (r.status !== 0 && !HEAP_MB) throw new Error(`${variant} at x${factor} failed (exit ${r.status})`);
        runs[variant] = r.status === 0 ? (JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, unknown>) : { variant, failed: true, status: r.status, signal: r.signal };
        console.error(`x${factor} ${variant}: ${JSON.stringify(runs[variant])}`);
      }
      // The baseline: the former code when it ran, else findCandidates holding every party.
      const base = runs.former ?? runs.whole;
      const same = VARIANTS.every((v) => runs[v].failed || runs[v].sha256 === runs.spooled.sha256);
      const line = {
        at: new Date().toISOString(), host: HOST, kind: 'refresh-memory', factor, parties, touching: UN_DATASET, heapCapMB: HEAP_MB,
        ...(FORMER ? { formerRevision: FORMER } : {}),
        loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10), sameCandidates: same,
        baseline: base.variant,
        rssPeakRatio: (runs.spooled.rssPeakMB as number) / (base.rssPeakMB as number),
        secondsRatio: (runs.spooled.seconds as number) / (base.seconds as number),
        cpuSecondsRatio: (runs.spooled.cpuSeconds as number) / (base.cpuSeconds as number),
        ...runs,
      };
      fs.appendFileSync(path.join(REPO_ROOT, 'bench', 'results', 'matching.jsonl'), `${JSON.stringify(line)}\n`);
      if (!same) throw new Error(`x${factor}: the candidates of ${VARIANTS.join(', ')} differ`);
      fs.rmSync(file);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
