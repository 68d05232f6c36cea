/**
 * One home for error kinds. Each carries a stable `code` (used as GraphQL `extensions.code` and as the
 * CLI's exit reason) and the HTTP status it maps to. Driver errors are translated here by their Neo4j
 * error code, never by message text.
 */
export class AppError extends Error {
  readonly code: string = 'INTERNAL_SERVER_ERROR';
  readonly status: number = 500;
}

/** The caller asked for something invalid; the message says what to fix. */
export class BadInputError extends AppError {
  override readonly code = 'BAD_USER_INPUT';
  override readonly status = 400;
}

/** Neo4j is not reachable (yet); retry later. */
export class ServiceUnavailableError extends AppError {
  override readonly code = 'SERVICE_UNAVAILABLE';
  override readonly status = 503;
}

/** A load was refused before anything was written. */
export class IngestRefusedError extends AppError {
  override readonly code = 'INGEST_REFUSED';
  override readonly status = 422;
}

/** A source file is malformed; carries where. */
export class SourceFormatError extends AppError {
  override readonly code = 'SOURCE_FORMAT';
  override readonly status = 422;
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${reason}`);
  }
}

/** Problems starting or reaching the embedded Neo4j. */
export class Neo4jStartError extends AppError {
  override readonly code = 'NEO4J_START';
  override readonly status = 503;
}

const UNAVAILABLE_CODES = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
  'Neo.ClientError.Database.DatabaseNotFound',
]);

/** Maps a neo4j-driver error to one of ours by its code; unknown errors pass through unchanged. */
export function translateDriverError(err: unknown): unknown {
  const code = (err as { code?: string } | null)?.code;
  if (code && UNAVAILABLE_CODES.has(code)) {
    return new ServiceUnavailableError(`Neo4j is not available (${code})`, { cause: err });
  }
  if (code === 'Neo.ClientError.Transaction.TransactionTimedOut' || code === 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration') {
    return new ServiceUnavailableError('The query took too long and was stopped; narrow it down', { cause: err });
  }
  return err;
}
