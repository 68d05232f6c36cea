/**
 * `npm run screen -- <file.csv|file.jsonl>`: screens every row of a file against the loaded lists
 * (server/api/screen-bulk.ts, the same run and the same bytes as POST /api/screen/bulk) and writes the
 * results to --out (CSV or JSON lines, from its extension or --format) or stdout; a progress bar and
 * the summary go to stderr.
 *
 * Screens the database of NEO4J_URI when set, else the running `npm start` database of the same
 * DATA_DIR, or starts the embedded Neo4j for the duration (server/core/neo4j/embedded.ts, as `npm run
 * ingest` does). The file is read once before Neo4j is started when it is small enough to count its
 * rows cheaply (COUNT_MAX_BYTES), so that a file unusable as a whole is refused at once and the progress
 * bar knows the total; a larger one shows the bytes read instead.
 *
 * Exit codes: 0 when the file was screened (error rows included: they are in the output and counted in
 * the summary), 2 for bad usage or a file that cannot be screened, 1 for any other failure.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { BulkLine, bulkOutputFormatOf, bulkParamsOf, BulkOutputFormat, BulkParams, screenBulk, serialiseBulkLine } from './api/screen-bulk';
import { AppError, BadInputError } from './core/errors';
import { log, setLogLevel } from './core/logger';
import { Database } from './core/neo4j/database';
import { connectNeo4j, Neo4jEndpoint } from './core/neo4j/embedded';
import { BulkFormat, openBulkInput } from './core/screening/bulk-input';
import { loadSettings, Settings, SettingsError } from './core/settings';

/** Files up to this size are read once ahead to count their rows (a few seconds for 100,000 rows at most). */
const COUNT_MAX_BYTES = 64 * 1024 * 1024;

interface Options {
  out?: string;
  format?: string;
  threshold?: string;
  first?: string;
  maxHops?: string;
  progress: boolean;
}

const inputFormatOf = (file: string): BulkFormat | undefined => (/\.csv$/i.test(file) ? 'csv' : /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : undefined);

/** Rows of the file (every record, error rows included); throws what makes it unusable, naming it. */
async function countRows(file: string, maxRows: number): Promise<number> {
  const input = await openBulkInput(fs.createReadStream(file), { source: file, format: inputFormatOf(file), maxRows });
  for (const w of input.warnings) log.warn(w);
  let n = 0;
  for await (const _row of input.rows) n++;
  return n;
}

/** Writes with backpressure: the run reads and screens no further than the output has taken. */
async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (text && !out.write(text)) await once(out, 'drain');
}

