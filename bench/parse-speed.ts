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
 * Three ways through the same files, alternating in each round (A B C, then C B A), after one untimed
 * round:
 *  - bare:  csv-parse with the options ingest/csv.ts passes it (records counted), or saxes with the
 *    handlers ingest/xml.ts registers (each tag's name and attributes, each text read), over the
 *    file's bytes, decoded for saxes as our reader decodes them;
 *  - parse: our parser into a sink that counts what it is handed (the parser's own cost);
 *  - spool: our parser into the Spool a load writes (ingest/spool.ts: value bounds, JSON lines on
 *    disk), i.e. the parse phase of a load.
 * Each run's wall time and CPU time (process.cpuUsage: user + system, all of this process's threads,
 * so garbage collection on helper threads counts too). Ratios are speed ratios, ours/bare in MB/s (= bare time / our
 * time): by median CPU time (the steadier figure on a shared machine), by median wall time, by best
 * wall time, and the median of each round's own CPU ratio.
 *
 * BENCH_ONLY=parse npm run bench. BENCH_PARSE_RUNS (9), BENCH_PARSE_SETS ("sdn-x1,un-x1,sdn-x4,un-x4").
 * One JSON line per set appended to bench/results/parse.jsonl (or BENCH_PARSE_RESULTS, for trials), with
 * BENCH_PARSE_LABEL when given (what code was measured).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parse as csvParse } from 'csv-parse';
import { SaxesParser } from 'saxes';
import { REPO_ROOT } from '../server/core/settings';
import type { AddressFact, IdentifierFact, LinkRecord, PartyRecord, ReleaseSink } from '../server/core/model';
import { parseOfacCsv } from '../ingest/sources/ofac-csv';
import { parseUnXml } from '../ingest/sources/un-xml';
import { Spool } from '../ingest/spool';
import { DEFAULT_MAX_VALUE_BYTES } from '../ingest/ingest';
import { DEFAULT_READ_LIMITS, type ParseOptions } from '../ingest/parse-options';
import { TextDecoding } from '../ingest/encoding';
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

/**
 * With BENCH_PARSE_GC=1, a full collection before each run, so that no run pays for the garbage of the
 * one before. Off by default: a forced full collection before each run made our parser's runs 30-50%
 * slower (about 0.30 s of CPU instead of 0.22 s on the SDN file, measured alone), the bare tokenizer's
 * hardly at all (it then runs with freshly collected code and feedback); the alternating order is
 * what keeps the runs fair.
 */
