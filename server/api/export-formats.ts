/**
 * The table-like exports of a subgraph with its evidence (export-evidence.ts): GraphML and GEXF (Gephi,
 * Cytoscape desktop, networkx), CSV (a zip of tables with a README), Cytoscape.js JSON. One declaration
 * of the node and edge attributes (NODE_ATTRS, EDGE_ATTRS) serves all four, so every format carries the
 * same fields under the same names.
 *
 * GraphML: http://graphml.graphdrawing.org/specification.html (attributes declared with <key>, each with
 * a <desc>; attr.type only string, int, double, boolean: what networkx reads). GEXF 1.2 (https://gexf.net/schema.html;
 * the version Gephi and networkx read): attributes declared in <attributes class="node|edge">; GEXF has
 * no description per attribute, so the meta <description> says how lists are written.
 */
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { isPartyKind } from '../core/model';
import type { GraphNode } from './graph';
import type { ExportEdge, ExportFact, ExportGraph, ExportParty } from './export-evidence';
import { EXPORT_OWNERSHIP_LIMITS, notComputedNote, type ExportOwnership, type ExportOwnershipVerdict } from './export-ownership';

type Value = string | number | boolean | null;

/**
 * A file written in parts: its pieces, with null where the writer may pause. The HTTP export drains it
 * with drainAsync, which lets the event loop run at each pause (a 5,000-node export is seconds of work
 * that would otherwise keep /healthz and every other request waiting); tests drain it at once.
 */
export type Parts<T> = Generator<T | null, void, undefined>;

export function drain<T>(parts: Parts<T>): T[] {
  const out: T[] = [];
  for (const x of parts) if (x !== null) out.push(x);
  return out;
}

/** Called at each pause; throws to stop the writing (e.g. when the request's deadline has passed). */
export type AtPause = () => void;

export async function drainAsync<T>(parts: Parts<T>, atPause?: AtPause): Promise<T[]> {
  const out: T[] = [];
  for (const x of parts) {
    if (x !== null) out.push(x);
    else {
      await new Promise<void>((resolve) => setImmediate(resolve));
      atPause?.();
    }
  }
  return out;
}

/** Nodes or rows written between two pauses. */
const STEP = 200;

interface Attr<T> {
  name: string;
  type: 'string' | 'int' | 'double' | 'boolean';
  description: string;
  value: (x: T) => Value;
}

/** A node with what the export knows of it: its party evidence or its fact node's fields (or neither). */
interface NodeCtx {
  node: GraphNode;
  party: ExportParty | undefined;
  fact: ExportFact | undefined;
  /** Its ownership verdicts (export-ownership.ts): only a company-like party that something owns has them. */
  ownership: ExportOwnership | undefined;
}

/** Lists of plain values are written "; "-joined; lists of records as JSON arrays (exact, for programs). */
const JOIN = '; ';
const joined = (xs: readonly string[] | undefined): string | null => (xs && xs.length ? xs.join(JOIN) : null);
const json = (xs: readonly unknown[] | undefined): string | null => (xs && xs.length ? JSON.stringify(xs) : null);
const field = (c: NodeCtx, name: string): string | null => c.fact?.fields[name] ?? null;

/**
 * The ownership columns of one rule (ownership_ofac_*, ownership_eu_*): what Query.ownership answers under
 * it. Absent on a party that nothing owns (nothing to aggregate) and on one the export did not compute
 * (ownership_note says why).
 */