async function run(file: string, outFd: number | null, total: number | null, opts: Options, params: BulkParams, format: BulkOutputFormat, settings: Settings, signal: AbortSignal, db: Database): Promise<number> {
  const size = fs.statSync(file).size;
  const stream = fs.createReadStream(file);
  const input = await openBulkInput(stream, { source: file, format: inputFormatOf(file), maxRows: settings.screenBulk.maxRows });
  if (total === null) for (const w of input.warnings) log.warn(w);
  const out: NodeJS.WritableStream = outFd !== null ? fs.createWriteStream('', { fd: outFd }) : process.stdout;
  const bar =
    opts.progress && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: total !== null ? ' {bar} {value}/{total} rows | {speed} rows/s | {matched} matched | {errors} errors | {eta_formatted}' : ' {bar} {read}/{size} MB | {rows} rows | {speed} rows/s | {matched} matched | {errors} errors',
            hideCursor: true,
            etaBuffer: 200,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  const started = Date.now();
  const counts = { rows: 0, matched: 0, errors: 0 };
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const tick = () => {
    const speed = (counts.rows / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1);
    const payload = { speed, matched: counts.matched, errors: counts.errors, rows: counts.rows, read: mb(stream.bytesRead), size: mb(size) };
    bar?.update(total !== null ? counts.rows : Math.min(stream.bytesRead, size), payload);
  };
  bar?.start(total ?? Math.max(size, 1), 0, { speed: '0.0', matched: 0, errors: 0, rows: 0, read: '0.0', size: mb(size) });
  let end: Extract<BulkLine, { type: 'end' }> | undefined;
  let fatal: Extract<BulkLine, { type: 'error' }> | undefined;
  try {
    for await (const line of screenBulk(input, { db, params, requestTimeoutMs: settings.api.requestTimeoutMs, concurrency: settings.screenBulk.concurrency, signal })) {
      if (line.type === 'start') {
        if (line.lists.length === 0) log.warn('Nothing is loaded in this database: every row will be no_match (load lists with npm run ingest)');
      } else if (line.type === 'row' || line.type === 'error') {
        if (line.type === 'error' && line.fatal) fatal = line;
        else counts.rows++;
        if (line.type === 'row' && line.status === 'match') counts.matched++;
        if (line.type === 'error' && !line.fatal) counts.errors++;
        if (line.type === 'row') for (const w of line.warnings ?? []) log.warn(`${file}: ${w}`);
      } else end = line;
      await write(out, serialiseBulkLine(line, format));
      tick();
    }
  } finally {
    bar?.stop();
    if (out !== process.stdout) await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  if (signal.aborted) return 130;
  const where = opts.out ? `; results in ${opts.out}` : '';
  if (fatal) {
    log.error(`${fatal.line !== null ? `${file}, ` : ''}${fatal.error}; ${counts.rows} row(s) before it are in the output${where}`);
    return fatal.line !== null ? 2 : 1;
  }
  const seconds = end?.seconds ?? (Date.now() - started) / 1000;
  log.info(
    `Screened ${end?.rows ?? counts.rows} rows of ${file} in ${seconds.toFixed(1)} s (${((end?.rows ?? counts.rows) / Math.max(seconds, 0.001)).toFixed(1)} rows/s): ` +
      `${end?.matched ?? counts.matched} with a match at threshold ${params.threshold}, ${end?.errors ?? counts.errors} error row(s)${counts.errors ? ' (listed in the output with their line and reason)' : ''}${where}`,
  );
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('npm run screen --')
    .description('Screen every row of a CSV or JSON-lines file (name, kind, birth_date, country, identifiers...) against the loaded lists.')
    .argument('<file>', 'CSV with a header row (.csv) or JSON lines (.jsonl); columns are mapped by name (README, "Bulk screening")')
    .option('--out <file>', 'write the results here (default: stdout)')
    .option('--format <csv|jsonl>', 'format of the results (default: from the --out extension, else jsonl)')
    .option('--threshold <0..1>', 'lowest score reported as a match (default 0.7)')
    .option('--first <n>', 'matches reported per row (default 3)')
    .option('--max-hops <n>', 'how far to look for the nearest sanctioned party of a match (default 3)')
    .option('--no-progress', 'no progress bar')
    .addHelpText('after', '\nExamples:\n  npm run screen -- customers.csv --out results.csv\n  npm run screen -- parties.jsonl --format jsonl --threshold 0.8 > results.jsonl\n')
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const opts = program.opts<Options>();
  const [file] = program.args;
  let params: BulkParams;
  let format: BulkOutputFormat;
  try {
    params = bulkParamsOf({ threshold: opts.threshold, first: opts.first, maxHops: opts.maxHops });
    format = bulkOutputFormatOf(opts.format, opts.out);
  } catch (err) {
    log.error(`${(err as Error).message.replace(/^maxHops/, '--max-hops').replace(/^(threshold|first|format)/, '--$1')}. See --help.`);
    return 2;
  }
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    log.error(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return 2;
  }
  // The output opened before anything is started: a folder that does not exist or cannot be written is
  // bad usage (exit 2), not a failure after Neo4j has started; and the input is never overwritten by it.
  let outFd: number | null = null;
  if (opts.out) {
    const same = (() => {
      try {
        const [a, b] = [fs.statSync(file), fs.statSync(opts.out)];
        return a.dev === b.dev && a.ino === b.ino;
      } catch {
        return false;
      }
    })();
    if (same) {
      log.error(`--out ${opts.out} is the input file; write the results to another file`);
      return 2;
    }
    try {
      outFd = fs.openSync(opts.out, 'w');
    } catch (err) {
      log.error(`Cannot write ${opts.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return 2;
    }
  }
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (err) {
    log.error((err as Error).message);
    return 1;
  }
  setLogLevel(settings.logLevel);
  // A file unusable from its start (or, counted, anywhere) is refused before Neo4j is started.
  let total: number | null = null;
  try {
    if (fs.statSync(file).size <= COUNT_MAX_BYTES) total = await countRows(file, settings.screenBulk.maxRows);
    else {
      const head = await openBulkInput(fs.createReadStream(file), { source: file, format: inputFormatOf(file), maxRows: settings.screenBulk.maxRows });
      await (head.rows as AsyncGenerator).return(undefined);
    }
  } catch (err) {
    if (err instanceof BadInputError) {
      log.error(err.message);
      return 2;
    }
    throw err;
  }

  let endpoint: Neo4jEndpoint | undefined;
  let db: Database | undefined;
  const stop = new AbortController();
  let interrupted = false;
  let running = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) {
      // A second signal: out now (embedded.ts stops an embedded Neo4j on exit).
      process.exit(130);
    }
    interrupted = true;
    log.warn(`${sig}: stopping; the rows screened so far are in the output`);
    stop.abort();
    // A run under way ends by itself: the rows under way settle, the output is ended (flushed), then
    // Neo4j is stopped and the exit code is 130 (run() returns it). Before the run, nothing is to keep.
    if (running) return;
    void (async () => {
      await db?.close().catch(() => undefined);
      await endpoint?.stop();
      process.exit(130);
    })();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    endpoint = await connectNeo4j(settings);
    db = new Database(endpoint, settings.queryTimeoutMs);
    await db.verify();
    running = true;
    return await run(file, outFd, total, opts, params, format, settings, stop.signal, db);
  } catch (err) {
    if (err instanceof BadInputError) {
      log.error(err.message);
      return 2;
    }
    if (err instanceof AppError || err instanceof SettingsError) log.error(err.message);
    else log.error(`Screening failed: ${(err as Error).stack ?? err}`);
    return 1;
  } finally {
    await db?.close().catch(() => undefined);
    if (!interrupted || running) await endpoint?.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    log.error(String((err as Error).stack ?? err));
    process.exit(1);
  },
);
