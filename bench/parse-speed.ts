/**
 * Parsing speed against a bare tokenizer over the same bytes (issue 11 item 3: ours >= 0.5x its MB/s),
 * for each format a load streams:
 *
 *  - sdn-x1: the real OFAC SDN CSV (../shared/data/sanctions/ofac-sdn-csv-2024-05-03: sdn.csv, with
 *    add.csv and sdn_comments.csv when the folder holds them), parseOfacCsv;
 *  - un-x1:  the real UN consolidated list XML (un-consolidated-xml-2025-11-18), parseUnXml;
 *  - sdn-x4, un-x4: the scale data's x4 files (.data/scale, bench/scale; generated with seed 1 when
 *    absent and BENCH_PARSE_GENERATE=1, else skipped with a note).
 *
 * Three ways through the same files:
 *  - bare:  csv-parse with the options ingest/csv.ts passes it (records counted), or saxes with the
 *    handlers ingest/xml.ts registers (each event's data read: tag names and attributes, texts, ...)
 *    and its parser set-up, over the file's bytes, decoded for saxes as our reader decodes them;
 *  - parse: our parser into a sink that counts what it is handed (the parser's own cost);
 *  - spool: our parser into the Spool a load writes (ingest/spool.ts: value bounds, JSON lines on
 *    disk), i.e. the parse phase of a load.
 * Each way runs in a process of its own, one per round, the rounds alternating the order (A B C, then
 * C B A): run in one process, the ways shared csv-parse's and saxes' compiled code, and our UN parser's
 * runs came out bimodal (0.19 s or 0.35 s of CPU, the bare saxes pass steady) where alone they settle
 * at 0.18 s; a load runs its parser alone. In each process: one cold run (kept as `cold`: a load parses
 * its file once, in a fresh process), untimed runs until about BENCH_PARSE_WARM_MB (40) MB have been
 * parsed, then BENCH_PARSE_REPEAT (3) timed runs. Each run's wall time and CPU time (process.cpuUsage:
 * user + system of all the process's threads, so garbage collection on helper threads counts too).
 *
 * Ratios are speed ratios, ours/bare in MB/s (= bare time / our time): by median CPU time (the
 * steadier figure on a shared machine), by median wall time, by best wall time, the median of each
 * round's own CPU ratio, and by the cold runs' median CPU time.
 *
 * BENCH_ONLY=parse npm run bench. BENCH_PARSE_ROUNDS (7), BENCH_PARSE_SETS ("sdn-x1,un-x1,sdn-x4,un-x4").
 * One JSON line per set appended to bench/results/parse.jsonl (or BENCH_PARSE_RESULTS, for trials), with
 * BENCH_PARSE_LABEL when given (what code was measured).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse as csvParse } from 'csv-parse';
import { REPO_ROOT } from '../server/core/settings';
import type { AddressFact, IdentifierFact, LinkRecord, PartyRecord, ReleaseSink } from '../server/core/model';
import { parseOfacCsv } from '../ingest/sources/ofac-csv';
import { parseUnXml } from '../ingest/sources/un-xml';
import { Spool } from '../ingest/spool';
import { DEFAULT_MAX_VALUE_BYTES } from '../ingest/ingest';
import { DEFAULT_READ_LIMITS, type ParseOptions } from '../ingest/parse-options';
import { TextDecoding } from '../ingest/encoding';
import { newSaxesParser } from '../ingest/xml';
import { generateScale } from './scale/generate';

const SANCTIONS = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions');
const SCALE_DIR = path.join(REPO_ROOT, '.data', 'scale');
const SPOOL_ROOT = path.join(REPO_ROOT, '.data', 'bench-parse', 'spool');
const MB = 2 ** 20;
const HOST = { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };

type Kind = 'csv' | 'xml';
interface ParseSet {
  name: string;
  kind: Kind;
  files: string[];
  release: string;
}
interface Sample {
  wall: number;
  cpu: number;
}
type Way = 'bare' | 'parse' | 'spool';
const WAYS: Way[] = ['bare', 'parse', 'spool'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function measure(fn: () => Promise<unknown>): Promise<Sample> {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - t) / 1e9;
  const cu = process.cpuUsage(c);
  return { wall, cpu: (cu.user + cu.system) / 1e6 };
}

/** csv-parse as ingest/csv.ts configures it, records counted as they come ('data' events: its cheapest use). */
async function bareCsv(files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) {
    const parser = csvParse({ relax_column_count: true, skip_empty_lines: true, bom: true, max_record_size: DEFAULT_READ_LIMITS.maxRecordBytes });
    parser.on('data', () => n++);
    const done = new Promise<void>((resolve, reject) => {
      parser.on('end', resolve);
      parser.on('error', reject);
    });
    fs.createReadStream(f).pipe(parser);
    await done;
  }
  return n;
}

