/**
 * What a GraphQL request costs, counted before anything runs (graphql.ts refuses one above
 * MAX_QUERY_COST). Every field is counted where it would be resolved, after fragments are expanded and
 * with each alias on its own:
 *
 * - a field costs one per value it yields (a list of plain values, e.g. `programs`, is one value);
 * - a field that returns objects costs one plus what is asked of the object, times the number of
 *   objects it may return: its `first`, `limit` or the length of its `ids`, else the documented cap of
 *   that list (LIST_SIZES);
 * - a root field costs READ_COST per database read it makes; a field resolver that reads per parent
 *   (SearchHit.entity, Entity.possibleMatches; batched into one query per request, but each parent adds
 *   rows) costs BATCHED_READ_COST per parent.
 *
 * So `search(first: 100) { hits { entity { a1: possibleMatches { id } ... a400: possibleMatches { id } } } }`
 * costs 100 x 400 possibleMatches of up to 50 candidates each, and is refused; the explorer's largest
 * request (a canvas of 5000 nodes) costs well under half the default budget.
 */
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { DocumentNode, getNamedType, getNullableType, GraphQLSchema, isLeafType, isListType } from 'graphql';
import { ALERT_PAGE, WATCHES_MAX } from '../core/alerts';
import { INVESTIGATION_LIMITS } from '../core/investigations';
import { OWNERSHIP_BOUNDS } from '../core/ownership/stakes';
import { SCREEN_LIMITS } from '../core/screening/input';
import { MAX_OWNERSHIP_CHAINS } from './ownership';
import { LIMITS } from './validate';

/** One database read of a root field: about as much work as a thousand values of an answer. */
export const READ_COST = 1000;
/** One parent's share of a batched per-parent read. */
export const BATCHED_READ_COST = 10;

type Args = Record<string, unknown>;

interface FieldCost {
  /** Database reads the field's resolver makes (a root field's, or a mutation's). */
  reads?: (args: Args) => number;
  /** The field reads per parent, through the request's loader. */
  batched?: true;
  /** How many objects the field may return. */
  size?: (args: Args) => number;
}

const count = (xs: unknown): number => (Array.isArray(xs) ? xs.length : 0);
const num = (v: unknown, dflt: number): number => (typeof v === 'number' ? v : dflt);

/** Documented caps of lists that take no size argument (validate.ts LIMITS, or the model's). */
const LIST_SIZES = {
  /** Loaded datasets: a handful in practice (one per source). */
  datasets: 20,
  /** Evidence lines of one candidate match. */
  features: 10,
  /** Vessel details (entity.ts VESSEL_LABELS). */
  vessel: 6,
  /** Lines of a screening match's explanation (describe.ts describeScreening, screen.ts): about 10, more with many identifiers. */
  screenExplanation: 40,
};

/** Reads of one exposure search: the start, one per hop, then the path's nodes and edges. */
const exposureReads = (a: Args) => 3 + num(a.maxHops, 3);

/** Changes of each kind one investigation lists at most (the summary counts the rest). */
const investigationChanges = () => INVESTIGATION_LIMITS.changesListed;

/**
 * Fields costed by more than their values. Lists of objects must be here (a unit test checks that
 * every one of the schema is), so that a new list is costed on purpose.
 */
