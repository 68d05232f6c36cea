/**
 * The HTTP process: /healthz, the GraphQL API at /graphql; the explorer mounts here next.
 */
import express, { Express, NextFunction, Request, Response } from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServer } from '@apollo/server';
import type { Context } from './graphql';
import { AppError } from './errors';
import { Database } from './neo4j/database';
import { log } from './logger';

export interface AppState {
  /** Why the app is not ready yet (starting Neo4j, loading demo data), or null when ready. */
  notReady: string | null;
  db: Database | null;
  neo4j: { uri: string; embedded: boolean; version: string | null };
}

interface DatasetRow {
  name: string;
  release: string;
  entities: number;
  loadedAt: string;
}

export function createApp(state: AppState, graphql?: ApolloServer<Context>): Express {
  const app = express();
  app.disable('x-powered-by');
  if (graphql) {
    app.use('/graphql', express.json({ limit: '100kb' }), expressMiddleware(graphql, { context: async () => ({ db: state.notReady ? null : state.db }) }));
  }

  app.get('/healthz', async (_req: Request, res: Response) => {
    const neo4j = { uri: state.neo4j.uri, embedded: state.neo4j.embedded, version: state.neo4j.version };
    if (state.notReady || !state.db) {
      res.status(503).json({ status: 'starting', reason: state.notReady, neo4j: { ...neo4j, connected: false } });
      return;
    }
    try {
      const datasets = await state.db.read<DatasetRow>('health-datasets', {}, 5000);
      res.json({ status: 'ok', neo4j: { ...neo4j, connected: true }, datasets });
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'INTERNAL_SERVER_ERROR';
      res.status(503).json({ status: 'unavailable', reason: code, neo4j: { ...neo4j, connected: false } });
    }
  });

  app.get('/', (_req, res) => {
    res.type('text/plain').send('sanctions-graph is running. GraphQL API: POST /graphql; health: GET /healthz\n');
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof AppError ? err.status : 500;
    if (status > 499) log.error(`HTTP ${status}: ${(err as Error).stack ?? err}`);
    res.status(status).json({ error: { code: err instanceof AppError ? err.code : 'INTERNAL_SERVER_ERROR', message: (err as Error).message } });
  });
  return app;
}
