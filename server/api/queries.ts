/**
 * The read queries behind the API: each validates its input (BadInputError says what to fix), runs
 * named Cypher from cypher/ in read transactions, and returns plain objects in the API's shapes.
 */
import { BadInputError } from '../core/errors';
import { isAllowedRelType, LABELS, PARTY_KIND_NAMES, REL_TYPE_NAMES } from '../core/model';
import neo4j from 'neo4j-driver';
import { Database } from '../core/neo4j/database';
import { luceneQuery, nameSimilarity, sameWords } from '../core/text/names';
import { changedFields, releaseId } from '../core/releases';
import { describeStoredFeatures } from '../core/matching/describe';

export const LIMITS = {
  searchFirst: 100,
  searchCandidates: 300,
  searchCandidatesFiltered: 5000,
  /** Ids one subgraph request (or a neighbourhood's exclude list) may name: a large canvas. */
  subgraphIds: 5000,
  neighborhoodDepth: 3,
  neighborhoodLimit: 1000,
  maxHops: 6,
  pathLimit: 50,
  seeds: 100,
  queryLength: 200,
  listLength: 100,
} as const;

function shortList(name: string, xs: readonly string[] | null | undefined): string[] | null {
  if (!xs || xs.length === 0) return null;
  if (xs.length > LIMITS.listLength) throw new BadInputError(`${name} may hold at most ${LIMITS.listLength} values`);
  return [...xs];
}

export interface Alias {
  name: string;
  type: string;
  quality: string | null;
}
export interface EntityView {
  id: string;
  kind: string;
  name: string;
  aliases: Alias[];
  addresses: { id: string; full: string; city: string | null; country: string | null }[];
  identifiers: { id: string; type: string; value: string; country: string | null; label: string | null }[];
  programs: string[];
  datasets: string[];
  birthDates: string[];
  nationalities: string[];
  remarks: string | null;
  degree: number;
  placeholder: boolean;
  delistedOn: string | null;
  record: string | null;
  release: string | null;
  listedOn: string | null;
  firstSeen: string | null;
  birthPlaces: string[];
  gender: string | null;
  titles: string[];
  vessel: { label: string; value: string }[];
}
export interface GraphNode {
  id: string;
  kind: string;
  label: string;
  degree: number;
  placeholder: boolean;
  delistedOn: string | null;
  listedOn: string | null;
  programs: string[];
}
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  type: string;
  label: string | null;
  dataset: string | null;
  release: string | null;
  record: string | null;
  percentage: string | null;
}
export interface Subgraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

function intIn(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new BadInputError(`${name} must be a whole number from ${min} to ${max}; got ${v}`);
  return v;
}

function relTypes(types: readonly string[] | null | undefined): string[] | null {
  if (!types || types.length === 0) return null;
  if (types.length > REL_TYPE_NAMES.length) throw new BadInputError(`relationTypes may hold at most ${REL_TYPE_NAMES.length} values`);
  const bad = types.filter((t) => !isAllowedRelType(t));
  if (bad.length) throw new BadInputError(`unknown relationType ${bad.map((b) => JSON.stringify(b)).join(', ')}; known: ${REL_TYPE_NAMES.join(', ')}`);
  return [...types];
}

const VESSEL_FIELDS: [string, string][] = [
  ['vesselCallSign', 'Call sign'],
  ['vesselType', 'Vessel type'],
  ['vesselTonnage', 'Tonnage'],
  ['vesselGrossTonnage', 'Gross registered tonnage'],
  ['vesselFlag', 'Flag'],
  ['vesselOwner', 'Owner'],
];

type EntityRow = { party: Record<string, unknown>; addresses: EntityView['addresses']; identifiers: EntityView['identifiers']; degree: number; placeholder: boolean };

export async function getEntity(db: Database, id: string): Promise<EntityView | null> {
  return (await getEntities(db, [id])).get(id) ?? null;
}

/** Parties by id in one query; ids with no party are missing from the map. */
export async function getEntities(db: Database, ids: readonly string[]): Promise<Map<string, EntityView>> {
  const rows = await db.read<EntityRow>('api-entities', { ids: [...new Set(ids)] });
  return new Map(rows.map((r) => [r.party.id as string, toEntityView(r)]));
}

