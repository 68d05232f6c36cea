/**
 * Network exposure in the API (Query.exposure, Entity.exposure, ScreenMatch.exposure): the sanctioned
 * parties nearest to a node (server/core/screening/exposure.ts finds them within the request's
 * deadline), each with its path as the API's Path (nodes and relationships with their provenance) and
 * that path in words.
 */
import { isFactKind, REL_TYPES, type RelType } from '../core/model';
import type { Database } from '../core/neo4j/database';
import { exposureOf } from '../core/screening/exposure';
import type { Context } from './context';
import { entityLoader, type EntityParent } from './entity';
import type { Exposure, GraphEdge, GraphNode, Path, Resolvers } from './generated/graphql';
import { hasLabels, NodeRow, toGraphNode } from './graph';
import { perRequest, requestDb } from './request';
import { intIn, LIMITS } from './validate';
import { withEvidence } from './paths';

/** Exposure as the resolvers return it: the party read through the request's loader. */
export type ExposureView = Omit<Exposure, 'entity' | '__typename'> & { entity: EntityParent };

const EDGE_NAME: Record<string, string> = Object.fromEntries(Object.entries(REL_TYPES).map(([t, d]) => [t, d.name]));

function provenance(e: GraphEdge): string {
  const where = [e.dataset, e.release].filter(Boolean).join(' ');
  return [where, e.record].filter(Boolean).join(': ');
}

/** One line per step of a path: a link ("X linked to Y"), or a shared fact, two steps ("X shares address A with Y"). */
export function explainPath(path: Path): string[] {
  const lines: string[] = [];
  const { nodes, edges } = path;
  const name = (n: GraphNode) => `${n.label} (${n.id})`;
  for (let i = 0; i < edges.length; i++) {
    const x = nodes[i];
    const y = nodes[i + 1];
    const e = edges[i];
    // The source's wording where it says more than the type's name ("Owned or Controlled By"; not "Linked To").
    const said = e.label && e.label.toLowerCase() !== (EDGE_NAME[e.type] ?? '').toLowerCase() ? ` ("${e.label}")` : '';
    if (isFactKind(y.kind) && i + 1 < edges.length && !isFactKind(x.kind)) {
      const z = nodes[i + 2];
      const f = edges[i + 1];
      const what = y.kind === 'Address' ? 'address' : 'identifier';
      lines.push(`${name(x)} shares ${what} ${y.label} with ${name(z)} (${[provenance(e), provenance(f)].filter(Boolean).join('; ')})`);
      i++;
    } else if (isFactKind(x.kind)) {
      lines.push(`${x.kind === 'Address' ? 'address' : 'identifier'} ${x.label} is ${x.kind === 'Address' ? 'used' : 'held'} by ${name(y)} (${provenance(e)})`);
    } else if (isFactKind(y.kind)) {
      lines.push(`${name(x)} has ${EDGE_NAME[e.type] ?? e.type} ${y.label} (${provenance(e)})`);
    } else {
      const forward = e.source === x.id;
      const [a, b] = forward ? [x, y] : [y, x];
      lines.push(`${name(a)} ${EDGE_NAME[e.type as RelType] ?? e.type}${said} ${name(b)} (${provenance(e)})`);
    }
  }
  return lines;
}

/** The nearest sanctioned parties of node `id`, nearest first (see the file comment). */
export async function exposure(db: Database, ctx: Context, id: string, maxHopsArg: number | null | undefined, firstArg: number | null | undefined): Promise<ExposureView[]> {
  const maxHops = intIn('maxHops', maxHopsArg ?? 3, 1, LIMITS.maxHops);
  const first = intIn('first', firstArg ?? LIMITS.exposureDefault, 1, LIMITS.exposureFirst);
  const { hits } = await exposureOf(db, id, maxHops, first);
  if (hits.length === 0) return [];
  const eids = [...new Set(hits.flatMap((h) => h.nodes))];
  const rids = [...new Set(hits.flatMap((h) => h.rels))];
  const nodes = new Map((await db.read<NodeRow>('api-subgraph-nodes', { eids })).filter(hasLabels).map((n) => [n.eid, toGraphNode(n)]));
  const edges = new Map((await db.read<GraphEdge>('api-path-edges', { rids })).map((e) => [e.id, e]));
  const entities = await entityLoader(ctx).loadMany(hits.map((h) => h.id));
  const out: ExposureView[] = [];
  hits.forEach((h, i) => {
    const entity = entities[i];
    // A party gone between the reads (a load committed) is left out rather than half-described.
    if (!entity || entity instanceof Error || h.nodes.some((e) => !nodes.has(e)) || h.rels.some((r) => !edges.has(r))) return;
    const path: Path = withEvidence({ length: h.rels.length, nodes: h.nodes.map((e) => nodes.get(e)!), edges: h.rels.map((r) => edges.get(r)!) });
    out.push({ entity, distance: h.distance, path, explanation: explainPath(path) });
  });
  return out;
}

/** The request's answers, by node and bounds: a party asked for twice (a match and a hit's entity) is searched once. */
const memo = perRequest(() => new Map<string, Promise<ExposureView[]>>());

export function exposureFor(ctx: Context, id: string, maxHops?: number | null, first?: number | null): Promise<ExposureView[]> {
  const key = `${id}\n${maxHops ?? ''}\n${first ?? ''}`;
  const cache = memo(ctx);
  let answer = cache.get(key);
  if (!answer) {
    answer = exposure(requestDb(ctx), ctx, id, maxHops, first);
    cache.set(key, answer);
  }
  return answer;
}

export const exposureResolvers: Resolvers = {
  Query: {
    exposure: (_parent, args, ctx) => exposureFor(ctx, args.id, args.maxHops, args.first),
  },
  Entity: {
    exposure: (entity, args, ctx) => exposureFor(ctx, entity.id, args.maxHops),
  },
};