export const FIELD_COSTS: Record<string, FieldCost> = {
  'Query.search': { reads: () => 1, size: (a) => num(a.first, 20) },
  'Query.entity': { reads: () => 1 },
  // Seeds, the excluded nodes, one read per hop, then the nodes and the edges.
  'Query.neighborhood': { reads: (a) => 3 + (count(a.exclude) ? 1 : 0) + num(a.depth, 1), size: (a) => num(a.limit, 200) },
  'Query.subgraph': { reads: () => 3, size: (a) => count(a.ids) },
  // Ranked by evidence, the candidate query runs one search per weight class (six with every type; paths.ts).
  'Query.paths': { reads: (a) => (a.rank === 'EVIDENCE' ? 8 : 3), size: (a) => (a.mode === 'SHORTEST' ? 1 : num(a.limit, 10)) },
  'Query.changes': { reads: () => 3 },
  'Query.datasets': { reads: () => 1, size: () => LIST_SIZES.datasets },
  'Mutation.reviewMatch': { reads: () => 2 },
  // The name search (its candidates and their parties), the identifier lookup, the candidates, the
  // name counts (read once per state of the lists); matches are counted here, as search hits are.
  'Query.screen': { reads: () => 5, size: (a) => num(a.first, 10) },
  'ScreenResult.matches': { size: () => 1 },
  'ScreenResult.identifiers': { size: () => SCREEN_LIMITS.identifiers },
  'ScreenMatch.explanation': { size: () => LIST_SIZES.screenExplanation },
  // Each match's exposure is a search of its own (server/core/screening/exposure.ts).
  'ScreenMatch.exposure': { reads: exposureReads, size: () => LIMITS.exposureDefault },
  'Entity.exposure': { reads: exposureReads, size: () => LIMITS.exposureDefault },
  'Query.exposure': { reads: exposureReads, size: (a) => num(a.first, LIMITS.exposureDefault) },
  // The company and its directors, one read per hop up (OWNERSHIP_BOUNDS.maxDepth), the chains' nodes and edges.
  'Query.ownership': { reads: () => 3 + OWNERSHIP_BOUNDS.maxDepth },
  'Ownership.chains': { size: () => MAX_OWNERSHIP_CHAINS },
  'Ownership.control': { size: () => OWNERSHIP_BOUNDS.perAsset },
  'SearchResults.hits': { size: () => 1 },
  'SearchHit.entity': { batched: true },
  'Entity.possibleMatches': { batched: true, size: () => LIMITS.possibleMatches },
  'Entity.aliases': { size: () => LIMITS.entityFacts },
  'Entity.addresses': { size: () => LIMITS.entityFacts },
  'Entity.identifiers': { size: () => LIMITS.entityFacts },
  'Entity.vessel': { size: () => LIST_SIZES.vessel },
  'PossibleMatch.features': { size: () => LIST_SIZES.features },
  // The root field's size (limit, ids) already counts the nodes; edges are estimated as many as nodes.
  'Subgraph.nodes': { size: () => 1 },
  'Subgraph.edges': { size: () => 1 },
  // A path has at most LIMITS.maxHops relationships.
  'Path.nodes': { size: () => LIMITS.maxHops + 1 },
  'Path.edges': { size: () => LIMITS.maxHops },
  'Path.hops': { size: () => LIMITS.maxHops },
  // A hop is one relationship, or two for a shared address or identifier.
  'PathHop.edges': { size: () => 2 },
  'ChangeSet.added': { size: (a) => num(a.first, LIMITS.changesFirst) },
  'ChangeSet.removed': { size: (a) => num(a.first, LIMITS.changesFirst) },
  'ChangeSet.modified': { size: (a) => num(a.first, LIMITS.changesFirst) },
  // Saved investigations: a list of them costs its bound times what is asked of each, so asking
  // `changes` of all of them is refused.
  'Query.investigations': { reads: () => 1, size: () => INVESTIGATION_LIMITS.stored },
  'Query.investigation': { reads: () => 1 },
  // Seeds, nodes, edges; the saved nodes as `subgraph(ids)` counts them.
  'Investigation.canvas': { reads: () => 3, size: () => INVESTIGATION_LIMITS.nodes },
  // The releases, the nodes, their snapshots (a handful of datasets), the links, the far ends of added links.
  'Investigation.changes': { reads: () => 8 },
  'Investigation.positions': { size: () => INVESTIGATION_LIMITS.nodes },
  'Investigation.notes': { size: () => INVESTIGATION_LIMITS.notes },
  'Investigation.releases': { size: () => 20 },
  'InvestigationChanges.since': { size: () => 20 },
  'InvestigationChanges.now': { size: () => 20 },
  'InvestigationChanges.added': { size: investigationChanges },
  'InvestigationChanges.removed': { size: investigationChanges },
  'InvestigationChanges.modified': { size: investigationChanges },
  'InvestigationChanges.linksAdded': { size: investigationChanges },
  'InvestigationChanges.linksRemoved': { size: investigationChanges },
  // Alerts, newest first (a page), and watches.
  'Query.alerts': { reads: () => 2, size: (a) => num(a.first, ALERT_PAGE.default) },
  'AlertPage.alerts': { size: () => 1 },
  'Query.watches': { reads: () => 1, size: () => WATCHES_MAX },
  // The party, the watches, up to 3 hops of its radius, its candidate matches, the write.
  'Mutation.watch': { reads: () => 7 },
  'Mutation.unwatch': { reads: () => 1 },
  'Mutation.saveInvestigation': { reads: () => 6 },
  'Mutation.deleteInvestigation': { reads: () => 1 },
};

const estimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  // Introspection (GraphiQL's schema query) is answered from memory, reading nothing: each field once.
  // Its size is bounded by maxQueryNodes like any document.
  if (type.name.startsWith('__') || field.name.startsWith('__')) return 1 + childComplexity;
  const cost = FIELD_COSTS[`${type.name}.${field.name}`] ?? {};
  const leaf = isLeafType(getNamedType(field.type));
  // An object (or list of objects) is one value plus what is asked of it, per object.
  const each = leaf ? 1 : 1 + childComplexity;
  const size = cost.size?.(args) ?? (!leaf && isListType(getNullableType(field.type)) ? NaN : 1);
  return (cost.reads?.(args) ?? 0) * READ_COST + (cost.batched ? BATCHED_READ_COST : 0) + Math.max(size, 0) * each;
};

/**
 * The cost of `operationName` (or of every operation) of `document` with these variables. Refuses
 * (throws a GraphQLError) a document with more than `maxNodes` selections once fragments are expanded,
 * before counting any further.
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string, maxNodes = 20_000): number {
  return getComplexity({ schema, query: document, variables, operationName, estimators: [estimator], maxQueryNodes: maxNodes });
}
