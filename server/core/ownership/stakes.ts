/**
 * Reads what an ownership verdict needs (aggregate.ts): the stakes upstream of a company, one hop per
 * query (cypher/api-ownership-hop.cypher), so that its cost is bounded whatever the graph holds:
 *
 * - only OWNERSHIP links (owner -> asset: FtM Ownership, OFAC's "Owned or Controlled By"), and only
 *   those in force on the date asked about are followed further up (an ended stake is still read, and
 *   shown by the arithmetic as not counting, but its owner's owners are not);
 * - at most OWNERSHIP_BOUNDS.perAsset links into one asset, OWNERSHIP_BOUNDS.maxDepth hops and
 *   OWNERSHIP_BOUNDS.maxParties parties in all; `truncated` says when a bound cut the tree (the verdict
 *   may then miss owners: the API says so);
 * - the caller's deadline for every read (a Database from withDeadline).
 *
 * Who is listed on the date is read from each party's listing facts (listedAt).
 */
import neo4j from 'neo4j-driver';
import type { Database } from '../neo4j/database';
import { inForce, type Control, type OwnershipParty, type Stake } from './aggregate';

export const OWNERSHIP_BOUNDS = {
  /** Hops up from the company: as far as a path may go in the API (LIMITS.maxHops). */
  maxDepth: 6,
  /** Owners of one asset read (and directors of the company). */
  perAsset: 200,
  /** Parties reached in all. */
  maxParties: 1000,
};

/** A party's listing facts as the ownership queries return them. */
export interface ListingFacts {
  eid: string;
  id: string;
  name: string | null;
  placeholder: boolean;
  /** Numbers of programs, of datasets listing it now, of datasets that delisted it. */
  programs: number;
  datasets: number;
  formerDatasets: number;
  /** Designation date where the source gives one (YYYY-MM-DD, or shorter). */
  listedOn: string | null;
  /** Release that delisted it from its last dataset. */
  delistedOn: string | null;
}

/**
 * Whether a party was on a list on `day`: a party (not a placeholder) listed under a program by a
 * dataset now, or by one that has since delisted it after `day`; and not designated after `day`
 * where the source dates the designation. A party whose listing the sources do not date counts as
 * listed on any earlier day (the first release we loaded is not when it was designated).
 */
export function listedAt(p: ListingFacts, day: string): boolean {
  if (p.placeholder || p.programs === 0) return false;
  if (p.listedOn && p.listedOn.slice(0, 10) > day && !day.startsWith(p.listedOn)) return false;
  if (p.datasets > 0) return true;
  return p.formerDatasets > 0 && p.delistedOn !== null && p.delistedOn > day;
}

export interface OwnershipTree {
  /** False when no visible party has the id. */
  found: boolean;
  target: ListingFacts | null;
  stakes: Stake[];
  controls: Control[];
  /** Every party read, by id. */
  parties: Map<string, ListingFacts>;
  truncated: boolean;
}

interface StakeRow {
  rel: string;
  percentage: string | null;
  startDate: string | null;
  endDate: string | null;
  owner: ListingFacts;
}

/** The stakes upstream of party `id` that bear on its verdict on `asOf` (see the file comment). */
export async function readOwnershipTree(db: Database, id: string, asOf: string): Promise<OwnershipTree> {
  const perNode = neo4j.int(OWNERSHIP_BOUNDS.perAsset);
  const [start] = await db.read<{ target: ListingFacts; controls: { rel: string; role: string | null; startDate: string | null; endDate: string | null; party: ListingFacts }[] }>(
    'api-ownership-start',
    { id, perNode },
  );
  if (!start) return { found: false, target: null, stakes: [], controls: [], parties: new Map(), truncated: false };
  const { target } = start;
  const parties = new Map<string, ListingFacts>([[target.id, target]]);
  const controls: Control[] = start.controls.map((c) => {
    parties.set(c.party.id, c.party);
    return { id: c.rel, controller: c.party.id, organization: target.id, role: c.role, startDate: c.startDate, endDate: c.endDate };
  });
  let truncated = start.controls.length >= OWNERSHIP_BOUNDS.perAsset;
  const stakes: Stake[] = [];
  const seen = new Set([target.eid]);
  let frontier = [target.eid];
  for (let hop = 1; hop <= OWNERSHIP_BOUNDS.maxDepth && frontier.length > 0; hop++) {
    const rows = await db.read<{ asset: string; assetId: string; stakes: StakeRow[] }>('api-ownership-hop', { frontier, scan: neo4j.int(OWNERSHIP_BOUNDS.perAsset + 1) });
    // Frontier order, then the links' own (element ids), so the same graph gives the same answer.
    const order = new Map(frontier.map((e, i) => [e, i]));
    rows.sort((a, b) => order.get(a.asset)! - order.get(b.asset)!);
    const next: string[] = [];
    for (const row of rows) {
      if (row.stakes.length > OWNERSHIP_BOUNDS.perAsset) truncated = true;
      const kept = row.stakes.slice(0, OWNERSHIP_BOUNDS.perAsset).sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
      for (const s of kept) {
        const known = parties.has(s.owner.id);
        if (!known && parties.size >= OWNERSHIP_BOUNDS.maxParties) {
          truncated = true;
          continue;
        }
        parties.set(s.owner.id, s.owner);
        const stake: Stake = { id: s.rel, owner: s.owner.id, asset: row.assetId, percentage: s.percentage, startDate: s.startDate, endDate: s.endDate };
        stakes.push(stake);
        // Up from owners whose stake is in force only: an ended stake makes no chain on this date.
        if (!seen.has(s.owner.eid) && inForce(stake, asOf)) {
          seen.add(s.owner.eid);
          next.push(s.owner.eid);
        }
      }
    }
    if (hop === OWNERSHIP_BOUNDS.maxDepth && next.length > 0) truncated = true;
    frontier = next;
  }
  return { found: true, target, stakes, controls, parties, truncated };
}

/** The parties as aggregate.ts takes them: names and whether each was listed on `asOf`. */
export function ownershipParties(tree: OwnershipTree, asOf: string): Map<string, OwnershipParty> {
  return new Map([...tree.parties.values()].map((p) => [p.id, { id: p.id, name: p.name ?? p.id, listed: listedAt(p, asOf) }]));
}
