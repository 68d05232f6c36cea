/**
 * The HTTP process: /healthz, the GraphQL API at /graphql; the explorer mounts here next.
 */
import express, { Express, NextFunction, Request, Response } from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServer } from '@apollo/server';
import type { Context } from './graphql';
import { CONTENT_TYPES, EXPORT_FORMATS, ExportFormat, serialize } from './export';
import { datasets, neighborhood } from './queries';
import { AppError, BadInputError, ServiceUnavailableError } from './errors';
import { Database } from './neo4j/database';
import { log } from './logger';

export interface AppState {
  /** Why the app is not ready yet (starting Neo4j, loading demo data), or null when ready. */
  notReady: string | null;
  db: Database | null;
  neo4j: { uri: string; embedded: boolean; version: string | null };
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
      const loaded = (await datasets(state.db, 5000)).map((d) => ({ name: d.name, release: d.release, entities: d.entityCount, loadedAt: d.loadedAt }));
      res.json({ status: 'ok', neo4j: { ...neo4j, connected: true }, datasets: loaded });
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'INTERNAL_SERVER_ERROR';
      res.status(503).json({ status: 'unavailable', reason: code, neo4j: { ...neo4j, connected: false } });
    }
  });

  // Subgraph download: the same selection and limits as the neighborhood query.
  app.get('/api/export', async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (!state.db || state.notReady) throw new ServiceUnavailableError('The database is starting or unreachable; retry shortly');
      const q: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.query)) {
        if (typeof v !== 'string') throw new BadInputError(`${k} must be given once, as plain text`);
        q[k] = v;
      }
      const format = (q.format ?? 'graphml') as ExportFormat;
      if (!EXPORT_FORMATS.includes(format)) throw new BadInputError(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
      const ids = (q.ids ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const num = (name: string): number | undefined => {
        if (q[name] === undefined) return undefined;
        if (!/^\d+$/.test(q[name]!)) throw new BadInputError(`${name} must be a whole number`);
        return Number(q[name]);
      };
      const relationTypes = q.relationTypes ? q.relationTypes.split(',').map((s) => s.trim()) : undefined;
      const graph = await neighborhood(state.db, { ids, depth: num('depth'), limit: num('limit'), relationTypes });
      const { type, ext } = CONTENT_TYPES[format];
      res.setHeader('content-type', type);
      const stem = (ids[0] ?? 'subgraph').replace(/[^\w.-]+/g, '_').slice(0, 80);
      res.setHeader('content-disposition', `attachment; filename="sanctions-graph-${stem}.${ext}"`);
      if (graph.truncated) res.setHeader('x-truncated', 'true');
      res.send(Buffer.from(serialize(graph, format)));
    } catch (err) {
      next(err);
    }
  });

  app.get('/', (_req, res) => {
    res.type('text/plain').send('sanctions-graph is running. GraphQL API: POST /graphql; health: GET /healthz\n');
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // express.json() errors carry their own 4xx status (malformed JSON 400, too large 413).
    const parserStatus = (err as { status?: number; expose?: boolean }).expose ? (err as { status: number }).status : undefined;
    const status = err instanceof AppError ? err.status : parserStatus ?? 500;
    if (status > 499) log.error(`HTTP ${status}: ${(err as Error).stack ?? err}`);
    const code = err instanceof AppError ? err.code : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    const message = err instanceof AppError || status < 500 ? (err as Error).message : 'Internal error; it has been logged';
    res.status(status).json({ error: { code, message } });
  });
  return app;
}
