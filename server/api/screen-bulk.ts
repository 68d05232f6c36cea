/**
 * Bulk screening (`npm run screen`, POST /api/screen/bulk): the rows of a file (bulk-input.ts) screened
 * as single screens are (screen.ts), each match with its nearest sanctioned party (exposure.ts), and the
 * results written as JSON lines or CSV by this one module, so that the CLI and the API give the same bytes.
 *
 * Bounded whatever the file's length: at most SCREEN_BULK_CONCURRENCY rows are screened at once and
 * their results wait for the earlier ones (file order), and nothing more is read until the writer has
 * taken them (the run is a pull: a slow client slows the reading of its upload). Each row is a request
 * of its own: its own deadline (REQUEST_TIMEOUT) and its own loaders, dropped with it; a row that fails
 * (its deadline, a refused value) is an error row with its reason and the run goes on. The database
 * going away ends the run (a fatal error line): every later row would fail the same way.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { AppError, BadInputError, ServiceUnavailableError, TimeoutError } from '../core/errors';
import { log } from '../core/logger';
import type { Database } from '../core/neo4j/database';
import { BulkFileError, type BulkInput, type BulkRow, type BulkScreenInput } from '../core/screening/bulk-input';
import { nameStatsFor } from '../core/screening/name-stats';
import { searchIndexReady } from '../core/search/live';
import { screenBulkSettings } from '../core/settings';
import { truncatedJson, type AuditLog } from './audit';
import type { Caller } from './auth';
import type { Context } from './context';
import { entityLoader, type EntityParent } from './entity';
import { csvField } from './export-formats';
import { exposureFor } from './exposure';
import { datasets } from './releases';
import { startRequest, requestDb } from './request';
import { FULL_TEXT_NAME_NOTE, screen, SCREEN_THRESHOLD } from './screen';
import { LIMITS } from './validate';

export type BulkOutputFormat = 'csv' | 'jsonl';

export interface BulkParams {
  threshold: number;
  first: number;
  maxHops: number;
}

export const BULK_DEFAULTS: BulkParams = { threshold: SCREEN_THRESHOLD, first: 3, maxHops: 3 };

export const BULK_CSV_COLUMNS = [
  'line', 'ref', 'input_name', 'status', 'rank', 'score', 'match_id', 'match_name', 'match_kind', 'lists', 'programs',
  'listed_on', 'exposure_distance', 'exposure_id', 'exposure_name', 'exposure_path', 'explanation', 'error',
] as const;

export interface BulkExposure {
  distance: number;
  entity: { id: string; name: string; programs: string[] };
  path: {
    nodes: { id: string; kind: string; label: string }[];
    edges: { source: string; target: string; type: string; label: string | null; dataset: string | null; release: string | null; record: string | null }[];
  };
}

export interface BulkMatch {
  rank: number;
  id: string;
  name: string;
  kind: string;
  score: number;
  datasets: string[];
  programs: string[];
  listedOn: string | null;
  explanation: { label: string; value: string }[];
  exposure: BulkExposure | null;
}

export type BulkLine =
  | { type: 'start'; columns: string[]; threshold: number; first: number; maxHops: number; lists: { name: string; release: string | null }[]; input: { format: string; columns: string[]; warnings: string[] } }
  | { type: 'row'; line: number; ref: string | null; input: BulkScreenInput; status: 'match' | 'no_match'; matches: BulkMatch[]; warnings?: string[]; csv: string }
  | { type: 'error'; line: number | null; ref: string | null; error: string; fatal?: true; csv: string }
  | { type: 'end'; rows: number; screened: number; matched: number; errors: number; seconds: number };

/**
 * Reads the parameters (query string or CLI options; strings or numbers), each refused with a message
 * that names it, before any work.
 */
