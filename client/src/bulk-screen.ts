/**
 * Bulk screening from the explorer: the file goes as it is to POST /api/screen/bulk?format=jsonl (the
 * server reads it as a stream), and the answer, one JSON object a line, is read as it arrives, so rows
 * show while the rest are screened. The lines received are kept as they came: the CSV export is built
 * from them exactly as the server builds its own (BOM + header + each line's `csv`), byte for byte the
 * CLI's output, without a second run. Plain functions, no React (hooks/useBulkScreen.ts holds the state).
 */
import { ApiError, authHeaders, keyNeeded } from './api';

// The shapes below are the wire contract of POST /api/screen/bulk (README, "Screening"), written
// out here because the explorer reads the server over HTTP only (.dependency-cruiser.cjs): it may not import
// server/api/screen-bulk.ts, which declares the same lines for the writer.

/** A step of a path as bulk results carry it (the same as the API's GraphNode/GraphEdge, fewer fields). */
export interface BulkPathNode {
  id: string;
  kind: string;
  label: string;
}
export interface BulkPathEdge {
  source: string;
  target: string;
  type: string;
  label?: string | null;
  dataset?: string | null;
  release?: string | null;
  record?: string | null;
}
export interface BulkExposure {
  distance: number;
  entity: { id: string; name: string; programs: string[] };
  path: { nodes: BulkPathNode[]; edges: BulkPathEdge[] };
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

/** The lines of the jsonl answer (the bulk screening contract). */
export type BulkLine =
  | { type: 'start'; columns: string[]; threshold: number; first: number; maxHops: number; lists: unknown[]; input?: { format: string; columns: string[]; warnings: string[] } }
  | { type: 'row'; line: number; ref: string | null; input: { name?: string | null } & Record<string, unknown>; status: 'match' | 'no_match'; matches: BulkMatch[]; warnings?: string[]; csv: string }
  | { type: 'error'; line?: number | null; ref?: string | null; error: string; fatal?: boolean; csv?: string }
  | { type: 'end'; rows: number; screened: number; matched: number; errors: number; seconds: number };

/**
 * One input row as the table shows it: its best match (if any) or its error. Only the best match is kept
 * (with a count of the others): 100,000 rows with every match, explanation and path would fill the tab's
 * memory; the export does not need them (it is built from the lines' `csv`).
 */
export interface BulkRow {
  /** Order of arrival (= input order). */
  seq: number;
  line: number | null;
  ref: string | null;
  /** The input's name, else its identifiers (as the CSV's input_name). */
  name: string;
  status: 'match' | 'no_match' | 'error';
  /** The best match's score; null without a match. */
  score: number | null;
  best: BulkMatch | null;
  /** Matches besides the best. */
  others: number;
  error: string | null;
}

function inputName(input: Extract<BulkLine, { type: 'row' }>['input']): string {
  if (typeof input?.name === 'string' && input.name) return input.name;
  const ids = Array.isArray(input?.identifiers) ? (input.identifiers as { type?: string; value: string }[]) : [];
  return ids.map((x) => (x.type ? `${x.type}:${x.value}` : x.value)).join('; ');
}

/** The row of a `row` or (non-fatal) `error` line. */
export function rowOf(l: BulkLine, seq: number): BulkRow | null {
  if (l.type === 'row') {
    const best = l.matches[0] ?? null;
    return { seq, line: l.line, ref: l.ref ?? null, name: inputName(l.input), status: l.status, score: best?.score ?? null, best, others: Math.max(0, l.matches.length - 1), error: null };
  }
  if (l.type === 'error' && !l.fatal) return { seq, line: l.line ?? null, ref: l.ref ?? null, name: '', status: 'error', score: null, best: null, others: 0, error: l.error };
  return null;
}

export type SortKey = 'line' | 'ref' | 'name' | 'status' | 'score' | 'match' | 'distance';
export interface Sort {
  key: SortKey;
  desc: boolean;
}

/** The best match's exposure distance (0: listed itself), or null (none within the hops, or no match). */
export const distanceOf = (r: BulkRow): number | null => r.best?.exposure?.distance ?? null;

const STATUS_ORDER = { match: 0, no_match: 1, error: 2 } as const;

function sortValue(r: BulkRow, key: SortKey): number | string | null {
  switch (key) {
    case 'line':
      return r.line;
    case 'ref':
      return r.ref;
    case 'name':
      return r.name.toLowerCase();
    case 'status':
      return STATUS_ORDER[r.status];
    case 'score':
      return r.score;
    case 'match':
      return r.best?.name.toLowerCase() ?? null;
    case 'distance':
      return distanceOf(r);
  }
}

/** The rows in the order asked for; rows without a value (no match, no ref) go last either way, ties keep input order. */
export function sortRows(rows: readonly BulkRow[], sort: Sort): BulkRow[] {
  const dir = sort.desc ? -1 : 1;
  const keyed = rows.map((r) => ({ r, v: sortValue(r, sort.key) }));
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === b.v ? a.r.seq - b.r.seq : a.v === null ? 1 : -1;
    const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), undefined, { numeric: true });
    return c !== 0 ? c * dir : a.r.seq - b.r.seq;
  });
  return keyed.map((k) => k.r);
}

