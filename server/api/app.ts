/**
 * The HTTP process: the explorer (client/dist) at /, the GraphQL API at /graphql (and its offline IDE
 * for browsers), subgraph export at /api/export, /healthz.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Express, NextFunction, Request, Response } from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServer } from '@apollo/server';
import type { Context } from './graphql';
import { CONTENT_TYPES, EXPORT_FORMATS, ExportFormat, serialize } from './export';
import { logServerFault, statusOf } from './errors';
import { neighborhood, subgraph } from './graph';
import { datasets } from './releases';
import { AppError, BadInputError, ServiceUnavailableError } from '../core/errors';
import { Database } from '../core/neo4j/database';
import { REPO_ROOT } from '../core/settings';

const CLIENT_DIST = path.join(REPO_ROOT, 'client', 'dist');

export interface AppState {
  /** Why the app is not ready yet (starting Neo4j, loading demo data), or null when ready. */
  notReady: string | null;
  db: Database | null;
  neo4j: { uri: string; embedded: boolean; version: string | null };
  /** REVIEW_API_KEY: enables the reviewMatch mutation for callers that send it; null = off. */
  reviewApiKey?: string | null;
}

export function createApp(state: AppState, graphql?: ApolloServer<Context>): Express {
  const app = express();
  app.disable('x-powered-by');
  // A browser opening /graphql gets the bundled GraphiQL (works offline); programs get the API.
  app.get('/graphql', (req: Request, res: Response, next: NextFunction) => {
    if (req.query.query === undefined && req.accepts(['application/json', 'text/html']) === 'text/html') {
      const page = path.join(CLIENT_DIST, 'graphiql.html');
      if (fs.existsSync(page)) {
        res.sendFile(page);
        return;
      }
    }
    next();
  });
  if (graphql) {
    app.use('/graphql', express.json({ limit: '100kb' }), expressMiddleware(graphql, {
        context: async ({ req }) => ({
          db: state.notReady ? null : state.db,
          reviewApiKey: state.reviewApiKey ?? null,
          requestApiKey: typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : null,
        }),
      }));
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

  // Subgraph download: the same selection and limits as the neighborhood query; depth=0 exports exactly
  // the nodes named (the explorer's canvas). POST with a form body takes the same fields, for selections
  // too long for a URL.
  const exportHandler = async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (!state.db || state.notReady) throw new ServiceUnavailableError('The database is starting or unreachable; retry shortly');
      const q: Record<string, string | undefined> = {};
      const fields = req.method === 'POST' ? ((req.body ?? {}) as Record<string, unknown>) : req.query;
      for (const [k, v] of Object.entries(fields)) {
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
      const depth = num('depth');
      if (ids.length === 0) throw new BadInputError('ids must name at least one entity, e.g. ids=ofac-43379');
      const graph =
        depth === 0
          ? await subgraph(state.db, { ids, relationTypes })
          : await neighborhood(state.db, { ids, depth, limit: num('limit'), relationTypes });
      const { type, ext } = CONTENT_TYPES[format];
      res.setHeader('content-type', type);
      const stem = (ids[0] ?? 'subgraph').replace(/[^\w.-]+/g, '_').slice(0, 80);
      res.setHeader('content-disposition', `attachment; filename="sanctions-graph-${stem}.${ext}"`);
      if (graph.truncated) res.setHeader('x-truncated', 'true');
      res.send(Buffer.from(serialize(graph, format)));
    } catch (err) {
      next(err);
    }
  };
  app.get('/api/export', exportHandler);
  app.post('/api/export', express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 20 }), exportHandler);

  // The explorer: hashed assets are immutable; the pages are revalidated so a rebuild shows at once.
  app.use(
    express.static(CLIENT_DIST, {
      index: 'index.html',
      setHeaders: (res, file) => res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    }),
  );
  app.get('/', (_req, res) => {
    res
      .status(503)
      .type('text/plain')
      .send('sanctions-graph is running, but the explorer is not built: run `npm run build` (npm start does it by itself). GraphQL API: POST /graphql; health: GET /healthz\n');
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // express.json() errors carry their own 4xx status (malformed JSON 400, too large 413).
    const parserStatus = (err as { status?: number; expose?: boolean }).expose ? (err as { status: number }).status : undefined;
    const status = statusOf(err, parserStatus);
    logServerFault('HTTP', status, err);
    const code = err instanceof AppError ? err.code : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    const message = err instanceof AppError || status < 500 ? (err as Error).message : 'Internal error; it has been logged';
    res.status(status).json({ error: { code, message } });
  });
  return app;
}
