/**
 * Cross-list candidate matches, refreshed inside each load's transaction: every listed party is read
 * (its node, through party-node.ts fromNode, and its identifiers) in pages, spooled.ts finds and scores
 * the pairs that touch the loaded dataset without holding every party, and those at or above
 * MATCH_THRESHOLD are stored as POSSIBLY_SAME_AS with their score and features. A person's review decision on a pair survives every reload.
 */
import type { TxRun as Run } from '../neo4j/database';
import { matchPartyOf, type MatchIdentifier, type MatchParty } from './match';
import { findCandidatesSpooled } from './spooled';
import { fromNode, type PartyNode } from '../party-node';
import { log } from '../logger';
import { ingestSpoolDir } from '../settings';

/**
 * The node properties matchPartyOf reads. Only these are fetched: all of a node's properties (remarks,
 * Latin forms, alias types) made reading the ~16,000 parties of the demo lists take 1.8 s instead of
 * 1.0 s.
 */
export const MATCH_NODE_KEYS: readonly (keyof PartyNode)[] = ['id', 'kind', 'name', 'aliasNames', 'birthDates', 'nationalities', 'citizenships', 'vesselFlag'];

/** Parties read per query: the whole list as one result held the driver's records and the rows beside the parties. */
export const MATCH_PAGE = 5_000;

/**
 * Every listed party as matching compares it, in pages by id (MATCH_PAGE): each page's records become
 * MatchParty values before the next is read, and the caller lets go of a page before asking for the
 * next, so neither the query's result for the whole list nor every party is held.
 */
export async function* matchPartyPages(run: Run, pageSize = MATCH_PAGE): AsyncGenerator<MatchParty[]> {
  let after = '';
  for (;;) {
    const rows = (await run('match-parties-page', { keys: MATCH_NODE_KEYS, after, limit: pageSize })) as { values: unknown[]; dataset: string; identifiers: MatchIdentifier[] }[];
    const page = rows.map((r) => matchPartyOf(fromNode(Object.fromEntries(MATCH_NODE_KEYS.map((k, i) => [k, r.values[i]]))), r.identifiers, r.dataset));
    if (page.length > 0) yield page;
    if (rows.length < pageSize) return;
    after = page[page.length - 1].id;
  }
}

/** Every listed party as matching compares it, all at once (tests; the refresh reads them by pages). */
export async function readMatchParties(run: Run, pageSize = MATCH_PAGE): Promise<MatchParty[]> {
  const parties: MatchParty[] = [];
  for await (const page of matchPartyPages(run, pageSize)) parties.push(...page);
  return parties;
}

/**
 * The candidates touching `dataset` among every listed party, replacing its unreviewed ones. Found by
 * findCandidatesSpooled (spooled.ts: the same candidates as findCandidates, in bounded memory, with
 * work files in a private folder of INGEST_SPOOL_DIR); `spoolDir` overrides that folder (tests).
 */
export async function refreshMatches(run: Run, dataset: string, batchSize: number, spoolDir: string = ingestSpoolDir()): Promise<number> {
  const t = Date.now();
  const [{ others }] = (await run('match-other-datasets', { dataset })) as { others: number }[];
  if (Number(others) === 0) return 0;
  const { candidates, stats } = await findCandidatesSpooled(matchPartyPages(run), { touchingDatasets: [dataset], dir: spoolDir });
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
  log.debug(
    `matching: ${stats.parties} parties, ${stats.pairRecords} block pairs, ${stats.scored} scored, ${candidates.length} candidates in ${Date.now() - t} ms ` +
      `(work files ${(stats.spoolBytes / 2 ** 20).toFixed(1)} MB)`,
  );
  return candidates.length;
}
