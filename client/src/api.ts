/**
 * The explorer's only way to the data: the public GraphQL API and the export endpoint. Errors carry the
 * API's `extensions.code` so the UI can say what happened (bad input, server unavailable, ...).
 */
import { EVIDENCE_WEIGHTS, isAllowedRelType, isPartyKind, REL_TYPE_NAMES } from '../../server/core/model';
import type {
  CanvasQuery,
  CanvasQueryVariables,
  DeleteInvestigationMutation,
  DeleteInvestigationMutationVariables,
  InvestigationQuery,
  InvestigationQueryVariables,
  InvestigationsQuery,
  SaveInvestigationMutation,
  SaveInvestigationMutationVariables,
  DatasetsQuery,
  EntityQuery,
  ExposureQuery,
  ExposureQueryVariables,
  EntityQueryVariables,
  ExpandQuery,
  ExpandQueryVariables,
  GraphEdgeFieldsFragment,
  GraphNodeFieldsFragment,
  PathMode,
  PathsQuery,
  PathsQueryVariables,
  PossibleMatchFieldsFragment,
  ReviewMutation,
  ReviewMutationVariables,
  ScreenQuery,
  ScreenQueryVariables,
  SearchQuery,
  SearchQueryVariables,
  SubgraphFieldsFragment,
} from './generated/graphql';
import type { ExportFormat, PathRank } from './generated/enums';
// The ownership table's operation (OwnershipPanel).
import type { OwnershipQuery, OwnershipQueryVariables } from './generated/graphql';
import type { AlertsQuery, WatchMutation, WatchMutationVariables } from './generated/graphql';

// The shapes the explorer works with are the results of its operations below, as generated from the
// schema by `npm run codegen` (client/src/generated/graphql.ts): never typed by hand.
export type GraphNode = GraphNodeFieldsFragment;
export type GraphEdge = GraphEdgeFieldsFragment;
export type Subgraph = SubgraphFieldsFragment;
export type Path = PathsQuery['paths'][number];
export type Entity = NonNullable<EntityQuery['entity']>;
export type Alias = Entity['aliases'][number];
export type PossibleMatch = PossibleMatchFieldsFragment;
export type SearchResults = SearchQuery['search'];
export type SearchHit = SearchResults['hits'][number];
export type Dataset = DatasetsQuery['datasets'][number];
export type Exposure = ExposureQuery['exposure'][number];
export type ScreenResult = ScreenQuery['screen'];
export type ScreenMatch = ScreenResult['matches'][number];
export type ScreenInput = ScreenQueryVariables['input'];
export type { ExportFormat, PathMode, PathRank };

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

/**
 * The operations' documents: plain strings, each marked with a GraphQL comment so that codegen reads them. A
 * document sent to the server must define exactly the fragments it uses, so each operation lists its
 * fragments (`document`).
 */
const GRAPH_NODE_FIELDS = /* GraphQL */ `
  fragment GraphNodeFields on GraphNode {
    id kind label degree placeholder delistedOn listedOn programs datasets
  }
`;
const GRAPH_EDGE_FIELDS = /* GraphQL */ `
  fragment GraphEdgeFields on GraphEdge {
    id source target type label dataset release record percentage
  }
`;
const SUBGRAPH_FIELDS = /* GraphQL */ `
  fragment SubgraphFields on Subgraph {
    nodes { ...GraphNodeFields }
    edges { ...GraphEdgeFields }
    truncated
  }
`;
const POSSIBLE_MATCH_FIELDS = /* GraphQL */ `
  fragment PossibleMatchFields on PossibleMatch {
    id name kind datasets score features { label value } decision decidedBy decidedAt
  }
`;

/**
 * The API key of this tab, for a server that needs one for reads (its operator's choice: a team server
 * on a non-loopback address). Kept in sessionStorage: it goes with the tab, is never written to disk by
 * the explorer for longer, and is sent only to this server, in the header the server reads (x-api-key).
 */
const KEY_STORAGE = 'sanctions-graph.apiKey';