function toEntityView(row: EntityRow): EntityView {
  const p = row.party as Record<string, string | string[] | null>;
  const names = (p.aliasNames as string[] | null) ?? [];
  const types = (p.aliasTypes as string[] | null) ?? [];
  const qualities = (p.aliasQualities as string[] | null) ?? [];
  return {
    id: p.id as string,
    kind: p.kind as string,
    name: p.name as string,
    aliases: names.map((name, i) => ({ name, type: types[i] ?? 'a.k.a.', quality: qualities[i] || null })),
    addresses: row.addresses,
    identifiers: row.identifiers,
    programs: (p.programs as string[] | null) ?? [],
    datasets: (p.datasets as string[] | null) ?? [],
    birthDates: (p.birthDates as string[] | null) ?? [],
    nationalities: [...((p.nationalities as string[] | null) ?? []), ...((p.citizenships as string[] | null) ?? [])],
    remarks: (p.remarks as string | null) ?? null,
    degree: row.degree,
    placeholder: row.placeholder,
    delistedOn: (p.delistedOn as string | null) ?? null,
    record: (p.record as string | null) ?? null,
    release: (p.release as string | null) ?? null,
    listedOn: (p.listedOn as string | null) ?? null,
    firstSeen: (p.firstSeen as string | null) ?? null,
    birthPlaces: (p.birthPlaces as string[] | null) ?? [],
    gender: (p.gender as string | null) ?? null,
    titles: (p.titles as string[] | null) ?? [],
    vessel: VESSEL_FIELDS.flatMap(([prop, label]) => (p[prop] ? [{ label, value: String(p[prop]) }] : [])),
  };
}

export interface SearchArgs {
  query: string;
  kinds?: string[] | null;
  datasets?: string[] | null;
  programs?: string[] | null;
  countries?: string[] | null;
  first?: number | null;
  after?: string | null;
}

export interface SearchResult {
  total: number;
  hits: { id: string; score: number; matchedName: string }[];
  endCursor: string | null;
  hasMore: boolean;
}

function decodeCursor(after: string | null | undefined): number {
  if (!after) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!m) throw new BadInputError('after is not a cursor from this API: pass a previous page\'s endCursor');
  return Number(m[1]);
}

export async function search(db: Database, args: SearchArgs): Promise<SearchResult> {
  const text = args.query.trim();
  if (text === '') throw new BadInputError('query must not be empty');
  if (text.length > LIMITS.queryLength) throw new BadInputError(`query must be at most ${LIMITS.queryLength} characters`);
  const first = intIn('first', args.first ?? 20, 1, LIMITS.searchFirst);
  const offset = decodeCursor(args.after);
  const kinds = shortList('kinds', args.kinds);
  const unknownKinds = kinds?.filter((k) => !(PARTY_KIND_NAMES as string[]).includes(k)) ?? [];
  if (unknownKinds.length) throw new BadInputError(`unknown kind ${unknownKinds.join(', ')}; known: ${PARTY_KIND_NAMES.join(', ')}`);
  const lucene = luceneQuery(text);
  const filtered = Boolean(args.kinds?.length || args.datasets?.length || args.programs?.length || args.countries?.length);
  if (!lucene) throw new BadInputError('query has no letters or digits to search for');
  const rows = await db.read<{ id: string; name: string; aliases: string[]; score: number }>('api-search-candidates', {
    lucene,
    // Filters apply to the index's candidates, so a filtered search looks at many more of them: the
    // matches of a rare program must not be crowded out by better-scoring names outside it.
    candidates: neo4j.int(filtered ? LIMITS.searchCandidatesFiltered : LIMITS.searchCandidates),
    kinds,
    datasets: shortList('datasets', args.datasets),
    programs: shortList('programs', args.programs),
    countries: shortList('countries', args.countries)?.map((c) => c.toLowerCase()) ?? null,
  });
  const ranked = rows
    .map((r) => {
      let best = { score: nameSimilarity(text, r.name), name: r.name };
      for (const a of r.aliases) {
        const s = nameSimilarity(text, a);
        // On a tie, the name written as the query was wins (ALIS LLC over LIMITED LIABILITY COMPANY ALIS).
        if (s > best.score || (s === best.score && sameWords(text, a) && !sameWords(text, best.name))) best = { score: s, name: a };
      }
      return { id: r.id, score: Math.round(best.score * 1000) / 1000, matchedName: best.name, index: r.score };
    })
    .sort((a, b) => b.score - a.score || b.index - a.index || a.id.localeCompare(b.id));
  const page = ranked.slice(offset, offset + first);
  const hasMore = offset + first < ranked.length;
  return {
    total: ranked.length,
    hits: page.map(({ id, score, matchedName }) => ({ id, score, matchedName })),
    endCursor: hasMore ? Buffer.from(`offset:${offset + first}`).toString('base64url') : null,
    hasMore,
  };
}

