/**
 * Ownership in the exports (issue 14): for each company-like party of an export, the verdict of OFAC's
 * 50 percent rule and of the EU's test as of the export's day, with the figures and arithmetic that
 * Query.ownership answers (ownership.ts ownershipFromTree: the same tree read, the same aggregation).
 *
 * Bounded whatever the export's size:
 * - only parties that something owns need a tree read: they are found in one query over the export's
 *   company-like parties (cypher/api-export-ownership-owned.cypher), whether or not the owning link is
 *   itself in the export (a neighbourhood cut at its limit, or an export of named nodes, may leave it out);
 * - each tree read is the API's bounded one (readOwnershipTree: OWNERSHIP_BOUNDS), one read serving both
 *   rules (the tree does not depend on the rule);
 * - at most EXPORT_OWNERSHIP_LIMITS.companies tree reads per export: the owned parties beyond it (in the
 *   export's node order: the entities named first) carry a note saying so, never nothing;
 * - the export's deadline: every read carries it (the Database given is withDeadline's), and no further
 *   read starts once it has passed (the export then fails with the deadline's error, as its writing does).
 *
 * A party that nothing owns carries no ownership fields at all (there is nothing to aggregate: its
 * verdict would be NOT_BLOCKED with 0%, which the absence says without filling every row of a large export).
 */
import type { OwnershipRule, OwnershipVerdict } from '../core/ownership/aggregate';
import type { Database } from '../core/neo4j/database';
import { readOwnershipTree } from '../core/ownership/stakes';
import type { GraphNode } from './graph';
import { ownershipFromTree } from './ownership';

export const EXPORT_OWNERSHIP_LIMITS = {
  /**
   * Owned companies whose ownership one export computes. Each is a tree read of one to seven queries
   * (a hop per query, OWNERSHIP_BOUNDS.maxDepth at most), so 100 is at most 700 short reads on top of the
   * export's own four; a 5,000-node export of a corporate registry holds far more owned companies, and
   * those beyond the first 100 say "not computed" (ask for the company's neighbourhood, or Query.ownership).
   */
  companies: 100,
  /** Tree reads at once: enough to overlap round trips, few enough to leave the pool to other requests. */
  concurrency: 4,
} as const;

/**
 * The kinds whose ownership is computed: those that can be owned and blocked as an entity (the case
 * report's choice too). A vessel or aircraft is property: what blocks it is its owner, exported as is.
 */
export const OWNED_KINDS: ReadonlySet<string> = new Set(['Company', 'Organization', 'LegalEntity']);

/** One chain from a listed party down to the company (chains.ts), by ids. */
export interface ExportOwnershipChain {
  /** The listed party's economic interest (the product of the stakes) when every stake is exact. */
  share: number | null;
  /** What the chain adds to the known total under the rule. */
  counted: number;
  arithmetic: string;
  /** Party ids from the listed party to the company. */
  path: string[];
  /** The OWNERSHIP relationships along it (the export's edge ids). */
  links: string[];
}

/** One rule's verdict on a company: the fields Query.ownership answers under that rule. */
export interface ExportOwnershipVerdict {
  rule: OwnershipRule;
  verdict: OwnershipVerdict;
  blocked: boolean;
  /** Percent (0-100) held by sanctioned parties, known low end, and its high end with unknown or ranged shares. */
  total: number;
  totalHigh: number;
  unknownShares: boolean;
  /** The sentences with the sums: each owner blocked by the rule, then the company (then control). */
  arithmetic: string[];
  chains: ExportOwnershipChain[];
}

/** What an export says of one owned party's ownership. */
export interface ExportOwnership {
  /** The day the verdicts are for (YYYY-MM-DD). */
  asOf: string;
  /** Why there is no verdict (e.g. the export has more owned companies than it computes); null when computed. */
  notComputed: string | null;
  /** The party is on a list itself (its verdict is then about its owners only). */
  listed: boolean | null;
  /** A bound cut the tree (OWNERSHIP_BOUNDS) or the chains (MAX_OWNERSHIP_CHAINS): owners may be missing. */
  truncated: boolean;
  ofac: ExportOwnershipVerdict | null;
  eu: ExportOwnershipVerdict | null;
}

/** The note of an owned party the export does not compute. */
export const notComputedNote = (limit: number) => `not computed: export has more than ${limit} owned companies`;

/**
 * The ownership of the export's owned company-like parties as of `asOf` (see the file comment), by party
 * id. `limit` is EXPORT_OWNERSHIP_LIMITS.companies (tests give a smaller one to see the note); `deadline`
 * is the export's (export.ts ExportDeadline).
 */
export async function readExportOwnership(
  db: Database,
  g: { nodes: readonly GraphNode[] },
  asOf: string,
  opts: { deadline?: { at: number; timedOut: () => Error }; limit?: number } = {},
): Promise<Map<string, ExportOwnership>> {
  const limit = opts.limit ?? EXPORT_OWNERSHIP_LIMITS.companies;
  const candidates = g.nodes.filter((n) => OWNED_KINDS.has(n.kind) && !n.placeholder).map((n) => n.id);
  const out = new Map<string, ExportOwnership>();
  if (candidates.length === 0) return out;
  const ownedIds = new Set((await db.read<{ id: string }>('api-export-ownership-owned', { ids: candidates })).map((r) => r.id));
  // The export's node order (the entities named first), so the same export computes the same companies.
  const owned = candidates.filter((id) => ownedIds.has(id));
  const note = notComputedNote(limit);
  for (const id of owned.slice(limit)) out.set(id, { asOf, notComputed: note, listed: null, truncated: false, ofac: null, eu: null });

  const queue = owned.slice(0, limit);
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      if (opts.deadline && Date.now() > opts.deadline.at) throw opts.deadline.timedOut();
      const tree = await readOwnershipTree(db, id, asOf);
      // Gone between the two reads (a load committed meanwhile): said, not dropped.
      if (!tree.found) {
        out.set(id, { asOf, notComputed: 'not computed: the party was no longer in the graph when its owners were read', listed: null, truncated: false, ofac: null, eu: null });
        continue;
      }
      const verdicts = (['OFAC', 'EU'] as const).map((rule) => {
        const v = ownershipFromTree(tree, id, rule, asOf);
        return { v, verdict: toVerdict(rule, v) };
      });
      const [ofac, eu] = verdicts;
      out.set(id, {
        asOf,
        notComputed: null,
        listed: ofac.v.result.targetListed,
        truncated: tree.truncated || verdicts.some(({ v }) => v.moreChains),
        ofac: ofac.verdict,
        eu: eu.verdict,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(EXPORT_OWNERSHIP_LIMITS.concurrency, queue.length) }, worker));
  return out;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

function toVerdict(rule: OwnershipRule, v: ReturnType<typeof ownershipFromTree>): ExportOwnershipVerdict {
  return {
    rule,
    verdict: v.result.verdict,
    blocked: v.result.verdict === 'BLOCKED',
    total: v.total,
    totalHigh: v.totalHigh,
    unknownShares: v.unknownShares,
    arithmetic: v.result.arithmetic,
    chains: v.chains.map((c) => ({
      share: c.economicShare === null ? null : round(c.economicShare),
      counted: round(c.counted.low),
      arithmetic: c.arithmetic,
      path: [c.links[0].owner, ...c.links.map((l) => l.asset)],
      links: c.links.map((l) => l.link),
    })),
  };
}
