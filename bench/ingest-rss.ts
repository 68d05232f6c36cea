/**
 * Node's memory of `npm run ingest` as a user runs it (issue 11 item 3: "Node's RSS under 1 GB" at x64):
 * the CLI in a process of its own (`node --import tsx ingest/cli.ts`, what `npm run ingest` runs, with
 * the user's settings but INGEST_READER_GRACE=0: no server reads the store), loading the OFAC scale
 * list, then the UN one onto it (whose candidate matching reads every party), into a fresh embedded
 * Neo4j that this bench starts (NEO4J_URI for the CLI, so the CLI's RSS is its own). The child's RSS is
 * read from /proc every second, with the phase its log last named (parse, write, snapshot, commit,
 * matching), and its VmHWM, the kernel's own peak, at the last sample.
 *
 * The ratio asked for is against a fixed bound (1 GB), not a baseline: memory, unlike time, does not
 * vary with the machine's load. To see what INGEST_HEAP_GROWTH does, give several values
 * (BENCH_RSS_GROWTH="25,0": the default, then V8's own factor): each loads into a fresh store, and its
 * load times are given beside (same run, so comparable with each other only).
 *
 * BENCH_ONLY=ingest-rss npm run bench. BENCH_RSS_FACTORS ("4"; "64" is about 1M parties and 20 minutes),
 * BENCH_RSS_GROWTH ("25"), BENCH_RSS_LABEL. One JSON line per factor and growth in
 * bench/results/ingest.jsonl, kind "cli-rss".
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, NEO4J_VERSION } from '../server/core/settings';
import { freshNeo4jIn, scaleFolders } from './growth';

const STORE = path.join(REPO_ROOT, '.data', 'bench-rss');

interface Sample {
  s: number;
  rssMB: number;
  phase: string;
}

/** The phase a line of the CLI's log names (its progress bar and its debug lines), or null. */
function phaseOf(line: string): string | null {
  const m = /^(?:DEBUG )?(parse|write|parties|addresses|identifiers|links|placeholders|release snapshot|commit|purge and cleanup|matching)\b/.exec(line);
  return m ? m[1] : null;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) : null;
  } catch {
    return null;
  }
}

/** Runs the CLI on `args`, sampling its RSS; resolves when it exits (a failure rejects, with its log's end). */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ seconds: number; samples: Sample[]; hwmMB: number | null }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const samples: Sample[] = [];
    let phase = 'start';
    let hwmMB: number | null = null;
    let tail = '';
    const onData = (buf: Buffer) => {
      const text = buf.toString('utf8');
      tail = (tail + text).slice(-4000);
      for (const line of text.split(/\r|\n/)) phase = phaseOf(line) ?? phase;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => {
      const kb = statusKb(child.pid!, 'VmRSS');
      if (kb !== null) samples.push({ s: (Date.now() - started) / 1000, rssMB: kb / 1024, phase });
      const hwm = statusKb(child.pid!, 'VmHWM');
      if (hwm !== null) hwmMB = hwm / 1024;
    }, 1000);
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (code === 0) resolve({ seconds: (Date.now() - started) / 1000, samples, hwmMB });
      else reject(new Error(`npm run ingest -- ${args.join(' ')} ended with ${signal ?? `exit ${code}`}:\n${tail}`));
    });
  });
}

/** Peak RSS per phase, and overall. */
function summary(samples: Sample[]): { peakMB: number; peakPhase: string; byPhase: Record<string, number> } {
  const byPhase: Record<string, number> = {};
  let peak: Sample = { s: 0, rssMB: 0, phase: 'none' };
  for (const x of samples) {
    byPhase[x.phase] = Math.round(Math.max(byPhase[x.phase] ?? 0, x.rssMB));
    if (x.rssMB > peak.rssMB) peak = x;
  }
  return { peakMB: Math.round(peak.rssMB), peakPhase: peak.phase, byPhase };
}

export async function ingestRssBench(): Promise<void> {
  const factors = (process.env.BENCH_RSS_FACTORS || '4').split(',').map(Number);
  const growths = (process.env.BENCH_RSS_GROWTH || '25').split(',').map(Number);
  const out = path.join(REPO_ROOT, 'bench', 'results', 'ingest.jsonl');
  for (const factor of factors) {
    const { ofac, un } = await scaleFolders(factor);
    for (const growth of growths) {
      const { endpoint, db } = await freshNeo4jIn(STORE);
      try {
        const env = {
          ...process.env,
          NEO4J_URI: endpoint.uri,
          NEO4J_USER: endpoint.user,
          NEO4J_PASSWORD: endpoint.password,
          INGEST_READER_GRACE: '0',
          INGEST_HEAP_GROWTH: String(growth),
          LOG_LEVEL: 'debug',
        };
        const loads: Record<string, unknown> = {};
        for (const [name, args] of [
          ['ofac', [ofac, '--release', '2024-05-03']],
          ['un', [un]],
        ] as const) {
          const r = await runCli([...args], env);
          const s = summary(r.samples);
          loads[name] = { seconds: r.seconds, ...s, vmHwmMB: r.hwmMB === null ? null : Math.round(r.hwmMB) };
          console.error(`ingest-rss x${factor} growth ${growth}%: ${name} in ${r.seconds.toFixed(1)} s, peak RSS ${s.peakMB} MB (${s.peakPhase}), by phase ${JSON.stringify(s.byPhase)}`);
        }
        const line = {
          at: new Date().toISOString(),
          kind: 'cli-rss',
          label: process.env.BENCH_RSS_LABEL,
          host: { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, neo4j: NEO4J_VERSION },
          loadAvg: os.loadavg().map((x) => Math.round(x * 100) / 100),
          factor,
          heapGrowthPercent: growth,
          boundMB: 1024,
          loads,
        };
        fs.appendFileSync(out, JSON.stringify(line) + '\n');
      } finally {
        await db.close();
        await endpoint.stop();
      }
    }
  }
}