interface NodeRow {
  eid: string;
  id: string;
  labels: string[];
  kind: string | null;
  label: string;
  degree: number;
  placeholder: boolean;
  delistedOn: string | null;
  listedOn: string | null;
  programs: string[];
}

function toGraphNode(r: NodeRow): GraphNode {
  const kind =
    r.kind && (PARTY_KIND_NAMES as string[]).includes(r.kind)
      ? r.kind
      : ([LABELS.Address, LABELS.Identifier, LABELS.Program] as string[]).find((l) => r.labels.includes(l)) ?? 'Unknown';
  return { id: r.id, kind, label: r.label, degree: r.degree, placeholder: r.placeholder, delistedOn: r.delistedOn, listedOn: r.listedOn, programs: r.programs };
}

async function subgraphOf(db: Database, eids: string[], types: string[] | null, truncated: boolean): Promise<Subgraph> {
  const nodes = await db.read<NodeRow>('api-subgraph-nodes', { eids });
  const edges = await db.read<GraphEdge>('api-subgraph-edges', { eids, types });
  const order = new Map(eids.map((e, i) => [e, i]));
  nodes.sort((a, b) => order.get(a.eid)! - order.get(b.eid)!);
  return { nodes: nodes.map(toGraphNode), edges, truncated };
}

export async function neighborhood(
  db: Database,
  args: { ids: readonly string[]; depth?: number | null; relationTypes?: readonly string[] | null; limit?: number | null; exclude?: readonly string[] | null },
): Promise<Subgraph> {
  if (args.ids.length === 0) throw new BadInputError('ids must name at least one entity');
  if (args.ids.length > LIMITS.seeds) throw new BadInputError(`ids may name at most ${LIMITS.seeds} entities`);
  const depth = intIn('depth', args.depth ?? 1, 1, LIMITS.neighborhoodDepth);
  const limit = intIn('limit', args.limit ?? 200, 1, LIMITS.neighborhoodLimit);
  const types = relTypes(args.relationTypes);
  if ((args.exclude?.length ?? 0) > LIMITS.subgraphIds) throw new BadInputError(`exclude may name at most ${LIMITS.subgraphIds} nodes`);
  const seeds = (await db.read<{ eid: string }>('api-seeds', { ids: [...new Set(args.ids)] })).map((r) => r.eid);
  const chosen: string[] = seeds.slice(0, limit);
  const seen = new Set(chosen);
  // Nodes the caller already has (e.g. on the explorer's canvas): not returned, so a second call pages on.
  const excluded = args.exclude?.length ? (await db.read<{ eid: string }>('api-seeds', { ids: [...new Set(args.exclude)] })).map((r) => r.eid) : [];
  for (const e of excluded) seen.add(e);
  let truncated = seeds.length > limit;
  let frontier = chosen.slice();
  for (let hop = 0; hop < depth && frontier.length > 0 && chosen.length < limit; hop++) {
    const room = limit - chosen.length;
    const rows = await db.read<{ from: string; available: number; neighbours: string[] }>('api-neighborhood-hop', {
      frontier,
      seen: [...seen],
      types,
      perNode: neo4j.int(room),
    });
    const next: string[] = [];
    // Round-robin over the frontier so that one hub does not take all the room.
    const queues = rows.map((r) => {
      if (r.available > r.neighbours.length) truncated = true;
      return r.neighbours.slice();
    });
    let added = true;
    while (added && chosen.length < limit) {
      added = false;
      for (const q of queues) {
        while (q.length > 0 && seen.has(q[0])) q.shift();
        const eid = q.shift();
        if (eid === undefined) continue;
        seen.add(eid);
        chosen.push(eid);
        next.push(eid);
        added = true;
        if (chosen.length >= limit) break;
      }
    }
    if (queues.some((q) => q.some((e) => !seen.has(e)))) truncated = true;
    frontier = next;
  }
  return subgraphOf(db, chosen, types, truncated);
}

