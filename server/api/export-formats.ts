/**
 * The table-like exports of a subgraph with its evidence (export-evidence.ts): GraphML and GEXF (Gephi,
 * Cytoscape desktop, networkx), CSV (a zip of tables with a README), Cytoscape.js JSON. One declaration
 * of the node and edge attributes (NODE_ATTRS, EDGE_ATTRS) serves all four, so every format carries the
 * same fields under the same names.
 *
 * GraphML: http://graphml.graphdrawing.org/specification.html (attributes declared with <key>, each with
 * a <desc>; attr.type only string, int, boolean: what networkx reads). GEXF 1.2 (https://gexf.net/schema.html;
 * the version Gephi and networkx read): attributes declared in <attributes class="node|edge">; GEXF has
 * no description per attribute, so the meta <description> says how lists are written.
 */
import { strToU8, zipSync } from 'fflate';
import { isPartyKind } from '../core/model';
import type { GraphNode } from './graph';
import type { ExportEdge, ExportFact, ExportGraph, ExportParty } from './export-evidence';

type Value = string | number | boolean | null;

interface Attr<T> {
  name: string;
  type: 'string' | 'int' | 'boolean';
  description: string;
  value: (x: T) => Value;
}

/** A node with what the export knows of it: its party evidence or its fact node's fields (or neither). */
interface NodeCtx {
  node: GraphNode;
  party: ExportParty | undefined;
  fact: ExportFact | undefined;
}

/** Lists of plain values are written "; "-joined; lists of records as JSON arrays (exact, for programs). */
const JOIN = '; ';
const joined = (xs: readonly string[] | undefined): string | null => (xs && xs.length ? xs.join(JOIN) : null);
const json = (xs: readonly unknown[] | undefined): string | null => (xs && xs.length ? JSON.stringify(xs) : null);
const field = (c: NodeCtx, name: string): string | null => c.fact?.fields[name] ?? null;