/**
 * saxes as ingest/xml.ts drives it: the same events (each with its data read), the same parser set-up
 * (newSaxesParser: without it, nine handlers made saxes four times slower), chunks and decoding.
 */
/**
 * Bytes decoded at a time for saxes, as ingest/xml.ts decodes them (TextDecoding.decodeEach): decoded
 * in 1 MB pieces, as both did before, V8's slower two-byte decoding made up most of the bare pass.
 */
const XML_PIECE = 1 << 16;

async function bareXml(files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) {
    const parser = newSaxesParser();
    const decoding = new TextDecoding(path.basename(f));
    let chars = 0;
    const take = (t: string) => (chars += t.length);
    parser.on('xmldecl', (d) => take(d.version ?? ''));
    parser.on('comment', take);
    parser.on('processinginstruction', (pi) => take(pi.body));
    parser.on('doctype', take);
    parser.on('opentag', (tag) => {
      n++;
      chars += tag.name.length;
      const attrs = tag.attributes as Record<string, string>;
      for (const k in attrs) chars += k.length + attrs[k].length;
    });
    parser.on('text', take);
    parser.on('cdata', take);
    parser.on('closetag', (tag) => take(tag.name));
    parser.on('error', (e) => {
      throw e;
    });
    const write = (t: string) => parser.write(t);
    for await (const chunk of fs.createReadStream(f, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) decoding.decodeEach(chunk, XML_PIECE, write);
    parser.write(decoding.end());
    parser.close();
    if (chars === 0) throw new Error(`${f}: no text`);
  }
  return n;
}

/** A sink that only counts (the parser's own cost, without writing the spool). */
class CountingSink implements ReleaseSink {
  counts = { parties: 0, addresses: 0, identifiers: 0, links: 0 };
  party(_p: PartyRecord): void {
    this.counts.parties++;
  }
  address(_a: AddressFact): void {
    this.counts.addresses++;
  }
  identifier(_i: IdentifierFact): void {
    this.counts.identifiers++;
  }
  link(_l: LinkRecord): void {
    this.counts.links++;
  }
}

function ours(set: ParseSet, sink: ReleaseSink) {
  const opts: ParseOptions = { release: set.release, releaseFrom: 'path', sink, warn: () => undefined };
  return set.kind === 'csv' ? parseOfacCsv(set.files, opts) : parseUnXml(set.files, opts);
}

async function runWay(set: ParseSet, way: Way): Promise<{ sample: Sample; counts?: CountingSink['counts'] }> {
  if (way === 'bare') return { sample: await measure(() => (set.kind === 'csv' ? bareCsv(set.files) : bareXml(set.files))) };
  if (way === 'parse') {
    const sink = new CountingSink();
    const sample = await measure(() => ours(set, sink));
    return { sample, counts: sink.counts };
  }
  let spool: Spool | null = null;
  try {
    const sample = await measure(async () => {
      spool = new Spool(DEFAULT_MAX_VALUE_BYTES, SPOOL_ROOT);
      await ours(set, spool);
      spool.close();
    });
    const c = (spool as Spool | null)!.counts;
    return { sample, counts: { parties: c.parties, addresses: c.addresses, identifiers: c.identifiers, links: c.links } };
  } finally {
    (spool as Spool | null)?.remove();
  }
}