const gc: () => void =
  process.env.BENCH_PARSE_GC === '1'
    ? (() => {
        v8.setFlagsFromString('--expose-gc');
        return vm.runInNewContext('gc') as () => void;
      })()
    : () => undefined;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function measure(fn: () => Promise<unknown>): Promise<Sample> {
  gc();
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

/** saxes as ingest/xml.ts drives it: the same chunks and decoding, each event's data read. */
async function bareXml(files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) {
    const parser = new SaxesParser({ position: true });
    const decoding = new TextDecoding(path.basename(f));
    let chars = 0;
    parser.on('opentag', (tag) => {
      n++;
      chars += tag.name.length;
      for (const [k, v] of Object.entries(tag.attributes as Record<string, string>)) chars += k.length + v.length;
    });
    parser.on('text', (t) => (chars += t.length));
    parser.on('cdata', (t) => (chars += t.length));
    parser.on('closetag', (tag) => (chars += tag.name.length));
    parser.on('comment', () => undefined);
    parser.on('doctype', () => undefined);
    parser.on('error', (e) => {
      throw e;
    });
    for await (const chunk of fs.createReadStream(f, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) parser.write(decoding.decode(chunk));
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

async function benchSet(set: ParseSet, runs: number): Promise<Record<string, unknown>> {
  const bytes = set.files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const samples: Record<Way, Sample[]> = { bare: [], parse: [], spool: [] };
  const loadBefore = os.loadavg();
  // One untimed round: code compiled and optimised, files in the page cache.
  // Its times are kept as `cold`: a load parses its file once, in a process that has not parsed before.
  const warm: Record<string, CountingSink['counts'] | undefined> = {};
  const cold: Record<string, Sample> = {};
  for (const way of WAYS) {
    const r = await runWay(set, way);
    warm[way] = r.counts;
    cold[way] = { wall: r3(r.sample.wall), cpu: r3(r.sample.cpu) };
  }
  if (JSON.stringify(warm.parse) !== JSON.stringify(warm.spool)) throw new Error(`${set.name}: the counting sink and the spool got different records`);
  for (let i = 0; i < runs; i++) {
    for (const way of i % 2 ? [...WAYS].reverse() : WAYS) samples[way].push((await runWay(set, way)).sample);
  }
  const stat = (way: Way) => {
    const s = samples[way];
    const cpu = median(s.map((x) => x.cpu));
    const wall = median(s.map((x) => x.wall));
    const best = Math.min(...s.map((x) => x.wall));
    return { cpuS: r3(cpu), wallS: r3(wall), bestWallS: r3(best), mbpsCpu: r3(bytes / MB / cpu), mbpsWall: r3(bytes / MB / wall) };
  };
  const ratio = (way: Way) => ({
    cpu: r3(median(samples.bare.map((x) => x.cpu)) / median(samples[way].map((x) => x.cpu))),
    wall: r3(median(samples.bare.map((x) => x.wall)) / median(samples[way].map((x) => x.wall))),
    bestWall: r3(Math.min(...samples.bare.map((x) => x.wall)) / Math.min(...samples[way].map((x) => x.wall))),
    pairedCpu: r3(median(samples[way].map((x, i) => samples.bare[i].cpu / x.cpu))),
  });
  const result = {
    kind: 'parse-vs-bare',
    set: set.name,
    format: set.kind,
    files: set.files.map((f) => path.relative(REPO_ROOT, f)),
    bytes,
    records: warm.parse,
    runs,
    loadavg: { before: loadBefore.map(r3), after: os.loadavg().map(r3) },
    bare: stat('bare'),
    parse: stat('parse'),
    spool: stat('spool'),
    // ours/bare in MB/s: >= 0.5 is the goal (issue 11).
    ratio: { parse: ratio('parse'), spool: ratio('spool') },
    cold,
    seconds: Object.fromEntries(WAYS.map((w) => [w, { cpu: samples[w].map((x) => r3(x.cpu)), wall: samples[w].map((x) => r3(x.wall)) }])),
  };
  const p = result.ratio.parse;
  const s = result.ratio.spool;
  console.error(
    `parse ${set.name} (${(bytes / MB).toFixed(1)} MB): bare ${result.bare.mbpsCpu.toFixed(1)} MB/s of CPU; ours ${result.parse.mbpsCpu.toFixed(1)}, with the spool ${result.spool.mbpsCpu.toFixed(1)}; ` +
      `ours/bare by CPU ${p.cpu.toFixed(2)}x (spool ${s.cpu.toFixed(2)}x), by wall ${p.wall.toFixed(2)}x (spool ${s.wall.toFixed(2)}x), best wall ${p.bestWall.toFixed(2)}x`,
  );
  return result;
}

export async function parseSpeedBench(): Promise<void> {
  const runs = Number(process.env.BENCH_PARSE_RUNS || 9);
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
    const r = await benchSet(set, runs);
    fs.appendFileSync(out, JSON.stringify({ at, host: HOST, ...(label ? { label } : {}), ...r, notes }) + '\n');
  }
  console.error(`parse: results appended to ${path.relative(REPO_ROOT, out)}`);
}

// Run directly (node --import tsx bench/parse-speed.ts) as well as through bench/run.ts.
if (require.main === module) {
  parseSpeedBench().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