const NODE_ATTRS: Attr<NodeCtx>[] = [
  { name: 'label', type: 'string', description: "Name of a party, an address's full text, an identifier's value, a program's code", value: (c) => c.node.label },
  { name: 'kind', type: 'string', description: 'Person, Organization, Company, LegalEntity, Vessel, Aircraft (parties); Address, Identifier, Program (facts)', value: (c) => c.node.kind },
  { name: 'degree', type: 'int', description: 'Relationships of the node in the whole graph', value: (c) => c.node.degree },
  { name: 'placeholder', type: 'boolean', description: 'A party only referenced by another entry, not listed itself', value: (c) => c.node.placeholder },
  { name: 'datasets', type: 'string', description: `Datasets that list the party now ("${JOIN}"-joined)`, value: (c) => joined(c.party?.datasets) },
  { name: 'listedOn', type: 'string', description: 'Designation date when the source gives one', value: (c) => c.party?.listedOn ?? null },
  { name: 'firstSeen', type: 'string', description: 'First release of a loaded dataset that listed the party', value: (c) => c.party?.firstSeen ?? null },
  { name: 'delistedOn', type: 'string', description: 'Release in which the party was delisted', value: (c) => c.node.delistedOn ?? null },
  { name: 'programs', type: 'string', description: `Sanctions programs ("${JOIN}"-joined; with provenance in programSources)`, value: (c) => joined(c.party?.programs.map((p) => p.program)) },
  {
    name: 'programSources',
    type: 'string',
    description: 'JSON array of {program, dataset, release, record}: each program with the statement that lists the party under it',
    value: (c) => json(c.party?.programs),
  },
  { name: 'aliases', type: 'string', description: 'JSON array of {name, type (a.k.a., f.k.a., n.k.a., d.b.a.), quality (strong, weak or null: not stated)}', value: (c) => json(c.party?.aliases) },
  {
    name: 'identifiers',
    type: 'string',
    description: "JSON array of {id, type, value, country, label (the source's wording), issued, expires, dataset, release, record}",
    value: (c) => json(c.party?.identifiers),
  },
  { name: 'addresses', type: 'string', description: 'JSON array of {id, full, street, city, country, dataset, release, record}', value: (c) => json(c.party?.addresses) },
  { name: 'birthDates', type: 'string', description: `Dates of birth as the source writes them ("${JOIN}"-joined)`, value: (c) => joined(c.party?.birthDates) },
  { name: 'birthPlaces', type: 'string', description: `Places of birth ("${JOIN}"-joined)`, value: (c) => joined(c.party?.birthPlaces) },
  { name: 'nationalities', type: 'string', description: `Nationalities (of an organisation: country of registration; "${JOIN}"-joined)`, value: (c) => joined(c.party?.nationalities) },
  { name: 'citizenships', type: 'string', description: `Citizenships ("${JOIN}"-joined)`, value: (c) => joined(c.party?.citizenships) },
  { name: 'gender', type: 'string', description: 'Gender as the source states it', value: (c) => c.party?.gender ?? null },
  { name: 'titles', type: 'string', description: `Titles ("${JOIN}"-joined)`, value: (c) => joined(c.party?.titles) },
  { name: 'remarks', type: 'string', description: "The source's remarks, whole", value: (c) => c.party?.remarks ?? null },
  {
    name: 'vessel',
    type: 'string',
    description: 'JSON object {callSign, type, tonnage, grossTonnage, flag, owner}: a vessel\'s details as the source states them',
    value: (c) => (c.party?.vessel ? JSON.stringify(c.party.vessel) : null),
  },
  { name: 'full', type: 'string', description: "An address's full text", value: (c) => field(c, 'full') },
  { name: 'street', type: 'string', description: "An address's street", value: (c) => field(c, 'street') },
  { name: 'city', type: 'string', description: "An address's city (with state, province or postal code)", value: (c) => field(c, 'city') },
  { name: 'country', type: 'string', description: "An address's or identifier's country, as the source names it", value: (c) => field(c, 'country') },
  { name: 'identifierType', type: 'string', description: "An identifier's type: passport, taxId, email, cryptoWallet, ...", value: (c) => field(c, 'type') },
  { name: 'value', type: 'string', description: "An identifier's value", value: (c) => field(c, 'value') },
  {
    name: 'dataset',
    type: 'string',
    description: "Provenance of the node's own fields: the dataset (a party: of its last changed statement; a fact: of the load that first stated it)",
    value: (c) => c.party?.source.dataset ?? c.fact?.source.dataset ?? null,
  },
  { name: 'release', type: 'string', description: 'Provenance: the release of that dataset', value: (c) => c.party?.source.release ?? c.fact?.source.release ?? null },
  { name: 'record', type: 'string', description: 'Provenance: where in the source, e.g. sdn.csv:12344 (ent_num 43379)', value: (c) => c.party?.source.record ?? c.fact?.source.record ?? null },
];

const EDGE_ATTRS: Attr<ExportEdge>[] = [
  { name: 'type', type: 'string', description: 'Relationship type: UNKNOWN_LINK, OWNERSHIP, DIRECTORSHIP, FAMILY, ASSOCIATE, HAS_ADDRESS, HAS_IDENTIFIER, SANCTION, POSSIBLY_SAME_AS', value: (e) => e.type },
  { name: 'label', type: 'string', description: "The source's wording, e.g. Linked To, Owned or Controlled By, or an identifier's label", value: (e) => e.label ?? null },
  { name: 'percentage', type: 'string', description: 'Ownership share as the source states it', value: (e) => e.percentage ?? null },
  { name: 'startDate', type: 'string', description: 'When the relationship started, as the source dates it', value: (e) => e.startDate },
  { name: 'endDate', type: 'string', description: 'When the relationship ended, as the source dates it', value: (e) => e.endDate },
  { name: 'issued', type: 'string', description: "An identifier's issue date", value: (e) => e.issued },
  { name: 'expires', type: 'string', description: "An identifier's expiry date", value: (e) => e.expires },
  { name: 'sourceId', type: 'string', description: "The source's own id of the relationship", value: (e) => e.sourceId },
  { name: 'dataset', type: 'string', description: 'Provenance: the dataset that states the relationship', value: (e) => e.dataset ?? null },
  { name: 'release', type: 'string', description: 'Provenance: the release of that dataset', value: (e) => e.release ?? null },
  { name: 'record', type: 'string', description: 'Provenance: where in the source, e.g. sdn.csv:14528 (ent_num 48260)', value: (e) => e.record ?? null },
];

