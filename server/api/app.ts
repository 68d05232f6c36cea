/**
 * The HTTP process: the explorer (client/dist) at /, the GraphQL API at /graphql (and its offline IDE
 * for browsers), subgraph export at /api/export, screening as plain JSON at /api/screen and of a whole
 * file at /api/screen/bulk, the case report of a saved investigation at
 * /api/investigations/:id/report.html (.pdf), /healthz.
 *
 * Every request passes the security headers and the Host allow-list (security.ts). The API's requests
 * (/graphql, /api/export, /api/screen, /api/screen/bulk, /api/investigations) then pass, in order: CORS for configured origins, who is calling (auth.ts: an
 * API key, else anonymous where anonymous reads are allowed), the per-client rate limit and the bound on
 * concurrent database work (admission.ts), and, when switched on, the audit of reads (audit.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Express, NextFunction, Request, Response } from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServer } from '@apollo/server';
import { GraphQLError, parse } from 'graphql';
import type { Context } from './graphql';
import { buildExport, CONTENT_TYPES, ExportRequest, exportFileName, parseExportRequest } from './export';
import { caseReport } from './report';
import { logServerFault, statusOf } from './errors';
import { loopDelay, startLoopDelayMonitor } from './event-loop';
import { datasets } from './releases';
import { Admission, RateLimit } from './admission';
import { AuditLog, truncatedJson } from './audit';
import { authenticate, Caller, KeyStore, loadApiKeys, watchApiKeys } from './auth';
import { apiSchema, checkCost, limitsOf } from './graphql';
import { checkedQuery, precheckGraphQL } from './precheck';
import { SCREEN_OPERATION, screenRequestOf } from './screen';
import { BULK_ROW_OPERATION, bulkErrorLine, BulkLine, bulkOutputFormatOf, bulkParamsOf, BulkOutputFormat, BulkParams, bulkServeSettings, BulkUploadLimits, screenBulk, serialiseBulkLine, spoolBulkUpload } from './screen-bulk';
import { cors, hostAllowList, isLoopbackHost, refuseBatches, sameOriginOnly, securityHeaders } from './security';
import { AppError, BadInputError, BusyError, RateLimitedError, ServiceUnavailableError, TimeoutError, UnauthenticatedError } from '../core/errors';
import { log } from '../core/logger';
import { Database, withDeadline } from '../core/neo4j/database';
import { AccessSettings, accessSettings, apiLimits, ingestSpoolDir, REPO_ROOT, screenBulkSettings } from '../core/settings';
import { BulkFormat, countBulkRows, openBulkInput } from '../core/screening/bulk-input';

const CLIENT_DIST = path.join(REPO_ROOT, 'client', 'dist');

/** The HTTP status of POST /api/screen for the error codes its GraphQL run can end in (else 500). */
const SCREEN_ERROR_STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  QUERY_TOO_COSTLY: 400,
  TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
  BUSY: 503,
};

/** How long /healthz waits for Neo4j before it answers 503. */
const HEALTHZ_TIMEOUT_MS = 3000;

export interface AppState {
  /** Why the app is not ready yet (starting Neo4j, loading demo data), or null when ready. */
  notReady: string | null;
  db: Database | null;
  neo4j: { uri: string; embedded: boolean; version: string | null };
  /** REVIEW_API_KEY: one key of the reviewer role (owner "review key"); null = none. */
  reviewApiKey?: string | null;
  /**
   * This process's identity as spool folders name their owner (ingest/spool.ts ownerTag), put in the
   * names of bulk screening uploads so that a server started after this one was killed can tell that
   * they are left-overs (server/main.ts); without it they are named bulk-upload-XXXXXX.
   */
  spoolOwner?: string;
}

/** Whether reads without a key are allowed: ALLOW_ANONYMOUS_READS, else only on a loopback HOST. */
export function anonymousReads(access: AccessSettings): boolean {
  return access.allowAnonymousReads ?? isLoopbackHost(access.host);
}

