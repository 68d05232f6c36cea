/**
 * Paths between two parties (Query.paths), with relationship types to follow (by default the network:
 * DEFAULT_PATH_REL_TYPES) and nodes to avoid.
 *
 * rank HOPS: the single shortest, all shortest or the k shortest, planned by Neo4j's breadth-first
 * SHORTEST. rank EVIDENCE: the strongest paths (server/core/paths/evidence.ts): candidates are the 50
 * shortest paths over each tier of types (ownership and directorship alone, then with family and
 * associates, ... then everything allowed), ranked by the product of their steps' weights on their
 * types alone; only the paths kept are read in full. One request is at most one candidate query (one
 * SHORTEST 50 per weight class, six with every type) and two reads of nodes and relationships, all
 * within the request's deadline (REQUEST_TIMEOUT); cost.ts counts the tiers as reads.
 *
 * Every Path, also those other fields return (Exposure.path), says why its ends are connected (why,
 * hops, each hop citing its dataset, release and record) and how strongly (strength): Path's field
 * resolvers fill them in where the path was built without them.
 */
import neo4j from 'neo4j-driver';
import { BadInputError } from '../core/errors';
import { DEFAULT_PATH_REL_TYPES, EVIDENCE_WEIGHTS } from '../core/model';
import { Database } from '../core/neo4j/database';
import { evidenceTiers, hopsOf, rankByEvidence, strengthOf, whyOf } from '../core/paths/evidence';
import type { GraphEdge, GraphNode, Path, PathMode, PathRank, Resolvers } from './generated/graphql';
import { hasLabels, NodeRow, toGraphNode } from './graph';
import { requestDb } from './request';
import { intIn, LIMITS, relTypes, shortList } from './validate';

export type { Path, PathMode, PathRank };

const QUERY_OF_MODE: Record<PathMode, string> = {
  SHORTEST: 'api-paths-shortest',
  ALL_SHORTEST: 'api-paths-all-shortest',
  K_SHORTEST: 'api-paths-k-shortest',
};

/** A path as read: its nodes and relationships, without what is said of it. */
export type BarePath = Pick<Path, 'length' | 'nodes' | 'edges'>;

/** A path with its hops, why line and strength (what Path's field resolvers would compute). */
export function withEvidence(p: BarePath): Path {
  const hops = hopsOf(p.nodes, p.edges);
  return { ...p, hops, why: whyOf(p.nodes, p.edges), strength: strengthOf(p.nodes, p.edges) };
}

export async function paths(
  db: Database,
  args: {
    from: string;
    to: string;
    maxHops?: number | null;
    mode?: PathMode | null;
    rank?: PathRank | null;
    relationTypes?: readonly string[] | null;
    excludeIds?: readonly string[] | null;
    limit?: number | null;
  },
): Promise<Path[]> {
  const maxHops = intIn('maxHops', args.maxHops ?? 4, 1, LIMITS.maxHops);
  const limit = intIn('limit', args.limit ?? 10, 1, LIMITS.pathLimit);
  // Not given: the network (no program hubs, no candidate matches), as the explorer asks by default.
  const types = relTypes(args.relationTypes) ?? DEFAULT_PATH_REL_TYPES;
  if (args.from === args.to) throw new BadInputError('from and to must be different entities');
  const exclude = shortList('excludeIds', args.excludeIds) ?? [];
  if (exclude.includes(args.from) || exclude.includes(args.to)) throw new BadInputError('excludeIds must not contain from or to');
  const mode = args.mode ?? 'ALL_SHORTEST';
  let within: { nodes: string[]; rels: string[] }[];
  if (args.rank === 'EVIDENCE') {
    const none = types.filter((t) => EVIDENCE_WEIGHTS[t] <= 0);
    if (none.length) throw new BadInputError(`rank EVIDENCE does not follow ${none.join(', ')}: being listed under the same program is no connection (weight 0); leave it out of relationTypes`);
    const rows = await db.read<{ nodes: string[]; rels: string[]; types: string[] }>('api-paths-evidence', { from: args.from, to: args.to, tiers: evidenceTiers(types), exclude }, undefined, { maxHops });
    within = rankByEvidence(rows).slice(0, mode === 'SHORTEST' ? 1 : limit);
  } else {
    const rows = await db.read<{ nodes: string[]; rels: string[] }>(QUERY_OF_MODE[mode], { from: args.from, to: args.to, types, exclude, limit: neo4j.int(limit) }, undefined, { maxHops });
    within = rows.slice(0, limit);
  }
  if (within.length === 0) return [];
  const eids = [...new Set(within.flatMap((r) => r.nodes))];
  const rids = [...new Set(within.flatMap((r) => r.rels))];
  const nodes = new Map((await db.read<NodeRow>('api-subgraph-nodes', { eids })).filter(hasLabels).map((n) => [n.eid, toGraphNode(n)]));
  const edges = new Map((await db.read<GraphEdge>('api-path-edges', { rids })).map((e) => [e.id, e]));
  // A path whose node or relationship went between the reads (a load committed) is left out rather than half-described.
  return within
    .filter((r) => r.nodes.every((e) => nodes.has(e)) && r.rels.every((e) => edges.has(e)))
    .map((r) => withEvidence({ length: r.rels.length, nodes: r.nodes.map((e) => nodes.get(e)!), edges: r.rels.map((e) => edges.get(e)!) }));
}

/** What a Path's field resolvers see: a path other fields built may lack what is said of it. */
type PathParent = BarePath & Partial<Pick<Path, 'hops' | 'why' | 'strength'>>;
const nodesAndEdges = (p: PathParent): [GraphNode[], GraphEdge[]] => [p.nodes, p.edges];

export const pathResolvers: Resolvers = {
  Query: {
    paths: (_parent, args, ctx) => paths(requestDb(ctx), args),
  },
  Path: {
    why: (p: PathParent) => p.why ?? whyOf(...nodesAndEdges(p)),
    hops: (p: PathParent) => p.hops ?? hopsOf(...nodesAndEdges(p)),
    strength: (p: PathParent) => p.strength ?? strengthOf(...nodesAndEdges(p)),
  },
};