/** The tab's sessionStorage, if any (this module is also loaded by Node tools, which have none). */
interface KeyStorage {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem(k: string): void;
}
const storage = (): KeyStorage | undefined => (globalThis as { sessionStorage?: KeyStorage }).sessionStorage;

export function apiKey(): string | null {
  try {
    return storage()?.getItem(KEY_STORAGE) ?? null;
  } catch {
    return null; // storage switched off: the key is asked for again
  }
}

export function setApiKey(key: string | null): void {
  try {
    if (key) storage()?.setItem(KEY_STORAGE, key);
    else storage()?.removeItem(KEY_STORAGE);
  } catch {
    /* storage switched off */
  }
}

/** The headers that carry the key, if there is one. */
export function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { 'x-api-key': key } : {};
}

const keyNeededListeners = new Set<(why: string) => void>();

/** Calls `listener` with the server's words whenever a request is refused for want of a (valid) key; returns the unsubscribe. */
export function onKeyNeeded(listener: (why: string) => void): () => void {
  keyNeededListeners.add(listener);
  return () => keyNeededListeners.delete(listener);
}

/** A request answered 401 UNAUTHENTICATED: whoever asks the user for a key is told. */
export function keyNeeded(why: string): void {
  for (const f of keyNeededListeners) f(why);
}

function document(operation: string, ...fragments: string[]): string {
  return [operation, ...fragments].join('');
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      // A key given by the caller (the review key) replaces the tab's: the server refuses a key sent twice.
      headers: { 'content-type': 'application/json', ...authHeaders(), ...headers },
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
    const code = e.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    // A refusal of the key the caller chose (the review key) is the caller's to report.
    if (code === 'UNAUTHENTICATED' && !headers['x-api-key']) keyNeeded(e.message);
    throw new ApiError(e.message, code);
  }
  return body.data as T;
}

/** Whether the server accepts `key` for reads: resolves if so, else throws its ApiError (UNAUTHENTICATED). */
export async function checkApiKey(key: string): Promise<void> {
  await gql<DatasetsQuery>(DATASETS, {}, undefined, { 'x-api-key': key });
}

/** The error of a REST answer that is not ok ({error: {code, message}}); a missing key opens the key dialog. */
async function restError(res: Response, what: string): Promise<ApiError> {
  let error: { code?: string; message?: string } | undefined;
  try {
    error = ((await res.json()) as { error?: typeof error }).error;
  } catch {
    /* not JSON */
  }
  const code = error?.code ?? (res.status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR');
  const message = error?.message ?? `${what} failed (HTTP ${res.status})`;
  if (code === 'UNAUTHENTICATED') keyNeeded(message);
  return new ApiError(message, code);
}

/**
 * The export of these nodes (and the relationships among them) as a file: a POST with the form fields
 * of /api/export (a large canvas's ids do not fit in a URL) and the key in its header, which a form
 * cannot send. Same-origin, so the server's check of cross-site posts lets it through.
 */
export async function exportFile(ids: string[], format: ExportFormat): Promise<{ blob: Blob; name: string }> {
  let res: Response;
  try {
    res = await fetch('/api/export', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...authHeaders() },
      body: new URLSearchParams({ ids: ids.join(','), depth: '0', format, ...asOfVariable() }),
    });
  } catch {
    throw new ApiError('network error', 'NETWORK');
  }
  if (!res.ok) throw await restError(res, 'the export');
  // The server names the file (a safe name: word characters, dots and dashes).
  const name = /filename="([\w.-]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `sanctions-graph.${format}`;
  return { blob: await res.blob(), name };
}

/** The longest search query the server takes (server/api/validate.ts LIMITS.queryLength; a unit test keeps them equal). */
export const MAX_QUERY_LENGTH = 200;
/** The shortest query worth searching: one letter matches too much to rank. */
export const MIN_QUERY_LENGTH = 2;

export interface SearchFilters {
  kinds?: string[];
  datasets?: string[];
  programs?: string[];
  countries?: string[];
}