function contexts(g: ExportGraph): NodeCtx[] {
  return g.nodes.map((node) => ({ node, party: isPartyKind(node.kind) ? g.parties.get(node.id) : undefined, fact: g.facts.get(node.id) }));
}

/** What the export holds, in words, for the files' own descriptions. */
function summary(g: ExportGraph): string {
  const releases = g.datasets.map((d) => `${d.name} ${d.release ?? '?'}${d.title && d.title !== d.name ? ` (${d.title})` : ''}`);
  return (
    `sanctions-graph export of ${g.exportedAt}: ${g.nodes.length} nodes, ${g.edges.length} relationships${g.truncated ? ' (cut at the limit: more were within reach)' : ''}; ` +
    `datasets: ${releases.length ? releases.join(', ') : 'none'}.`
  );
}

export function xml(s: Value | undefined): string {
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

export function graphml(g: ExportGraph): string {
  const key = (id: string, kind: 'node' | 'edge', a: Attr<never>) =>
    `  <key id="${id}" for="${kind}" attr.name="${a.name}" attr.type="${a.type}"><desc>${xml(a.description)}</desc></key>`;
  const data = <T>(attrs: Attr<T>[], prefix: string, x: T) =>
    attrs
      .map((a) => [a, a.value(x)] as const)
      .filter(([, v]) => v !== null)
      .map(([a, v]) => `<data key="${prefix}${a.name}">${xml(v)}</data>`)
      .join('');
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    '  xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    `  <desc>${xml(summary(g))} Lists of plain values are "${JOIN}"-joined; lists of records are JSON arrays (each key's description says which).</desc>`,
    ...NODE_ATTRS.map((a) => key(`n_${a.name}`, 'node', a as Attr<never>)),
    ...EDGE_ATTRS.map((a) => key(`e_${a.name}`, 'edge', a as Attr<never>)),
    '  <graph id="sanctions-graph" edgedefault="directed">',
  ];
  for (const c of contexts(g)) out.push(`    <node id="${xml(c.node.id)}">${data(NODE_ATTRS, 'n_', c)}</node>`);
  for (const e of g.edges) out.push(`    <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}">${data(EDGE_ATTRS, 'e_', e)}</edge>`);
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}

const GEXF_TYPES = { string: 'string', int: 'integer', boolean: 'boolean' } as const;

