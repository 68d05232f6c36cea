/**
 * Subgraph export for researchers: GraphML and GEXF (Gephi, Cytoscape desktop, networkx), CSV (nodes and
 * edges tables, zipped), Cytoscape.js JSON elements, and FollowTheMoney JSON lines.
 *
 * GraphML: http://graphml.graphdrawing.org/specification.html (attributes declared with <key>).
 * GEXF 1.2 (https://gexf.net/schema.html; the version Gephi and networkx read), attributes declared in
 * <attributes class="node|edge">.
 */
import { strToU8, zipSync } from 'fflate';
import { FACT_KINDS, IDENTIFIER_TYPES, isLinkType, isPartyKind, LINK_FTM, PARTY_KINDS, partyLabels, type PartyKind } from '../core/model';
import { identifierKeyParts } from '../core/text/normalize';
import { isoCountryCode } from '../core/matching/countries';
import { BadInputError } from '../core/errors';
import type { Database } from '../core/neo4j/database';
import { neighborhood, subgraph, type GraphEdge, type GraphNode, type Subgraph } from './graph';
import { intIn, LIMITS, relTypes } from './validate';

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
}

/**
 * The export's fields (a query string or a form), checked before the export takes an admission slot:
 * a wrong format, too many ids, too large a limit or depth is refused (BadInputError, 400
 * BAD_USER_INPUT) with what the caps are. Ids are comma-separated, so an id holding a comma cannot be
 * named (the neighbourhood of another node still exports it).
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
  return { format, ids, depth, limit, relationTypes };
}

/** The Content-Disposition of an export: a file name of word characters, dots and dashes only (no header injection). */
export function exportFileName(req: ExportRequest): string {
  const stem = (req.ids[0] ?? 'subgraph').replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_').slice(0, 80);
  return `sanctions-graph-${stem}.${CONTENT_TYPES[req.format].ext}`;
}

function xml(s: string | number | null | undefined): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot hold at all (control characters other than tab and newlines): matching
    // control characters is the point here.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

function graphml(g: Subgraph): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    '  xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
    '  <key id="degree" for="node" attr.name="degree" attr.type="int"/>',
    '  <key id="type" for="edge" attr.name="type" attr.type="string"/>',
    '  <key id="elabel" for="edge" attr.name="label" attr.type="string"/>',
    '  <graph id="sanctions-graph" edgedefault="directed">',
  ];
  for (const n of g.nodes) {
    out.push(`    <node id="${xml(n.id)}"><data key="label">${xml(n.label)}</data><data key="kind">${xml(n.kind)}</data><data key="degree">${n.degree}</data></node>`);
  }
  for (const e of g.edges) {
    out.push(`    <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}"><data key="type">${xml(e.type)}</data><data key="elabel">${xml(e.label)}</data></edge>`);
  }
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}

function gexf(g: Subgraph): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">',
    '  <meta><creator>sanctions-graph</creator></meta>',
    '  <graph defaultedgetype="directed" mode="static">',
    '    <attributes class="node"><attribute id="kind" title="kind" type="string"/><attribute id="degree" title="degree" type="integer"/></attributes>',
    '    <attributes class="edge"><attribute id="type" title="type" type="string"/><attribute id="label" title="label" type="string"/></attributes>',
    '    <nodes>',
  ];
  for (const n of g.nodes) {
    out.push(`      <node id="${xml(n.id)}" label="${xml(n.label)}"><attvalues><attvalue for="kind" value="${xml(n.kind)}"/><attvalue for="degree" value="${n.degree}"/></attvalues></node>`);
  }
  out.push('    </nodes>', '    <edges>');
  for (const e of g.edges) {
    out.push(
      `      <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}" label="${xml(e.type)}"><attvalues><attvalue for="type" value="${xml(e.type)}"/><attvalue for="label" value="${xml(e.label)}"/></attvalues></edge>`,
    );
  }
  out.push('    </edges>', '  </graph>', '</gexf>', '');
  return out.join('\n');
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(v: string | number | null): string {
  let s = String(v ?? '');
  // A text starting with = + - @ would run as a formula in a spreadsheet (CSV injection): mark it as text.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvTable(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvZip(g: Subgraph): Uint8Array {
  return zipSync({
    'nodes.csv': strToU8(csvTable(['id', 'label', 'kind', 'degree'], g.nodes.map((n) => [n.id, n.label, n.kind, n.degree]))),
    'edges.csv': strToU8(csvTable(['id', 'source', 'target', 'type', 'label'], g.edges.map((e) => [e.id, e.source, e.target, e.type, e.label]))),
  });
}

function cytoscapeJson(g: Subgraph): string {
  return JSON.stringify({
    elements: {
      nodes: g.nodes.map((n) => ({ data: { ...n } })),
      edges: g.edges.map((e) => ({ data: { ...e } })),
    },
  });
}

