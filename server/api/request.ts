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
 */
import { TimeoutError } from '../core/errors';
import { Database, withDeadline } from '../core/neo4j/database';
import { apiLimits } from '../core/settings';
import { Context, dbOf } from './context';

interface Scope {
  deadline: number;
  timeoutMs: number;
  db?: Database;
  loaders: Map<object, unknown>;
}

const scopes = new WeakMap<Context, Scope>();

/** Starts the request's clock: its reads must all be done within `timeoutMs` from now. */
export function startRequest(ctx: Context, timeoutMs: number): void {
  if (!scopes.has(ctx)) scopes.set(ctx, { deadline: Date.now() + timeoutMs, timeoutMs, loaders: new Map() });
}

function scopeOf(ctx: Context): Scope {
  if (!scopes.has(ctx)) startRequest(ctx, apiLimits().requestTimeoutMs);
  return scopes.get(ctx)!;
}

/** The database as this request reads it: every read within the request's deadline. */
export function requestDb(ctx: Context): Database {
  const scope = scopeOf(ctx);
  scope.db ??= withDeadline(
    dbOf(ctx),
    scope.deadline,
    () => new TimeoutError(`The request took longer than its time limit (REQUEST_TIMEOUT, ${scope.timeoutMs / 1000} s) and was stopped; ask for less at once`),
  );
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
