/**
 * npm run scale -- --factor 16 --seed 1 --out .data/scale
 *
 * Writes the real OFAC SDN and UN lists multiplied by --factor into <out>/ofac-sdn-x<F>/ (sdn.csv,
 * add.csv, sdn_comments.csv) and <out>/un-sc-x<F>/consolidated.xml, then prints what it wrote and how
 * to load it. Same seed and factor, same bytes.
 */
import path from 'node:path';
import { Command } from 'commander';
import { generateScale } from './generate';

function size(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('npm run scale --')
    .description('Multiply the real OFAC SDN and UN lists into files of their own formats, for load and growth benchmarks.')
    .requiredOption('--factor <n>', 'how many times the lists (4, 16, 64: about 1 million parties)', (v) => Number(v))
    .option('--seed <seed>', 'same seed and factor give the same bytes', '1')
    .option('--out <dir>', 'output folder (keep it out of git: .data/ or /tmp)', '.data/scale')
    .option('--cross <share>', "share of each copy's links that point into another copy", (v) => Number(v), 0.1)
    .option('--no-progress', 'no progress line')
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const o = program.opts<{ factor: number; seed: string; out: string; cross: number; progress: boolean }>();
  if (!Number.isInteger(o.factor) || o.factor < 1 || !(o.cross >= 0 && o.cross <= 1)) {
    process.stderr.write('--factor must be a whole number >= 1 and --cross a share between 0 and 1\n');
    return 2;
  }
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const result = await generateScale({
    factor: o.factor,
    seed: o.seed,
    out: path.resolve(o.out),
    cross: o.cross,
    onProgress: (p) => {
      if (!o.progress) return;
      const line = `${p.list}: copy ${p.copy}/${p.factor}, ${p.parties.toLocaleString('en-US')} parties, ${size(p.bytes)}, RSS ${size(process.memoryUsage.rss())}`;
      // One line rewritten in place on a terminal; a line per tenth of the work in a log.
      if (tty) process.stderr.write(`\r${line.padEnd(90)}`);
      else if (p.copy === p.factor || Math.floor((p.copy * 10) / p.factor) > lastLine) process.stderr.write(`${line}\n`);
      lastLine = Math.floor((p.copy * 10) / p.factor);
    },
  });
  if (tty && o.progress) process.stderr.write('\n');
  const lines = [
    `x${result.factor} (seed ${result.seed}) in ${result.seconds.toFixed(1)} s, peak RSS ${size(process.resourceUsage().maxRSS * 1024)}:`,
    ...result.files.map((f) => `  ${path.relative(process.cwd(), f.file) || f.file}  ${size(f.bytes)}`),
    `  OFAC SDN: ${result.ofac.parties.toLocaleString('en-US')} parties, ${result.ofac.links.toLocaleString('en-US')} "Linked To" links ` +
      `(${result.ofac.crossCopyLinks.toLocaleString('en-US')} between copies), ${result.ofac.addressRows.toLocaleString('en-US')} address rows, ` +
      `${result.ofac.commentRows.toLocaleString('en-US')} remark continuations`,
    `  UN: ${result.un.parties.toLocaleString('en-US')} parties, ${result.un.links.toLocaleString('en-US')} reference links (${result.un.crossCopyLinks.toLocaleString('en-US')} between copies)`,
    'Load with:',
    `  npm run ingest -- ${path.relative(process.cwd(), result.ofac.folder)} --release ${result.ofac.release}`,
    `  npm run ingest -- ${path.relative(process.cwd(), result.un.folder)}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
