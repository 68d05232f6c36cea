/**
 * What every resolver gets: the database (null while Neo4j is starting or unreachable), who is calling
 * (auth.ts: the API key's owner and role, or anonymous, and the address) and the audit log. Built per
 * request by app.ts.
 */
import { ServiceUnavailableError } from '../core/errors';
import { Database } from '../core/neo4j/database';
import type { AuditLog } from './audit';
import type { Caller } from './auth';

export interface Context {
  db: Database | null;
  /** Who sent the request; undefined outside HTTP (in-process calls), which counts as anonymous. */
  caller?: Caller;
  audit?: AuditLog;
  /** The query text whose cost was counted before the request was admitted (precheck.ts); not counted again. */
  costChecked?: string;
}

/** The database, or the error that says it is not there yet. */
export function dbOf(ctx: Context): Database {
  if (!ctx.db) throw new ServiceUnavailableError('The database is starting or unreachable; retry shortly');
  return ctx.db;
}
