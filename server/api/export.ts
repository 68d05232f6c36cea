/**
 * Subgraph export for researchers, with the evidence: GraphML and GEXF (Gephi, Cytoscape desktop,
 * networkx), CSV (a zip of nodes, edges and one long table per kind of fact, with a README), Cytoscape.js
 * JSON elements, and FollowTheMoney JSON lines (OpenSanctions' and Aleph's tools). What the subgraph is
 * comes from graph.ts (the neighbourhood or the named nodes), what is known of each node and
 * relationship from export-evidence.ts, the ownership verdicts of its owned companies (OFAC's and the
 * EU's rules) from export-ownership.ts; the formats are export-formats.ts and export-ftm.ts.
 */
import { atDate, parseAsOf, resolveAsOf } from '../core/as-of';
import { BadInputError } from '../core/errors';
import type { Database } from '../core/neo4j/database';
import { neighborhood, subgraph } from './graph';
import { readEvidence, type ExportGraph } from './export-evidence';
import { csvZip, csvZipAsync, cytoscapeJson, cytoscapeParts, drainAsync, gexf, gexfParts, graphml, graphmlParts, type AtPause } from './export-formats';
import { ftmLines, ftmLinesAsync } from './export-ftm';
import { readExportOwnership } from './export-ownership';
import { intIn, LIMITS, relTypes } from './validate';

export { readEvidence, type ExportGraph } from './export-evidence';