/**
 * The results as the CSV the server and the CLI write: UTF-8 with a byte-order mark, the header line
 * (the start line's columns), then every row's and error's `csv` field in the order received (as
 * strings, or as Blobs of strings gathered earlier).
 */
export function resultsCsv(columns: readonly string[], csvParts: readonly (string | Blob)[]): Blob {
  // The header's names are plain words; quoted as any CSV field would be, should one ever hold a comma.
  const header = columns.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',') + '\r\n';
  return new Blob(['\uFEFF', header, ...csvParts], { type: 'text/csv;charset=utf-8' });
}

/** The content type that tells the server the file's format, by its name; any other name leaves it to the server to recognise. */
export function contentTypeOf(file: { name: string }): string {
  if (/\.csv$/i.test(file.name)) return 'text/csv';
  if (/\.(jsonl|ndjson|json)$/i.test(file.name)) return 'application/x-ndjson';
  return 'application/octet-stream';
}

/** The message of a refusal before the first row: GraphQL-shaped errors or the REST API's {error}. */
async function refusal(res: Response): Promise<ApiError> {
  let code = res.status === 503 ? 'SERVICE_UNAVAILABLE' : res.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR';
  let message = `the server refused the file (HTTP ${res.status})`;
  try {
    const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[]; error?: { code?: string; message?: string } };
    const e = body.errors?.[0];
    if (e) {
      message = e.message;
      code = e.extensions?.code ?? code;
    } else if (body.error) {
      message = body.error.message ?? message;
      code = body.error.code ?? code;
    }
  } catch {
    /* not JSON: the status says it */
  }
  if (code === 'UNAUTHENTICATED') keyNeeded(message);
  return new ApiError(message, code);
}

/**
 * Uploads the file and calls `onLines` with each batch of parsed lines as they arrive (a batch = what one
 * chunk of the answer completed). Resolves when the answer has ended; rejects with an ApiError on a
 * refusal, or the AbortError when `signal` aborts. A line that is not JSON is an error of the answer, not skipped.
 */
export async function screenBulk(file: Blob & { name: string }, signal: AbortSignal, onLines: (lines: BulkLine[]) => void): Promise<void> {
  let res: Response;
  try {
    res = await fetch('/api/screen/bulk?format=jsonl', {
      method: 'POST',
      headers: { 'content-type': contentTypeOf(file), ...authHeaders() },
      body: file,
      signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError('network error', 'NETWORK');
  }
  if (!res.ok || !res.body) throw await refusal(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  let lineNo = 0;
  const parse = (text: string): BulkLine => {
    lineNo++;
    try {
      return JSON.parse(text) as BulkLine;
    } catch {
      throw new ApiError(`line ${lineNo} of the server's answer is not JSON: ${text.slice(0, 80)}`, 'INTERNAL_SERVER_ERROR');
    }
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += value;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    const lines = parts.filter((p) => p.trim() !== '').map(parse);
    if (lines.length) onLines(lines);
  }
  if (pending.trim() !== '') onLines([parse(pending)]);
}

/** A path's steps in words, each with its provenance: "A —Linked To→ B (ofac-sdn 2024-05-03: sdn.csv:14530)". */
export function pathSteps(path: { nodes: BulkPathNode[]; edges: BulkPathEdge[] }, relName: (type: string) => string): string[] {
  return path.edges.map((e, i) => {
    const a = path.nodes[i];
    const b = path.nodes[i + 1];
    const where = [[e.dataset, e.release].filter(Boolean).join(' '), e.record].filter(Boolean).join(': ');
    const said = e.label && e.label.toLowerCase() !== relName(e.type).toLowerCase() ? ` "${e.label}"` : '';
    return `${a?.label ?? e.source} — ${relName(e.type)}${said} — ${b?.label ?? e.target}${where ? ` (${where})` : ''}`;
  });
}
