/**
 * The explorer's only way to the data: the public GraphQL API and the export endpoint. Errors carry the
 * API's `extensions.code` so the UI can say what happened (bad input, server unavailable, ...).
 */

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
export interface Path {
  length: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}
export interface Entity {
  id: string;
  kind: string;
  name: string;
  aliases: { name: string; type: string; quality: string | null }[];
  addresses: { id: string; full: string; city: string | null; country: string | null }[];
  identifiers: { id: string; type: string; value: string; country: string | null; label: string | null }[];
  programs: string[];
  datasets: string[];
  birthDates: string[];
  birthPlaces: string[];
  nationalities: string[];
  gender: string | null;
  titles: string[];
  vessel: { label: string; value: string }[];
  remarks: string | null;
  degree: number;
  placeholder: boolean;
  delistedOn: string | null;
  listedOn: string | null;
  firstSeen: string | null;
  record: string | null;
  release: string | null;
  possibleMatches: PossibleMatch[];
}
export interface PossibleMatch {
  id: string;
  name: string;
  kind: string;
  datasets: string[];
  score: number;
  features: { label: string; value: string }[];
  decision: 'CONFIRMED' | 'REJECTED' | null;
  decidedBy: string | null;
  decidedAt: string | null;
}
export interface SearchHit {
  score: number;
  matchedName: string;
  entity: Pick<Entity, 'id' | 'kind' | 'name' | 'programs' | 'datasets' | 'placeholder' | 'delistedOn'> & { nationalities: string[] };
}
export interface SearchResults {
  total: number;
  hits: SearchHit[];
  endCursor: string | null;
  hasMore: boolean;
}
export interface Dataset {
  name: string;
  release: string | null;
  releases: string[];
  entityCount: number;
  loadedAt: string;
}
export type PathMode = 'SHORTEST' | 'ALL_SHORTEST' | 'K_SHORTEST';

export class ApiError extends Error {
  constructor(
    message: string,
    /** BAD_USER_INPUT, SERVICE_UNAVAILABLE, NETWORK, ... */
    readonly code: string,
  ) {
    super(message);
  }
}

/** What to tell the user, by error code. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'SERVICE_UNAVAILABLE') return `The server is not ready: ${err.message}`;
    if (err.code === 'NETWORK') return 'The server cannot be reached. Is `npm start` running?';
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

const NODE = 'id kind label degree placeholder delistedOn listedOn programs';
const EDGE = 'id source target type label dataset release record percentage';
const GRAPH = `nodes { ${NODE} } edges { ${EDGE} } truncated`;

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError('network error', 'NETWORK');
  }
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiError(`the server answered HTTP ${res.status} without a GraphQL response`, res.status === 503 ? 'SERVICE_UNAVAILABLE' : 'NETWORK');
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new ApiError(e.message, e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  }
  return body.data as T;
}

export interface SearchFilters {
  kinds?: string[];
  datasets?: string[];
  programs?: string[];
  countries?: string[];
}

export async function search(query: string, filters: SearchFilters, first = 20, signal?: AbortSignal): Promise<SearchResults> {
  const r = await gql<{ search: SearchResults }>(
    `query Search($query: String!, $kinds: [String!], $datasets: [String!], $programs: [String!], $countries: [String!], $first: Int) {
      search(query: $query, kinds: $kinds, datasets: $datasets, programs: $programs, countries: $countries, first: $first) {
        total hasMore endCursor
        hits { score matchedName entity { id kind name programs datasets nationalities placeholder delistedOn } }
      }
    }`,
    { query, first, ...emptyToNull(filters) },
    signal,
  );
  return r.search;
}

function emptyToNull(f: SearchFilters): Record<string, string[] | null> {
  const out: Record<string, string[] | null> = {};
  for (const [k, v] of Object.entries(f)) out[k] = v && v.length ? v : null;
  return out;
}

export async function entity(id: string): Promise<Entity | null> {
  const r = await gql<{ entity: Entity | null }>(
    `query Entity($id: ID!) { entity(id: $id) {
      id kind name programs datasets birthDates birthPlaces nationalities gender titles remarks degree placeholder
      delistedOn listedOn firstSeen record release
      vessel { label value }
      aliases { name type quality }
      addresses { id full city country }
      identifiers { id type value country label }
      possibleMatches { id name kind datasets score features { label value } decision decidedBy decidedAt }
    } }`,
    { id },
  );
  return r.entity;
}

export async function neighborhood(ids: string[], opts: { limit: number; relationTypes?: string[] | null; exclude?: string[] }): Promise<Subgraph> {
  const r = await gql<{ neighborhood: Subgraph }>(
    `query Expand($ids: [ID!]!, $limit: Int, $types: [String!], $exclude: [ID!]) {
      neighborhood(ids: $ids, depth: 1, limit: $limit, relationTypes: $types, exclude: $exclude) { ${GRAPH} }
    }`,
    { ids, limit: opts.limit, types: opts.relationTypes?.length ? opts.relationTypes : null, exclude: opts.exclude ?? [] },
  );
  return r.neighborhood;
}

export async function subgraph(ids: string[]): Promise<Subgraph> {
  const r = await gql<{ subgraph: Subgraph }>(`query Canvas($ids: [ID!]!) { subgraph(ids: $ids) { ${GRAPH} } }`, { ids });
  return r.subgraph;
}

export async function paths(args: {
  from: string;
  to: string;
  mode: PathMode;
  maxHops: number;
  limit: number;
  relationTypes: string[];
  excludeIds: string[];
}): Promise<Path[]> {
  const r = await gql<{ paths: Path[] }>(
    `query Paths($from: ID!, $to: ID!, $mode: PathMode, $maxHops: Int, $limit: Int, $types: [String!], $exclude: [ID!]) {
      paths(from: $from, to: $to, mode: $mode, maxHops: $maxHops, limit: $limit, relationTypes: $types, excludeIds: $exclude) {
        length nodes { ${NODE} } edges { ${EDGE} }
      }
    }`,
    { ...args, types: args.relationTypes.length ? args.relationTypes : null, exclude: args.excludeIds },
  );
  return r.paths;
}

/** Confirms or rejects a candidate match (needs the server's review API key). */
export async function reviewMatch(a: string, b: string, decision: 'CONFIRMED' | 'REJECTED' | null, apiKey: string): Promise<PossibleMatch> {
  const r = await gql<{ reviewMatch: PossibleMatch }>(
    `mutation Review($a: ID!, $b: ID!, $decision: MatchDecision) {
      reviewMatch(a: $a, b: $b, decision: $decision, reviewer: "explorer") { id name kind datasets score features { label value } decision decidedBy decidedAt }
    }`,
    { a, b, decision },
    undefined,
    { 'x-api-key': apiKey },
  );
  return r.reviewMatch;
}

export async function datasets(): Promise<Dataset[]> {
  return (await gql<{ datasets: Dataset[] }>('{ datasets { name release releases entityCount loadedAt } }')).datasets;
}

export const EXPORT_FORMATS = [
  { format: 'graphml', label: 'GraphML (Gephi, Cytoscape, networkx)' },
  { format: 'gexf', label: 'GEXF (Gephi)' },
  { format: 'csv', label: 'CSV (nodes + edges, zip)' },
  { format: 'json', label: 'JSON (Cytoscape.js)' },
  { format: 'ftm', label: 'FollowTheMoney JSON lines' },
] as const;