export function gexf(g: ExportGraph): string {
  // GEXF gives nodes and edges their label as an XML attribute, so the label is not a declared attribute
  // too (an edge's label is the source's wording; it has none when the source states none).
  const nodeAttrs = NODE_ATTRS.filter((a) => a.name !== 'label');
  const edgeAttrs = EDGE_ATTRS.filter((a) => a.name !== 'label');
  const declare = (attrs: Attr<never>[]) => attrs.map((a) => `<attribute id="${a.name}" title="${a.name}" type="${GEXF_TYPES[a.type]}"/>`).join('');
  const values = <T>(attrs: Attr<T>[], x: T) =>
    attrs
      .map((a) => [a, a.value(x)] as const)
      .filter(([, v]) => v !== null)
      .map(([a, v]) => `<attvalue for="${a.name}" value="${xml(v)}"/>`)
      .join('');
  const describe =
    `${summary(g)} Node and edge attributes: lists of plain values (datasets, programs, birthDates, birthPlaces, nationalities, citizenships, titles) are "${JOIN}"-joined; ` +
    'lists of records (aliases, identifiers, addresses, programSources) and vessel are JSON; dataset, release and record are the provenance.';
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">',
    `  <meta lastmodifieddate="${g.exportedAt.slice(0, 10)}"><creator>sanctions-graph</creator><description>${xml(describe)}</description></meta>`,
    '  <graph defaultedgetype="directed" mode="static">',
    `    <attributes class="node">${declare(nodeAttrs as Attr<never>[])}</attributes>`,
    `    <attributes class="edge">${declare(edgeAttrs as Attr<never>[])}</attributes>`,
    '    <nodes>',
  ];
  for (const c of contexts(g)) out.push(`      <node id="${xml(c.node.id)}" label="${xml(c.node.label)}"><attvalues>${values(nodeAttrs, c)}</attvalues></node>`);
  out.push('    </nodes>', '    <edges>');
  for (const e of g.edges) {
    const label = e.label ? ` label="${xml(e.label)}"` : '';
    out.push(`      <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}"${label}><attvalues>${values(edgeAttrs, e)}</attvalues></edge>`);
  }
  out.push('    </edges>', '  </graph>', '</gexf>', '');
  return out.join('\n');
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(v: Value): string {
  let s = String(v ?? '');
  // A text starting with = + - @ would run as a formula in a spreadsheet (CSV injection): mark it as text.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvTable(header: string[], rows: Value[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const PROVENANCE = ['dataset', 'release', 'record'] as const;

/** The long tables: one row per fact of a party, each with the party's id and the statement's provenance. */
const TABLES: { file: string; what: string; header: string[]; rows: (p: ExportParty) => Value[][] }[] = [
  {
    file: 'aliases.csv',
    what: "one row per alias of a party: its type (a.k.a., f.k.a., n.k.a., d.b.a.) and quality (strong, weak, or empty where the source does not say); provenance is the party's own",
    header: ['partyId', 'name', 'type', 'quality', ...PROVENANCE],
    rows: (p) => p.aliases.map((a) => [p.id, a.name, a.type, a.quality, p.source.dataset, p.source.release, p.source.record]),
  },
  {
    file: 'identifiers.csv',
    what: "one row per identifier a party holds: type, value, issuing country, the source's label, issue and expiry dates; identifierId is the shared Identifier node (equal for every holder)",
    header: ['partyId', 'identifierId', 'type', 'value', 'country', 'label', 'issued', 'expires', ...PROVENANCE],
    rows: (p) => p.identifiers.map((i) => [p.id, i.id, i.type, i.value, i.country, i.label, i.issued, i.expires, i.dataset, i.release, i.record]),
  },
  {
    file: 'addresses.csv',
    what: 'one row per address a party used; addressId is the shared Address node (equal for everyone at that address)',
    header: ['partyId', 'addressId', 'full', 'street', 'city', 'country', ...PROVENANCE],
    rows: (p) => p.addresses.map((a) => [p.id, a.id, a.full, a.street, a.city, a.country, a.dataset, a.release, a.record]),
  },
  {
    file: 'programs.csv',
    what: 'one row per sanctions program a party is listed under',
    header: ['partyId', 'program', ...PROVENANCE],
    rows: (p) => p.programs.map((g) => [p.id, g.program, g.dataset, g.release, g.record]),
  },
  {
    file: 'details.csv',
    what: "one row per other stated fact of a party (field: birthDate, birthPlace, nationality, citizenship, gender, title, vessel details); provenance is the party's own",
    header: ['partyId', 'field', 'value', ...PROVENANCE],
    rows: (p) => {
      const fields: [string, string][] = [
        ...p.birthDates.map((v) => ['birthDate', v] as [string, string]),
        ...p.birthPlaces.map((v) => ['birthPlace', v] as [string, string]),
        ...p.nationalities.map((v) => ['nationality', v] as [string, string]),
        ...p.citizenships.map((v) => ['citizenship', v] as [string, string]),
        ...(p.gender ? [['gender', p.gender] as [string, string]] : []),
        ...p.titles.map((v) => ['title', v] as [string, string]),
        ...Object.entries(p.vessel ?? {}).flatMap(([k, v]) => (v ? [[`vessel${k.charAt(0).toUpperCase()}${k.slice(1)}`, v] as [string, string]] : [])),
      ];
      return fields.map(([f, v]) => [p.id, f, v, p.source.dataset, p.source.release, p.source.record]);
    },
  },
  {
    file: 'listings.csv',
    what: 'one row per party: the datasets that list it now, its designation date (listedOn), first release seen, delisting, and where its own fields come from',
    header: ['partyId', 'name', 'kind', 'placeholder', 'datasets', 'listedOn', 'firstSeen', 'delistedOn', ...PROVENANCE],
    rows: (p) => [[p.id, p.name, p.kind, p.placeholder, p.datasets.join(JOIN), p.listedOn, p.firstSeen, p.delistedOn, p.source.dataset, p.source.release, p.source.record]],
  },
];

export function csvZip(g: ExportGraph): Uint8Array {
  const ctx = contexts(g);
  const parties = ctx.flatMap((c) => (c.party ? [c.party] : []));
  const files: Record<string, Uint8Array> = {
    'nodes.csv': strToU8(csvTable(['id', ...NODE_ATTRS.map((a) => a.name)], ctx.map((c) => [c.node.id, ...NODE_ATTRS.map((a) => a.value(c))]))),
    'edges.csv': strToU8(csvTable(['id', 'source', 'target', ...EDGE_ATTRS.map((a) => a.name)], g.edges.map((e) => [e.id, e.source, e.target, ...EDGE_ATTRS.map((a) => a.value(e))]))),
  };
  for (const t of TABLES) files[t.file] = strToU8(csvTable(t.header, parties.flatMap(t.rows)));
  files['datasets.csv'] = strToU8(
    csvTable(
      ['name', 'title', 'publisher', 'release', 'releases', 'loadedAt'],
      g.datasets.map((d) => [d.name, d.title, d.publisher, d.release, d.releases.join(JOIN), d.loadedAt]),
    ),
  );
  files['README.txt'] = strToU8(readme(g));
  return zipSync(files);
}

function readme(g: ExportGraph): string {
  const col = (attrs: Attr<never>[]) => attrs.map((a) => `    ${a.name}: ${a.description}`).join('\n');
  return [
    summary(g),
    '',
    'Datasets and releases exported:',
    ...(g.datasets.length
      ? g.datasets.map((d) => `  ${d.name}: release ${d.release ?? '?'} (loaded ${d.loadedAt ?? '?'}; releases loaded: ${d.releases.join(', ') || '-'})${d.title ? ` - ${d.title}` : ''}${d.publisher ? `, ${d.publisher}` : ''}`)
      : ['  none']),
    '',
    'Files (UTF-8 CSV, RFC 4180, header row; a text starting with = + - @ is prefixed with \' so that spreadsheets do not run it):',
    '  nodes.csv: one row per node (parties, addresses, identifiers, programs). Columns:',
    '    id: the node id (ofac-<uid> for OFAC entries, un-<reference> for UN ones, the FtM id for OpenSanctions)',
    col(NODE_ATTRS as Attr<never>[]),
    '  edges.csv: one row per relationship (source -> target). Columns: id, source, target, and',
    col(EDGE_ATTRS as Attr<never>[]),
    ...TABLES.map((t) => `  ${t.file}: ${t.what}. Columns: ${t.header.join(', ')}.`),
    '  datasets.csv: the datasets above, one row each. Columns: name, title, publisher, release, releases, loadedAt.',
    '',
    `Provenance (dataset, release, record) says which dataset and release state a fact, and where in the source file (file:line and the source's own id).`,
    `Lists in nodes.csv are "${JOIN}"-joined (plain values) or JSON arrays (records); the long tables hold the same facts one per row.`,
    '',
  ].join('\r\n');
}

/** A fact node's fields for Cytoscape, named as in the other formats (an identifier's type is identifierType). */
function factData(f: ExportFact): Record<string, string | null> {
  const { type, ...rest } = f.fields;
  return { ...rest, ...(type ? { identifierType: type } : {}), ...f.source };
}

export function cytoscapeJson(g: ExportGraph): string {
  const ctx = contexts(g);
  return JSON.stringify({
    format_version: '1.0',
    generated_by: 'sanctions-graph',
    data: { description: summary(g), exportedAt: g.exportedAt, truncated: g.truncated, datasets: g.datasets },
    elements: {
      nodes: ctx.map((c) => ({
        data: {
          ...c.node,
          ...(c.party
            ? {
                aliases: c.party.aliases,
                programSources: c.party.programs,
                identifiers: c.party.identifiers,
                addresses: c.party.addresses,
                birthDates: c.party.birthDates,
                birthPlaces: c.party.birthPlaces,
                nationalities: c.party.nationalities,
                citizenships: c.party.citizenships,
                gender: c.party.gender,
                titles: c.party.titles,
                remarks: c.party.remarks,
                vessel: c.party.vessel,
                datasets: c.party.datasets,
                listedOn: c.party.listedOn,
                firstSeen: c.party.firstSeen,
                ...c.party.source,
              }
            : {}),
          ...(c.fact ? factData(c.fact) : {}),
        },
      })),
      edges: g.edges.map((e) => ({ data: { ...e } })),
    },
  });
}
