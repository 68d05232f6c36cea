/**
 * Bounds of every request and the input checks the query functions share; a BadInputError says what
 * to fix. (Values the schema types as enums, e.g. a relationship type, are checked by GraphQL before a
 * resolver runs; relTypes() checks them again for the export endpoint, whose input is plain text.)
 */
import { BadInputError } from '../core/errors';
import { isAllowedRelType, REL_TYPE_NAMES, RelType } from '../core/model';

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
  /** Words of a search query (legal-form words such as LLC not counted): more are refused. */
  searchWords: 12,
  /** Aliases of each search candidate scored against the query (its primary name always is). */
  searchAliases: 50,
  listLength: 100,
  /** Candidate matches of one party (Entity.possibleMatches), best first. */
  possibleMatches: 50,
  /** Aliases, addresses and identifiers of one party (each; Entity.aliases, ...), in the source's order. */
  entityFacts: 200,
  /** Parties changed (each of added, removed, modified) per page of `changes`. */
  changesFirst: 1000,
  /** Sanctioned parties of one exposure (Query.exposure `first`; Entity.exposure and ScreenMatch.exposure give the default). */
  exposureFirst: 50,
  exposureDefault: 25,
  /** Matches of one screening request (`first`). */
  screenFirst: 50,
  /** Matches of one POST /api/screen, which answers each with its exposure. */
  screenHttpFirst: 25,
  /** Candidates the name search gives screening, scored each. */
  screenNameCandidates: 50,
  /** Holders of one identifier a screening input names that become candidates (a shared phone of hundreds). */
  screenHolders: 50,
  /** Parents whose per-parent reads (SearchHit.entity, Entity.possibleMatches) go in one query. */
  batchSize: 1000,
} as const;

/** A list filter: null when empty, refused when longer than LIMITS.listLength. */
export function shortList(name: string, xs: readonly string[] | null | undefined): string[] | null {
  if (!xs || xs.length === 0) return null;
  if (xs.length > LIMITS.listLength) throw new BadInputError(`${name} may hold at most ${LIMITS.listLength} values`);
  return [...xs];
}

export function intIn(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new BadInputError(`${name} must be a whole number from ${min} to ${max}; got ${v}`);
  return v;
}

/** Relationship types to follow (null: all), each one of the model's. */
export function relTypes(types: readonly string[] | null | undefined): RelType[] | null {
  if (!types || types.length === 0) return null;
  if (types.length > REL_TYPE_NAMES.length) throw new BadInputError(`relationTypes may hold at most ${REL_TYPE_NAMES.length} values`);
  const bad = types.filter((t) => !isAllowedRelType(t));
  if (bad.length) throw new BadInputError(`unknown relationType ${bad.map((b) => JSON.stringify(b)).join(', ')}; known: ${REL_TYPE_NAMES.join(', ')}`);
  return types.filter(isAllowedRelType);
}