export function bulkParamsOf(raw: Record<string, unknown>): BulkParams {
  const num = (name: string, v: unknown): number | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw new BadInputError(`${name} must be a number; got ${JSON.stringify(v)}`);
    return n;
  };
  const whole = (name: string, v: unknown, lo: number, hi: number, dflt: number): number => {
    const n = num(name, v) ?? dflt;
    if (!Number.isInteger(n) || n < lo || n > hi) throw new BadInputError(`${name} must be a whole number from ${lo} to ${hi}; got ${JSON.stringify(v)}`);
    return n;
  };
  const threshold = num('threshold', raw.threshold) ?? BULK_DEFAULTS.threshold;
  if (threshold < 0 || threshold > 1) throw new BadInputError(`threshold must be a number from 0 to 1; got ${JSON.stringify(raw.threshold)}`);
  return {
    threshold,
    // Each match comes with an exposure search of its own: as many as POST /api/screen allows.
    first: whole('first', raw.first, 1, LIMITS.screenHttpFirst, BULK_DEFAULTS.first),
    maxHops: whole('maxHops', raw.maxHops, 1, LIMITS.maxHops, BULK_DEFAULTS.maxHops),
  };
}

/**
 * What one row of a run reads, written as the GraphQL query it amounts to, so that its cost (first
 * matches, each with an exposure search of maxHops) is checked against MAX_QUERY_COST as POST
 * /api/screen is: first=25 with maxHops=6 on every row of a file is refused before the run.
 */
export const BULK_ROW_OPERATION = `query BulkRow($input: ScreenInput!, $first: Int, $threshold: Float, $maxHops: Int) {
  screen(input: $input, first: $first, threshold: $threshold) {
    matches {
      score
      explanation { label value }
      entity {
        id name kind datasets programs listedOn placeholder
        exposure(maxHops: $maxHops) {
          distance
          entity { id name programs }
          path { nodes { id kind label } edges { source target type label dataset release record } }
        }
      }
    }
  }
}`;

/** The format of the results: given, else from the output file's extension, else jsonl. */
export function bulkOutputFormatOf(given: unknown, fileName?: string): BulkOutputFormat {
  if (given !== undefined && given !== null && given !== '') {
    if (given === 'csv' || given === 'jsonl') return given;
    throw new BadInputError(`format must be csv or jsonl; got ${JSON.stringify(given)}`);
  }
  if (fileName && /\.csv$/i.test(fileName)) return 'csv';
  return 'jsonl';
}

const isSanctioned = (e: EntityParent) => !e.placeholder && e.datasets.length > 0 && e.programs.length > 0;

/** The match itself when it is sanctioned, else the nearest sanctioned party within maxHops, with its path. */
async function nearestExposure(ctx: Context, e: EntityParent, maxHops: number): Promise<BulkExposure | null> {
  if (isSanctioned(e)) return { distance: 0, entity: { id: e.id, name: e.name, programs: e.programs }, path: { nodes: [{ id: e.id, kind: e.kind, label: e.name }], edges: [] } };
  const [x] = await exposureFor(ctx, e.id, maxHops, 1);
  if (!x) return null;
  return {
    distance: x.distance,
    entity: { id: x.entity.id, name: x.entity.name, programs: x.entity.programs },
    path: {
      nodes: x.path.nodes.map((n) => ({ id: n.id, kind: n.kind, label: n.label })),
      edges: x.path.edges.map((g) => ({ source: g.source, target: g.target, type: g.type, label: g.label ?? null, dataset: g.dataset ?? null, release: g.release ?? null, record: g.record ?? null })),
    },
  };
}

/** What a row's `input_name` shows: the name, else its identifiers, so a row without a name is recognisable. */
function inputNameOf(input: BulkScreenInput): string {
  return input.name ?? (input.identifiers ?? []).map((x) => (x.type ? `${x.type}:${x.value}` : x.value)).join('; ');
}

const csvLine = (cells: (string | number | null)[]): string => cells.map(csvField).join(',') + '\r\n';

function rowCsv(line: number, ref: string | null, input: BulkScreenInput, matches: BulkMatch[]): string {
  const head = [line, ref, inputNameOf(input)];
  if (matches.length === 0) return csvLine([...head, 'no_match', ...Array<null>(BULK_CSV_COLUMNS.length - 4).fill(null)]);
  return matches
    .map((m) => {
      const x = m.exposure;
      const path = x
        ? x.path.nodes.map((n, i) => (i === 0 ? n.label : `-[${x.path.edges[i - 1].type}]- ${n.label}`)).join(' ')
        : null;
      return csvLine([
        ...head, 'match', m.rank, m.score, m.id, m.name, m.kind, m.datasets.join('; '), m.programs.join('; '), m.listedOn,
        x?.distance ?? null, x?.entity.id ?? null, x?.entity.name ?? null, path, m.explanation.map((f) => `${f.label}: ${f.value}`).join('; '), null,
      ]);
    })
    .join('');
}