const SEARCH = /* GraphQL */ `
  query Search($query: String!, $kinds: [EntityKind!], $datasets: [String!], $programs: [String!], $countries: [String!], $first: Int) {
    search(query: $query, kinds: $kinds, datasets: $datasets, programs: $programs, countries: $countries, first: $first) {
      total hasMore endCursor nameLookup
      hits { score matchedName entity { id kind name programs datasets nationalities birthDates placeholder delistedOn addresses { country } } }
    }
  }
`;

export async function search(query: string, filters: SearchFilters, first = 20, signal?: AbortSignal): Promise<SearchResults> {
  const variables: SearchQueryVariables = {
    query,
    first,
    // The explorer offers only the model's kinds (a URL may hold anything).
    kinds: nonEmpty(filters.kinds?.filter(isPartyKind)),
    datasets: nonEmpty(filters.datasets),
    programs: nonEmpty(filters.programs),
    countries: nonEmpty(filters.countries),
  };
  return (await gql<SearchQuery>(SEARCH, variables, signal)).search;
}

function nonEmpty<T>(xs: T[] | null | undefined): T[] | null {
  return xs?.length ? xs : null;
}

/** The relationship types to follow, or null for all; the model's allow-list narrows them. */
function relationTypes(types: readonly string[] | null | undefined) {
  return nonEmpty(types?.filter(isAllowedRelType));
}

/**
 * The date the explorer reads the network as of (the API's `asOf`; null: today): entity, neighbourhood
 * and path reads pass it (components/AsOfControl.tsx sets it).
 */
let asOfDate: string | null = null;
export function asOf(): string | null {
  return asOfDate;
}
const asOfListeners = new Set<() => void>();
export function setAsOf(date: string | null): void {
  asOfDate = date || null;
  for (const f of asOfListeners) f();
}
/** Called whenever the date changes (hooks/useAsOfDate.ts: what is open is read again as of it). */
export function subscribeAsOf(f: () => void): () => void {
  asOfListeners.add(f);
  return () => asOfListeners.delete(f);
}
/** The `asOf` variable, only when a date is set: a read of today sends what it sent before dates existed. */
function asOfVariable(): { asOf?: string } {
  return asOfDate ? { asOf: asOfDate } : {};
}

const ENTITY = /* GraphQL */ `
  query Entity($id: ID!, $asOf: String) {
    entity(id: $id, asOf: $asOf) {
      id kind name programs datasets birthDates birthPlaces nationalities gender titles remarks degree placeholder
      delistedOn listedOn firstSeen record release
      vessel { label value }
      aliases { name type quality }
      addresses { id full city country }
      identifiers { id type value country label issued expires }
      possibleMatches { ...PossibleMatchFields }
    }
  }
`;

export async function entity(id: string): Promise<Entity | null> {
  const variables: EntityQueryVariables = { id, ...asOfVariable() };
  return (await gql<EntityQuery>(document(ENTITY, POSSIBLE_MATCH_FIELDS), variables)).entity;
}

const EXPAND = /* GraphQL */ `
  query Expand($ids: [ID!]!, $limit: Int, $types: [RelationType!], $exclude: [ID!], $asOf: String) {
    neighborhood(ids: $ids, depth: 1, limit: $limit, relationTypes: $types, exclude: $exclude, asOf: $asOf) { ...SubgraphFields }
  }
`;

export async function neighborhood(ids: string[], opts: { limit: number; relationTypes?: string[] | null; exclude?: string[] }): Promise<Subgraph> {
  const variables: ExpandQueryVariables = { ids, limit: opts.limit, types: relationTypes(opts.relationTypes), exclude: opts.exclude ?? [], ...asOfVariable() };
  return (await gql<ExpandQuery>(document(EXPAND, SUBGRAPH_FIELDS, GRAPH_NODE_FIELDS, GRAPH_EDGE_FIELDS), variables)).neighborhood;
}

const CANVAS = /* GraphQL */ `
  query Canvas($ids: [ID!]!) {
    subgraph(ids: $ids) { ...SubgraphFields }
  }
`;