/** Says at start who may do what, so an operator sees the mode the server is in. */
function logAccessMode(access: AccessSettings, keys: KeyStore, reviewApiKey: string | null | undefined): void {
  const keyCount = `${keys.size} API key${keys.size === 1 ? '' : 's'}${reviewApiKey ? ' and REVIEW_API_KEY' : ''}`;
  if (anonymousReads(access)) {
    const why = access.allowAnonymousReads === undefined ? `HOST ${access.host} is a loopback address` : 'ALLOW_ANONYMOUS_READS=1';
    const say = access.allowAnonymousReads && !isLoopbackHost(access.host) ? log.warn : log.info;
    say(`Access: anyone who reaches the server may read without a key (${why}); reviewing needs a key (${keyCount})`);
  } else {
    log.info(`Access: reads need an API key (HOST ${access.host} is not a loopback address; ALLOW_ANONYMOUS_READS=1 allows anonymous reads); ${keyCount}`);
    if (keys.size === 0) log.warn('No API keys are configured (API_KEYS_FILE, API_KEYS): every read will be refused');
  }
  if (!isLoopbackHost(access.host)) {
    log.info(`Answering for the host names ${access.allowedHosts.join(', ')} only (ALLOWED_HOSTS); others get 421`);
  }
}

/**
 * The app. `access` (keys, limits, hosts, audit) defaults to the settings of the environment, which is
 * what `npm start` runs with; tests pass their own.
 */