/** The nodes with these ids and every relationship among them (e.g. to restore a saved canvas). */
export async function subgraph(db: Database, args: { ids: readonly string[]; relationTypes?: readonly string[] | null }): Promise<Subgraph> {
  if (args.ids.length > LIMITS.subgraphIds) throw new BadInputError(`ids may name at most ${LIMITS.subgraphIds} nodes`);
  const types = relTypes(args.relationTypes);
  if (args.ids.length === 0) return { nodes: [], edges: [], truncated: false };
  const eids = (await db.read<{ eid: string }>('api-seeds', { ids: [...new Set(args.ids)] })).map((r) => r.eid);
  return subgraphOf(db, eids, types, false);
}

export type PathMode = 'SHORTEST' | 'ALL_SHORTEST' | 'K_SHORTEST';

export async function paths(
  db: Database,
  args: { from: string; to: string; maxHops?: number | null; mode?: PathMode | null; relationTypes?: readonly string[] | null; excludeIds?: readonly string[] | null; limit?: number | null },
): Promise<{ length: number; nodes: GraphNode[]; edges: GraphEdge[] }[]> {
  const maxHops = intIn('maxHops', args.maxHops ?? 4, 1, LIMITS.maxHops);
  const limit = intIn('limit', args.limit ?? 10, 1, LIMITS.pathLimit);
  const types = relTypes(args.relationTypes);
  if (args.from === args.to) throw new BadInputError('from and to must be different entities');
  const exclude = shortList('excludeIds', args.excludeIds) ?? [];
  if (exclude.includes(args.from) || exclude.includes(args.to)) throw new BadInputError('excludeIds must not contain from or to');
  const mode = args.mode ?? 'ALL_SHORTEST';
  const name = mode === 'SHORTEST' ? 'api-paths-shortest' : mode === 'ALL_SHORTEST' ? 'api-paths-all-shortest' : 'api-paths-k-shortest';
  const rows = await db.read<{ nodes: string[]; rels: string[] }>(name, { from: args.from, to: args.to, types, exclude, limit: neo4j.int(limit) }, undefined, { maxHops });
  const within = rows.slice(0, limit);
  if (within.length === 0) return [];
  const eids = [...new Set(within.flatMap((r) => r.nodes))];
  const rids = [...new Set(within.flatMap((r) => r.rels))];
  const nodes = new Map((await db.read<NodeRow>('api-subgraph-nodes', { eids })).map((n) => [n.eid, toGraphNode(n)]));
  const edges = new Map((await db.read<GraphEdge>('api-path-edges', { rids })).map((e) => [e.id, e]));
  return within.map((r) => ({ length: r.rels.length, nodes: r.nodes.map((e) => nodes.get(e)!), edges: r.rels.map((e) => edges.get(e)!) }));
}

export interface DatasetView {
  name: string;
  release: string | null;
  releases: string[];
  entityCount: number;
  loadedAt: string;
}

export async function datasets(db: Database, timeoutMs?: number): Promise<DatasetView[]> {
  return db.read<DatasetView & Record<string, unknown>>('api-datasets', {}, timeoutMs);
}

export interface EntityChange {
  id: string;
  name: string;
  fields: string[];
}
export interface ChangeSet {
  dataset: string;
  from: string | null;
  to: string;
  added: EntityChange[];
  removed: EntityChange[];
  modified: EntityChange[];
  linksAdded: number;
  linksRemoved: number;
}

interface ReleaseRow {
  ids: string[];
  names: string[];
  digests: string[];
  linkKeys: string[];
}

/**
 * What changed in a dataset between two of its loaded releases: parties added, removed and modified
 * (with the fields that changed), and how many links came and went. `to` defaults to the latest
 * release, `from` to the one before `to`.
 */