export async function subgraph(ids: string[]): Promise<Subgraph> {
  const variables: CanvasQueryVariables = { ids };
  return (await gql<CanvasQuery>(document(CANVAS, SUBGRAPH_FIELDS, GRAPH_NODE_FIELDS, GRAPH_EDGE_FIELDS), variables)).subgraph;
}

/** The most hops a path search may ask for (the server's bound, server/api/validate.ts LIMITS.maxHops; a unit test keeps them equal). */
export const MAX_HOPS = 6;

const PATHS = /* GraphQL */ `
  query Paths($from: ID!, $to: ID!, $mode: PathMode, $rank: PathRank, $maxHops: Int, $limit: Int, $types: [RelationType!], $exclude: [ID!], $asOf: String) {
    paths(from: $from, to: $to, mode: $mode, rank: $rank, maxHops: $maxHops, limit: $limit, relationTypes: $types, excludeIds: $exclude, asOf: $asOf) {
      length
      why
      strength
      hops { text weight citation }
      nodes { ...GraphNodeFields }
      edges { ...GraphEdgeFields }
    }
  }
`;

export async function paths(args: {
  from: string;
  to: string;
  mode: PathMode;
  /** HOPS (default): fewest hops first; EVIDENCE: strongest links first (never through a shared program). */
  rank?: PathRank;
  maxHops: number;
  limit: number;
  relationTypes: string[];
  excludeIds: string[];
}): Promise<Path[]> {
  const variables: PathsQueryVariables = {
    from: args.from,
    to: args.to,
    mode: args.mode,
    // Not given: the server's default (HOPS).
    ...(args.rank ? { rank: args.rank } : {}),
    maxHops: args.maxHops,
    limit: args.limit,
    // No type chosen means all to the Paths panel; the API's default leaves some out, so all are named
    // (ranked by evidence: all that are a connection at all, EVIDENCE_WEIGHTS above 0).
    types: relationTypes(args.relationTypes) ?? REL_TYPE_NAMES.filter((t) => args.rank !== 'EVIDENCE' || EVIDENCE_WEIGHTS[t] > 0),
    exclude: args.excludeIds,
    ...asOfVariable(),
  };
  return (await gql<PathsQuery>(document(PATHS, GRAPH_NODE_FIELDS, GRAPH_EDGE_FIELDS), variables)).paths;
}

const REVIEW = /* GraphQL */ `
  mutation Review($a: ID!, $b: ID!, $decision: MatchDecision) {
    reviewMatch(a: $a, b: $b, decision: $decision, reviewer: "explorer") { ...PossibleMatchFields }
  }
`;

/** Confirms or rejects a candidate match (needs the server's review API key). */
export async function reviewMatch(a: string, b: string, decision: PossibleMatch['decision'], apiKey: string): Promise<PossibleMatch> {
  const variables: ReviewMutationVariables = { a, b, decision };
  return (await gql<ReviewMutation>(document(REVIEW, POSSIBLE_MATCH_FIELDS), variables, undefined, { 'x-api-key': apiKey })).reviewMatch;
}

/** The most hops an exposure search may ask for (the server's bound, as for paths). */
export const MAX_EXPOSURE_HOPS = MAX_HOPS;

const EXPOSURE_FIELDS = /* GraphQL */ `
  fragment ExposureFields on Exposure {
    distance explanation
    entity { id kind name programs datasets listedOn }
    path { length nodes { ...GraphNodeFields } edges { ...GraphEdgeFields } }
  }
`;

const EXPOSURE = /* GraphQL */ `
  query Exposure($id: ID!, $maxHops: Int, $first: Int) {
    exposure(id: $id, maxHops: $maxHops, first: $first) { ...ExposureFields }
  }
`;