export function createApp(state: AppState, graphql?: ApolloServer<Context>, access: AccessSettings = accessSettings()): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', access.trustProxy);
  const keys = new KeyStore(loadApiKeys(access));
  // Revoking or adding a key in API_KEYS_FILE takes effect within seconds, without a restart.
  const keysWatch = watchApiKeys(keys, access);
  const rateLimit = new RateLimit(access.rateLimitPerMinute);
  const admission = new Admission(access.maxConcurrentQueries, access.queryQueueLength, access.queryQueueWaitMs);
  const audit = new AuditLog(access.auditDir, access.auditReads);
  const allowAnonymous = anonymousReads(access);
  app.locals.audit = audit;
  app.locals.admission = admission;
  app.locals.keys = keys;
  /** Stops what the app runs beside requests (the watch of API_KEYS_FILE); for tests and shutdown. */
  app.locals.stop = () => keysWatch.close();
  logAccessMode(access, keys, state.reviewApiKey);

  app.use(securityHeaders());
  app.use(hostAllowList(access.allowedHosts));
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

  // The API's requests: who is calling and the rate limit first (cheap, per client); then what can be
  // refused without the database (the body, the document, its cost; the export's fields); only then the
  // bound on concurrent work, so that a request refused anyway never holds or waits for a slot.
  const callerOf = (res: Response): Caller => res.locals.caller as Caller;
  const identify = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const principal = authenticate(req, keys, state.reviewApiKey);
      if (!principal && !allowAnonymous) {
        throw new UnauthenticatedError('This server needs an API key for reads: send it in x-api-key or Authorization: Bearer (its operator issues keys)');
      }
      const caller: Caller = { principal, address: req.ip ?? req.socket.remoteAddress ?? 'unknown' };
      res.locals.caller = caller;
      await rateLimit.take(principal ? `key:${principal.owner}` : `address:${caller.address}`);
      next();
    } catch (err) {
      next(err);
    }
  };
  const admit = async (_req: Request, res: Response, next: NextFunction) => {
    try {
      const ticket = admission.enter();
      res.once('close', ticket.leave);
      await ticket.ready;
      next();
    } catch (err) {
      next(err);
    }
  };
  const api = ['/graphql', '/api/export', '/api/screen', '/api/investigations'];
  // A form of another site posted to the export (CSRF-style load); refused before any work.
  app.post('/api/export', sameOriginOnly(access.corsOrigins));
  // Likewise a bulk screening: a page of another site could post any text to it and hold a slot for long.
  app.post('/api/screen/bulk', sameOriginOnly(access.corsOrigins));
  app.use(api, cors(access.corsOrigins), identify);

  if (graphql) {
    app.use(
      '/graphql',
      express.json({ limit: '100kb' }),
      refuseBatches,
      (req: Request, res: Response, next: NextFunction) => {
        const op = (req.method === 'POST' ? req.body : req.query) as { operationName?: unknown; query?: unknown; variables?: unknown } | undefined;
        const query = typeof op?.query === 'string' ? op.query.replace(/\s+/g, ' ').trim() : '';
        const named = /^(?:query|mutation)\s+([_A-Za-z]\w*)/.exec(query)?.[1];
        audit.record(callerOf(res), {
          event: 'read',
          operation: typeof op?.operationName === 'string' ? op.operationName : named ?? query.slice(0, 120),
          variables: truncatedJson(op?.variables),
        });
        next();
      },
      precheckGraphQL(limitsOf(graphql)),
      admit,
      expressMiddleware(graphql, {
        context: async ({ res }) => ({ db: state.notReady ? null : state.db, caller: callerOf(res), audit, costChecked: checkedQuery(res) }),
      }),
    );
  }

  // Answered to anyone (probes send no key): what is loaded, from the counts each load stores (no scan of
  // the parties), and whether Neo4j answers; never where Neo4j is (its URI names hosts and users). An
  // admin key adds what an operator needs to see how the server is doing: where Neo4j is, the admission
  // load and limits, and the API keys in force.
  startLoopDelayMonitor();
  app.get('/healthz', async (req: Request, res: Response, next: NextFunction) => {
    let adminView: Record<string, unknown> | undefined;
    try {
      const principal = authenticate(req, keys, state.reviewApiKey);
      if (principal?.role === 'admin') {
        adminView = {
          neo4jUri: state.neo4j.uri,
          admission: { ...admission.load, maxConcurrentQueries: access.maxConcurrentQueries, queryQueue: access.queryQueueLength, queryQueueWaitS: access.queryQueueWaitMs / 1000 },
          rateLimitPerMinute: access.rateLimitPerMinute,
          anonymousReads: allowAnonymous,
          apiKeys: { count: keys.size, file: access.apiKeysFile ?? null, readAt: keys.readAt.toISOString() },
        };
      }
    } catch (err) {
      next(err);
      return;
    }
    const admin = adminView ? { admin: adminView } : {};
    const neo4j = { embedded: state.neo4j.embedded, version: state.neo4j.version };
    if (state.notReady || !state.db) {
      res.status(503).json({ status: 'starting', reason: state.notReady, neo4j: { ...neo4j, connected: false }, ...admin });
      return;
    }
    try {
      // Answered within HEALTHZ_TIMEOUT_MS whatever Neo4j does: a read of a server that just died can wait
      // for the driver's connection timeout (30 s), and a probe must learn at once that it is unavailable.
      const rows = await Promise.race([
        datasets(state.db, HEALTHZ_TIMEOUT_MS),
        new Promise<never>((_, reject) => setTimeout(() => reject(new TimeoutError('Neo4j did not answer in time')), HEALTHZ_TIMEOUT_MS).unref()),
      ]);
      const loaded = rows.map((d) => ({ name: d.name, release: d.release, entities: d.entityCount, loadedAt: d.loadedAt }));
      res.json({ status: 'ok', neo4j: { ...neo4j, connected: true }, datasets: loaded, eventLoopDelay: loopDelay(), ...admin });
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'INTERNAL_SERVER_ERROR';
      res.status(503).json({ status: 'unavailable', reason: code, neo4j: { ...neo4j, connected: false }, ...admin });
    }
  });

  // Subgraph download: the same selection and limits as the neighborhood query; depth=0 exports exactly
  // the nodes named (the explorer's canvas). POST with a form body takes the same fields, for selections
  // too long for a URL. Its fields are checked (parseExportRequest) before it is admitted.
  const checkExport = (req: Request, res: Response, next: NextFunction) => {
    try {
      const fields = (req.method === 'POST' ? req.body ?? {} : req.query) as Record<string, unknown>;
      audit.record(callerOf(res), { event: 'export', variables: truncatedJson(fields) });
      res.locals.export = parseExportRequest(fields);
      next();
    } catch (err) {
      next(err);
    }
  };
  const runExport = async (_req: Request, res: Response, next: NextFunction) => {
    try {
      const request = res.locals.export as ExportRequest;
      if (!state.db || state.notReady) throw new ServiceUnavailableError('The database is starting or unreachable; retry shortly');
      // One deadline for the whole export, as for a GraphQL request: its several reads share it.
      const { requestTimeoutMs } = graphql ? limitsOf(graphql) : apiLimits();
      const at = Date.now() + requestTimeoutMs;
      const timedOut = () => new TimeoutError(`The export took longer than its time limit (REQUEST_TIMEOUT, ${requestTimeoutMs / 1000} s) and was stopped; ask for less at once`);
      const db = withDeadline(state.db, at, timedOut);
      // Writing the file counts too: it pauses between chunks and stops there once past the deadline.
      const { body, truncated } = await buildExport(db, request, { at, timedOut });
      res.setHeader('content-type', CONTENT_TYPES[request.format].type);
      res.setHeader('content-disposition', `attachment; filename="${exportFileName(request)}"`);
      if (truncated) res.setHeader('x-truncated', 'true');
      res.send(Buffer.from(body));
    } catch (err) {
      next(err);
    }
  };
  app.get('/api/export', checkExport, admit, runExport);
  app.post('/api/export', express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 20 }), checkExport, admit, runExport);

  // The case report of a saved investigation (report.ts): read as an export is (key, rate limit, audit,
  // admission, deadline); an unknown id is 404 NOT_FOUND, a PDF without Chromium 501.
  const auditReport = (req: Request, res: Response, next: NextFunction) => {
    audit.record(callerOf(res), { event: 'read', operation: `GET ${req.path}`.slice(0, 200) });
    next();
  };
  const reportTimeout = () => (graphql ? limitsOf(graphql) : apiLimits()).requestTimeoutMs;
  app.get('/api/investigations/:id/report.html', auditReport, admit, caseReport(state, 'html', reportTimeout));
  app.get('/api/investigations/:id/report.pdf', auditReport, admit, caseReport(state, 'pdf', reportTimeout));

  // Screening as plain JSON: the body is a ScreenInput with `first` and `threshold` beside its fields,
  // checked (fields and cost) before it is admitted; it runs as Query.screen with each match's exposure
  // through the GraphQL server in-process, so its limits, deadline and errors are the API's. The answer
  // is the ScreenResult; an error is {error: {code, message}} with the code's HTTP status.
  if (graphql) {
    const checkScreen = (req: Request, res: Response, next: NextFunction) => {
      try {
        audit.record(callerOf(res), { event: 'read', operation: 'POST /api/screen', variables: truncatedJson(req.body) });
        const variables = screenRequestOf(req.body);
        checkCost(apiSchema(), parse(SCREEN_OPERATION), variables, 'Screen', limitsOf(graphql));
        res.locals.screen = variables;
        next();
      } catch (err) {
        next(err instanceof GraphQLError ? new BadInputError(err.message) : err);
      }
    };
    const runScreen = async (_req: Request, res: Response, next: NextFunction) => {
      try {
        const result = await graphql.executeOperation(
          { query: SCREEN_OPERATION, variables: res.locals.screen as Record<string, unknown>, operationName: 'Screen' },
          { contextValue: { db: state.notReady ? null : state.db, caller: callerOf(res), audit, costChecked: SCREEN_OPERATION } },
        );
        if (result.body.kind !== 'single') throw new Error('the screen operation answered incrementally');
        const { data, errors } = result.body.singleResult;
        if (errors?.length) {
          const code = String(errors[0].extensions?.code ?? 'INTERNAL_SERVER_ERROR');
          res.status(SCREEN_ERROR_STATUS[code] ?? 500).json({ error: { code, message: errors[0].message } });
          return;
        }
        res.json((data as { screen: unknown }).screen);
      } catch (err) {
        next(err);
      }
    };
    app.post('/api/screen', express.json({ limit: '100kb' }), checkScreen, admit, runScreen);
  }

  // Bulk screening (screen-bulk.ts): the body is the file (CSV or JSON lines). It is first spooled whole
  // to a private file under INGEST_SPOOL_DIR (at most SCREEN_BULK_UPLOAD_MAX, a client silent for
  // SCREEN_BULK_UPLOAD_IDLE let go), before admission, and screened from there, answered row by row as
  // a stream in the file's order while the run holds one admission slot. Spooled rather than screened
  // as it arrives: a run reading its upload at the pace it screens outlived Node's requestTimeout (300 s
  // to receive a request) on any long file, a browser's fetch(File) does not read the answer before it
  // has sent the body (the two waited on each other once the server stopped reading), a client that
  // stalled its upload held a slot meant for database work, and a refusal before the body was read
  // reset the connection. The parameters are checked first; a file unusable from its start (empty, no
  // name or identifier column, not UTF-8) is refused (400) before anything is answered; what stops it
  // later (too many rows, a quote never closed) is its last line.
  // Bulk runs (spooling included) are bounded apart from the slots: at most SCREEN_BULK_MAX_RUNS at once
  // and one per client, so that bulk files cannot take every slot from single screens and the explorer.
  // A client that goes away (its connection closed) calls its run off at once: no further row is started,
  // the rows under way are let go (request.ts), its admission slot and its bulk run are freed and its
  // upload is removed; the audit says after how many of the file's rows.
  const bulkServe = bulkServeSettings();
  /** The upload limits in force (tests lower them here). */
  app.locals.bulkUploadLimits = bulkServe.upload;
  const bulkRuns = new Map<string, number>();
  /** Upload folders not yet removed, for a server stopping on a signal (removeBulkUploads, server/main.ts). */
  const bulkUploads = new Set<string>();
  const removeUpload = (dir: string): Promise<void> =>
    fs.promises.rm(dir, { recursive: true, force: true }).then(
      () => void bulkUploads.delete(dir),
      (err: Error) => log.warn(`bulk screening: could not remove ${dir}: ${err.message}`),
    );
  /** Removes the uploads of the runs under way (or still spooling): the server is about to exit. */
  app.locals.removeBulkUploads = (): void => {
    for (const dir of bulkUploads) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
        bulkUploads.delete(dir);
      } catch (err) {
        log.warn(`bulk screening: could not remove ${dir}: ${(err as Error).message}`);
      }
    }
  };
  const checkBulk = (req: Request, res: Response, next: NextFunction) => {
    try {
      audit.record(callerOf(res), { event: 'read', operation: 'POST /api/screen/bulk', variables: truncatedJson(req.query) });
      const q = req.query as Record<string, unknown>;
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const inputFormat: BulkFormat | undefined = type === 'text/csv' ? 'csv' : /^application\/(x-)?(nd|jsonl|json-lines|jsonlines)/.test(type) ? 'jsonl' : undefined;
      const params = bulkParamsOf(q);
      // One row's cost, as POST /api/screen checks its request's.
      if (graphql) {
        try {
          checkCost(apiSchema(), parse(BULK_ROW_OPERATION), { input: { name: 'x' }, ...params }, 'BulkRow', limitsOf(graphql));
        } catch (err) {
          throw err instanceof GraphQLError ? new BadInputError(`first=${params.first} with maxHops=${params.maxHops}: ${err.message}`) : err;
        }
      }
      res.locals.bulk = { params, format: bulkOutputFormatOf(q.format), inputFormat };
      const caller = callerOf(res);
      const client = caller?.principal ? `key:${caller.principal.owner}` : `ip:${caller?.address ?? req.ip}`;
      const running = [...bulkRuns.values()].reduce((x, y) => x + y, 0);
      if ((bulkRuns.get(client) ?? 0) >= 1) throw new RateLimitedError('this client already runs a bulk screening; wait for it to end', 30);
      if (running >= bulkServe.maxRuns) throw new BusyError(`${running} bulk screenings are running, the most at once (SCREEN_BULK_MAX_RUNS); retry shortly`, 30);
      bulkRuns.set(client, (bulkRuns.get(client) ?? 0) + 1);
      // Freed as the connection closes: at the run's end, or at once when the client goes away.
      res.once('close', () => {
        const n = (bulkRuns.get(client) ?? 1) - 1;
        if (n > 0) bulkRuns.set(client, n);
        else bulkRuns.delete(client);
      });
      next();
    } catch (err) {
      next(err);
    }
  };
  const spoolBulk = async (req: Request, res: Response, next: NextFunction) => {
    let dir: string | undefined;
    // Listened for before the folder exists: a client gone while it is made must not leave it behind.
    let closed = false;
    res.once('close', () => {
      closed = true;
      if (dir) void removeUpload(dir);
    });
    try {
      const root = ingestSpoolDir();
      await fs.promises.mkdir(root, { recursive: true });
      // mkdtemp makes the folder 0700: the upload is readable by this server's user only.
      dir = await fs.promises.mkdtemp(path.join(root, `bulk-upload-${state.spoolOwner ? `${state.spoolOwner}-` : ''}`));
      bulkUploads.add(dir);
      if (closed) {
        void removeUpload(dir);
        return;
      }
      const file = path.join(dir, 'upload');
      const { bytes, sha256 } = await spoolBulkUpload(req, file, app.locals.bulkUploadLimits as BulkUploadLimits);
      res.locals.bulk.upload = { file, bytes, sha256 };
      next();
    } catch (err) {
      // A client gone during its upload is no server fault: nothing to answer, nothing to log as one.
      if (!req.complete && (req.destroyed || res.destroyed) && !(err instanceof AppError)) {
        log.info(`bulk screening: the client went away during its upload (${(err as Error).message})`);
        return;
      }
      if (err instanceof AppError && !req.complete) {
        // Refused mid-upload (too large, stalled): answered, then the connection closed (the rest unread).
        res.setHeader('connection', 'close');
      }
      if (dir === undefined && !(err instanceof AppError)) log.error(`bulk screening: cannot spool the upload under ${ingestSpoolDir()}: ${(err as Error).message}`);
      next(err);
    }
  };
  // The slot is freed when the connection closes: at the run's end, or at once when the client goes away
  // (the run is called off and lets go of its rows under way: none of them holds it).
  const admitBulk = async (_req: Request, res: Response, next: NextFunction) => {
    if (res.closed) return;
    const ticket = admission.enter();
    res.locals.bulkTicket = ticket;
    res.once('close', ticket.leave);
    try {
      await ticket.ready;
      // A client gone meanwhile, or before (the close may fall between the end of its upload and this
      // step), gets no run: its run would never hear the close that calls it off.
      if (res.closed) {
        ticket.leave();
        return;
      }
      next();
    } catch (err) {
      next(err);
    }
  };
  const runBulk = async (_req: Request, res: Response, next: NextFunction) => {
    const { params, format, inputFormat, upload } = res.locals.bulk as { params: BulkParams; format: BulkOutputFormat; inputFormat: BulkFormat | undefined; upload: { file: string; bytes: number; sha256: string } };
    const ticket = res.locals.bulkTicket as { leave(): void };
    const stop = new AbortController();
    // Whether the run has answered to its end (or failed before answering): a close after that is no call-off.
    let over = false;
    res.once('close', () => {
      if (!over) stop.abort();
    });
    // Held open from the start, so that a run called off can still count the file's rows for the audit
    // once its folder is removed (at the close).
    let forCount: fs.promises.FileHandle | undefined;
    let run: AsyncGenerator<BulkLine> | undefined;
    const counts = { rows: 0, screened: 0, matched: 0, errors: 0, fatal: null as string | null };
    /** Rows whose results were written to the client (its "N of M rows" when it goes away). */
    let answered = 0;
    try {
      try {
        if (!state.db || state.notReady) throw new ServiceUnavailableError('The database is starting or unreachable; retry shortly');
        forCount = await fs.promises.open(upload.file, 'r');
        const input = await openBulkInput(fs.createReadStream(upload.file), { source: 'the upload', format: inputFormat, maxRows: screenBulkSettings().maxRows });
        const { requestTimeoutMs } = graphql ? limitsOf(graphql) : apiLimits();
        run = screenBulk(input, { db: state.db, params, requestTimeoutMs, concurrency: screenBulkSettings().concurrency, caller: callerOf(res), audit, signal: stop.signal });
        // The start line reads what is loaded: a database gone now is still an HTTP error, not a line.
        const first = await run.next();
        res.status(200);
        res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
        res.setHeader('cache-control', 'no-store');
        if (format === 'csv') res.setHeader('content-disposition', 'attachment; filename="screening.csv"');
        res.flushHeaders();
        if (!first.done) res.write(serialiseBulkLine(first.value, format));
      } catch (err) {
        over = true;
        await run?.return(undefined);
        next(err);
        return;
      }
      try {
        for await (const line of run) {
          if (line.type === 'end') Object.assign(counts, { rows: line.rows, screened: line.screened, matched: line.matched, errors: line.errors });
          if (line.type === 'error' && line.fatal) counts.fatal = line.error;
          if (stop.signal.aborted) break;
          if (line.type === 'row' || (line.type === 'error' && !line.fatal)) answered++;
          // Backpressure: the next rows are screened only once the client has taken these.
          if (!res.write(serialiseBulkLine(line, format)) && !stop.signal.aborted) {
            await new Promise<void>((resolve) => {
              const done = () => {
                res.off('drain', done);
                stop.signal.removeEventListener('abort', done);
                resolve();
              };
              res.on('drain', done);
              stop.signal.addEventListener('abort', done);
            });
          }
        }
      } catch (err) {
        logServerFault('HTTP', 500, err);
        if (!stop.signal.aborted) res.write(serialiseBulkLine(bulkErrorLine(null, null, 'the run stopped: internal error (logged)', true), format));
      }
      if (!stop.signal.aborted) over = true;
      res.end();
    } finally {
      ticket.leave();
      let stopped: string | undefined;
      if (stop.signal.aborted) {
        const of = forCount ? await countBulkRows(forCount.createReadStream(), { source: 'the upload', format: inputFormat, maxRows: screenBulkSettings().maxRows }).catch(() => null) : null;
        stopped = `cancelled by the client after ${answered} of ${of ?? 'an unknown number of'} rows`;
        log.info(`bulk screening: ${stopped}`);
      } else await forCount?.close().catch(() => undefined);
      audit.record(callerOf(res), {
        event: 'read',
        operation: 'POST /api/screen/bulk (end)',
        sha256: upload.sha256,
        bytes: upload.bytes,
        ...(stopped ? { stopped } : {}),
        ...counts,
      });
    }
  };
  app.post('/api/screen/bulk', checkBulk, spoolBulk, admitBulk, runBulk);

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

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // express.json() errors carry their own 4xx status (malformed JSON 400, too large 413).
    const parserStatus = (err as { status?: number; expose?: boolean }).expose ? (err as { status: number }).status : undefined;
    const status = statusOf(err, parserStatus);
    // Shedding load is not a fault: a flood of stack traces would only add to the load.
    if (err instanceof BusyError) log.debug(`HTTP 503 ${req.method} ${req.path}: ${err.message}`);
    else logServerFault('HTTP', status, err);
    const code = err instanceof AppError ? err.code : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    const message = err instanceof AppError || status < 500 ? (err as Error).message : 'Internal error; it has been logged';
    if (err instanceof RateLimitedError || err instanceof BusyError) res.setHeader('retry-after', String(err.retryAfterS));
    // GraphQL clients (the explorer among them) read errors in the GraphQL shape.
    if (req.originalUrl.startsWith('/graphql') || req.path === '/api/screen/bulk') res.status(status).json({ errors: [{ message, extensions: { code } }] });
    else res.status(status).json({ error: { code, message } });
  });
  return app;
}
