/**
 * Paths between two parties (Query.paths): the single shortest, all shortest or the k shortest, with
 * relationship types to follow (by default the network: DEFAULT_PATH_REL_TYPES) and nodes to avoid,
 * planned by Neo4j's breadth-first SHORTEST.
 */
import neo4j from 'neo4j-driver';
import { BadInputError } from '../core/errors';
import { DEFAULT_PATH_REL_TYPES } from '../core/model';
import { Database } from '../core/neo4j/database';
import type { GraphEdge, Path, PathMode, Resolvers } from './generated/graphql';
import { NodeRow, toGraphNode } from './graph';
import { requestDb } from './request';
import { intIn, LIMITS, relTypes, shortList } from './validate';

export type { Path, PathMode };

const QUERY_OF_MODE: Record<PathMode, string> = {
  SHORTEST: 'api-paths-shortest',
  ALL_SHORTEST: 'api-paths-all-shortest',
  K_SHORTEST: 'api-paths-k-shortest',
};

export async function paths(
  db: Database,
  args: { from: string; to: string; maxHops?: number | null; mode?: PathMode | null; relationTypes?: readonly string[] | null; excludeIds?: readonly string[] | null; limit?: number | null },
): Promise<Path[]> {
  const maxHops = intIn('maxHops', args.maxHops ?? 4, 1, LIMITS.maxHops);
  const limit = intIn('limit', args.limit ?? 10, 1, LIMITS.pathLimit);
  // Not given: the network (no program hubs, no candidate matches), as the explorer asks by default.
  const types = relTypes(args.relationTypes) ?? DEFAULT_PATH_REL_TYPES;
  if (args.from === args.to) throw new BadInputError('from and to must be different entities');
  const exclude = shortList('excludeIds', args.excludeIds) ?? [];
  if (exclude.includes(args.from) || exclude.includes(args.to)) throw new BadInputError('excludeIds must not contain from or to');
  const name = QUERY_OF_MODE[args.mode ?? 'ALL_SHORTEST'];
  const rows = await db.read<{ nodes: string[]; rels: string[] }>(name, { from: args.from, to: args.to, types, exclude, limit: neo4j.int(limit) }, undefined, { maxHops });
  const within = rows.slice(0, limit);
  if (within.length === 0) return [];
  const eids = [...new Set(within.flatMap((r) => r.nodes))];
  const rids = [...new Set(within.flatMap((r) => r.rels))];
  const nodes = new Map((await db.read<NodeRow>('api-subgraph-nodes', { eids })).map((n) => [n.eid, toGraphNode(n)]));
  const edges = new Map((await db.read<GraphEdge>('api-path-edges', { rids })).map((e) => [e.id, e]));
  return within.map((r) => ({ length: r.rels.length, nodes: r.nodes.map((e) => nodes.get(e)!), edges: r.rels.map((e) => edges.get(e)!) }));
}

export const pathResolvers: Resolvers = {
  Query: {
    paths: (_parent, args, ctx) => paths(requestDb(ctx), args),
  },
};
