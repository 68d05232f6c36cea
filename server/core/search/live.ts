/**
 * The name index of each database, kept in step with the loads. An index is built from one reader
 * snapshot (database.ts `snapshot`) and answers only requests whose snapshot sees the same committed
 * loads (`visibleKey`): a load registering changes nothing readers see (its writes are hidden), its commit
 * does. A request that sees other loads than the index was built from starts a rebuild in the background
 * and is answered without the index (by the full-text path, which reads through the request's own
 * snapshot), so an answer never mixes releases and never shows a party of an uncommitted load, and the
 * hits' parties, read next with the same snapshot, are all there (the previous index would answer with
 * parties whose names changed or that are gone, which the request's own read of them would not find).
 * The index being replaced stays in use for requests that still see its loads until the new one is built.
 *
 * Load numbers start again after a database reset (tests, benchmarks): the index also keeps the start
 * time of the load its key's last number names, compared with the store at most every second in the
 * background (and before searchIndexReady answers), and is rebuilt when they differ.
 *
 * One index per Database instance (a WeakMap on the instance that owns the driver: the request-scoped
 * copies of withDeadline and test spies are prototypes of it), so nothing is wired in app.ts.
 */
import neo4j from 'neo4j-driver';
import { log } from '../logger';
import { Database, type LoadSnapshot } from '../neo4j/database';
import { NameIndex, NONE, type IndexedParty } from './name-index';

/** Parties per read of the index build (each read its own transaction, all through one snapshot). */
const PAGE_SIZE = 20_000;
/** Longest one page may take (a large store under load). */
const PAGE_TIMEOUT_MS = 300_000;
/** How often requests have the index's generation compared with the store (a reset), in the background. */
const CHECK_EVERY_MS = 1_000;
/** Longest a request waits for the database's first index before the full-text path answers it. */
const FIRST_BUILD_WAIT_MS = 15_000;
/** After a failed build, requests wait this long before trying again (answered without the index). */
const RETRY_AFTER_MS = 10_000;

interface Held {
  index: NameIndex | null;
  /** visibleKey of the snapshot `index` was built from. */
  key: string | null;
  /** The start time of the load the key's last number names (generationOf), when the index was built. */
  generation: string | null;
  /** When the generation was last compared with the store (ms since the epoch). */
  checkedAt: number;
  checking: Promise<void> | null;
  building: { done: Promise<NameIndex | null> } | null;
  failedAt: number;
  builtMs: number;
}

const held = new WeakMap<Database, Held>();

/** The Database instance that owns the driver (request-scoped copies are objects created from it). */
export function rootDatabase(db: Database): Database {
  let d: Database = db;
  while (!Object.prototype.hasOwnProperty.call(d, 'driver')) {
    const proto = Object.getPrototypeOf(d) as Database | null;
    if (!proto || proto === Database.prototype) break;
    d = proto;
  }
  return d;
}

/**
 * What a snapshot sees, as a key: the committed loads up to its last visible one. Loads registered
 * after it (open, hidden) see the same; a commit (or a rollback, which forgets a number) changes it.
 */
export function visibleKey(s: Pick<LoadSnapshot, 'seq' | 'hidden'>): string {
  const hidden = new Set(s.hidden);
  let last = s.seq;
  while (last > 0 && hidden.has(last)) last--;
  return `${last}:${[...hidden].filter((h) => h < last).sort((a, b) => a - b).join(',')}`;
}

/** The last load number a visibleKey names. */
const seqOf = (key: string) => Number(key.split(':')[0]);

/** A page row of cypher/search-index-parties.cypher: identifiers as [type, value, country] triples. */
type PartyRow = Omit<IndexedParty, 'identifiers'> & { identifiers: [string, string, string | null][] };

/**
 * Every party a reader with this snapshot sees, as the index reads them (also the benchmark's baseline).
 * Always through the filtered query (`clean` false): `clean` holds only for a reader that ends within
 * INGEST_READER_GRACE of its snapshot, and these reads take longer than that on a large store, so a
 * load registering meanwhile would have its hidden parties read into the index.
 *
 * Held compactly (the index keeps every party): each string that many parties repeat (kinds, datasets,
 * programs, birth years, countries, identifier types, listing and release dates) is kept once, not once
 * per row as the driver decodes it, and every empty list is the one shared NONE.
 */
export async function readIndexedParties(db: Database, snap: LoadSnapshot): Promise<IndexedParty[]> {
  const parties: IndexedParty[] = [];
  const pool = new Map<string, string>();
  const one = (x: string) => {
    const held = pool.get(x);
    if (held !== undefined) return held;
    pool.set(x, x);
    return x;
  };
  const shared = (xs: readonly string[]): readonly string[] => (xs.length === 0 ? NONE : xs.map(one));
  let after = '';
  for (;;) {
    const page = await db.read<PartyRow>('search-index-parties', { ...snap, clean: false, after, pageSize: neo4j.int(PAGE_SIZE) }, PAGE_TIMEOUT_MS);
    for (const r of page) {
      parties.push({
        id: r.id,
        name: r.name,
        aliases: r.aliases.length === 0 ? NONE : r.aliases,
        kinds: shared(r.kinds),
        datasets: shared(r.datasets),
        programs: shared(r.programs),
        birthDates: shared(r.birthDates),
        nationalities: shared(r.nationalities),
        addressCountries: shared(r.addressCountries),
        identifiers: r.identifiers.length === 0 ? NONE : r.identifiers.flatMap(([type, value, country]) => [one(type), value, country === null ? null : one(country)]),
        listedOn: r.listedOn === null ? null : one(r.listedOn),
        firstSeen: r.firstSeen === null ? null : one(r.firstSeen),
        delistedOn: r.delistedOn === null ? null : one(r.delistedOn),
      });
    }
    if (page.length < PAGE_SIZE) return parties;
    after = page[page.length - 1].id;
  }
}