/** A valid FtM entity id (FtM's entity type: letters, digits, "." and "-"), from an element id. */
function ftmId(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/[^0-9a-zA-Z.-]+/g, '-').replace(/-+$/, '')}`;
}

type FtmProps = Record<string, string[]>;

/**
 * FollowTheMoney JSON lines, by the model's declaration (server/core/model.ts): a party is an entity
 * of its kind's schema (PARTY_KINDS ftm) with its name, address texts and programs in the properties the
 * fact kinds name (FACT_KINDS ftm); an identifier is the property its type names on that kind
 * (IDENTIFIER_TYPES ftm), or, when it has an issuing country or no property fits, a document entity
 * (Identification with the type, Passport, CryptoWallet) whose number a LegalEntity also repeats in the
 * generic idNumber, as OpenSanctions does; a link is an entity of its type's schema with the two ends
 * and the wording in the properties the type names (REL_TYPES ftm).
 */
function ftmLines(g: Subgraph): string {
  const byId = new Map<string, GraphNode>(g.nodes.map((n) => [n.id, n]));
  const props = new Map<string, FtmProps>();
  const add = (to: Map<string, FtmProps>, id: string, prop: string, value: string) => {
    const p = to.get(id) ?? {};
    const values = (p[prop] ??= []);
    if (!values.includes(value)) values.push(value);
    to.set(id, p);
  };
  const documents: { id: string; schema: string; properties: FtmProps }[] = [];

  const identifier = (e: GraphEdge, holder: GraphNode & { kind: PartyKind }, node: GraphNode) => {
    const parts = identifierKeyParts(node.id);
    const legal = partyLabels(holder.kind).includes('LegalEntity');
    if (!parts) {
      add(props, holder.id, FACT_KINDS.Identifier.ftm, node.label);
      return;
    }
    const spec = IDENTIFIER_TYPES[parts.type];
    const ftm = spec.ftm as { property: string; kinds: readonly PartyKind[] } | null;
    if (ftm && ftm.kinds.includes(holder.kind) && parts.countryKey === null) {
      add(props, holder.id, ftm.property, node.label);
      return;
    }
    const country = parts.countryKey ? isoCountryCode(parts.countryKey) : null;
    const properties: FtmProps =
      spec.document === 'CryptoWallet'
        ? { holder: [holder.id], publicKey: [node.label] }
        : { holder: [holder.id], number: [node.label], ...(country ? { country: [country] } : {}), type: [parts.type] };
    documents.push({ id: ftmId(spec.document.toLowerCase(), e.id), schema: spec.document, properties });
    if (legal && spec.document !== 'CryptoWallet') add(props, holder.id, FACT_KINDS.Identifier.ftm, node.label);
  };

  for (const e of g.edges) {
    const source = byId.get(e.source);
    const target = byId.get(e.target);
    if (!source || !target || !isPartyKind(source.kind)) continue;
    if (e.type === FACT_KINDS.Address.relType) add(props, e.source, FACT_KINDS.Address.ftm, target.label);
    else if (e.type === FACT_KINDS.Program.relType) add(props, e.source, FACT_KINDS.Program.ftm, target.label);
    else if (e.type === FACT_KINDS.Identifier.relType) identifier(e, source as GraphNode & { kind: PartyKind }, target);
  }

  const lines: string[] = [];
  for (const n of g.nodes) {
    if (!isPartyKind(n.kind)) continue;
    // The party's own programs too, whether or not their Program nodes are in the subgraph.
    for (const p of n.programs) add(props, n.id, FACT_KINDS.Program.ftm, p);
    lines.push(JSON.stringify({ id: n.id, schema: PARTY_KINDS[n.kind].ftm, properties: { name: [n.label], ...props.get(n.id) } }));
  }
  for (const d of documents) lines.push(JSON.stringify(d));
  for (const e of g.edges) {
    if (!isLinkType(e.type)) continue;
    const { schema, source, target, wording } = LINK_FTM[e.type];
    const properties: FtmProps = { [source]: [e.source], [target]: [e.target] };
    if (e.label) properties[wording] = [e.label];
    if (e.percentage && schema === LINK_FTM.OWNERSHIP.schema) properties.percentage = [e.percentage];
    lines.push(JSON.stringify({ id: ftmId('link', e.id), schema, properties }));
  }
  return lines.join('\n') + '\n';
}

export function serialize(g: Subgraph, format: ExportFormat): string | Uint8Array {
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
 * One export's file: the nodes named (depth 0) or their neighbourhood, serialised in the format asked
 * for. `db` carries the request's deadline (app.ts); `truncated` when the neighbourhood hit its limit.
 */
export async function buildExport(db: Database, request: ExportRequest): Promise<{ body: string | Uint8Array; truncated: boolean }> {
  const { ids, depth, limit, relationTypes, format } = request;
  const graph = depth === 0 ? await subgraph(db, { ids, relationTypes }) : await neighborhood(db, { ids, depth, limit, relationTypes });
  return { body: serialize(graph, format), truncated: Boolean(graph.truncated) };
}
