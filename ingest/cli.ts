/**
 * npm run ingest -- [--format ofac-csv] [--dataset NAME] [--release YYYY-MM-DD] [--force] [--json] PATH...
 * npm run ingest -- --status [--json]
 * npm run ingest -- --fetch <source> [--json] [--force]      (download the current release, then load it)
 * npm run ingest -- --fetch list
 *
 * Loads into the running `npm start` database of the same DATA_DIR, or starts the embedded Neo4j for
 * the duration; with NEO4J_URI set, into that server.
 */
import { Command } from 'commander';
import { loadSettings, SettingsError } from '../server/core/settings';
import { limitHeapGrowth } from './heap';
import { connectNeo4j, Neo4jEndpoint } from '../server/core/neo4j/embedded';
import { Database } from '../server/core/neo4j/database';
import { AppError, DownloadError, SourceFormatError } from '../server/core/errors';
import { log, setLogLevel } from '../server/core/logger';
import { FORMATS, releaseFor } from './formats';
import { ingest } from './ingest';
import { isDead, openLoads } from './loader';
import { removeLiveSpools } from './spool';
import { allSummaries, formatSummary } from './summary';
import { cleanupPartialDownloads, describeSources, fetchConfig, FetchedRelease, fetchSource, knownSourceNames, reloadCommand, resolveSource } from './fetch';
import type { FetchSourceDef } from './fetch';

/**
 * Exit code of a load stopped by a signal after it committed: the release is loaded and readers see it;
 * deleting what it replaced is left to the next load, refreshing the candidate matches to the next load
 * of its dataset. (130: stopped before committing, nothing of it kept.)
 */
const EXIT_LOADED_UNTIDIED = 3;

/**
 * Set by a signal: the exit code, and the stop under way (database closed, embedded Neo4j stopped), whose
 * end decides the exit, whatever the interrupted load does meanwhile.
 */
let interrupted: { code: number; stopped: Promise<void> } | null = null;
/** The load has committed (ingest's onCommitted). */
let loadCommitted = false;