/** The sanctioned parties nearest to any node (party, placeholder, address, identifier), nearest first, each with its path. */
export async function exposure(id: string, maxHops: number, signal?: AbortSignal): Promise<Exposure[]> {
  const variables: ExposureQueryVariables = { id, maxHops, first: 25 };
  return (await gql<ExposureQuery>(document(EXPOSURE, EXPOSURE_FIELDS, GRAPH_NODE_FIELDS, GRAPH_EDGE_FIELDS), variables, signal)).exposure;
}

const SCREEN = /* GraphQL */ `
  query Screen($input: ScreenInput!, $first: Int, $threshold: Float) {
    screen(input: $input, first: $first, threshold: $threshold) {
      threshold nameLookup
      identifiers { label value }
      matches {
        score
        explanation { label value }
        entity { id kind name programs datasets listedOn delistedOn placeholder birthDates nationalities }
        exposure { ...ExposureFields }
      }
    }
  }
`;

/** Screens one party as the caller knows it (Query.screen): the parties it may be, best first, with their exposure. */
export async function screen(input: ScreenInput, first = 10, signal?: AbortSignal): Promise<ScreenResult> {
  const variables: ScreenQueryVariables = { input, first };
  return (await gql<ScreenQuery>(document(SCREEN, EXPOSURE_FIELDS, GRAPH_NODE_FIELDS, GRAPH_EDGE_FIELDS), variables, signal)).screen;
}

const OWNERSHIP = /* GraphQL */ `
  query Ownership($id: ID!, $rule: OwnershipRule, $asOf: String) {
    ownership(id: $id, rule: $rule, asOf: $asOf) {
      total totalHigh blocked verdict unknownShares arithmetic rule asOf listed truncated
      control { id name role }
      chains { share counted arithmetic path { length nodes { ...GraphNodeFields } edges { ...GraphEdgeFields } } }
    }
  }
`;

export type Ownership = OwnershipQuery['ownership'];

/** How much of a company sanctioned parties own under OFAC's or the EU's rule on a date (today when null), with the chains. */
export async function ownership(id: string, rule: 'OFAC' | 'EU', asOf: string | null, signal?: AbortSignal): Promise<Ownership> {
  const variables: OwnershipQueryVariables = { id, rule, asOf };
  return (await gql<OwnershipQuery>(document(OWNERSHIP, GRAPH_NODE_FIELDS, GRAPH_EDGE_FIELDS), variables, signal)).ownership;
}

const DATASETS = /* GraphQL */ `
  query Datasets {
    datasets { name release releases entityCount loadedAt }
  }
`;

export async function datasets(): Promise<Dataset[]> {
  return (await gql<DatasetsQuery>(DATASETS)).datasets;
}

/** The export endpoint's formats (the schema's ExportFormat), as the export menu offers them. */
export const EXPORT_FORMATS = [
  { format: 'graphml', label: 'GraphML (Gephi, Cytoscape, networkx)' },
  { format: 'gexf', label: 'GEXF (Gephi)' },
  { format: 'csv', label: 'CSV (nodes + edges, zip)' },
  { format: 'json', label: 'JSON (Cytoscape.js)' },
  { format: 'ftm', label: 'FollowTheMoney JSON lines' },
] as const satisfies readonly { format: ExportFormat; label: string }[];

/** The explorer's requests as it sends them (fragments included), for tools that replay them: the load benchmark. */
export const DOCUMENTS = {
  search: SEARCH,
  entity: document(ENTITY, POSSIBLE_MATCH_FIELDS),
  expand: document(EXPAND, SUBGRAPH_FIELDS, GRAPH_NODE_FIELDS, GRAPH_EDGE_FIELDS),
  paths: document(PATHS, GRAPH_NODE_FIELDS, GRAPH_EDGE_FIELDS),
  /** The fragments a document selecting `...SubgraphFields` needs. */
  subgraphFragments: document('', SUBGRAPH_FIELDS, GRAPH_NODE_FIELDS, GRAPH_EDGE_FIELDS),
} as const;

// --- Saved investigations (components/InvestigationsPanel.tsx) ----------------------------------------