function holder(root: Database): Held {
  let h = held.get(root);
  if (!h) held.set(root, (h = { index: null, key: null, generation: null, checkedAt: 0, checking: null, building: null, failedAt: 0, builtMs: 0 }));
  return h;
}

/**
 * What the key's last load number names: that load's start time. Numbers start again after a database
 * reset (tests, benchmarks), so equal keys alone could pair an index with another store's loads.
 */
async function generationOf(root: Database, key: string): Promise<string> {
  const [row] = await root.read<{ startedAt: string | null }>('search-index-generation', { seq: neo4j.int(Number(key.split(':')[0])) });
  return row?.startedAt ?? 'none';
}

/**
 * Compares the index's generation with the store's and drops the index when they differ (the next
 * request rebuilds it). Requests run it at most every CHECK_EVERY_MS, in the background.
 */
function check(root: Database, h: Held): Promise<void> {
  if (h.checking) return h.checking;
  const key = h.key;
  const checking = (key === null ? Promise.resolve() : generationOf(root, key).then((g) => {
    h.checkedAt = Date.now();
    if (h.key === key && g !== h.generation) {
      log.info('search index: the store is not the one it was built from (reset); rebuilding');
      h.key = null;
    }
  }))
    .catch(() => undefined)
    .finally(() => {
      h.checking = null;
    });
  h.checking = checking;
  return checking;
}

/**
 * Builds from a snapshot of its own, taken now (never the snapshot of the request that asked: a request
 * straggling behind a commit would put an older index in place of a newer one), and never replaces an
 * index of a later load number (the store's reset drops the held one first: check).
 */
function build(root: Database, h: Held): Promise<NameIndex | null> {
  const t = Date.now();
  const done = root.snapshot()
    .then(async (snap) => {
      const key = visibleKey(snap);
      const [generation, parties] = await Promise.all([generationOf(root, key), readIndexedParties(root, snap)]);
      const index = new NameIndex(parties);
      if (h.key !== null && seqOf(h.key) > seqOf(key)) return h.index;
      h.index = index;
      h.key = key;
      h.generation = generation;
      h.checkedAt = Date.now();
      h.builtMs = Date.now() - t;
      log.info(`search index: ${index.partyCount} parties, ${index.nameCount} names, ${index.vocabularySize} words, built in ${h.builtMs} ms`);
      return index;
    })
    .catch((err: Error) => {
      h.failedAt = Date.now();
      log.warn(`search index: build failed (${err.message}); searches use the full-text index meanwhile`);
      return null;
    })
    .finally(() => {
      if (h.building?.done === done) h.building = null;
    });
  h.building = { done };
  return done;
}

/**
 * The index for a request with this snapshot, or null (and a build started, unless one is running or
 * failed just now) when the index does not see what the snapshot sees. Before the database's first index
 * the request waits for it, up to FIRST_BUILD_WAIT_MS (npm start builds it at start-up, so this is for
 * other embedders and tests): answers, and the pages of one search, then come from the index from the
 * start rather than switching ranking once it is built.
 */
export async function searchIndexFor(db: Database, snap: LoadSnapshot): Promise<NameIndex | null> {
  const root = rootDatabase(db);
  const h = holder(root);
  const key = visibleKey(snap);
  if (h.key === key && h.index) {
    if (Date.now() - h.checkedAt >= CHECK_EVERY_MS) void check(root, h);
    return h.index;
  }
  if (h.key !== null && seqOf(key) < seqOf(h.key)) {
    // A request whose snapshot predates the index's loads: answered without it, and no build (the index
    // is newer). Unless the store was reset under it: the generation check finds that and drops it.
    if (Date.now() - h.checkedAt >= CHECK_EVERY_MS) void check(root, h);
    return null;
  }
  if (!h.building && Date.now() - h.failedAt >= RETRY_AFTER_MS) void build(root, h);
  if (h.index || !h.building) return null;
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), FIRST_BUILD_WAIT_MS)));
  await Promise.race([h.building.done, waited]);
  clearTimeout(timer);
  return h.key === key ? h.index : null;
}

/**
 * The index for what a reader starting now sees, built if needed (awaited): for the warm-up at start,
 * tests and benchmarks. Rejects when the build fails.
 */
export async function searchIndexReady(db: Database): Promise<NameIndex> {
  const root = rootDatabase(db);
  const h = holder(root);
  for (;;) {
    const snap = await root.snapshot();
    const key = visibleKey(snap);
    if (h.key === key && h.index) {
      await check(root, h);
      if (h.key === key) return h.index;
    }
    const running = h.building;
    if (running) {
      await running.done;
      continue;
    }
    // A snapshot taken now sees fewer loads than the index only when the store was reset under it (load
    // numbers start again): the index is not this store's, and build() would not replace a later one.
    if (h.key !== null && seqOf(key) < seqOf(h.key)) h.key = null;
    const index = await build(root, h);
    if (!index) throw new Error('search index: build failed (see the log)');
    if (h.key === key) return index;
  }
}

/** Resolves once no build of the database's index is running (tests: a build a request started). */
export async function searchIndexSettled(db: Database): Promise<void> {
  const h = holder(rootDatabase(db));
  while (h.building) await h.building.done;
}

/** Starts building the index in the background (npm start, once the database is ready). */
export function warmSearchIndex(db: Database): void {
  searchIndexReady(db).catch(() => undefined);
}
