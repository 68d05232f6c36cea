/**
 * Cross-list candidate matches, refreshed inside each load's transaction: every listed party is read
 * (its node, through party-node.ts fromNode, and its identifiers), server/core/matching scores the pairs
 * that touch the loaded dataset, and those at or above MATCH_THRESHOLD are stored as POSSIBLY_SAME_AS
 * with their score and features. A person's review decision on a pair survives every reload.
 */
import type { TxRun as Run } from '../neo4j/database';
import { findCandidates, matchPartyOf, type MatchIdentifier } from './match';
import { fromNode, type PartyNode } from '../party-node';
import { log } from '../logger';

/**
 * The node properties matchPartyOf reads. Only these are fetched: all of a node's properties (remarks,
 * Latin forms, alias types) made reading the ~16,000 parties of the demo lists take 1.8 s instead of
 * 1.0 s.
 */
const MATCH_NODE_KEYS: readonly (keyof PartyNode)[] = ['id', 'kind', 'name', 'aliasNames', 'birthDates', 'nationalities', 'citizenships', 'vesselFlag'];

export async function refreshMatches(run: Run, dataset: string, batchSize: number): Promise<number> {
  const t = Date.now();
  const [{ others }] = (await run('match-other-datasets', { dataset })) as { others: number }[];
  if (Number(others) === 0) return 0;
  const rows = (await run('match-parties', { keys: MATCH_NODE_KEYS })) as { values: unknown[]; dataset: string; identifiers: MatchIdentifier[] }[];
  const parties = rows.map((r) => {
    const props = Object.fromEntries(MATCH_NODE_KEYS.map((k, i) => [k, r.values[i]]));
    return matchPartyOf(fromNode(props), r.identifiers, r.dataset);
  });
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
