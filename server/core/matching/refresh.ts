/**
 * Cross-list candidate matches, refreshed inside each load's transaction: every listed party is read
 * (names in all scripts, birth dates, nationalities, identifiers), server/core/matching scores the pairs
 * that touch the loaded dataset, and those at or above MATCH_THRESHOLD are stored as POSSIBLY_SAME_AS
 * with their score and features. A person's review decision on a pair survives every reload.
 */
import type { TxRun as Run } from '../neo4j/database';
import { findCandidates, MatchParty } from './match';
import { log } from '../logger';

export async function refreshMatches(run: Run, dataset: string, batchSize: number): Promise<number> {
  const t = Date.now();
  const [{ others }] = (await run('match-other-datasets', { dataset })) as { others: number }[];
  if (Number(others) === 0) return 0;
  // match-parties returns rows in MatchParty's shape.
  const parties = (await run('match-parties', {})) as unknown as MatchParty[];
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
