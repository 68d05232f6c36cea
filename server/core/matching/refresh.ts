/**
 * Cross-list candidate matches, refreshed inside each load's transaction: every listed party is read
 * (its node, through party-node.ts fromNode, and its identifiers) in pages, spooled.ts finds and scores
 * the pairs that touch the loaded dataset without holding every party, and those at or above
 * MATCH_THRESHOLD are stored as POSSIBLY_SAME_AS with their score and features. A person's review decision on a pair survives every reload.
 */
import type { Database, TxRun } from '../neo4j/database';
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

/** Reads rows of a named query: a transaction's `run` (tests) or one read of its own per call (db.read). */
type ReadRows = (name: string, params: Record<string, unknown>) => Promise<unknown[]>;

/**
 * Every listed party as matching compares it, in pages by id (MATCH_PAGE): each page's records become
 * MatchParty values before the next is read, and the caller lets go of a page before asking for the
 * next, so neither the query's result for the whole list nor every party is held. With a transaction's
 * `run` the driver keeps every result of the transaction until it ends (neo4j-driver's Transaction holds
 * its Results, and a Result its records), so refreshMatches reads each page in a read of its own.
 */
export async function* matchPartyPages(read: ReadRows, pageSize = MATCH_PAGE): AsyncGenerator<MatchParty[]> {
  let after = '';
  for (;;) {
    const rows = (await read('match-parties-page', { keys: MATCH_NODE_KEYS, after, limit: pageSize })) as { values: unknown[]; dataset: string; identifiers: MatchIdentifier[] }[];
    const page = rows.map((r) => matchPartyOf(fromNode(Object.fromEntries(MATCH_NODE_KEYS.map((k, i) => [k, r.values[i]]))), r.identifiers, r.dataset));
    if (page.length > 0) yield page;
    if (rows.length < pageSize) return;
    after = page[page.length - 1].id;
  }
}

/** Every listed party as matching compares it, all at once (tests; the refresh reads them by pages). */
export async function readMatchParties(run: TxRun, pageSize = MATCH_PAGE): Promise<MatchParty[]> {
  const parties: MatchParty[] = [];
  for await (const page of matchPartyPages(run, pageSize)) parties.push(...page);
  return parties;
}

/**
 * The candidates touching `dataset` among every listed party, replacing its unreviewed ones. Found by
 * findCandidatesSpooled (spooled.ts: the same candidates as findCandidates, in bounded memory, with
 * work files in a private folder of INGEST_SPOOL_DIR); `spoolDir` overrides that folder (tests).
 *
 * The parties are read page by page, each page in a read of its own (`timeoutMs` each), and only the
 * candidates are written in one transaction: read inside that transaction, every page's records stayed
 * in the driver until it ended, and at x64 (958,000 OFAC parties when the UN list was loaded) that ran
 * the load out of a 768 MB heap. Nothing changes the parties meanwhile: the load that called this is
 * committed and still `finishing`, so the next load waits for it.
 */
export async function refreshMatches(db: Database, dataset: string, batchSize: number, timeoutMs: number, spoolDir: string = ingestSpoolDir()): Promise<number> {
  const t = Date.now();
  const [{ others }] = await db.read<{ others: number }>('match-other-datasets', { dataset }, timeoutMs);
  if (Number(others) === 0) return 0;
  const { candidates, stats } = await findCandidatesSpooled(
    matchPartyPages((name, params) => db.read(name, params, timeoutMs)),
    { touchingDatasets: [dataset], dir: spoolDir },
  );
  await db.inWriteTransaction(timeoutMs, async (run) => {
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
  });
  log.debug(
    `matching: ${stats.parties} parties, ${stats.pairRecords} block pairs, ${stats.scored} with enough bits, ${stats.compared} compared, ${candidates.length} candidates in ${Date.now() - t} ms ` +
      `(work files ${(stats.spoolBytes / 2 ** 20).toFixed(1)} MB)`,
  );
  return candidates.length;
}