interface Options {
  format?: string;
  dataset?: string;
  release?: string;
  force?: boolean;
  json?: boolean;
  status?: boolean;
  fetch?: string;
  progress: boolean;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('npm run ingest --')
    .description('Load sanctions list files into the sanctions-graph database.')
    .argument('[paths...]', 'files or folders of one release (e.g. ../shared/data/sanctions/ofac-sdn-csv-2024-05-03)')
    .option('--format <name>', `source format (detected from content when not given): ${FORMATS.map((f) => f.name).join(', ')}`)
    .option('--dataset <name>', 'dataset name (default from the source, e.g. ofac-sdn)')
    .option('--release <date>', 'publication date YYYY-MM-DD, when the files do not carry one')
    .option('--force', 'load an older release over a newer one, or one that delists more than 25%')
    .option('--json', 'print one JSON line with the counts on stdout')
    .option('--status', 'load nothing; print what is loaded')
    .option('--fetch <source>', 'download the current release of <source> from its publisher, then load it ("--fetch list" lists the sources)')
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `\nFormats:\n${FORMATS.map((f) => `  ${f.name.padEnd(10)} ${f.description}`).join('\n')}\n\n` +
        `Download (--fetch <source>):\n  ${knownSourceNames().join(', ')}\n` +
        '  Every file of the source is downloaded into a new private folder (FETCH_DIR, default $DATA_DIR/downloads)\n' +
        '  and loaded only when all arrived whole; the folder is kept. Files over FETCH_MAX_SIZE (2g) and redirects\n' +
        '  away from https are refused. FETCH_BASE_URL (a mirror with ofac/, un/ and\n' +
        '  opensanctions/ folders) or FETCH_OFAC_URL, FETCH_UN_URL, FETCH_OPENSANCTIONS_URL point elsewhere than\n' +
        '  the publishers; FETCH_TIMEOUT and FETCH_RETRIES tune the downloads. "--fetch list" prints the URLs.\n\n' +
        'Examples:\n  npm run ingest -- ../shared/data/sanctions/ofac-sdn-csv-2024-05-03/sdn.csv --release 2024-05-03\n' +
        '  npm run ingest -- --fetch ofac-sdn-enhanced\n  npm run ingest -- --fetch opensanctions:us_ofac_sdn\n',
    )
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const opts = program.opts<Options>();
  const paths = program.args;
  if (opts.fetch !== undefined && (paths.length > 0 || opts.status)) {
    log.error(`--fetch downloads the files itself: give it no ${opts.status ? '--status' : 'paths'}. See --help.`);
    return 2;
  }
  if (!opts.status && opts.fetch === undefined && paths.length === 0) {
    log.error('Name the files (or folder) to load, or use --fetch <source> or --status. See --help.');
    return 2;
  }
  let source: FetchSourceDef | undefined;
  if (opts.fetch !== undefined && opts.fetch !== 'list') {
    try {
      source = resolveSource(opts.fetch);
    } catch (err) {
      log.error(`--fetch: ${(err as Error).message}`);
      return 2;
    }
  }

  let settings;
  try {
    settings = loadSettings();
  } catch (err) {
    log.error((err as Error).message);
    return 1;
  }
  setLogLevel(settings.logLevel);
  limitHeapGrowth(settings.ingestHeapGrowthPercent);
  if (opts.fetch === 'list') {
    process.stdout.write(describeSources(fetchConfig(settings)));
    return 0;
  }
  let endpoint: Neo4jEndpoint | undefined;
  let db: Database | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) {
      // A clean-up that hangs (a Neo4j that does not stop) must not hold the user: a second signal ends it.
      log.warn(`${sig} again: exiting now, without waiting for the database to close`);
      process.exit(interrupted.code);
    }
    const code = loadCommitted ? EXIT_LOADED_UNTIDIED : 130;
    log.warn(
      loadCommitted
        ? `${sig}: stopping; the release is loaded (committed) and readers see it. Deleting what it replaced is left to the next load, refreshing candidate matches to the next load of this dataset (exit ${code})`
        : `${sig}: stopping; the load's transaction is rolled back, nothing of it is kept`,
    );
    cleanupPartialDownloads();
    // The spool's folder (perhaps gigabytes): the load that made it ends here. What an uncommitted load
    // wrote to the database stays hidden from readers and is rolled back by the next load.
    removeLiveSpools();
    const stopped = (async () => {
      await db?.close().catch(() => undefined);
      await endpoint?.stop().catch((e: Error) => log.warn(`Stopping the embedded Neo4j failed: ${e.message}`));
    })();
    interrupted = { code, stopped };
    void stopped.then(() => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed terminal: stop the embedded Neo4j this load started at once, not after the watchdog's grace.
  process.on('SIGHUP', onSignal);

  let fetched: FetchedRelease | undefined;
  try {
    // Download first, without the database: a failed download never gets near it.
    if (source) {
      if (opts.release) releaseFor([], opts.release); // a bad --release fails now, not after the download
      fetched = await fetchSource(source, { ...fetchConfig(settings), progress: opts.progress });
      log.info(
        `Downloaded ${fetched.files.length} file(s) of ${source.name}, all complete, into ${fetched.folder} (kept; FETCHED.md says where each came from)`,
      );
      if (fetched.release && !opts.release) log.info(`Release ${fetched.release.release}: ${fetched.release.why} (override with --release)`);
    }
    endpoint = await connectNeo4j(settings);
    db = new Database(endpoint, settings.queryTimeoutMs);
    await db.verify();
    await db.applySchema();
    if (opts.status) {
      const summaries = await allSummaries(db);
      // Loads not finished: one running now, or one whose process died (hidden; the next load rolls it back).
      const loads = (await openLoads(db)).map((l) => ({ dataset: l.dataset, release: l.release, number: Number(l.seq), state: l.state, startedAt: l.startedAt, running: !isDead(l) }));
      if (opts.json) process.stdout.write(JSON.stringify({ datasets: summaries, loads }) + '\n');
      else if (summaries.length === 0) log.info('Nothing is loaded yet.');
      else for (const s of summaries) log.info(formatSummary(s));
      if (!opts.json) {
        for (const l of loads) {
          const what = `${l.dataset} release ${l.release} (started ${l.startedAt})`;
          if (l.state === 'finishing') {
            log.info(l.running ? `Finishing: ${what} is loaded; deleting what it replaced and refreshing matches` : `Committed: ${what} is loaded; its process ended before tidying up, which the next load does`);
          } else {
            log.info(
              l.running
                ? `Loading now: ${what}; readers see the previous release until it commits`
                : `Unfinished: the load of ${what} ended before committing; readers do not see it, and the next load removes it`,
            );
          }
        }
      }
      return 0;
    }
    const started = Date.now();
    const { summary, result } = await ingest(db, {
      paths: fetched ? fetched.files.map((f) => f.path) : paths,
      format: opts.format,
      dataset: opts.dataset,
      release: opts.release ?? fetched?.release?.release,
      force: opts.force,
      progress: opts.progress,
      batchSize: settings.ingestBatchSize,
      txTimeoutMs: settings.ingestTxTimeoutMs,
      // A server may be reading this database: what the load replaces stays until its requests have ended.
      readerGraceMs: settings.ingestReaderGraceMs,
      maxRecordBytes: settings.ingestMaxRecordBytes,
      maxValueBytes: settings.ingestMaxValueBytes,
      spoolDir: settings.ingestSpoolDir,
      onCommitted: () => {
        loadCommitted = true;
      },
    });
    log.info(formatSummary(summary));
    log.info(
      `Loaded in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (result.delisted ? `; ${result.delisted} parties delisted by this release` : '') +
        (result.placeholdersCompleted ? `; ${result.placeholdersCompleted} placeholders completed` : ''),
    );
    if (opts.json) {
      const { dataset, release, entities, aliases, addresses, identifiers, links, placeholders, rejected, delisted, releases, warnings } = summary;
      const download = fetched && {
        source: fetched.source.name,
        folder: fetched.folder,
        releaseFrom: opts.release ? '--release' : fetched.release ? fetched.release.why : 'the file itself',
        files: fetched.files.map((f) => ({ url: f.url, file: f.path, bytes: f.bytes, sha256: f.sha256, lastModified: f.lastModified ?? null })),
      };
      process.stdout.write(
        JSON.stringify({ dataset, release, entities, aliases, addresses, identifiers, links, placeholders, rejected, delisted, releases, warnings, ...(download ? { download } : {}) }) + '\n',
      );
    }
    return 0;
  } catch (err) {
    // The load failing because a signal closed its database under it: the signal's message said what is kept.
    if (interrupted) {
      log.debug(`After ${interrupted.code === 130 ? 'the interruption' : 'the interruption after the commit'}: ${(err as Error).message}`);
      return interrupted.code;
    }
    if (fetched && !(err instanceof DownloadError)) log.info(`The downloaded files stay in ${fetched.folder}; load them again with: ${reloadCommand(fetched)}`);
    if (err instanceof DownloadError) {
      log.error(`Download failed: ${err.message}. Nothing was loaded; the database is as it was, and no partial files were kept.`);
      if (err.offline) {
        log.error(
          'This machine seems to have no internet access (or the host is blocked). Download the files elsewhere ' +
            `(npm run ingest -- --fetch list shows the URLs) and load them from disk: npm run ingest -- <folder>${source && !source.dateInside ? ' --release YYYY-MM-DD' : ''}`,
        );
      }
    } else if (err instanceof SourceFormatError) log.error(`Refused: ${err.message}. Nothing was loaded; the database is as it was.`);
    else if (err instanceof AppError || err instanceof SettingsError) log.error(`${err.message}${err instanceof AppError && err.code === 'INGEST_REFUSED' ? '. Nothing was loaded.' : ''}`);
    else log.error(`Load failed; nothing of it was kept: ${(err as Error).stack ?? err}`);
    return 1;
  } finally {
    await db?.close().catch(() => undefined);
    if (!interrupted) await endpoint?.stop();
  }
}

main(process.argv.slice(2)).then(
  // A load interrupted by a signal may fail on its way out (its database closing under it): the signal's
  // code, once its stop has ended (exiting now would cut the embedded Neo4j's stop short).
  (code) => (interrupted ? interrupted.stopped.then(() => process.exit(interrupted!.code)) : process.exit(code)),
  (err) => {
    log.error(String((err as Error).stack ?? err));
    process.exit(1);
  },
);
