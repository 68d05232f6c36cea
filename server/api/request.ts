/**
 * What the resolvers of one GraphQL request share, kept beside its context (one per request):
 *
 * - one deadline (REQUEST_TIMEOUT) for all its database reads, whichever root field or field resolver
 *   makes them: each read gets the time left as its transaction timeout, none starts after it, and the
 *   request then ends in TIMEOUT (HTTP 504);
 * - its loaders (DataLoader), which turn the per-parent reads of field resolvers (SearchHit.entity,
 *   Entity.possibleMatches) into one query per batch of parents.
 *
 * graphql.ts starts the clock when the request arrives (startRequest); a context that never went
 * through it (a resolver called directly) starts it at its first read.
 *
 * A request may also be given an AbortSignal (a bulk screening's row: its client went away): once it
 * fires no read starts, and a read under way is let go at once (its promise rejects with
 * RequestAbortedError). Let go, not stopped: Database.read takes no signal, so Neo4j runs that
 * transaction on until it ends or its timeout (the request's time left) stops it.
 */
import { TimeoutError } from '../core/errors';
import type { RecordShape } from 'neo4j-driver';
import { Database, Params, withDeadline } from '../core/neo4j/database';
import { apiLimits } from '../core/settings';
import { atDate, resolveAsOf } from '../core/as-of';
import { Context, dbOf } from './context';

interface Scope {
  deadline: number;
  timeoutMs: number;
  signal?: AbortSignal;
  db?: Database;
  loaders: Map<object, unknown>;
}

const scopes = new WeakMap<Context, Scope>();

/** Why a request's read failed: the request was called off (its signal) before the read ended. */
export class RequestAbortedError extends Error {
  constructor() {
    super('the request was called off');
  }
}

/** Starts the request's clock: its reads must all be done within `timeoutMs` from now, and none once `signal` fires. */
export function startRequest(ctx: Context, timeoutMs: number, signal?: AbortSignal): void {
  if (!scopes.has(ctx)) scopes.set(ctx, { deadline: Date.now() + timeoutMs, timeoutMs, signal, loaders: new Map() });
}

/** `work`, unless `signal` fires first: then RequestAbortedError at once (work's own outcome is ignored). */
function untilAborted<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new RequestAbortedError());
  const running = work();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new RequestAbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    running.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** `db` whose reads (and snapshot) give up when `signal` fires. */
function abortable(db: Database, signal: AbortSignal): Database {
  const bounded = Object.create(db) as Database;
  bounded.read = <T extends RecordShape = RecordShape>(name: string, params?: Params, timeoutMs?: number, slots?: Record<string, string | number>) =>
    untilAborted(() => db.read<T>(name, params, timeoutMs, slots), signal);
  bounded.snapshot = () => untilAborted(() => db.snapshot(), signal);
  return bounded;
}

function scopeOf(ctx: Context): Scope {
  if (!scopes.has(ctx)) startRequest(ctx, apiLimits().requestTimeoutMs);
  return scopes.get(ctx)!;
}

/** The database as this request reads it: every read within the request's deadline. */
export function requestDb(ctx: Context): Database {
  const scope = scopeOf(ctx);
  if (!scope.db) {
    const bounded = withDeadline(
      dbOf(ctx),
      scope.deadline,
      () => new TimeoutError(`The request took longer than its time limit (REQUEST_TIMEOUT, ${scope.timeoutMs / 1000} s) and was stopped; ask for less at once`),
    );
    scope.db = scope.signal ? abortable(bounded, scope.signal) : bounded;
  }
  return scope.db;
}

/**
 * A per-request value made on first use from the request's database, e.g. a DataLoader:
 * `const loader = perRequest((db) => new DataLoader(...))`, then `loader(ctx).load(id)`.
 */
export function perRequest<T>(make: (db: Database) => T): (ctx: Context) => T {
  const key = {};
  return (ctx) => {
    const scope = scopeOf(ctx);
    if (!scope.loaders.has(key)) scope.loaders.set(key, make(requestDb(ctx)));
    return scope.loaders.get(key) as T;
  };
}

/**
 * The context a root field with `asOf` runs in (graphql.ts): the request's deadline and signal, its
 * database read as of that date (server/core/as-of.ts), and loaders of its own (an entity as of a date
 * is not today's). The request's own context when the date sees every load (today's reads, unchanged).
 */
export async function asOfContext(ctx: Context, asOf: string): Promise<Context> {
  const db = requestDb(ctx);
  const cut = await resolveAsOf(db, asOf);
  if (!cut) return ctx;
  const scope = scopeOf(ctx);
  const child: Context = { ...ctx };
  scopes.set(child, { ...scope, db: atDate(db, cut), loaders: new Map() });
  return child;
}
