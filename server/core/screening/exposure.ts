/**
 * Network exposure: the sanctioned parties nearest to a node (a party, placeholder, identifier or
 * address), each with a shortest path to it. A breadth-first search run one hop per query
 * (cypher/api-exposure-hop.cypher), so that its cost is bounded whatever the graph holds:
 *
 * - it follows the network only (DEFAULT_PATH_REL_TYPES: links, shared addresses and identifiers;
 *   never a program, which joins thousands of parties, nor a candidate match, which is no fact yet);
 * - from each node at most EXPOSURE_BOUNDS.perNode neighbours (sanctioned parties first), so a hub
 *   address shared by hundreds adds at most that many;
 * - at most EXPOSURE_BOUNDS.maxNodes nodes in all, and the caller's deadline for every read (a
 *   Database from withDeadline);
 * - it stops after the hop at which `first` sanctioned parties were reached.
 *
 * "Sanctioned" is the hop query's: a party (not a placeholder) that a loaded dataset lists (its
 * `datasets`, which a delisting empties) under at least one program. Parties listed by a dataset
 * without a program (an OpenSanctions dataset's related, unlisted parties) are passed through, not
 * reported.
 */
import neo4j from 'neo4j-driver';
import { DEFAULT_PATH_REL_TYPES } from '../model';
import type { Database } from '../neo4j/database';

export const EXPOSURE_BOUNDS = {
  /** Neighbours followed from one node. */
  perNode: 50,
  /** Nodes reached in all. */
  maxNodes: 2000,
  /**
   * Neighbours of one node read and ranked (sanctioned first) before perNode are kept: a hub's cost is
   * this, not its degree; a sanctioned neighbour beyond the first `scan` of a hub may be missed.
   */
  scan: 1000,
};

/** A sanctioned party reached, with its path as element ids (nodes from the start to it, relationships between). */
export interface ExposureHit {
  id: string;
  distance: number;
  nodes: string[];
  rels: string[];
}

export interface ExposureResult {
  /** False when the node is not in the graph (or not visible to this reader). */
  found: boolean;
  hits: ExposureHit[];
  /** True when a bound (perNode, maxNodes) left some of the neighbourhood unexplored. */
  truncated: boolean;
}

interface HopRow {
  from: string;
  available: number;
  next: { node: string; rel: string; id: string; sanctioned: boolean }[];
}

/** The nearest `first` sanctioned parties within `maxHops` of node `id` (never the node itself), nearest first. */
export async function exposureOf(db: Database, id: string, maxHops: number, first: number): Promise<ExposureResult> {
  const [start] = await db.read<{ eid: string }>('api-exposure-start', { id });
  if (!start) return { found: false, hits: [], truncated: false };
  const parent = new Map<string, { from: string; rel: string }>();
  const seen = new Set([start.eid]);
  const found: { eid: string; id: string; distance: number }[] = [];
  let frontier = [start.eid];
  let truncated = false;
  for (let hop = 1; hop <= maxHops && frontier.length > 0 && found.length < first; hop++) {
    const rows = await db.read<HopRow>('api-exposure-hop', { frontier, seen: [...seen], types: DEFAULT_PATH_REL_TYPES, perNode: EXPOSURE_BOUNDS.perNode, scan: neo4j.int(EXPOSURE_BOUNDS.scan) });
    const next: string[] = [];
    // Frontier order (as the previous hop found it), so the same graph gives the same paths.
    const order = new Map(frontier.map((e, i) => [e, i]));
    rows.sort((a, b) => order.get(a.from)! - order.get(b.from)!);
    for (const row of rows) {
      if (row.available > row.next.length) truncated = true;
      for (const n of row.next) {
        if (seen.has(n.node)) continue;
        if (seen.size >= EXPOSURE_BOUNDS.maxNodes) {
          truncated = true;
          break;
        }
        seen.add(n.node);
        parent.set(n.node, { from: row.from, rel: n.rel });
        next.push(n.node);
        if (n.sanctioned) found.push({ eid: n.node, id: n.id, distance: hop });
      }
    }
    frontier = next;
  }
  const hits = found.slice(0, first).map((f): ExposureHit => {
    const nodes = [f.eid];
    const rels: string[] = [];
    for (let at = parent.get(f.eid); at; at = parent.get(at.from)) {
      rels.unshift(at.rel);
      nodes.unshift(at.from);
    }
    return { id: f.id, distance: f.distance, nodes, rels };
  });
  return { found: true, hits, truncated };
}
