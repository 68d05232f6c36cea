/**
 * Word and name counts of every party (server/core/matching/match.ts NameStats), by which screening
 * measures a name's rarity. One count per database and per committed state of the lists, shared by
 * every request that sees that state:
 * - keyed as the search index is (server/core/search/live.ts visibleKey): a load registering changes
 *   nothing readers see, its commit does, so counts neither go stale after a commit nor are rebuilt at
 *   a registration;
 * - read through the root database with its own timeout, not a request's: one request's deadline does
 *   not fail every request waiting for the same counts;
 * - counted in slices that give the event loop back between them (about 2 s of work for the demo lists,
 *   30 s at 16 times their size): other requests and /healthz are answered meanwhile;
 * - counted over the parties of the in-memory name index (search/live.ts) when it sees that same state
 *   (the same parties, names and aliases as cypher/api-screen-names.cypher reads), else read from Neo4j.
 */
import { log } from '../logger';
import { addNameStats, type NameStats } from '../matching/match';
import type { Database, LoadSnapshot } from '../neo4j/database';
import { rootDatabase, searchIndexFor, visibleKey } from '../search/live';

/** Parties counted between two yields to the event loop (a few tens of milliseconds of work). */
const SLICE = 2_000;
/** The names read's own timeout: the whole population at once, off any request's deadline. */
const READ_TIMEOUT_MS = 300_000;

interface Held {
  key: string;
  stats: Promise<NameStats>;
}
const held = new WeakMap<Database, Held>();

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Counts names in slices of SLICE parties, yielding between slices. */
export async function nameStatsSliced(partyNames: readonly (readonly string[])[]): Promise<NameStats> {
  const stats: NameStats = { parties: 0, words: new Map(), names: new Map() };
  for (let i = 0; i < partyNames.length; i += SLICE) {
    addNameStats(stats, partyNames.slice(i, i + SLICE));
    await yieldToLoop();
  }
  return stats;
}

async function build(root: Database, snap: LoadSnapshot): Promise<NameStats> {
  const t = Date.now();
  const index = await searchIndexFor(root, snap);
  const rows = index ? index.allParties : await root.read<{ name: string; aliases: string[] }>('api-screen-names', { ...snap }, READ_TIMEOUT_MS);
  const stats = await nameStatsSliced(rows.map((r) => [r.name, ...r.aliases]));
  log.debug(`screening name counts: ${stats.parties} parties, ${stats.words.size} words from ${index ? 'the name index' : 'Neo4j'} in ${Date.now() - t} ms`);
  return stats;
}

/** The counts for what `db` (a request's database) sees: shared while the committed loads stay the same. */
export async function nameStatsFor(db: Database): Promise<NameStats> {
  const snap = await db.snapshot();
  const root = rootDatabase(db);
  const key = visibleKey(snap);
  const h = held.get(root);
  if (h?.key === key) return h.stats;
  const entry: Held = { key, stats: build(root, snap) };
  held.set(root, entry);
  // A failed read is not kept: the next request reads again.
  entry.stats.catch(() => {
    if (held.get(root) === entry) held.delete(root);
  });
  return entry.stats;
}
