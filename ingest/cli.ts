/**
 * npm run ingest -- [--format ofac-csv] [--dataset NAME] [--release YYYY-MM-DD] [--force] [--json] PATH...
 * npm run ingest -- --status [--json]
 *
 * Loads into the running `npm start` database of the same DATA_DIR, or starts the embedded Neo4j for
 * the duration; with NEO4J_URI set, into that server.
 */
import { Command } from 'commander';
import { loadSettings, SettingsError } from '../server/settings';
import { connectNeo4j, Neo4jEndpoint } from '../server/neo4j/embedded';
import { Database } from '../server/neo4j/database';
import { AppError, SourceFormatError } from '../server/errors';
import { log, setLogLevel } from '../server/logger';
import { FORMATS } from './formats';
import { ingest } from './ingest';
import { allSummaries, formatSummary } from './summary';

interface Options {
  format?: string;
  dataset?: string;
  release?: string;
  force?: boolean;
  json?: boolean;
  status?: boolean;
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
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `\nFormats:\n${FORMATS.map((f) => `  ${f.name.padEnd(10)} ${f.description}`).join('\n')}\n\n` +
        'Example:\n  npm run ingest -- ../shared/data/sanctions/ofac-sdn-csv-2024-05-03/sdn.csv --release 2024-05-03\n',
    )
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const opts = program.opts<Options>();
  const paths = program.args;
  if (!opts.status && paths.length === 0) {
    log.error('Name the files (or folder) to load, or use --status. See --help.');
    return 2;
  }

  let settings;
  try {
    settings = loadSettings();
  } catch (err) {
    log.error((err as Error).message);
    return 1;
  }
  setLogLevel(settings.logLevel);
  let endpoint: Neo4jEndpoint | undefined;
  let db: Database | undefined;
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log.warn(`${sig}: stopping; the load's transaction is rolled back, nothing of it is kept`);
    void (async () => {
      await db?.close().catch(() => undefined);
      await endpoint?.stop();
      process.exit(130);
    })();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    endpoint = await connectNeo4j(settings);
    db = new Database(endpoint, settings.queryTimeoutMs);
    await db.verify();
    await db.applySchema();
    if (opts.status) {
      const summaries = await allSummaries(db);
      if (opts.json) process.stdout.write(JSON.stringify({ datasets: summaries }) + '\n');
      else if (summaries.length === 0) log.info('Nothing is loaded yet.');
      else for (const s of summaries) log.info(formatSummary(s));
      return 0;
    }
    const started = Date.now();
    const { summary, result } = await ingest(db, {
      paths,
      format: opts.format,
      dataset: opts.dataset,
      release: opts.release,
      force: opts.force,
      progress: opts.progress,
      batchSize: settings.ingestBatchSize,
      txTimeoutMs: settings.ingestTxTimeoutMs,
    });
    log.info(formatSummary(summary));
    log.info(
      `Loaded in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (result.delisted ? `; ${result.delisted} parties delisted by this release` : '') +
        (result.placeholdersCompleted ? `; ${result.placeholdersCompleted} placeholders completed` : ''),
    );
    if (opts.json) {
      const { dataset, release, entities, aliases, addresses, identifiers, links, placeholders, rejected, delisted, releases, warnings } = summary;
      process.stdout.write(JSON.stringify({ dataset, release, entities, aliases, addresses, identifiers, links, placeholders, rejected, delisted, releases, warnings }) + '\n');
    }
    return 0;
  } catch (err) {
    if (err instanceof SourceFormatError) log.error(`Refused: ${err.message}. Nothing was loaded; the database is as it was.`);
    else if (err instanceof AppError || err instanceof SettingsError) log.error(`${err.message}${err instanceof AppError && err.code === 'INGEST_REFUSED' ? '. Nothing was loaded.' : ''}`);
    else log.error(`Load failed; nothing of it was kept: ${(err as Error).stack ?? err}`);
    return 1;
  } finally {
    await db?.close().catch(() => undefined);
    if (!interrupted) await endpoint?.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    log.error(String((err as Error).stack ?? err));
    process.exit(1);
  },
);
