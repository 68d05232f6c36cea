/**
 * What every resolver gets: the database (null while Neo4j is starting or unreachable) and the review
 * keys. Built per request by app.ts.
 */
import { ServiceUnavailableError } from '../core/errors';
import { Database } from '../core/neo4j/database';

export interface Context {
  db: Database | null;
  /** The review API key of the settings (null: reviewing is switched off) and the one the request sent. */
  reviewApiKey?: string | null;
  requestApiKey?: string | null;
}

/** The database, or the error that says it is not there yet. */
export function dbOf(ctx: Context): Database {
  if (!ctx.db) throw new ServiceUnavailableError('The database is starting or unreachable; retry shortly');
  return ctx.db;
}
