/**
 * How the API reports an error, on both of its paths (GraphQL in graphql.ts, plain HTTP in app.ts):
 * our errors carry their status; anything else is a fault of the server (500). Server faults (status
 * > 499) are logged with their stack; client faults are answered, not logged.
 */
import { AppError } from '../core/errors';
import { log } from '../core/logger';

/** The HTTP status an error answers with: its own for ours, else `fallback` (a fault of ours: 500). */
export function statusOf(err: unknown, fallback = 500): number {
  return err instanceof AppError ? err.status : fallback;
}

/** Logs a server fault (status > 499) with its stack; `via` says which path it came through. */
export function logServerFault(via: 'HTTP' | 'GraphQL', status: number, err: unknown): void {
  if (status > 499) log.error(`${via} ${status}: ${(err as Error).stack ?? err}`);
}