export function bulkErrorLine(line: number | null, ref: string | null, error: string, fatal = false, name: string | null = null): BulkLine {
  const csv = csvLine([line, ref, name, 'error', ...Array<null>(BULK_CSV_COLUMNS.length - 5).fill(null), error]);
  return { type: 'error', line, ref, error, ...(fatal ? { fatal: true as const } : {}), csv };
}

/** One line of the results in the format asked for; the CSV of a run is its lines' `csv`, after a BOM and the header. */
export function serialiseBulkLine(l: BulkLine, format: BulkOutputFormat): string {
  if (format === 'jsonl') return JSON.stringify(l) + '\n';
  if (l.type === 'start') return '\ufeff' + csvLine([...l.columns]);
  return l.type === 'end' ? '' : l.csv;
}

export interface BulkRunOptions {
  db: Database;
  params: BulkParams;
  /** REQUEST_TIMEOUT: each row's deadline. */
  requestTimeoutMs: number;
  /** SCREEN_BULK_CONCURRENCY. */
  concurrency: number;
  caller?: Caller;
  audit?: AuditLog;
  /** Stops the run (a client gone, Ctrl-C): no row is started after it. */
  signal?: AbortSignal;
}

/** The database gone: every later row would fail the same way. */
class RunStopped extends Error {}

