/**
 * What an export carries besides the subgraph's shape (graph.ts): the evidence. For each party its
 * aliases, programs, identifiers, addresses, dates, nationalities, datasets and listing, each fact with
 * the provenance of the statement (dataset, release, record); for each relationship its dates and
 * source id; for each fact node (address, identifier, program) its own fields; and the datasets drawn
 * on. Read in four bounded queries (cypher/api-export-*.cypher) whatever the size of the export, so a
 * 5,000-node export costs four round trips, not one per node.
 */
import neo4j from 'neo4j-driver';
import type { FactKind, PartyRecord } from '../core/model';
import { isFactKind, isPartyKind } from '../core/model';
import { fromNode } from '../core/party-node';
import type { Database } from '../core/neo4j/database';
import type { ExportOwnership } from './export-ownership';
import type { GraphEdge, GraphNode, Subgraph } from './graph';
import { LIMITS } from './validate';

/** Where a statement comes from; null parts where the graph does not say (e.g. a party only referenced). */
export interface Source {
  dataset: string | null;
  release: string | null;
  record: string | null;
}

export interface ExportAddress extends Source {
  id: string;
  full: string;
  street: string | null;
  city: string | null;
  country: string | null;
}

export interface ExportIdentifier extends Source {
  id: string;
  type: string;
  value: string;
  country: string | null;
  /** The source's own label, e.g. "Tax ID No.". */
  label: string | null;
  issued: string | null;
  expires: string | null;
}

export interface ExportProgram extends Source {
  program: string;
}

/**
 * A party with everything the graph states about it: its record as the model reads it back (party-node.ts
 * fromNode), each program with the statement that lists it, its addresses and identifiers, its listing.
 * Aliases and the party's own fields cite `source`.
 */
export type ExportParty = Omit<PartyRecord, 'programs' | 'provenance' | 'listedOn'> & {
  placeholder: boolean;
  programs: ExportProgram[];
  identifiers: ExportIdentifier[];
  addresses: ExportAddress[];
  /** Datasets that list the party now (empty when delisted or only referenced). */
  datasets: string[];
  /** Designation date when the source gives one. */
  listedOn: string | null;
  /** First release of a loaded dataset that listed the party. */
  firstSeen: string | null;
  delistedOn: string | null;
  source: Source;
};

/** An address, identifier or program node with its own fields and the load that first stated it. */
export interface ExportFact {
  id: string;
  kind: FactKind;
  /** Address: full, street, city, country; Identifier: type, value, country; Program: name. */
  fields: Record<string, string | null>;
  source: Source;
}

/** A relationship with every field the graph keeps on it. */
export type ExportEdge = GraphEdge & {
  startDate: string | null;
  endDate: string | null;
  /** The source's own id of the relationship (FtM entity id, OFAC relationship id), when it has one. */
  sourceId: string | null;
  /** An identifier's issue and expiry dates (HAS_IDENTIFIER). */
  issued: string | null;
  expires: string | null;
};

export interface DatasetInfo {
  name: string;
  title: string | null;
  publisher: string | null;
  release: string | null;
  releases: string[];
  loadedAt: string | null;
}

/** The subgraph of an export with its evidence. */
export interface ExportGraph {
  nodes: GraphNode[];
  edges: ExportEdge[];
  /** The parties among the nodes, by id (every party node has one). */
  parties: Map<string, ExportParty>;
  /** The fact nodes among the nodes, by id. */
  facts: Map<string, ExportFact>;
  /** The datasets the export's statements come from. */
  datasets: DatasetInfo[];
  truncated: boolean;
  /** When the export was made (ISO 8601). */
  exportedAt: string;
  /** The day the export reads the network as of (its request's asOf); undefined: as it stands. */
  asOf?: string;
  /**
   * The ownership verdicts of the owned company-like parties, by party id (export-ownership.ts; set by
   * buildExport, absent where an export is made without them, e.g. the case report's reading).
   */
  ownership?: Map<string, ExportOwnership>;
}