function ownershipAttrs(rule: 'ofac' | 'eu', ruleName: string): Attr<NodeCtx>[] {
  const v = (c: NodeCtx): ExportOwnershipVerdict | null => c.ownership?.[rule] ?? null;
  return [
    { name: `ownership_${rule}_verdict`, type: 'string', description: `${ruleName}: BLOCKED, POSSIBLY (unknown or ranged shares could reach the threshold) or NOT_BLOCKED`, value: (c) => v(c)?.verdict ?? null },
    { name: `ownership_${rule}_blocked`, type: 'boolean', description: `${ruleName}: the verdict is BLOCKED`, value: (c) => v(c)?.blocked ?? null },
    { name: `ownership_${rule}_total`, type: 'double', description: `${ruleName}: percent (0-100) held by sanctioned parties, directly and through chains, counting known shares only`, value: (c) => v(c)?.total ?? null },
    { name: `ownership_${rule}_total_high`, type: 'double', description: `${ruleName}: the same total with unknown and ranged shares at their highest`, value: (c) => v(c)?.totalHigh ?? null },
    { name: `ownership_${rule}_unknown_shares`, type: 'boolean', description: `${ruleName}: a stake counted has no percentage in the source (share unknown, never assumed)`, value: (c) => v(c)?.unknownShares ?? null },
    { name: `ownership_${rule}_arithmetic`, type: 'string', description: `${ruleName}: the arithmetic in sentences (each owner blocked by the rule, then the company, then control), one string`, value: (c) => v(c)?.arithmetic.join(' ') ?? null },
    {
      name: `ownership_${rule}_chains`,
      type: 'string',
      description: `${ruleName}: JSON array of {path (party ids from the listed party to the company), links (edge ids), share (economic interest, null when a share is unknown or ranged), counted, arithmetic}`,
      value: (c) => json(v(c)?.chains),
    },
  ];
}

/** The ownership columns (export-ownership.ts), after the evidence. */
const OWNERSHIP_ATTRS: Attr<NodeCtx>[] = [
  { name: 'ownership_asOf', type: 'string', description: "The day of the ownership verdicts (the export's asOf, else the day it was made, UTC); set on every company-like party that something owns", value: (c) => c.ownership?.asOf ?? null },
  { name: 'ownership_note', type: 'string', description: `Why an owned party has no ownership verdict, e.g. "${notComputedNote(EXPORT_OWNERSHIP_LIMITS.companies)}"`, value: (c) => c.ownership?.notComputed ?? null },
  { name: 'ownership_truncated', type: 'boolean', description: 'A bound cut the ownership tree or its chains: owners may be missing from the verdicts', value: (c) => (c.ownership && !c.ownership.notComputed ? c.ownership.truncated : null) },
  ...ownershipAttrs('ofac', "OFAC's 50 percent rule (50% or more)"),
  ...ownershipAttrs('eu', "EU's test (more than 50%)"),
];

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
  { name: 'programName', type: 'string', description: "A program's name as the source writes it", value: (c) => (c.node.kind === 'Program' ? field(c, 'name') : null) },
  {
    name: 'dataset',
    type: 'string',
    description: "Provenance of the node's own fields: the dataset (a party: of its last changed statement; a fact: of the load that first stated it)",
    value: (c) => c.party?.source.dataset ?? c.fact?.source.dataset ?? null,
  },
  { name: 'release', type: 'string', description: 'Provenance: the release of that dataset', value: (c) => c.party?.source.release ?? c.fact?.source.release ?? null },
  { name: 'record', type: 'string', description: 'Provenance: where in the source, e.g. sdn.csv:12344 (ent_num 43379)', value: (c) => c.party?.source.record ?? c.fact?.source.record ?? null },
  ...OWNERSHIP_ATTRS,
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
  return g.nodes.map((node) => ({ node, party: isPartyKind(node.kind) ? g.parties.get(node.id) : undefined, fact: g.facts.get(node.id), ownership: g.ownership?.get(node.id) }));
}

/** What the export holds, in words, for the files' own descriptions. */
function summary(g: ExportGraph): string {
  const releases = g.datasets.map((d) => `${d.name} ${d.release ?? '?'}${d.title && d.title !== d.name ? ` (${d.title})` : ''}`);
  return (
    `sanctions-graph export of ${g.exportedAt}${g.asOf ? `, the network as of ${g.asOf}` : ''}: ${g.nodes.length} nodes, ${g.edges.length} relationships${g.truncated ? ' (cut at the limit: more were within reach)' : ''}; ` +
    `datasets: ${releases.length ? releases.join(', ') : 'none'}.`
  );
}

