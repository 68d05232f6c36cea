/**
 * `npm start`: starts (or attaches to) Neo4j, applies the schema, loads the demo data into an empty
 * database, and serves HTTP on PORT. /healthz answers 503 until all of that is done, and again while a
 * Neo4j that died after start-up is being restarted (core/neo4j/supervisor.ts).
 *
 * Every way out stops an embedded Neo4j this process owns: SIGINT, SIGTERM, SIGHUP, an uncaught
 * exception or unhandled rejection (logged, then the same orderly shutdown, exit code 1), a start-up
 * failure; embedded.ts adds a last SIGTERM on process exit and a watchdog for when this process is killed.
 * The orderly shutdown also removes the spooled uploads of the bulk screenings under way (app.ts); those
 * of a server killed outright are removed when the next one starts.
 */
import http from 'node:http';
import { loadSettings, SettingsError } from './core/settings';
import { connectNeo4j, Neo4jEndpoint } from './core/neo4j/embedded';
import { Neo4jSupervisor } from './core/neo4j/supervisor';
import { Database } from './core/neo4j/database';
import { warmSearchIndex } from './core/search/live';
import { AppError } from './core/errors';
import { createApp, AppState } from './api/app';
import { createGraphQLServer } from './api/graphql';
import { log, setLogLevel } from './core/logger';
import { DEMO_LOADS } from '../ingest/demo';
import { ingest } from '../ingest/ingest';
import { formatSummary } from '../ingest/summary';
import { ownerTag, removeLeftovers } from '../ingest/spool';

async function main(): Promise<void> {
  const settings = loadSettings();
  setLogLevel(settings.logLevel);
  const state: AppState = {
    notReady: 'starting Neo4j',
    db: null,
    neo4j: { uri: settings.neo4jUri ?? `bolt://127.0.0.1:${settings.boltPort}`, embedded: !settings.neo4jUri, version: null },
    reviewApiKey: settings.reviewApiKey,
    spoolOwner: ownerTag(),
  };
  // The uploads of bulk screenings a killed server left (its process certainly gone: ingest/spool.ts).
  removeLeftovers(settings.ingestSpoolDir, 'bulk-upload-', 'a bulk screening');
  const graphql = createGraphQLServer();
  await graphql.start();
  const app = createApp(state, graphql);
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new SettingsError(`Port ${settings.port} on ${settings.host} is in use; set PORT to a free port`) : err),
    );
    server.listen(settings.port, settings.host, resolve);
  });
  log.info(`Listening on http://${settings.host}:${settings.port} (health: /healthz)`);

  let endpoint: Neo4jEndpoint | undefined;
  let supervisor: Neo4jSupervisor | undefined;
  let shuttingDown = false;
  const shutdown = async (why: string, code = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info(`${why}: shutting down`);
    // Neo4j gets a minute to stop cleanly (embedded.ts); past that, exit anyway (the exit hook signals it).
    setTimeout(() => process.exit(code), 90_000).unref();
    // The bulk screening uploads under way, removed before the connections close: their own removal (at
    // the close) is asynchronous, and this process exits before it would have run.
    (app.locals.removeBulkUploads as () => void)();
    server.close();
    server.closeAllConnections();
    await state.db?.close().catch(() => undefined);
    await (supervisor ?? endpoint)?.stop().catch((err: Error) => log.error(`Stopping Neo4j: ${err.message}`));
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void shutdown(sig));
  process.on('uncaughtException', (err) => {
    log.error(`Uncaught exception: ${err.stack ?? err}`);
    void shutdown('uncaught exception', 1);
  });
  process.on('unhandledRejection', (reason) => {
    log.error(`Unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`);
    void shutdown('unhandled rejection', 1);
  });

  try {
    endpoint = await connectNeo4j(settings);
    const db = new Database(endpoint, settings.queryTimeoutMs);
    await db.verify();
    const [v] = await db.read<{ version: string; edition: string }>('neo4j-version');
    state.neo4j.version = `${v.version} ${v.edition}`;
    state.neo4j.uri = endpoint.uri;
    await db.applySchema();
    const [{ empty }] = await db.read<{ empty: boolean }>('database-is-empty');
    if (empty && settings.loadDemoData) {
      state.notReady = 'loading demo data';
      log.info('The database is empty: loading the bundled demo data (LOAD_DEMO_DATA=0 to skip)');
      for (const load of DEMO_LOADS) {
        const { summary } = await ingest(db, {
          ...load,
          batchSize: settings.ingestBatchSize,
          txTimeoutMs: settings.ingestTxTimeoutMs,
          maxRecordBytes: settings.ingestMaxRecordBytes,
          maxValueBytes: settings.ingestMaxValueBytes,
        });
        log.info(formatSummary(summary));
      }
    }
    state.db = db;
    warmSearchIndex(db); // search's name index, built in the background (full-text search answers meanwhile)
    state.notReady = null;
    supervisor = new Neo4jSupervisor(settings, endpoint, {
      down: (reason) => {
        state.notReady = reason;
      },
      up: async (back) => {
        // The same DATA_DIR and port give the same URI: the driver reconnects. Another one needs a new driver.
        const current = state.db!;
        const next = back.uri === current.endpoint.uri ? current : new Database(back, settings.queryTimeoutMs);
        try {
          await next.verify();
        } catch (err) {
          if (next !== current) await next.close().catch(() => undefined);
          throw err;
        }
        if (next !== current) {
          state.db = next;
          state.neo4j.uri = back.uri;
          await current.close().catch(() => undefined);
        }
        state.notReady = null;
      },
    });
    log.info(`Ready: http://${settings.host}:${settings.port}/`);
  } catch (err) {
    log.error(err instanceof AppError || err instanceof SettingsError ? err.message : String((err as Error).stack ?? err));
    await shutdown('start-up failure', 1);
  }
}

main().catch((err) => {
  log.error(err instanceof SettingsError ? err.message : String((err as Error).stack ?? err));
  process.exit(1);
});
