/**
 * Ownership by sanctioned parties in the API (Query.ownership): the stakes upstream of a company read
 * within the request's deadline (server/core/ownership/stakes.ts), the verdict of OFAC's 50 percent rule
 * or the EU's test with its arithmetic (aggregate.ts), and each chain from a listed party down to the
 * company as the API's Path (chains.ts).
 */
import { AppError, BadInputError } from '../core/errors';
import { aggregateOwnership, type OwnershipRule } from '../core/ownership/aggregate';
import { ownershipChains } from '../core/ownership/chains';
import { ownershipParties, readOwnershipTree, type OwnershipTree } from '../core/ownership/stakes';
import type { Database } from '../core/neo4j/database';
import type { GraphEdge, Ownership, Path, Resolvers } from './generated/graphql';
import { hasLabels, NodeRow, toGraphNode } from './graph';
import { requestDb } from './request';

/** Chains of one answer (Ownership.chains; cost.ts counts them). */
export const MAX_OWNERSHIP_CHAINS = 50;

/**
 * No party has the id. (Query.entity answers null for it; an ownership verdict about nothing cannot be
 * given.) HTTP 200 with the code, as a bad input is.
 */
export class NotFoundError extends AppError {
  override readonly code = 'NOT_FOUND';
  override readonly status = 400;
}

/** A YYYY-MM-DD day that exists; today (UTC) when not given. */
export function asOfDay(asOf: string | null | undefined, now = new Date()): string {
  if (asOf === null || asOf === undefined) return now.toISOString().slice(0, 10);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== asOf) {
    throw new BadInputError(`asOf must be a date written YYYY-MM-DD (e.g. 2024-05-03); got ${JSON.stringify(asOf.slice(0, 40))}`);
  }
  return asOf;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * One rule's verdict on party `id` from its tree as read (readOwnershipTree), in the figures the API
 * answers (total, totalHigh, unknownShares) with the chains by party id: shared by Query.ownership and
 * the exports (export-ownership.ts), which read one tree per company and apply both rules to it.
 */
export function ownershipFromTree(tree: OwnershipTree, id: string, rule: OwnershipRule, asOf: string) {
  const result = aggregateOwnership({ target: id, rule, asOf, stakes: tree.stakes, controls: tree.controls, parties: ownershipParties(tree, asOf) });
  const { chains, truncated: moreChains } = ownershipChains(result, MAX_OWNERSHIP_CHAINS);
  const unknownShares = result.findings.some((f) => f.held.some((h) => h.statements.every((s) => s.percentage === null || !/\d/.test(s.percentage))));
  return { result, chains, moreChains, total: round(result.share.low), totalHigh: round(result.share.high), unknownShares };
}

export async function ownership(db: Database, args: { id: string; rule?: OwnershipRule | null; asOf?: string | null }): Promise<Ownership> {
  const asOf = asOfDay(args.asOf);
  const rule = args.rule ?? 'OFAC';
  const tree = await readOwnershipTree(db, args.id, asOf);
  if (!tree.found) throw new NotFoundError(`No party has the id ${JSON.stringify(args.id)}`);
  const { result, chains, moreChains, total, totalHigh, unknownShares } = ownershipFromTree(tree, args.id, rule, asOf);

  // The chains' parties and links in the API's shapes, read once for all of them.
  const eidOf = new Map([...tree.parties.values()].map((p) => [p.id, p.eid]));
  const eids = [...new Set(chains.flatMap((c) => [c.links[0].owner, ...c.links.map((l) => l.asset)]))].map((id) => eidOf.get(id)!);
  const rids = [...new Set(chains.flatMap((c) => c.links.map((l) => l.link)))];
  const nodes = new Map(eids.length ? (await db.read<NodeRow>('api-subgraph-nodes', { eids })).filter(hasLabels).map((n) => [n.id, toGraphNode(n)]) : []);
  const edges = new Map(rids.length ? (await db.read<GraphEdge>('api-path-edges', { rids })).map((e) => [e.id, e]) : []);
  // A party or link gone between the reads (a load committed) leaves its chain out rather than half-drawn.
  const whole = chains.filter((c) => [c.links[0].owner, ...c.links.map((l) => l.asset)].every((id) => nodes.has(id)) && c.links.every((l) => edges.has(l.link)));

  return {
    total,
    totalHigh,
    blocked: result.verdict === 'BLOCKED',
    verdict: result.verdict,
    unknownShares,
    chains: whole.map((c) => ({
      // Path's field resolvers (paths.ts) say why, hops and strength of a path built without them.
      path: { length: c.links.length, nodes: [c.links[0].owner, ...c.links.map((l) => l.asset)].map((id) => nodes.get(id)!), edges: c.links.map((l) => edges.get(l.link)!) } as Path,
      share: c.economicShare === null ? null : round(c.economicShare),
      counted: round(c.counted.low),
      arithmetic: c.arithmetic,
    })),
    arithmetic: result.arithmetic,
    control: result.control.map((c) => ({ id: c.controller, name: c.name, role: c.role })),
    rule,
    asOf,
    listed: result.targetListed,
    truncated: tree.truncated || moreChains || whole.length < chains.length,
  };
}

export const ownershipResolvers: Resolvers = {
  Query: {
    ownership: (_parent, args, ctx) => ownership(requestDb(ctx), args),
  },
};