export async function changes(db: Database, args: { dataset: string; from?: string | null; to?: string | null }): Promise<ChangeSet> {
  const [d] = await db.read<{ name: string | null; releases: string[] }>('dataset-get', { dataset: args.dataset });
  if (!d?.name) throw new BadInputError(`no dataset ${JSON.stringify(args.dataset)} is loaded; see the datasets query`);
  const releases = [...d.releases].sort();
  const known = (r: string) => {
    if (!releases.includes(r)) throw new BadInputError(`${args.dataset} has no loaded release ${r}; loaded: ${releases.join(', ')}`);
    return r;
  };
  const to = args.to ? known(args.to) : releases[releases.length - 1];
  const from = args.from ? known(args.from) : (releases.filter((r) => r < to).pop() ?? null);
  if (from && from >= to) throw new BadInputError(`from (${from}) must be an earlier release than to (${to})`);
  const snapshot = async (release: string): Promise<ReleaseRow> => {
    const [row] = await db.read<ReleaseRow>('release-get', { id: releaseId(args.dataset, release) });
    if (!row) throw new BadInputError(`release ${release} of ${args.dataset} was loaded by an earlier version that kept no snapshot of it; load it again to compare`);
    return row;
  };
  const b = await snapshot(to);
  const a: ReleaseRow = from ? await snapshot(from) : { ids: [], names: [], digests: [], linkKeys: [] };
  const before = new Map(a.ids.map((id, i) => [id, i]));
  const after = new Map(b.ids.map((id, i) => [id, i]));
  const added: EntityChange[] = [];
  const modified: EntityChange[] = [];
  b.ids.forEach((id, i) => {
    const j = before.get(id);
    if (j === undefined) added.push({ id, name: b.names[i], fields: [] });
    else if (a.digests[j] !== b.digests[i]) modified.push({ id, name: b.names[i], fields: changedFields(a.digests[j], b.digests[i]) });
  });
  const removed = a.ids.flatMap((id, i) => (after.has(id) ? [] : [{ id, name: a.names[i], fields: [] }]));
  const aLinks = new Set(a.linkKeys);
  const bLinks = new Set(b.linkKeys);
  return {
    dataset: args.dataset,
    from,
    to,
    added,
    removed,
    modified,
    linksAdded: b.linkKeys.filter((k) => !aLinks.has(k)).length,
    linksRemoved: a.linkKeys.filter((k) => !bLinks.has(k)).length,
  };
}

export interface PossibleMatch {
  id: string;
  name: string;
  kind: string;
  datasets: string[];
  score: number;
  features: { label: string; value: string }[];
  featuresJson: string;
  decision: 'CONFIRMED' | 'REJECTED' | null;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}


type MatchRow = Omit<PossibleMatch, 'features' | 'featuresJson' | 'decision'> & { features: string; decision: string | null };

function toPossibleMatch(r: MatchRow): PossibleMatch {
  return {
    ...r,
    features: describeStoredFeatures(r.features),
    featuresJson: r.features,
    decision: r.decision === 'confirmed' ? 'CONFIRMED' : r.decision === 'rejected' ? 'REJECTED' : null,
  };
}

export async function possibleMatches(db: Database, id: string): Promise<PossibleMatch[]> {
  return (await db.read<MatchRow>('api-possible-matches', { id })).map(toPossibleMatch);
}

/**
 * Records a person's decision on a candidate match (CONFIRMED / REJECTED, or null to withdraw it). The
 * only write the API does; the caller has been authorised with the review API key.
 */
export async function reviewMatch(
  db: Database,
  args: { a: string; b: string; decision: 'CONFIRMED' | 'REJECTED' | null; note?: string | null; reviewer?: string | null },
): Promise<PossibleMatch> {
  if (args.a === args.b) throw new BadInputError('a and b must be two different parties');
  if ((args.note?.length ?? 0) > 2000) throw new BadInputError('note must be at most 2000 characters');
  if ((args.reviewer?.length ?? 0) > 200) throw new BadInputError('reviewer must be at most 200 characters');
  // Stored once per pair, a < b.
  const [a, b] = args.a < args.b ? [args.a, args.b] : [args.b, args.a];
  const [row] = await db.write<{ a: string; b: string; score: number; features: string; decision: string | null; decidedBy: string | null; decidedAt: string | null; note: string | null }>(
    'match-review',
    { a, b, decision: args.decision?.toLowerCase() ?? null, by: args.reviewer ?? 'api', at: new Date().toISOString(), note: args.note ?? null },
  );
  if (!row) throw new BadInputError(`${args.a} and ${args.b} are not a candidate match (see Entity.possibleMatches)`);
  const other = (await possibleMatches(db, args.a)).find((m) => m.id === args.b);
  if (!other) throw new BadInputError(`${args.a} and ${args.b} are not a candidate match`);
  return other;
}

