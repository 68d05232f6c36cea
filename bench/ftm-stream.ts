/**
 * One-off measurement of the FtM parse at scale (issue 11 item 2): the real OpenSanctions entities
 * copied N times (bench/scale/ftm-copies.ts; 10,000 copies = 980,000 entities, about 1.5 GB), parsed
 * into a load's spool by the bounded-memory parse (ingest/sources/ftm-join.ts), and, at a size it can
 * still hold, by the whole-file parse it replaced (test/ftm-whole-parse.ts) for the ratio. Each parse
 * runs in a process of its own, so its peak RSS is its own. Appends one line per parse to
 * bench/results/ftm-stream.jsonl.
 *
 *   node --import tsx bench/ftm-stream.ts [--copies 10000] [--whole-copies 1000] [--heap-mb N] [--out .data/ftm-bench]
 *
 * --whole-copies 0 skips the comparison; --heap-mb runs the streamed parse with Node's heap capped
 * (--max-old-space-size): that it finishes shows its live heap never needed more.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFtmCopies } from './scale/ftm-copies';
import { parseFtm } from '../ingest/sources/ftm';
import { Spool } from '../ingest/spool';
import { parseFtmWhole } from '../test/ftm-whole-parse';
import { REPO_ROOT } from '../server/core/settings';

const RESULTS = path.join(REPO_ROOT, 'bench', 'results', 'ftm-stream.jsonl');
const RELEASE = { release: '2026-04-30', releaseFrom: 'flag' } as const;

interface Measured {
  way: 'streamed' | 'whole';
  file: string;
  seconds: number;
  peakRssMB: number;
  peakHeapMB: number;
  parties: number;
  addresses: number;
  identifiers: number;
  links: number;
}

/** In the child: one parse, its figures on stdout. */
async function child(way: 'streamed' | 'whole', file: string, spoolRoot: string): Promise<void> {
  let peakHeap = 0;
  const timer = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 200);
  const t = process.hrtime.bigint();
  let counts: Omit<Measured, 'way' | 'file' | 'seconds' | 'peakRssMB' | 'peakHeapMB'>;
  if (way === 'streamed') {
    const spool = new Spool(4096, spoolRoot);
    try {
      await parseFtm([file], { ...RELEASE, sink: spool });
      spool.close();
      counts = { parties: spool.counts.parties, addresses: spool.counts.addresses, identifiers: spool.counts.identifiers, links: spool.counts.links };
    } finally {
      spool.remove();
    }
  } else {
    const r = await parseFtmWhole([file], RELEASE);
    counts = { parties: r.parties.length, addresses: r.addresses.length, identifiers: r.identifiers.length, links: r.links.length };
  }
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  clearInterval(timer);
  const m: Measured = {
    way,
    file,
    seconds: Math.round(seconds * 10) / 10,
    // maxRSS is in kilobytes.
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    peakHeapMB: Math.round(peakHeap / 1e6),
    ...counts,
  };
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

function measure(way: 'streamed' | 'whole', file: string, spoolRoot: string, heapMB?: number): Measured {
  const cap = heapMB && way === 'streamed' ? [`--max-old-space-size=${heapMB}`] : [];
  const out = execFileSync(process.execPath, [...cap, '--import', 'tsx', __filename, '--child', way, '--file', file, '--spool', spoolRoot], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      copies: { type: 'string', default: '10000' },
      'whole-copies': { type: 'string', default: '1000' },
      'heap-mb': { type: 'string' },
      out: { type: 'string', default: path.join(REPO_ROOT, '.data', 'ftm-bench') },
      child: { type: 'string' },
      file: { type: 'string' },
      spool: { type: 'string' },
    },
  });
  if (values.child) return child(values.child as 'streamed' | 'whole', values.file!, values.spool!);

  const out = path.resolve(values.out);
  const spoolRoot = path.join(out, 'spool');
  const heapMB = values['heap-mb'] ? Number(values['heap-mb']) : undefined;
  const runs: { copies: number; ways: ('streamed' | 'whole')[] }[] = [
    { copies: Number(values['whole-copies']), ways: ['whole', 'streamed'] },
    { copies: Number(values.copies), ways: ['streamed'] },
  ];
  for (const { copies, ways } of runs.filter((r) => r.copies > 0)) {
    const gen = await writeFtmCopies({ copies, out: path.join(out, `ftm-x${copies}`, 'entities.ftm.json') });
    console.log(`${copies} copies: ${gen.entities} entities, ${(gen.bytes / 1e6).toFixed(0)} MB`);
    for (const way of ways) {
      const m = measure(way, gen.file, spoolRoot, heapMB);
      const row = {
        at: new Date().toISOString(),
        host: os.hostname(),
        cpus: os.cpus().length,
        loadavg: Math.round(os.loadavg()[0] * 10) / 10,
        copies,
        entities: gen.entities,
        fileMB: Math.round(gen.bytes / 1e6),
        ...(heapMB && way === 'streamed' ? { heapCapMB: heapMB } : {}),
        ...m,
      };
      console.log(JSON.stringify(row));
      fs.appendFileSync(RESULTS, `${JSON.stringify(row)}\n`);
    }
    fs.rmSync(path.dirname(gen.file), { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
