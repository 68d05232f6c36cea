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

/** A query or load ran past its time limit and was stopped (rolled back). */
export class TimeoutError extends AppError {
  override readonly code = 'TIMEOUT';
  override readonly status = 504;
}

/** The caller may not do this (e.g. review a match without the API key). */
export class ForbiddenError extends AppError {
  override readonly code = 'FORBIDDEN';
  override readonly status = 403;
}

/** The request carries no API key where one is needed, or one this server does not know. */
export class UnauthenticatedError extends AppError {
  override readonly code = 'UNAUTHENTICATED';
  override readonly status = 401;
}

/** This client sent more requests than its share (RATE_LIMIT); it may retry after `retryAfterS`. */
export class RateLimitedError extends AppError {
  override readonly code = 'RATE_LIMITED';
  override readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super(message);
  }
}

/** The server is at its bound of concurrent database work (MAX_CONCURRENT_QUERIES); retry after `retryAfterS`. */
export class BusyError extends AppError {
  override readonly code = 'BUSY';
  override readonly status = 503;
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super(message);
  }
}

/** The request names a host this server does not answer for (ALLOWED_HOSTS; DNS rebinding). */
export class HostNotAllowedError extends AppError {
  override readonly code = 'HOST_NOT_ALLOWED';
  override readonly status = 421;
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

/**
 * A download of `ingest --fetch` failed: the publisher's server could not be reached, answered with an
 * HTTP error, or the transfer broke off. Names the URL; `offline` when the host could not even be
 * resolved or reached (no internet), so the CLI can suggest loading files from disk instead.
 */
export class DownloadError extends AppError {
  override readonly code = 'DOWNLOAD_FAILED';
  override readonly status = 502;
  constructor(
    readonly url: string,
    readonly reason: string,
    readonly transient: boolean,
    readonly offline = false,
  ) {
    super(`${url}: ${reason}`);
  }
}

/**
 * A query or load needed more memory than Neo4j allows one transaction (db.memory.transaction.max,
 * NEO4J_TX_MEMORY) or all transactions together; it was stopped and rolled back.
 */
export class MemoryLimitError extends AppError {
  override readonly code = 'MEMORY_LIMIT';
  override readonly status = 503;
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

/**
 * Neo4j's memory guards. MemoryPoolOutOfMemoryError is what 5.26 reports both for one transaction over
 * db.memory.transaction.max and for all of them over dbms.memory.transaction.total.max (only its message
 * text tells which); the others are its older or off-heap variants and the heap itself.
 */
const MEMORY_CODES = new Set([
  'Neo.TransientError.General.MemoryPoolOutOfMemoryError',
  'Neo.TransientError.General.TransactionMemoryLimit',
  'Neo.TransientError.General.TransactionOutOfMemoryError',
  'Neo.TransientError.General.OutOfMemoryError',
]);

/** Maps a neo4j-driver error to one of ours by its code; unknown errors pass through unchanged. */
export function translateDriverError(err: unknown): unknown {
  const code = (err as { code?: string } | null)?.code;
  if (code && UNAVAILABLE_CODES.has(code)) {
    return new ServiceUnavailableError(`Neo4j is not available (${code})`, { cause: err });
  }
  if (code && MEMORY_CODES.has(code)) {
    return new MemoryLimitError(
      'The query or load needed more memory than Neo4j allows one transaction (NEO4J_TX_MEMORY for the embedded Neo4j, ' +
        'db.memory.transaction.max on a server of your own) or has free for all of them together, and was rolled back: ' +
        'nothing of it was kept. Narrow it down or load the data in smaller parts; if a small query gets this, retry shortly',
      { cause: err },
    );
  }
  if (code === 'Neo.ClientError.Transaction.TransactionTimedOut' || code === 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration') {
    return new TimeoutError('The query took too long and was stopped (QUERY_TIMEOUT); narrow it down', { cause: err });
  }
  return err;
}
