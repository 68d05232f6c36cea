/**
 * Cross-list candidate matches, refreshed inside each load's transaction: every listed party is read
 * (its node, through party-node.ts fromNode, and its identifiers), server/core/matching scores the pairs
 * that touch the loaded dataset, and those at or above MATCH_THRESHOLD are stored as POSSIBLY_SAME_AS
 * with their score and features. A person's review decision on a pair survives every reload.
 */
import type { TxRun as Run } from '../neo4j/database';
import { findCandidates, matchPartyOf, type MatchIdentifier, type MatchParty } from './match';
import { fromNode, type PartyNode } from '../party-node';
import { log } from '../logger';

/**
 * The node properties matchPartyOf reads. Only these are fetched: all of a node's properties (remarks,
 * Latin forms, alias types) made reading the ~16,000 parties of the demo lists take 1.8 s instead of
 * 1.0 s.
 */
export const MATCH_NODE_KEYS: readonly (keyof PartyNode)[] = ['id', 'kind', 'name', 'aliasNames', 'birthDates', 'nationalities', 'citizenships', 'vesselFlag'];

/** Parties read per query: the whole list as one result held the driver's records and the rows beside the parties (1.8 GB at x16). */
export const MATCH_PAGE = 5_000;

/**
 * Every listed party as matching compares it, read in pages by id (MATCH_PAGE): each page's records
 * become MatchParty values before the next is read, so only those stay (what findCandidates needs), not
 * the query's result for the whole list too.
 */
export async function readMatchParties(run: Run, pageSize = MATCH_PAGE): Promise<MatchParty[]> {
  const parties: MatchParty[] = [];
  let after = '';
  for (;;) {
    const rows = (await run('match-parties-page', { keys: MATCH_NODE_KEYS, after, limit: pageSize })) as { values: unknown[]; dataset: string; identifiers: MatchIdentifier[] }[];
    for (const r of rows) {
      const props = Object.fromEntries(MATCH_NODE_KEYS.map((k, i) => [k, r.values[i]]));
      parties.push(matchPartyOf(fromNode(props), r.identifiers, r.dataset));
    }
    if (rows.length < pageSize) return parties;
    after = parties[parties.length - 1].id;
  }
}

export async function refreshMatches(run: Run, dataset: string, batchSize: number): Promise<number> {
  const t = Date.now();
  const [{ others }] = (await run('match-other-datasets', { dataset })) as { others: number }[];
  if (Number(others) === 0) return 0;
  const parties = await readMatchParties(run);
  const candidates = findCandidates(parties, { touchingDatasets: [dataset] });
  await run('match-clear', { datasets: [dataset] });
  const at = new Date().toISOString();
  for (let i = 0; i < candidates.length; i += batchSize) {
    const rows = candidates.slice(i, i + batchSize).map((c) => ({
      a: c.a,
      b: c.b,
      score: c.score,
      features: JSON.stringify(c.features),
      label: `possibly the same (${c.score.toFixed(2)})`,
    }));
    await run('match-store', { rows, at });
  }
  log.debug(`matching: ${parties.length} parties, ${candidates.length} candidates in ${Date.now() - t} ms`);
  return candidates.length;
}