export const EXPORT_FORMATS = ['graphml', 'gexf', 'csv', 'json', 'ftm'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, { type: string; ext: string }> = {
  graphml: { type: 'application/graphml+xml; charset=utf-8', ext: 'graphml' },
  gexf: { type: 'application/gexf+xml; charset=utf-8', ext: 'gexf' },
  csv: { type: 'application/zip', ext: 'csv.zip' },
  json: { type: 'application/json; charset=utf-8', ext: 'cyjs.json' },
  ftm: { type: 'application/x-ndjson; charset=utf-8', ext: 'ftm.jsonl' },
};

/** One export, as its fields ask for it, checked against the caps of what it exports. */
export interface ExportRequest {
  format: ExportFormat;
  ids: string[];
  /** 0: exactly the nodes named; 1 to 3: their neighbourhood (neighborhood's default 1). */
  depth: number;
  /** The neighbourhood's node limit (neighborhood's default when undefined). */
  limit: number | undefined;
  relationTypes: string[] | undefined;
  /**
   * YYYY-MM-DD: the network as it stood on that day (the loads the day sees, as `asOf` on neighborhood
   * reads it: server/core/as-of.ts), and the ownership verdicts as of that day; undefined: today.
   */
  asOf: string | undefined;
}

/**
 * The export's fields (a query string or a form), checked before the export takes an admission slot:
 * a wrong format, too many ids, too large a limit or depth is refused (BadInputError, 400
 * BAD_USER_INPUT) with what the caps are, as is an asOf that is not a YYYY-MM-DD date. Ids are
 * comma-separated, so an id holding a comma cannot be named (the neighbourhood of another node still
 * exports it).
 */
export function parseExportRequest(fields: Record<string, unknown>): ExportRequest {
  const q: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v !== 'string') throw new BadInputError(`${k} must be given once, as plain text`);
    q[k] = v;
  }
  const format = (q.format ?? 'graphml') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new BadInputError(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const num = (name: string): number | undefined => {
    if (q[name] === undefined) return undefined;
    if (!/^\d{1,9}$/.test(q[name]!)) throw new BadInputError(`${name} must be a whole number`);
    return Number(q[name]);
  };
  const ids = (q.ids ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new BadInputError('ids must name at least one entity, e.g. ids=ofac-43379');
  const depth = intIn('depth', num('depth') ?? 1, 0, LIMITS.neighborhoodDepth);
  if (depth === 0 && ids.length > LIMITS.subgraphIds) {
    throw new BadInputError(`An export of the nodes named (depth=0) may name at most ${LIMITS.subgraphIds} nodes; this one names ${ids.length}. Split it.`);
  }
  if (depth > 0 && ids.length > LIMITS.seeds) {
    throw new BadInputError(
      `An export of a neighbourhood (depth ${depth}) may start from at most ${LIMITS.seeds} entities; this one names ${ids.length}. ` +
        `Export the nodes themselves with depth=0 (up to ${LIMITS.subgraphIds}), or split it.`,
    );
  }
  const limit = num('limit');
  if (limit !== undefined) intIn('limit (the nodes of a neighbourhood export)', limit, 1, LIMITS.neighborhoodLimit);
  const relationTypes = q.relationTypes ? q.relationTypes.split(',').map((s) => s.trim()) : undefined;
  relTypes(relationTypes);
  const asOf = q.asOf ? parseAsOf(q.asOf) : undefined;
  return { format, ids, depth, limit, relationTypes, asOf };
}

/** The Content-Disposition of an export: a file name of word characters, dots and dashes only (no header injection). */
export function exportFileName(req: ExportRequest): string {
  const stem = (req.ids[0] ?? 'subgraph').replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_').slice(0, 80);
  return `sanctions-graph-${stem}.${CONTENT_TYPES[req.format].ext}`;
}

/** The file of an export: its subgraph with the evidence (readEvidence) in the format asked for. */
export function serialize(g: ExportGraph, format: ExportFormat): string | Uint8Array {
  switch (format) {
    case 'graphml':
      return graphml(g);
    case 'gexf':
      return gexf(g);
    case 'csv':
      return csvZip(g);
    case 'json':
      return cytoscapeJson(g);
    case 'ftm':
      return ftmLines(g);
  }
}

/**
 * The file of an export as serialize gives it, written with pauses that let the event loop answer other
 * requests (and /healthz) meanwhile: a 5,000-node export is seconds of serialisation and deflating.
 * `atPause` runs at each pause and may throw to stop it (the request's deadline).
 */
export async function serializeAsync(g: ExportGraph, format: ExportFormat, atPause?: AtPause): Promise<string | Uint8Array> {
  switch (format) {
    case 'graphml':
      return (await drainAsync(graphmlParts(g), atPause)).join('\n');
    case 'gexf':
      return (await drainAsync(gexfParts(g), atPause)).join('\n');
    case 'csv':
      return csvZipAsync(g, atPause);
    case 'json':
      return (await drainAsync(cytoscapeParts(g), atPause)).join('');
    case 'ftm':
      return ftmLinesAsync(g, atPause);
  }
}

/** When an export must be done by: the request's deadline (ms since the epoch) and its error. */
export interface ExportDeadline {
  at: number;
  timedOut: () => Error;
}

/**
 * One export's file: the nodes named (depth 0) or their neighbourhood, with the evidence of every node
 * and relationship (export-evidence.ts) and the ownership of its owned companies (export-ownership.ts),
 * serialised in the format asked for. `db` carries the request's deadline for the reads (app.ts);
 * `deadline`, when given, also stops the ownership reads and the serialisation once it has passed.
 * `truncated` when the neighbourhood hit its limit.
 */
export async function buildExport(db: Database, request: ExportRequest, deadline?: ExportDeadline): Promise<{ body: string | Uint8Array; truncated: boolean }> {
  const { ids, depth, limit, relationTypes, format } = request;
  // As of a day: the subgraph and its evidence as the loads of that day had them (null cut: the day sees
  // every load, today's reads).
  const cut = request.asOf ? await resolveAsOf(db, request.asOf) : null;
  const read = cut ? atDate(db, cut) : db;
  const sub = depth === 0 ? await subgraph(read, { ids, relationTypes }) : await neighborhood(read, { ids, depth, limit, relationTypes });
  const graph = await readEvidence(read, sub);
  graph.asOf = request.asOf;
  // The verdicts are for the export's day (its asOf, else today, UTC), read as Query.ownership(asOf)
  // reads them: the stakes and listings the sources date, of the graph as loaded (not the cut), so the
  // export says what the API says of the same company and day.
  graph.ownership = await readExportOwnership(db, graph, request.asOf ?? graph.exportedAt.slice(0, 10), { deadline });
  const atPause = deadline
    ? () => {
        if (Date.now() > deadline.at) throw deadline.timedOut();
      }
    : undefined;
  return { body: await serializeAsync(graph, format, atPause), truncated: graph.truncated };
}