export function xml(s: Value | undefined): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // In an attribute value a parser turns a raw tab or line break into a space (XML 1.0 section 3.3.3):
    // written as character references they survive, in attributes and text alike.
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    // Characters XML 1.0 cannot hold at all (control characters other than tab and newlines): matching
    // control characters is the point here.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

export function graphml(g: ExportGraph): string {
  return drain(graphmlParts(g)).join('\n');
}

export function* graphmlParts(g: ExportGraph): Parts<string> {
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
  yield* out;
  let n = 0;
  for (const c of contexts(g)) {
    yield `    <node id="${xml(c.node.id)}">${data(NODE_ATTRS, 'n_', c)}</node>`;
    if (++n % STEP === 0) yield null;
  }
  for (const e of g.edges) {
    yield `    <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}">${data(EDGE_ATTRS, 'e_', e)}</edge>`;
    if (++n % STEP === 0) yield null;
  }
  yield* ['  </graph>', '</graphml>', ''];
}

const GEXF_TYPES = { string: 'string', int: 'integer', double: 'double', boolean: 'boolean' } as const;

export function gexf(g: ExportGraph): string {
  return drain(gexfParts(g)).join('\n');
}

export function* gexfParts(g: ExportGraph): Parts<string> {
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
    'lists of records (aliases, identifiers, addresses, programSources, ownership_*_chains) and vessel are JSON; dataset, release and record are the provenance; ' +
    "ownership_* are the verdicts of OFAC's and the EU's ownership rules on an owned company as of ownership_asOf.";
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">',
    `  <meta lastmodifieddate="${g.exportedAt.slice(0, 10)}"><creator>sanctions-graph</creator><description>${xml(describe)}</description></meta>`,
    '  <graph defaultedgetype="directed" mode="static">',
    `    <attributes class="node">${declare(nodeAttrs as Attr<never>[])}</attributes>`,
    `    <attributes class="edge">${declare(edgeAttrs as Attr<never>[])}</attributes>`,
    '    <nodes>',
  ];
  yield* out;
  let n = 0;
  for (const c of contexts(g)) {
    yield `      <node id="${xml(c.node.id)}" label="${xml(c.node.label)}"><attvalues>${values(nodeAttrs, c)}</attvalues></node>`;
    if (++n % STEP === 0) yield null;
  }
  yield* ['    </nodes>', '    <edges>'];
  for (const e of g.edges) {
    const label = e.label ? ` label="${xml(e.label)}"` : '';
    yield `      <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}"${label}><attvalues>${values(edgeAttrs, e)}</attvalues></edge>`;
    if (++n % STEP === 0) yield null;
  }
  yield* ['    </edges>', '  </graph>', '</gexf>', ''];
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(v: Value): string {
  let s = String(v ?? '');
  // A text starting with = + - @ would run as a formula in a spreadsheet (CSV injection): mark it as text.
  // A phone number in E.164 (+ and digits only) is no formula and stays as the source states it: a
  // spreadsheet may show it as a number, but it runs nothing (README.txt says so).
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^\+\d[\d ]*$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A CSV file with a byte order mark: Excel reads a CSV without one in the machine's code page, which
 * mangles every non-Latin name (Cyrillic, Arabic, Hangul); csv-parse (bom: true), pandas (utf-8-sig) and
 * LibreOffice read it.
 */
function* csvTable(header: string[], rows: Iterable<Value[]>): Parts<string> {
  yield '\ufeff' + header.map(csvField).join(',') + '\r\n';
  let n = 0;
  for (const r of rows) {
    yield r.map(csvField).join(',') + '\r\n';
    if (++n % STEP === 0) yield null;
  }
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

const OWNERSHIP_HEADER = ['companyId', 'rule', 'asOf', 'verdict', 'total', 'totalHigh', 'blocked', 'unknownShares', 'chain', 'chainShare', 'chainCounted', 'arithmetic', 'path', 'links', 'note'];

/**
 * ownership.csv: for each owned company and rule, a row with the verdict and the whole arithmetic
 * (chain empty), then one row per chain (chain 1, 2, ...: its economic share, what it counts, its
 * arithmetic, the party ids from the listed party to the company and the relationships' ids); an owned
 * company the export did not compute is one row with the note.
 */
function* ownershipRows(g: ExportGraph): Generator<Value[]> {
  for (const n of g.nodes) {
    const o = g.ownership?.get(n.id);
    if (!o) continue;
    if (o.notComputed) {
      yield [n.id, null, o.asOf, null, null, null, null, null, null, null, null, null, null, null, o.notComputed];
      continue;
    }
    for (const v of [o.ofac, o.eu]) {
      if (!v) continue;
      const head = [n.id, v.rule, o.asOf, v.verdict, v.total, v.totalHigh, v.blocked, v.unknownShares];
      yield [...head, null, null, null, v.arithmetic.join(' '), null, null, o.truncated ? 'a bound cut the ownership tree or its chains: owners may be missing' : null];
      let i = 0;
      for (const c of v.chains) yield [...head, ++i, c.share, c.counted, c.arithmetic, c.path.join(JOIN), c.links.join(JOIN), null];
    }
  }
}

export function csvZip(g: ExportGraph): Uint8Array {
  return concat(drain(csvZipParts(g)));
}

export async function csvZipAsync(g: ExportGraph, atPause?: AtPause): Promise<Uint8Array> {
  return concat(await drainAsync(csvZipParts(g), atPause));
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Bytes deflated between two pauses. */
const ZIP_CHUNK = 256 * 1024;

/**
 * The CSV zip in parts: each table written with pauses, then deflated through fflate's streaming Zip a
 * chunk at a time with a pause after each (zipSync deflated the whole export in one go).
 */
function* csvZipParts(g: ExportGraph): Parts<Uint8Array> {
  const ctx = contexts(g);
  const parties = ctx.flatMap((c) => (c.party ? [c.party] : []));
  function* rowsOf(t: (typeof TABLES)[number]): Generator<Value[]> {
    for (const p of parties) yield* t.rows(p);
  }
  function* nodeRows(): Generator<Value[]> {
    for (const c of ctx) yield [c.node.id, ...NODE_ATTRS.map((a) => a.value(c))];
  }
  function* edgeRows(): Generator<Value[]> {
    for (const e of g.edges) yield [e.id, e.source, e.target, ...EDGE_ATTRS.map((a) => a.value(e))];
  }
  const tables: [string, Parts<string>][] = [
    ['nodes.csv', csvTable(['id', ...NODE_ATTRS.map((a) => a.name)], nodeRows())],
    ['edges.csv', csvTable(['id', 'source', 'target', ...EDGE_ATTRS.map((a) => a.name)], edgeRows())],
    ...TABLES.map((t) => [t.file, csvTable(t.header, rowsOf(t))] as [string, Parts<string>]),
    ['ownership.csv', csvTable(OWNERSHIP_HEADER, ownershipRows(g))],
    [
      'datasets.csv',
      csvTable(
        ['name', 'title', 'publisher', 'release', 'releases', 'loadedAt'],
        g.datasets.map((d) => [d.name, d.title, d.publisher, d.release, d.releases.join(JOIN), d.loadedAt]),
      ),
    ],
  ];
  const out: Uint8Array[] = [];
  let failed: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failed = err;
    else out.push(data);
  });
  const file = function* (name: string, text: Iterable<string | null>): Parts<Uint8Array> {
    // Dated by the export, not by the moment each file is deflated: one export, one set of bytes.
    const entry = new ZipDeflate(name, { level: 6 });
    entry.mtime = new Date(g.exportedAt);
    zip.add(entry);
    let pending: string[] = [];
    let size = 0;
    for (const piece of text) {
      if (piece === null) {
        yield null;
        continue;
      }
      pending.push(piece);
      size += piece.length;
      if (size >= ZIP_CHUNK) {
        entry.push(strToU8(pending.join('')));
        [pending, size] = [[], 0];
        yield* out.splice(0);
        yield null;
      }
    }
    entry.push(strToU8(pending.join('')), true);
    yield* out.splice(0);
  };
  for (const [name, text] of tables) yield* file(name, text);
  yield* file('README.txt', [readme(g)]);
  zip.end();
  if (failed) throw failed;
  yield* out.splice(0);
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
    'Files (UTF-8 CSV with a byte order mark so that Excel reads non-Latin names, RFC 4180, header row):',
    "  A value starting with = + - @ (or a tab or carriage return) is written with a ' before it, so that spreadsheets do not run it as a formula;",
    "  remove that first ' to get the source's value. A phone number in E.164 (+ and digits only) is kept as it is: it is no formula,",
    '  though a spreadsheet may show it as a number (import the column as text to keep the +).',
    '  nodes.csv: one row per node (parties, addresses, identifiers, programs). Columns:',
    '    id: the node id (ofac-<uid> for OFAC entries, un-<reference> for UN ones, the FtM id for OpenSanctions)',
    col(NODE_ATTRS as Attr<never>[]),
    '  edges.csv: one row per relationship (source -> target). Columns: id, source, target, and',
    col(EDGE_ATTRS as Attr<never>[]),
    ...TABLES.map((t) => `  ${t.file}: ${t.what}. Columns: ${t.header.join(', ')}.`),
    `  ownership.csv: the ownership of each company-like party that something owns, by sanctioned parties, under OFAC's 50 percent rule (50% or more) and the EU's test (more than 50%), as of asOf. ` +
      'For each company and rule a row with the verdict (BLOCKED, POSSIBLY, NOT_BLOCKED), total (percent, known shares), totalHigh (unknown and ranged shares at their highest), ' +
      'blocked, unknownShares and the whole arithmetic, chain empty; then one row per chain from a listed party down to the company (chain 1, 2, ...) with chainShare ' +
      `(the economic interest, empty when a share is unknown or ranged), chainCounted (what it adds to total), its arithmetic, path (party ids, "${JOIN}"-joined) and links (relationship ids). ` +
      `A party nothing owns has no row; an owned one not computed has one row with the note. Columns: ${OWNERSHIP_HEADER.join(', ')}.`,
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
  return drain(cytoscapeParts(g)).join('');
}

/** Cytoscape.js JSON written an element at a time (the same document JSON.stringify of the whole gives). */
export function* cytoscapeParts(g: ExportGraph): Parts<string> {
  const data = { description: summary(g), exportedAt: g.exportedAt, ...(g.asOf ? { asOf: g.asOf } : {}), truncated: g.truncated, datasets: g.datasets };
  yield `{"format_version":"1.0","generated_by":"sanctions-graph","data":${JSON.stringify(data)},"elements":{"nodes":[`;
  let n = 0;
  for (const c of contexts(g)) {
    yield (n ? ',' : '') + JSON.stringify(cytoscapeNode(c));
    if (++n % STEP === 0) yield null;
  }
  yield '],"edges":[';
  let m = 0;
  for (const e of g.edges) {
    yield (m++ ? ',' : '') + JSON.stringify({ data: { ...e } });
    if (++n % STEP === 0) yield null;
  }
  yield ']}}';
}

function cytoscapeNode(c: NodeCtx): { data: Record<string, unknown> } {
  return {
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
      // The verdicts as one object ({asOf, notComputed, listed, truncated, ofac, eu}), chains and all.
      ...(c.ownership ? { ownership: c.ownership } : {}),
    },
  };
}