function existing(dir: string, names: string[]): string[] {
  return names.map((n) => path.join(dir, n)).filter((f) => fs.existsSync(f));
}

async function sets(wanted: string[]): Promise<{ sets: ParseSet[]; notes: string[] }> {
  const out: ParseSet[] = [];
  const notes: string[] = [];
  const sdnDir = path.join(SANCTIONS, 'ofac-sdn-csv-2024-05-03');
  const unFile = path.join(SANCTIONS, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');
  const csvNames = ['sdn.csv', 'add.csv', 'sdn_comments.csv'];
  for (const name of wanted) {
    if (name === 'sdn-x1') out.push({ name, kind: 'csv', files: existing(sdnDir, csvNames), release: '2024-05-03' });
    else if (name === 'un-x1') out.push({ name, kind: 'xml', files: [unFile], release: '2025-11-18' });
    else if (name === 'sdn-x4' || name === 'un-x4') {
      const dir = path.join(SCALE_DIR, name === 'sdn-x4' ? 'ofac-sdn-x4' : 'un-sc-x4');
      const main = path.join(dir, name === 'sdn-x4' ? 'sdn.csv' : 'consolidated.xml');
      if (!fs.existsSync(main)) {
        if (process.env.BENCH_PARSE_GENERATE === '1') {
          console.error(`parse: generating x4 scale data into ${path.relative(REPO_ROOT, SCALE_DIR)} (seed 1)`);
          await generateScale({ factor: 4, seed: '1', out: SCALE_DIR });
        } else {
          notes.push(`${name} skipped: ${path.relative(REPO_ROOT, main)} is missing (npm run scale -- 4, or BENCH_PARSE_GENERATE=1)`);
          continue;
        }
      }
      out.push(name === 'sdn-x4' ? { name, kind: 'csv', files: existing(dir, csvNames), release: '2024-05-03' } : { name, kind: 'xml', files: [main], release: '2025-11-18' });
    } else throw new Error(`BENCH_PARSE_SETS: unknown set ${name} (sdn-x1, un-x1, sdn-x4, un-x4)`);
  }
  return { sets: out, notes };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

interface ChildResult {
  cold: Sample;
  runs: Sample[];
  counts?: CountingSink['counts'];
}

/** In a child process: one way over one set, cold, warmed up, then timed (see the header). */
async function child(way: Way, set: ParseSet): Promise<void> {
  const bytes = set.files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const first = await runWay(set, way);
  const warmups = Math.max(2, Math.ceil((Number(process.env.BENCH_PARSE_WARM_MB || 40) * MB) / bytes));
  for (let i = 0; i < warmups; i++) await runWay(set, way);
  const runs: Sample[] = [];
  for (let i = 0; i < Number(process.env.BENCH_PARSE_REPEAT || 3); i++) runs.push((await runWay(set, way)).sample);
  const out: ChildResult = { cold: first.sample, runs, counts: first.counts };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function inChild(way: Way, set: ParseSet): ChildResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--child', way, JSON.stringify(set)], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

async function benchSet(set: ParseSet, rounds: number): Promise<Record<string, unknown>> {
  const bytes = set.files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const got: Record<Way, ChildResult[]> = { bare: [], parse: [], spool: [] };
  const loadBefore = os.loadavg();
  for (let i = 0; i < rounds; i++) {
    for (const way of i % 2 ? [...WAYS].reverse() : WAYS) got[way].push(inChild(way, set));
  }
  const counts = got.parse[0].counts;
  for (const r of [...got.parse, ...got.spool]) {
    if (JSON.stringify(r.counts) !== JSON.stringify(counts)) throw new Error(`${set.name}: the counting sink and the spool got different records`);
  }
  const runs = (way: Way) => got[way].flatMap((r) => r.runs);
  const cpu = (way: Way) => median(runs(way).map((x) => x.cpu));
  const wall = (way: Way) => median(runs(way).map((x) => x.wall));
  const bestWall = (way: Way) => Math.min(...runs(way).map((x) => x.wall));
  const coldCpu = (way: Way) => median(got[way].map((r) => r.cold.cpu));
  const roundCpu = (way: Way) => got[way].map((r) => median(r.runs.map((x) => x.cpu)));
  const stat = (way: Way) => ({
    cpuS: r3(cpu(way)),
    wallS: r3(wall(way)),
    bestWallS: r3(bestWall(way)),
    coldCpuS: r3(coldCpu(way)),
    mbpsCpu: r3(bytes / MB / cpu(way)),
    mbpsWall: r3(bytes / MB / wall(way)),
  });
  const ratio = (way: Way) => ({
    cpu: r3(cpu('bare') / cpu(way)),
    wall: r3(wall('bare') / wall(way)),
    bestWall: r3(bestWall('bare') / bestWall(way)),
    pairedCpu: r3(median(roundCpu(way).map((x, i) => roundCpu('bare')[i] / x))),
    coldCpu: r3(coldCpu('bare') / coldCpu(way)),
  });
  const result = {
    kind: 'parse-vs-bare',
    set: set.name,
    format: set.kind,
    files: set.files.map((f) => path.relative(REPO_ROOT, f)),
    bytes,
    records: counts,
    rounds,
    loadavg: { before: loadBefore.map(r3), after: os.loadavg().map(r3) },
    bare: stat('bare'),
    parse: stat('parse'),
    spool: stat('spool'),
    // ours/bare in MB/s: >= 0.5 is the goal (issue 11).
    ratio: { parse: ratio('parse'), spool: ratio('spool') },
    seconds: Object.fromEntries(
      WAYS.map((w) => [w, { cpu: runs(w).map((x) => r3(x.cpu)), wall: runs(w).map((x) => r3(x.wall)), coldCpu: got[w].map((r) => r3(r.cold.cpu)) }]),
    ),
  };
  const p = result.ratio.parse;
  const sp = result.ratio.spool;
  console.error(
    `parse ${set.name} (${(bytes / MB).toFixed(1)} MB): bare ${result.bare.mbpsCpu.toFixed(1)} MB/s of CPU; ours ${result.parse.mbpsCpu.toFixed(1)}, with the spool ${result.spool.mbpsCpu.toFixed(1)}; ` +
      `ours/bare by CPU ${p.cpu.toFixed(2)}x (spool ${sp.cpu.toFixed(2)}x), by wall ${p.wall.toFixed(2)}x (spool ${sp.wall.toFixed(2)}x), ` +
      `best wall ${p.bestWall.toFixed(2)}x, cold ${p.coldCpu.toFixed(2)}x (spool ${sp.coldCpu.toFixed(2)}x)`,
  );
  return result;
}

export async function parseSpeedBench(): Promise<void> {
  const rounds = Number(process.env.BENCH_PARSE_ROUNDS || 7);
  const wanted = (process.env.BENCH_PARSE_SETS || 'sdn-x1,un-x1,sdn-x4,un-x4').split(',').map((s) => s.trim()).filter(Boolean);
  const { sets: chosen, notes } = await sets(wanted);
  for (const n of notes) console.error(`parse: ${n}`);
  const out = process.env.BENCH_PARSE_RESULTS ?? path.join(REPO_ROOT, 'bench', 'results', 'parse.jsonl');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.mkdirSync(SPOOL_ROOT, { recursive: true, mode: 0o700 });
  const at = new Date().toISOString();
  // What was measured, when it is not the working tree's code as is (e.g. 'parsers of <commit>').
  const label = process.env.BENCH_PARSE_LABEL;
  for (const set of chosen) {
    const r = await benchSet(set, rounds);
    fs.appendFileSync(out, JSON.stringify({ at, host: HOST, ...(label ? { label } : {}), ...r, notes }) + '\n');
  }
  console.error(`parse: results appended to ${path.relative(REPO_ROOT, out)}`);
}

// Run directly (node --import tsx bench/parse-speed.ts), through bench/run.ts, or as a child (--child).
if (require.main === module) {
  const i = process.argv.indexOf('--child');
  (i >= 0 ? child(process.argv[i + 1] as Way, JSON.parse(process.argv[i + 2]) as ParseSet) : parseSpeedBench()).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
