/**
 * Subgraph export for researchers: GraphML and GEXF (Gephi, Cytoscape desktop, networkx), CSV (nodes and
 * edges tables, zipped), Cytoscape.js JSON elements, and FollowTheMoney JSON lines.
 *
 * GraphML: http://graphml.graphdrawing.org/specification.html (attributes declared with <key>).
 * GEXF 1.2 (https://gexf.net/schema.html; the version Gephi and networkx read), attributes declared in
 * <attributes class="node|edge">.
 */
import { strToU8, zipSync } from 'fflate';
import { PARTY_KIND_NAMES, REL_TYPES } from '../core/model';
import type { GraphEdge, GraphNode, Subgraph } from './queries';

export const EXPORT_FORMATS = ['graphml', 'gexf', 'csv', 'json', 'ftm'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, { type: string; ext: string }> = {
  graphml: { type: 'application/graphml+xml; charset=utf-8', ext: 'graphml' },
  gexf: { type: 'application/gexf+xml; charset=utf-8', ext: 'gexf' },
  csv: { type: 'application/zip', ext: 'csv.zip' },
  json: { type: 'application/json; charset=utf-8', ext: 'cyjs.json' },
  ftm: { type: 'application/x-ndjson; charset=utf-8', ext: 'ftm.jsonl' },
};

function xml(s: string | number | null | undefined): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot hold at all (control characters other than tab and newlines).
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

/** FtM schema of an edge's relationship type (UNKNOWN_LINK -> UnknownLink), for party-to-party links. */
function ftmLinkSchema(type: string): string | null {
  if (!(type in REL_TYPES) || REL_TYPES[type as keyof typeof REL_TYPES].between !== 'parties') return null;
  return type.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
}

function ftmLines(g: Subgraph): string {
  const lines: string[] = [];
  const byId = new Map<string, GraphNode>(g.nodes.map((n) => [n.id, n]));
  const extra = new Map<string, Record<string, string[]>>();
  const add = (id: string, prop: string, value: string) => {
    const props = extra.get(id) ?? {};
    (props[prop] ??= []).push(value);
    extra.set(id, props);
  };
  for (const e of g.edges) {
    const target = byId.get(e.target);
    if (!target) continue;
    if (e.type === 'HAS_ADDRESS') add(e.source, 'address', target.label);
    else if (e.type === 'SANCTION') add(e.source, 'program', target.label);
    else if (e.type === 'HAS_IDENTIFIER') add(e.source, target.kind === 'Identifier' ? 'idNumber' : 'notes', target.label);
  }
  for (const n of g.nodes) {
    if (!(PARTY_KIND_NAMES as string[]).includes(n.kind)) continue;
    lines.push(JSON.stringify({ id: n.id, schema: n.kind, properties: { name: [n.label], ...(extra.get(n.id) ?? {}) } }));
  }
  for (const e of g.edges as GraphEdge[]) {
    const schema = ftmLinkSchema(e.type);
    if (!schema) continue;
    const ends = schema === 'Ownership' ? ['owner', 'asset'] : schema === 'Directorship' ? ['director', 'organization'] : schema === 'Family' ? ['person', 'relative'] : schema === 'Associate' ? ['person', 'associate'] : ['subject', 'object'];
    lines.push(JSON.stringify({ id: `link-${e.id}`, schema, properties: { [ends[0]]: [e.source], [ends[1]]: [e.target], ...(e.label ? { role: [e.label] } : {}) } }));
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