const INVESTIGATIONS = /* GraphQL */ `
  query Investigations {
    investigations { id name owner updatedAt nodeIds releases { dataset release } }
  }
`;
const INVESTIGATION = /* GraphQL */ `
  query Investigation($id: ID!) {
    investigation(id: $id) {
      id name owner updatedAt nodeIds
      positions { id x y }
      notes { node edge text }
      releases { dataset release }
      changes {
        now { dataset release }
        added { id name reason fields }
        removed { id name reason fields }
        modified { id name reason fields }
        linksAdded { key source target type label }
        linksRemoved { key source target type label }
        summary
      }
    }
  }
`;
const SAVE_INVESTIGATION = /* GraphQL */ `
  mutation SaveInvestigation($input: InvestigationInput!) {
    saveInvestigation(input: $input) { id name owner updatedAt nodeIds releases { dataset release } }
  }
`;
const DELETE_INVESTIGATION = /* GraphQL */ `
  mutation DeleteInvestigation($id: ID!) {
    deleteInvestigation(id: $id)
  }
`;

export type InvestigationSummary = InvestigationsQuery['investigations'][number];
export type SavedInvestigation = NonNullable<InvestigationQuery['investigation']>;
export type InvestigationInput = SaveInvestigationMutationVariables['input'];

export async function investigations(): Promise<InvestigationSummary[]> {
  return (await gql<InvestigationsQuery>(INVESTIGATIONS)).investigations;
}

/** One saved investigation with what changed around it since it was saved; null when it was deleted. */
export async function investigation(id: string): Promise<SavedInvestigation | null> {
  const variables: InvestigationQueryVariables = { id };
  return (await gql<InvestigationQuery>(INVESTIGATION, variables)).investigation;
}

/** Saves (a new one without `input.id`); the server needs a key with the reviewer role (the tab's key). */
export async function saveInvestigation(input: InvestigationInput): Promise<InvestigationSummary> {
  return (await gql<SaveInvestigationMutation>(SAVE_INVESTIGATION, { input })).saveInvestigation;
}

export async function deleteInvestigation(id: string): Promise<boolean> {
  const variables: DeleteInvestigationMutationVariables = { id };
  return (await gql<DeleteInvestigationMutation>(DELETE_INVESTIGATION, variables)).deleteInvestigation;
}

/**
 * The case report of a saved investigation (GET /api/investigations/:id/report.html or .pdf), fetched
 * with the tab's key (a plain link cannot send it): one self-contained file the browser shows or saves.
 */
export async function caseReport(id: string, format: 'html' | 'pdf'): Promise<{ blob: Blob; name: string }> {
  let res: Response;
  try {
    res = await fetch(`/api/investigations/${encodeURIComponent(id)}/report.${format}`, { headers: authHeaders() });
  } catch {
    throw new ApiError('network error', 'NETWORK');
  }
  if (!res.ok) throw await restError(res, 'the report');
  const name = /filename="([\w.-]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `case-report.${format}`;
  return { blob: await res.blob(), name };
}

// --- Alerts (components/AlertsBadge.tsx) ------------------------------------------------------------

const ALERTS = /* GraphQL */ `
  query Alerts($first: Int) {
    alerts(first: $first) { total alerts { id kind load release message createdAt } }
  }
`;

export type AlertItem = AlertsQuery['alerts']['alerts'][number];

/** The newest alerts (recorded after loads, around watched parties) and how many there are in all. */
export async function alerts(first = 50): Promise<AlertsQuery['alerts']> {
  return (await gql<AlertsQuery>(ALERTS, { first })).alerts;
}

const WATCH = /* GraphQL */ `
  mutation Watch($id: ID!, $radius: Int) {
    watch(id: $id, radius: $radius) { id name radius }
  }
`;

/** Watches a party: alerts of the changes within `radius` hops after each load. Needs the reviewer role (the tab's key). */
export async function watch(id: string, radius = 2): Promise<WatchMutation['watch']> {
  const variables: WatchMutationVariables = { id, radius };
  return (await gql<WatchMutation>(WATCH, variables)).watch;
}