export type PartyRow = {
  party: Record<string, unknown>;
  placeholder: boolean;
  addresses: ExportAddress[];
  identifiers: ExportIdentifier[];
  programs: ExportProgram[];
};
type EdgeRow = Pick<ExportEdge, 'id' | 'startDate' | 'endDate' | 'sourceId' | 'issued' | 'expires'>;
type FactRow = { kind: string; fact: Record<string, string | null> };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A party row of api-export-parties as the export holds it (exported for the unit tests). */
export function toParty(row: PartyRow): ExportParty {
  const { programs, provenance, listedOn, ...own } = fromNode(row.party);
  const source: Source = { dataset: provenance.dataset || null, release: provenance.release || null, record: provenance.record || null };
  // A program entry without a program (the all-null row an OPTIONAL MATCH leaves) would make an unlisted
  // party look listed in every format; the query drops those, and so does this.
  const stated = row.programs.filter((r) => typeof r?.program === 'string' && r.program !== '');
  return {
    ...own,
    placeholder: row.placeholder,
    // A program the party's own list names but no SANCTION relationship states (none should be) still
    // counts, citing the party's own provenance.
    programs: [...stated, ...programs.filter((name) => !stated.some((r) => r.program === name)).map((program) => ({ program, ...source }))],
    identifiers: row.identifiers,
    addresses: row.addresses,
    datasets: strs(row.party.datasets),
    listedOn: listedOn ?? null,
    firstSeen: str(row.party.firstSeen),
    delistedOn: str(row.party.delistedOn),
    source,
  };
}

const cmp = (a: string | null | undefined, b: string | null | undefined): number => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

/**
 * The relationships in a fixed order (api-subgraph-edges has none, and the database's may change between
 * two runs of one export): type, source, target, the source's own id, dataset, record, wording, and the
 * element id last, so two exports of the same graph are the same file.
 */
export function byEdgeOrder(a: ExportEdge, b: ExportEdge): number {
  return (
    cmp(a.type, b.type) ||
    cmp(a.source, b.source) ||
    cmp(a.target, b.target) ||
    cmp(a.sourceId, b.sourceId) ||
    cmp(a.dataset, b.dataset) ||
    cmp(a.record, b.record) ||
    cmp(a.label, b.label) ||
    cmp(a.id, b.id)
  );
}

/**
 * The evidence of a subgraph: four queries (parties, relationships, fact nodes, datasets), each one
 * UNWIND over the export's ids, so the work grows with the export's size and each party's facts are
 * capped at LIMITS.entityFacts of each kind, as in the entity view.
 */
export async function readEvidence(db: Database, sub: Subgraph): Promise<ExportGraph> {
  const partyIds = sub.nodes.filter((n) => isPartyKind(n.kind)).map((n) => n.id);
  const factIds = sub.nodes.filter((n) => isFactKind(n.kind)).map((n) => n.id);
  const [partyRows, edgeRows, factRows] = await Promise.all([
    partyIds.length ? db.read<PartyRow>('api-export-parties', { ids: partyIds, perParty: neo4j.int(LIMITS.entityFacts) }) : [],
    sub.edges.length ? db.read<EdgeRow>('api-export-edges', { ids: sub.edges.map((e) => e.id) }) : [],
    factIds.length ? db.read<FactRow>('api-export-facts', { ids: factIds }) : [],
  ]);
  const parties = new Map(partyRows.map((r) => [str(r.party.id) ?? '', toParty(r)]));
  const facts = new Map<string, ExportFact>();
  for (const r of factRows) {
    if (!isFactKind(r.kind) || !r.fact.id) continue;
    const { id, dataset, release, record, ...fields } = r.fact;
    facts.set(id, { id, kind: r.kind, fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)), source: { dataset, release, record } });
  }
  const extra = new Map(edgeRows.map((r) => [r.id, r]));
  const edges: ExportEdge[] = sub.edges
    .map((e) => {
      const x = extra.get(e.id);
      return { ...e, startDate: x?.startDate ?? null, endDate: x?.endDate ?? null, sourceId: x?.sourceId ?? null, issued: x?.issued ?? null, expires: x?.expires ?? null };
    })
    .sort(byEdgeOrder);

  const names = new Set<string>();
  const note = (d: string | null | undefined) => d && names.add(d);
  for (const p of parties.values()) {
    p.datasets.forEach(note);
    note(p.source.dataset);
    for (const f of [...p.programs, ...p.identifiers, ...p.addresses]) note(f.dataset);
  }
  for (const e of edges) note(e.dataset);
  for (const f of facts.values()) note(f.source.dataset);
  const datasets = names.size ? await db.read<DatasetInfo>('api-export-datasets', { names: [...names] }) : [];
  return { nodes: sub.nodes, edges, parties, facts, datasets, truncated: Boolean(sub.truncated), exportedAt: new Date().toISOString() };
}
