/**
 * `npm start`: starts (or attaches to) Neo4j, applies the schema, loads the demo data into an empty
 * database, and serves HTTP on PORT. /healthz answers 503 until all of that is done.
 */
import http from 'node:http';
import { loadSettings, SettingsError } from './core/settings';
import { connectNeo4j, Neo4jEndpoint } from './core/neo4j/embedded';
import { Database } from './core/neo4j/database';
import { AppError } from './core/errors';
import { createApp, AppState } from './api/app';
import { createGraphQLServer } from './api/graphql';
import { log, setLogLevel } from './core/logger';
import { DEMO_LOADS } from '../ingest/demo';
import { ingest } from '../ingest/ingest';
import { formatSummary } from '../ingest/summary';

async function main(): Promise<void> {
  const settings = loadSettings();
  setLogLevel(settings.logLevel);
  const state: AppState = {
    notReady: 'starting Neo4j',
    db: null,
    neo4j: { uri: settings.neo4jUri ?? `bolt://127.0.0.1:${settings.boltPort}`, embedded: !settings.neo4jUri, version: null },
    reviewApiKey: settings.reviewApiKey,
  };
  const graphql = createGraphQLServer();
  await graphql.start();
  const server = http.createServer(createApp(state, graphql));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new SettingsError(`Port ${settings.port} on ${settings.host} is in use; set PORT to a free port`) : err),
    );
    server.listen(settings.port, settings.host, resolve);
  });
  log.info(`Listening on http://${settings.host}:${settings.port} (health: /healthz)`);

  let endpoint: Neo4jEndpoint | undefined;
  let shuttingDown = false;
  const shutdown = async (sig: string, code = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info(`${sig}: shutting down`);
    server.close();
    server.closeAllConnections();
    await state.db?.close().catch(() => undefined);
    await endpoint?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

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
        const { summary } = await ingest(db, { ...load, batchSize: settings.ingestBatchSize, txTimeoutMs: settings.ingestTxTimeoutMs });
        log.info(formatSummary(summary));
      }
    }
    state.db = db;
    state.notReady = null;
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