async function screenRow(row: Extract<BulkRow, { input: unknown }>, o: BulkRunOptions): Promise<BulkLine> {
  const { line, ref, input } = row;
  // A request of its own: its deadline, and loaders that go with it (memory does not grow with the file).
  const ctx: Context = { db: o.db, caller: o.caller, audit: o.audit };
  // Each row is a read as a single screen is (recorded when AUDIT_READS is on; its input cut as a request's variables are).
  o.audit?.record(o.caller, { event: 'read', operation: 'POST /api/screen/bulk row', line, ref, input: truncatedJson(input) });
  // The run's signal is the row's: a run called off lets go of its rows' reads at once.
  startRequest(ctx, o.requestTimeoutMs, o.signal);
  try {
    const answer = await screen(requestDb(ctx), ctx, { input, first: o.params.first, threshold: o.params.threshold });
    // The output names each match: its entity, the row's matches read at once (one query).
    const entities = await entityLoader(ctx).loadMany(answer.matches.map((m) => m.id));
    const matches = await Promise.all(
      answer.matches.map(async (m, i): Promise<BulkMatch> => {
        const entity = entities[i];
        // A match whose party vanished since the screen (a load committed meanwhile): the run stops, as on a database gone.
        if (entity instanceof Error) throw entity;
        if (!entity) throw new ServiceUnavailableError('The data changed during this request; retry it');
        return {
          rank: i + 1,
          id: entity.id,
          name: entity.name,
          kind: entity.kind,
          score: m.score,
          datasets: entity.datasets,
          programs: entity.programs,
          listedOn: entity.listedOn ?? null,
          explanation: m.explanation.map((f) => ({ label: f.label, value: f.value })),
          exposure: await nearestExposure(ctx, entity, o.params.maxHops),
        };
      }),
    );
    return {
      type: 'row', line, ref, input, status: matches.length ? 'match' : 'no_match', matches,
      // A row screened while the name index was rebuilt (a load committed during the run) says so.
      ...(row.warnings || answer.nameLookup === 'FULL_TEXT' ? { warnings: [...(row.warnings ?? []), ...(answer.nameLookup === 'FULL_TEXT' ? [`name ${FULL_TEXT_NAME_NOTE}`] : [])] } : {}),
      csv: rowCsv(line, ref, input, matches),
    };
  } catch (err) {
    // Called off: the row has no answer (ordered() no longer waits for it).
    if (o.signal?.aborted) throw err;
    if (err instanceof ServiceUnavailableError) throw new RunStopped(`stopped at line ${line}: ${err.message}`);
    const name = input.name ?? null;
    if (err instanceof TimeoutError) return bulkErrorLine(line, ref, `line ${line}: not screened: it took longer than its time limit (REQUEST_TIMEOUT, ${o.requestTimeoutMs / 1000} s)`, false, name);
    if (err instanceof BadInputError) return bulkErrorLine(line, ref, `line ${line}: ${err.message}`, false, name);
    log.error(`bulk screening, line ${line}: ${(err as Error).stack ?? err}`);
    return bulkErrorLine(line, ref, `line ${line}: not screened: internal error (logged)`, false, name);
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

/**
 * `work` over `source` with at most `n` at once, answers in the source's order. The next item is read
 * while earlier ones are worked on, and an answer is given as soon as it and those before it are done.
 * A failure of the source (or of a work) comes after the answers before it.
 *
 * `signal` calls it off: nothing more is read or started, and it returns at once, without waiting for
 * the works under way (their answers are dropped): a client gone must not keep its admission slot while
 * rows nobody will read finish (the works' reads give up too: request.ts).
 */
async function* ordered<T, R>(source: AsyncIterator<T>, n: number, work: (t: T) => Promise<R>, signal?: AbortSignal): AsyncGenerator<R> {
  const queue: Promise<Settled<R>>[] = [];
  let next: Promise<Settled<IteratorResult<T>>> | null = null;
  let done = false;
  let failure: { error: unknown } | null = null;
  // What comes first: the oldest work done, the next item read, or the call-off. The listener is removed
  // each time (a promise waiting for the signal would collect a reaction per row of a long file).
  const first = (oldest: Promise<unknown> | undefined, read: Promise<unknown> | null) =>
    new Promise<'done' | 'read' | 'aborted'>((resolve) => {
      const stop = () => resolve('aborted');
      signal?.addEventListener('abort', stop, { once: true });
      const took = (what: 'done' | 'read') => () => {
        signal?.removeEventListener('abort', stop);
        resolve(what);
      };
      void oldest?.then(took('done'));
      void read?.then(took('read'));
    });
  try {
    for (;;) {
      if (signal?.aborted) return;
      if (!done && !next && queue.length < n) next = settle(source.next());
      if (queue.length === 0 && !next) break;
      const took = await first(queue[0], next);
      if (took === 'aborted') return;
      if (took === 'read') {
        const r = await next!;
        next = null;
        if (!r.ok) {
          failure = { error: r.error };
          done = true;
        } else if (r.value.done) done = true;
        else queue.push(settle(work(r.value.value)));
      } else {
        const r = await queue.shift()!;
        if (!r.ok) throw r.error;
        yield r.value;
      }
    }
    if (failure) throw failure.error;
  } finally {
    // Unless called off, rows already started run to their end before the run ends (they are settled: this never
    // throws), so that the caller's admission slot is held while they still use the database.
    if (!signal?.aborted) await Promise.all(queue);
    // The source is closed either way (a read under way first ends: reading the spooled file, it is short).
    if (!done) await source.return?.(undefined);
  }
}

/**
 * The run: a start line, one line per input row in the file's order, then an end line, or a fatal error
 * line where the file (or the database) stopped it. The caller has opened the input (bulk-input.ts), so
 * that a file unusable from its start is refused before anything is answered.
 */
export async function* screenBulk(input: BulkInput, o: BulkRunOptions): AsyncGenerator<BulkLine> {
  const started = Date.now();
  const lists = (await datasets(o.db)).map((d) => ({ name: d.name, release: d.release ?? null }));
  // What every row reads, made before the first: the name index and the name counts, so that each row is
  // ranked with the same index and no row's deadline pays for building them.
  await Promise.all([
    searchIndexReady(o.db).catch((err: unknown) => log.warn(`bulk screening: the name index could not be built (${String(err)}); rows use the full-text search`)),
    nameStatsFor(o.db),
  ]);
  yield {
    type: 'start', columns: [...BULK_CSV_COLUMNS], threshold: o.params.threshold, first: o.params.first, maxHops: o.params.maxHops, lists,
    input: { format: input.format, columns: input.columns, warnings: input.warnings },
  };
  let rows = 0;
  let screened = 0;
  let matched = 0;
  let errors = 0;
  const work = (row: BulkRow): Promise<BulkLine> => ('error' in row ? Promise.resolve(bulkErrorLine(row.line, row.ref, row.error, false, row.name ?? null)) : screenRow(row, o));
  try {
    for await (const l of ordered(input.rows[Symbol.asyncIterator](), o.concurrency, work, o.signal)) {
      rows++;
      if (l.type === 'error') errors++;
      else if (l.type === 'row') {
        screened++;
        if (l.status === 'match') matched++;
      }
      yield l;
    }
  } catch (err) {
    if (err instanceof BulkFileError || err instanceof RunStopped) {
      yield bulkErrorLine(err instanceof BulkFileError ? err.line : null, null, err instanceof BulkFileError ? err.reason : err.message, true);
      return;
    }
    throw err;
  }
  if (o.signal?.aborted) return;
  yield { type: 'end', rows, screened, matched, errors, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/** The upload is larger than its limit, SCREEN_BULK_UPLOAD_MAX (413). */
export class UploadTooLargeError extends AppError {
  override readonly code = 'BAD_USER_INPUT';
  override readonly status = 413;
}

/** No byte of the upload came for SCREEN_BULK_UPLOAD_IDLE (408). */
export class UploadStalledError extends AppError {
  override readonly code = 'BAD_USER_INPUT';
  override readonly status = 408;
}

/** Bounds of an upload to POST /api/screen/bulk while it is spooled. */
export interface BulkUploadLimits {
  maxBytes: number;
  idleMs: number;
}

/** What POST /api/screen/bulk is bounded by (besides SCREEN_BULK_MAX_ROWS and SCREEN_BULK_CONCURRENCY). */
export interface BulkServeSettings {
  upload: BulkUploadLimits;
  /** Bulk runs at once, spooling included (one per client besides). */
  maxRuns: number;
}

/** SCREEN_BULK_UPLOAD_MAX, SCREEN_BULK_UPLOAD_IDLE and SCREEN_BULK_MAX_RUNS, as POST /api/screen/bulk uses them. */
export function bulkServeSettings(s = screenBulkSettings()): BulkServeSettings {
  return { upload: { maxBytes: s.uploadMaxBytes, idleMs: s.uploadIdleMs }, maxRuns: s.maxRuns };
}

/** A size as SCREEN_BULK_UPLOAD_MAX is written: 256 MB, 512 KB, 1000 bytes. */
function sizeText(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  return bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} bytes`;
}

/**
 * Writes an upload whole to `file` (created new, readable by this user only) at the pace the client sends
 * it, with its size and SHA-256 (for the audit). Refused past `maxBytes` (413) or after `idleMs` without
 * a byte (408); a client gone mid-way rejects with the stream's error. The caller removes the file.
 */
export async function spoolBulkUpload(body: Readable, file: string, limits: BulkUploadLimits): Promise<{ bytes: number; sha256: string }> {
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => {
        clearTimeout(timer);
        body.off('data', onData);
        body.pause();
        reject(err);
      };
      const idle = () => {
        clearTimeout(timer);
        timer = setTimeout(() => fail(new UploadStalledError(`the upload sent nothing for ${limits.idleMs / 1000} s (SCREEN_BULK_UPLOAD_IDLE); send the file in one request (curl --data-binary @file.csv)`)), limits.idleMs);
      };
      const onData = (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > limits.maxBytes) return fail(new UploadTooLargeError(`the upload is larger than ${sizeText(limits.maxBytes)} (SCREEN_BULK_UPLOAD_MAX); split the file`));
        hash.update(chunk);
        idle();
        // The disk before the network: a client cannot fill the memory faster than the file takes it.
        if (!out.write(chunk)) {
          body.pause();
          out.once('drain', () => body.resume());
        }
      };
      idle();
      body.on('data', onData);
      body.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
      body.once('error', fail);
      body.once('close', () => {
        if (!body.readableEnded) fail(new Error('the client went away during the upload'));
      });
      out.once('error', fail);
    });
  } finally {
    clearTimeout(timer);
    await new Promise<void>((resolve) => out.end(resolve));
  }
  return { bytes, sha256: hash.digest('hex') };
}
