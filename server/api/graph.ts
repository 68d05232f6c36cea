/**
 * Subgraphs: a neighbourhood of 1 to 3 hops, most relevant nodes first and bounded by a limit
 * (Query.neighborhood), and the named nodes with every relationship among them (Query.subgraph). The
 * export endpoint (app.ts, export.ts) serves the same two.
 */
import neo4j from 'neo4j-driver';
import { BadInputError } from '../core/errors';
import { FACT_KIND_NAMES, FACT_KINDS, isPartyKind, LABELS, NodeKind } from '../core/model';
import { Database } from '../core/neo4j/database';
import type { GraphEdge, GraphNode, Resolvers, Subgraph } from './generated/graphql';
import { requestDb } from './request';
import { intIn, LIMITS, relTypes } from './validate';

export type { GraphEdge, GraphNode, Subgraph };

/** A node as api-subgraph-nodes returns it. */
export interface NodeRow {
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
  datasets: string[];
}

/** Its kind: a party's own, or the fact kind (Address, Identifier, Program) its label says. */
function nodeKind(r: NodeRow): NodeKind {
  if (r.kind && isPartyKind(r.kind)) return r.kind;
  const fact = FACT_KIND_NAMES.find((k) => r.labels.includes(LABELS[k]));
  if (!fact) throw new Error(`node ${r.id} (labels ${r.labels.join(', ')}) is neither a party of a known kind nor a fact node`);
  return fact;
}

export function toGraphNode(r: NodeRow): GraphNode {
  return { id: r.id, kind: nodeKind(r), label: r.label, degree: r.degree, placeholder: r.placeholder, delistedOn: r.delistedOn, listedOn: r.listedOn, programs: r.programs, datasets: r.datasets };
}

/**
 * The rows' nodes, less any row with no label: a node deleted by a load's cleanup while this read ran
 * (the read matched it by element id, then saw it without its labels) is gone, not a node of an unknown
 * kind, so it is left out rather than failing the whole request with a server error.
 */
export function toGraphNodes(rows: NodeRow[]): GraphNode[] {
  return rows.filter(hasLabels).map(toGraphNode);
}

/** A row of a node that still exists: one deleted while the read ran comes back without labels (see toGraphNodes). */
export const hasLabels = (r: NodeRow): boolean => r.labels.length > 0;

/** How api-neighborhood-hop ranks a neighbour by its label: parties (0) first, then each fact kind's rank. */
const NEIGHBOUR_RANKS = FACT_KIND_NAMES.map((k) => ({ label: LABELS[k], rank: FACT_KINDS[k].rank }));

async function subgraphOf(db: Database, eids: string[], types: string[] | null, truncated: boolean): Promise<Subgraph> {
  const nodes = await db.read<NodeRow>('api-subgraph-nodes', { eids });
  const edges = await db.read<GraphEdge>('api-subgraph-edges', { eids, types });
  const order = new Map(eids.map((e, i) => [e, i]));
  nodes.sort((a, b) => order.get(a.eid)! - order.get(b.eid)!);
  return { nodes: toGraphNodes(nodes), edges, truncated };
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
      // More than perNode, so that `available > neighbours` still tells a hub was cut short.
      scan: neo4j.int(2 * room + 1),
      ranks: NEIGHBOUR_RANKS.map((r) => ({ label: r.label, rank: neo4j.int(r.rank) })),
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

export const graphResolvers: Resolvers = {
  Query: {
    neighborhood: (_parent, args, ctx) => neighborhood(requestDb(ctx), args),
    subgraph: (_parent, args, ctx) => subgraph(requestDb(ctx), args),
  },
};
