/**
 * Writes a parsed release into Neo4j in batches, each its own small transaction, so that a release of
 * any size fits in the database's transaction memory; and still all-or-nothing for readers:
 *
 * 1. The load registers under the next load number (a Load node, `open`); loads run one at a time (a
 *    second one waits; one whose process died is rolled back first).
 * 2. Every batch writes what is new hidden (`addedSeq`: new parties, facts, links) and marks what the
 *    release no longer states (`removedSeq`); readers filter both (server/core/neo4j/database.ts
 *    visibleIn) and so still see the previous release. A party already loaded whose fields change gets a
 *    Draft node instead of being changed in place.
 * 3. One small final transaction applies the drafts and delistings, records the dataset and release and
 *    marks the load committed: from then on readers see the new release, all of it.
 * 4. After the longest a reader can take (readerGraceMs), what the load removed is deleted for good;
 *    with nothing left to hide, readers drop the visibility filter (it doubled the time of path
 *    queries), which is why a load also waits readerGraceMs after registering, before it writes.
 *
 * A failure rolls back what the load wrote (deletes what it added, unmarks what it removed); a killed
 * load stays hidden until the next load rolls it back. Either way the previous release is what readers
 * see, and the next load works.
 */
import {
  LINK_TYPES,
  PARTY_KIND_NAMES,
  LABELS,
  partyLabels,
  isAllowedRelType,
  isAllowedLabel,
  type AddressFact,
  type IdentifierFact,
  type LinkRecord,
  type LinkType,
  type ParsedRelease,
  type PartyRecord,
} from '../server/core/model';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Database, Params, type TxRun } from '../server/core/neo4j/database';
import { IngestRefusedError, TimeoutError } from '../server/core/errors';
import { nameKey } from '../server/core/text/normalize';
import { log } from '../server/core/logger';
import { LinkKeyRow, partsOf, releaseId, releaseSnapshot, type ReleasePart } from '../server/core/releases';
import { refreshMatches } from '../server/core/matching/refresh';
import { recordAlerts } from '../server/core/alerts';
import { toNode } from '../server/core/party-node';
import { isSameProcess, processIdentity, type ProcessIdentity } from '../server/core/net';
import { SnapshotInput } from './snapshot';
import type { Spool } from './spool';

export interface LoadOptions {
  batchSize: number;
  /** Bound of each transaction of the load (INGEST_TX_TIMEOUT). */
  txTimeoutMs: number;
  /**
   * How long after committing a load waits before deleting what it removed: the longest a reader's
   * request may take (REQUEST_TIMEOUT), so none that started before the commit sees things vanish. 0
   * when nobody reads meanwhile (the demo load before the server listens, tests).
   */
  readerGraceMs?: number;
  /** How long to wait for another running load to finish before refusing (default 15 minutes). */
  waitForOtherLoadMs?: number;
  /** Allow loading an older release than the one loaded, or a release that delists a large share. */
  force?: boolean;
  /** Called once the load has committed (readers see the release), before purging and matching. */
  onCommitted?: () => void;
  title?: string;
  publisher?: string;
  /** After each written batch; the load waits for a promise it returns (a caller may pace a load). */
  onProgress?: (done: number, total: number, phase: string) => void | Promise<void>;
}

export interface LoadResult {
  delisted: number;
  placeholdersCompleted: number;
  cleanedUp: number;
  /** Candidate matches with other datasets now stored for this dataset's parties. */
  matches: number;
  /** This process's peak resident memory (MB) when the load committed, before matching (null off Linux). */
  peakRssMbAtCommit: number | null;
}

/** Share of a dataset's listed parties a new release may delist without --force. */
export const MAX_DELIST_SHARE = 0.25;

function slug(key: string): string {
  return key.toLowerCase().replace(/\s+/g, '-');
}

/**
 * Refuses loads that would lose information. Runs once the load is registered: loads run one at a
 * time, so what it checks cannot change before the load commits.
 */
async function checkRelease(db: Database, rel: ParsedRelease, spool: Spool, opts: LoadOptions): Promise<{ loadedBefore: boolean; leaving: string[]; storeEmpty: boolean }> {
  const [current] = await db.read<{ release: string | null }>('dataset-get', { dataset: rel.dataset });
  const [{ empty: storeEmpty }] = await db.read<{ empty: boolean }>('ingest-store-empty', {});
  if (current?.release && rel.release < current.release && !opts.force) {
    throw new IngestRefusedError(
      `${rel.dataset} already holds release ${current.release}; loading the older ${rel.release} over it is refused (use --force to do it anyway)`,
    );
  }
  let leaving: string[] = [];
  if (rel.mode !== 'delta') {
    // A dataset with no release loaded lists no party (a first load reads nothing here).
    const listed = current?.release ? await db.read<{ id: string }>('ingest-current-ids', { dataset: rel.dataset }) : [];
    // The ids listed now against the release's, read from the spool: held as large as the list loaded
    // (nothing for a first load), not the release. What is left are the ids the release delists.
    const staying = new Set(listed.map((r) => r.id));
    if (staying.size > 0) for await (const p of spool.read('parties')) staying.delete(p.id);
    leaving = [...staying];
    staying.clear();
    if (listed.length > 0 && leaving.length / listed.length > MAX_DELIST_SHARE && !opts.force) {
      throw new IngestRefusedError(
        `release ${rel.release} of ${rel.dataset} would delist ${leaving.length} of its ${listed.length} listed parties ` +
          `(more than ${MAX_DELIST_SHARE * 100}%): a truncated or wrong file is more likely than a mass delisting. ` +
          'Check the file; use --force if the delisting is real.',
      );
    }
  } else if (!current?.release) {
    throw new IngestRefusedError(`${rel.dataset} has no release loaded yet; a delta file applies on top of one (load the full export first)`);
  }
  // The ids this release delists (what is left of `staying`): their links are kept (writeRelease).
  return { loadedBefore: !!current?.release, leaving, storeEmpty };
}

/** A load left open: its process has ended (same host), or it has not said it is alive for a while. */
const STALE_AFTER_MS = 60_000;
const BEAT_EVERY_MS = 10_000;

export interface OpenLoad {
  seq: number;
  /** open: writing, hidden from readers; finishing: committed, purging and refreshing matches. */
  state: 'open' | 'finishing';
  dataset: string;
  release: string;
  startedAt: string;
  beat: number;
  host: string;
  owner: string;
}

/** This process as a load's owner: its identity, and its pid namespace (a pid means nothing across them). */
function ownerOf(): string {
  let pidns = '';
  try {
    pidns = fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    /* no /proc: no namespace to compare; identities are compared as they are */
  }
  return JSON.stringify({ ...(processIdentity(process.pid) ?? { pid: process.pid, startTime: '' }), pidns });
}

export function isDead(l: OpenLoad): boolean {
  if (l.host === os.hostname()) {
    try {
      const owner = JSON.parse(l.owner) as ProcessIdentity & { pidns?: string };
      const mine = JSON.parse(ownerOf()) as { pidns: string };
      // Same machine and pid namespace: the process table says it.
      if (owner.startTime && (owner.pidns ?? '') === mine.pidns) return !isSameProcess(owner);
    } catch {
      /* no usable owner: go by the beat */
    }
  }
  return Date.now() - Number(l.beat) > STALE_AFTER_MS;
}

/**
 * Registers a load and returns its number and owner, once no other load is running or finishing: one
 * whose process died is rolled back first (or, if it had committed, taken as finished: the purge it did
 * not do is pending, see purge); a live one is waited for (at most waitForOtherLoadMs).
 */
async function beginLoad(db: Database, rel: ParsedRelease, opts: LoadOptions): Promise<{ seq: number; owner: string }> {
  const until = Date.now() + (opts.waitForOtherLoadMs ?? 15 * 60_000);
  const owner = ownerOf();
  let said = false;
  for (;;) {
    const r = await db.inWriteTransaction(60_000, async (run) => {
      await run('load-lock', {});
      const open = (await run('load-open', {})) as unknown as OpenLoad[];
      if (open.length > 0) return { open: open[0] };
      const [reg] = await run('load-register', { dataset: rel.dataset, release: rel.release, host: os.hostname(), owner });
      return { seq: Number(reg.seq) };
    });
    if ('seq' in r && r.seq !== undefined) return { seq: r.seq, owner };
    const other = r.open!;
    if (isDead(other)) {
      if (other.state === 'finishing') {
        log.warn(`The load of ${other.dataset} release ${other.release} (number ${other.seq}) committed but ended before tidying up; this load does it`);
        await db.write('load-finished', { seq: other.seq });
      } else {
        log.warn(`The load of ${other.dataset} release ${other.release} (number ${other.seq}, started ${other.startedAt}) did not finish: rolling it back`);
        await rollbackLoad(db, other.seq);
      }
      continue;
    }
    if (Date.now() > until) {
      throw new IngestRefusedError(
        `another load is still running: ${other.dataset} release ${other.release}, started ${other.startedAt}; loads run one at a time. Try again when it has finished`,
      );
    }
    if (!said) log.info(`Waiting for the running load of ${other.dataset} release ${other.release} (started ${other.startedAt}) to finish...`);
    said = true;
    await sleep(1000);
  }
}

/** Undoes what load `seq` wrote: deletes what it added, unmarks what it removed, forgets the load. */
export async function rollbackLoad(db: Database, seq: number): Promise<void> {
  await db.write('load-rollback-added-rels', { seq });
  await db.write('load-rollback-added-nodes', { seq });
  await db.write('load-rollback-release-parts', { seq });
  await db.write('load-rollback-removed', { seq });
  await db.write('load-forget', { seq });
}

/** Loads registered and not finished (running, or left by a process that died). */
export async function openLoads(db: Database): Promise<OpenLoad[]> {
  return (await db.write('load-open', {})) as unknown as OpenLoad[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves link targets named but not numbered: a party of this release with that primary name, else
 * one with it as an alias ("Linked To" a former name), else a party already loaded. Fed by the pass that
 * writes the parties (no pass of its own over the spool); only the names links use are kept
 * (Spool.wanted), so what is held is as large as the named links.
 */
class TargetNames {
  private readonly byName = new Map<string, string>();
  private readonly byAlias = new Map<string, string>();
  constructor(private readonly wanted: Set<string>) {}
  /** A party of the release, in the order of the release (the first party with a name wins). */
  party(p: PartyRecord, key: string): void {
    if (this.wanted.size === 0) return;
    if (this.wanted.has(key) && !this.byName.has(key)) this.byName.set(key, p.id);
    for (const a of p.aliases) {
      const k = nameKey(a.name);
      if (this.wanted.has(k) && !this.byAlias.has(k)) this.byAlias.set(k, p.id);
    }
  }
  /** Every name resolved: the release's parties first, then (unless the store held no party before the load) the loaded ones. */
  async resolve(db: Database, storeEmpty: boolean): Promise<Map<string, string>> {
    const byKey = this.byName;
    for (const [k, id] of this.byAlias) if (!byKey.has(k)) byKey.set(k, id);
    this.byAlias.clear();
    const keys = storeEmpty ? [] : [...this.wanted].filter((k) => !byKey.has(k));
    for (let i = 0; i < keys.length; i += RESOLVE_CHUNK) {
      for (const r of await db.read<{ key: string; id: string }>('ingest-resolve-names', { keys: keys.slice(i, i + RESOLVE_CHUNK) })) {
        if (!byKey.has(r.key)) byKey.set(r.key, r.id);
      }
    }
    return byKey;
  }
}

/** Names looked up in the database per query. */
const RESOLVE_CHUNK = 10_000;

/** The peak resident memory of this process so far (VmHWM), in MB; null where /proc does not say. */
export function peakRssMb(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * Writes a spooled release (ingest/spool.ts: `rel` holds what is not a record: dataset, release, files,
 * rejected rows, warnings, delta mode). The caller removes the spool.
 */
export async function loadRelease(db: Database, rel: ParsedRelease, spool: Spool, opts: LoadOptions): Promise<LoadResult> {
  const delta = rel.mode === 'delta';
  if (spool.counts.parties === 0 && !(delta && rel.removedIds?.length)) {
    throw new IngestRefusedError(`release ${rel.release} of ${rel.dataset} holds no parties; refused`);
  }
  await db.applySchema();
  const { seq, owner } = await beginLoad(db, rel, opts);
  const beat = setInterval(() => void db.write('load-beat', { seq }).catch(() => undefined), BEAT_EVERY_MS);
  beat.unref();
  try {
    let committed: Written;
    try {
      if (opts.readerGraceMs) {
        // A request that started before this load registered may read without the visibility filter (its
        // snapshot was clean: server/core/neo4j/database.ts query); it must end before anything is written.
        log.info(`Waiting ${Math.round(opts.readerGraceMs / 1000)} s for requests that started before this load to end (INGEST_READER_GRACE)`);
        await sleep(opts.readerGraceMs);
      }
      // What an earlier load replaced and did not get to delete (its purge failed or was killed) goes
      // first: this load's writes must not meet it.
      const [{ dirty }] = await db.write<{ dirty: boolean }>('load-dirty', {});
      if (dirty) await purge(db, { ...opts, readerGraceMs: 0 }, seq - 1);
      // Read once registered: what loads before this one committed is what its links resolve against.
      const { loadedBefore, leaving, storeEmpty } = await checkRelease(db, rel, spool, opts);
      committed = await writeRelease(db, rel, spool, opts, { seq, owner, loadedBefore, leaving, storeEmpty });
    } catch (err) {
      await rollbackLoad(db, seq).catch((e: Error) =>
        log.warn(`Rolling back the failed load left some of it hidden in the database (${e.message}); the next load removes it`),
      );
      if (err instanceof TimeoutError) {
        throw new TimeoutError(
          `a transaction of the load of release ${rel.release} of ${rel.dataset} took longer than INGEST_TX_TIMEOUT (${opts.txTimeoutMs / 1000} s); the load was rolled back and nothing changed. Raise INGEST_TX_TIMEOUT (seconds) or lower INGEST_BATCH_SIZE and load again`,
          { cause: err },
        );
      }
      throw err;
    }
    opts.onCommitted?.();
    const peakRssMbAtCommit = peakRssMb();
    // Applied in the final transaction and read by nothing since; also those of an earlier load killed
    // after its commit. Left here, the next load deletes them.
    await db.write('ingest-drop-drafts', { seq }).catch((err: Error) => log.warn(`Deleting the load's drafts failed (${err.message}); readers do not see them, and the next load deletes them`));
    // Committed: what follows tidies up and refreshes derived data; a failure here loses nothing. The
    // load stays `finishing` meanwhile, so the next one waits (its writes would contend with these).
    const cleanedUp = committed.marked > 0
      ? await purge(db, opts, seq).catch((err: Error) => {
          log.warn(`Deleting what the load replaced failed (${err.message}); readers do not see it, and the next load deletes it`);
          return 0;
        })
      : 0;
    const t = Date.now();
    const matches = await refreshMatches(db, rel.dataset, opts.batchSize, opts.txTimeoutMs);
    log.debug(`matching: ${Date.now() - t} ms`);
    // What changed inside each watched radius (server/core/alerts.ts); never fails the load.
    await recordAlerts(db, seq);
    await db.write('load-finished', { seq });
    return { delisted: committed.delisted, placeholdersCompleted: committed.placeholdersCompleted, cleanedUp, matches, peakRssMbAtCommit };
  } finally {
    clearInterval(beat);
  }
}

/**
 * Deletes what committed loads (numbers up to `upTo`) removed, once no reader can still be using it, then
 * orphaned shared nodes; then readers may drop the visibility filter again (load-snapshot's `clean`).
 * Scans the relationships, so it runs only when there is something to delete: after a load that marked
 * something, and before the next load when such a purge did not finish.
 */
async function purge(db: Database, opts: LoadOptions, upTo: number): Promise<number> {
  if (opts.readerGraceMs) {
    log.info(`Committed; deleting what it replaced in ${Math.round(opts.readerGraceMs / 1000)} s, when requests that started before the commit have ended`);
    await sleep(opts.readerGraceMs);
  }
  const t = Date.now();
  const [kept] = await db.write<{ archived: number }>('load-purge-rels', { upTo, provenance: RESTATEMENT_MAY_CHANGE });
  // Before readers may go unfiltered again (load-purged): a clean read must know to leave history out.
  if (Number(kept?.archived ?? 0) > 0) await db.write('load-history', {});
  await db.write('load-purge-nodes', { upTo });
  const [cleaned] = await db.write<{ removed: number }>('ingest-cleanup', {});
  await db.write('load-purged', { upTo });
  log.debug(`purge and cleanup: ${Date.now() - t} ms`);
  return Number(cleaned?.removed ?? 0);
}

/**
 * Fields of a relationship in which a restatement may differ and still be the same statement (its
 * provenance, who stated it, the load numbers): load-purge-rels keeps one relationship for it, not a
 * piece of history per load.
 */
const RESTATEMENT_MAY_CHANGE = ['addedSeq', 'removedSeq', 'release', 'record', 'statedBy'];

/** What the write and commit of a load did. */
interface Written {
  delisted: number;
  placeholdersCompleted: number;
  /** Relationships and placeholders it marked as replaced. */
  marked: number;
}

/**
 * Rows as ingest-* queries take them: as columns, one list per field (`$c.name[i]` is row i's name). Bolt
 * packs a map's keys with every map: as rows, a batch of parties sent each field's name once per party,
 * and packing the parameters was the largest cost of the load in Node (and unpacking them Neo4j's).
 */
function columns<K extends string>(rows: readonly object[], keys: readonly K[]): Record<K, unknown[]> {
  const c = {} as Record<K, unknown[]>;
  for (const k of keys) c[k] = rows.map((r) => (r as Record<string, unknown>)[k] ?? null);
  return c;
}

/** The fields ingest-create-parties and ingest-draft-parties write, in their map of a party's properties: toNode's and the digest. */
const PARTY_COLUMNS = [
  'id', 'labels', 'kind', 'name', 'nameKey', 'aliasNames', 'latinNames', 'aliasTypes', 'aliasQualities', 'programs', 'birthDates',
  'birthPlaces', 'nationalities', 'citizenships', 'gender', 'titles', 'remarks', 'listedOn', 'vesselCallSign', 'vesselType',
  'vesselTonnage', 'vesselGrossTonnage', 'vesselFlag', 'vesselOwner', 'dataset', 'release', 'record', 'digest',
] as const;
const PARTY_FIELDS = new Set<string>(PARTY_COLUMNS);

/** The rows `at` of a batch's columns. */
function pick(c: Record<string, unknown[]>, at: number[]): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(c).map(([k, xs]) => [k, at.map((i) => xs[i])]));
}

const FACT_COLUMNS = {
  programs: ['partyId', 'program', 'record'],
  addresses: ['partyId', 'key', 'full', 'street', 'city', 'country', 'record'],
  identifiers: ['partyId', 'key', 'type', 'value', 'country', 'label', 'issued', 'expires', 'record'],
  links: ['from', 'to', 'fromName', 'fromKey', 'toName', 'toKey', 'label', 'record', 'percentage', 'startDate', 'endDate', 'sourceId', 'statedBy'],
} as const;

/** The parties of a batch as ingest-create-parties and ingest-draft-parties take them: a column per field (PARTY_COLUMNS). */
function partyColumns(batch: PartyRecord[], dataset: string, release: string): Record<string, unknown[]> {
  const c: Record<string, unknown[]> = Object.fromEntries(PARTY_COLUMNS.map((k) => [k, []]));
  for (const p of batch) {
    const labels = partyLabels(p.kind);
    if (!labels.every(isAllowedLabel)) throw new Error(`label outside the model: ${labels}`);
    const node = toNode(p);
    // A field the query's map does not name would be dropped without a word.
    for (const k in node) if (!PARTY_FIELDS.has(k)) throw new Error(`party field ${k} is not written by cypher/ingest-create-parties.cypher (PARTY_COLUMNS in ingest/loader.ts)`);
    // What decides whether a loaded party changed (ingest-loaded-parties): its fields and labels, not
    // where this release writes them (release, record: a line number moves whenever an entry above it
    // is added). An unchanged party keeps the provenance of the release that last stated it
    // differently; rewriting it in place would show readers new provenance on the old graph, and
    // staging it would make every release's commit as large as the list.
    const { release: _r, record: _rec, ...fields } = node;
    const digest = crypto.hash('sha1', JSON.stringify([labels, fields]), 'base64url');
    // A null field is sent as null in its column and not stored (ingest-create-parties); a draft has the
    // fields the new release leaves empty removed by ingest-apply-drafts (DRAFT_FIELDS).
    const row: Record<string, unknown> = { ...node, labels, digest };
    for (const k of PARTY_COLUMNS) c[k].push(row[k] ?? null);
  }
  // What Bolt need not pack (the party columns are most of what a load sends): a column with no value in
  // the batch (`c.x[i]` of a missing `c.x` is null in the query, as a null is), and the dataset and
  // release when every party of the batch has the load's (the queries fall back to $dataset, $release).
  for (const k of PARTY_COLUMNS) if (c[k].every((v) => v === null)) delete c[k];
  if (c.dataset?.every((v) => v === dataset)) delete c.dataset;
  if (c.release?.every((v) => v === release)) delete c.release;
  return c;
}

type LinkRow = LinkKeyRow & Record<string, unknown>;

/** A link as ingest-links takes it: its ends resolved (a name this release or the database does not hold names a placeholder). */
function linkRow(l: LinkRecord, byKey: Map<string, string>, idPrefix: string): LinkRow {
  if (!isAllowedRelType(l.type) || !(LINK_TYPES as string[]).includes(l.type)) throw new Error(`relationship type outside the model: ${l.type}`);
  const key = l.to.name ? nameKey(l.to.name) : null;
  const other = l.to.id ?? byKey.get(key!) ?? `${idPrefix}-ref-${slug(key!)}`;
  // Either end may be a party this release does not hold (a placeholder is made for it).
  const [from, to] = l.inverse ? [other, l.from] : [l.from, other];
  const otherName = l.to.name ?? null;
  return {
    from,
    to,
    fromName: l.inverse ? otherName : null,
    fromKey: l.inverse ? key : null,
    toName: l.inverse ? null : otherName,
    toKey: l.inverse ? null : key,
    type: l.type,
    label: l.label,
    record: l.provenance.record,
    percentage: l.percentage ?? null,
    startDate: l.startDate ?? null,
    endDate: l.endDate ?? null,
    sourceId: l.sourceId ?? null,
    // The party whose record states the link (either end: an inverse link is stored from the other
    // party). Restating a party clears only the links it stated, so a delisted party keeps its own.
    statedBy: l.from,
  };
}

/**
 * Every field of a party node but its id (toNode's and the digest): applying a draft writes those that
 * differ from the party's, and removes those the new release leaves empty.
 */
export const DRAFT_FIELDS = PARTY_COLUMNS.filter((k) => k !== 'id' && k !== 'labels');
/**
 * Drafts applied per query of the final transaction. Fewer per query made no difference to its memory
 * (measured 107 vs 111 MB for 14,965 drafts that rewrote every field); it bounds one query's rows.
 */
export const DRAFT_CHUNK = 2_000;
/** Parts of a release snapshot written a transaction (server/core/releases.ts RELEASE_PART parties each: about 1.5 MB). */
const PARTS_PER_TX = 5;

/**
 * Splits a kind's fact rows, batch by batch, into those stated for the first time in this load and the
 * repeats (the same party and key again). Exact when the release gives each party's facts as one run
 * (Spool.grouped): only the current run's keys are held, also across a batch boundary. When it does
 * not, every row counts as a repeat (written by MERGE, as always).
 */
class FactRuns {
  private party: string | null = null;
  private keys = new Set<string>();
  constructor(private readonly grouped: boolean) {}
  split<R extends { partyId: string; key: string }>(rows: R[]): { once: R[]; again: R[] } {
    if (!this.grouped) return { once: [], again: rows };
    const once: R[] = [];
    const again: R[] = [];
    for (const r of rows) {
      if (r.partyId !== this.party) {
        this.party = r.partyId;
        this.keys = new Set();
      }
      if (this.keys.has(r.key)) again.push(r);
      else {
        this.keys.add(r.key);
        once.push(r);
      }
    }
    return { once, again };
  }
}

/** The records of a small spool, whole (a delta's snapshot merges with the previous release's in memory). */
async function readWhole(rel: ParsedRelease, spool: Spool): Promise<ParsedRelease> {
  const all = { ...rel, parties: [] as PartyRecord[], addresses: [] as AddressFact[], identifiers: [] as IdentifierFact[], links: [] as LinkRecord[] };
  for await (const p of spool.read('parties')) all.parties.push(p);
  for await (const a of spool.read('addresses')) all.addresses.push(a);
  for await (const i of spool.read('identifiers')) all.identifiers.push(i);
  return all;
}

/**
 * The items of `source`, the next one read while the caller works on this one: reading a batch back from
 * the spool (JSON lines) and preparing its rows is Node's work, writing it waits for the database, and
 * the two overlap. Holds one batch more than the caller does.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  // A failed read is thrown where the caller takes the item, not as an unhandled rejection meanwhile.
  next.catch(() => undefined);
  let done = false;
  try {
    for (;;) {
      const r = await next;
      if (r.done) {
        done = true;
        return;
      }
      next = it.next();
      next.catch(() => undefined);
      yield r.value;
    }
  } finally {
    // The caller stopped early (an error): the source's files are closed once its read in flight ends.
    if (!done) await next.then(() => it.return?.(), () => undefined);
  }
}

/** Each batch of `source` with what `prepare` makes of it (computed ahead of need by readAhead). */
async function* prepared<T, R>(source: AsyncIterable<T[]>, prepare: (batch: T[]) => R): AsyncGenerator<{ batch: T[] } & R> {
  for await (const batch of source) yield { batch, ...prepare(batch) };
}

type LoadIds = { seq: number; owner: string; loadedBefore: boolean; leaving: string[]; storeEmpty: boolean };

/** Writes the release; the snapshot's files are closed, and a sort of them ended, however that ends (a delta load never reads them back). */
async function writeRelease(db: Database, rel: ParsedRelease, spool: Spool, opts: LoadOptions, load: LoadIds): Promise<Written> {
  const snapshot = new SnapshotInput(spool.file('snapshot'));
  try {
    return await writeReleaseTo(db, rel, spool, opts, load, snapshot);
  } finally {
    await snapshot.close();
  }
}

async function writeReleaseTo(db: Database, rel: ParsedRelease, spool: Spool, opts: LoadOptions, load: LoadIds, snapshot: SnapshotInput): Promise<Written> {
  const { seq, owner, loadedBefore, leaving, storeEmpty } = load;
  const delta = rel.mode === 'delta';
  const base = { dataset: rel.dataset, release: rel.release, allKindLabels: [...PARTY_KIND_NAMES, LABELS.Placeholder] };
  const params = (p: Params): Params => ({ ...base, seq, ...p });
  const tx = <T>(work: (run: TxRun) => Promise<T>) => db.inWriteTransaction(opts.txTimeoutMs, work);
  const size = opts.batchSize;
  let t = Date.now();
  // The links' targets are needed from the links on: the release's names are gathered while its parties
  // are written (TargetNames), and those it does not hold looked up while the facts are.
  const names = new TargetNames(spool.wanted);
  // Read before this load writes: only a placeholder of an earlier load can be one of this release's
  // parties (this load's own are names its release does not hold: TargetNames). An empty store holds none.
  const placeholdersBefore = storeEmpty ? false : (await db.read<{ any: boolean }>('ingest-placeholders-exist', {}))[0].any;

  // A delta restates some parties and some relationships (FtM relationships are entities of their own):
  // only what it restates or deletes is cleared; the rest of the previous release stays. A dataset's
  // first load has nothing of its own to replace.
  const restated = new Set<string>();
  if (loadedBefore && delta) {
    for await (const l of spool.read('links')) if (l.sourceId) restated.add(l.sourceId);
    for (const id of rel.removedIds ?? []) restated.add(id);
  }
  const cpuStart = process.cpuUsage();
  // This process's CPU time since the writes began, for the debug log (Node's share of a load, which on
  // a machine of few cores competes with Neo4j's): a CPU profile's samples count wall time.
  const nodeCpuMs = () => {
    const u = process.cpuUsage(cpuStart);
    return Math.round((u.user + u.system) / 1000);
  };
  const c = spool.counts;
  const total = restated.size + (loadedBefore ? c.parties : 0) + c.parties + c.programs + c.addresses + c.identifiers + c.links;
  let done = 0;
  let marked = 0;
  const progress = async (rows: number, phase: string, started: number) => {
    log.debug(`${phase}: ${rows} rows in ${Date.now() - started} ms (Node CPU so far ${nodeCpuMs()} ms)`);
    done += rows;
    await opts.onProgress?.(done, total, phase);
  };

  const restatedIds = [...restated];
  for (let i = 0; i < restatedIds.length; i += size) {
    t = Date.now();
    const sourceIds = restatedIds.slice(i, i + size);
    const [r] = await tx((run) => run('ingest-clear-links-by-source-id', params({ sourceIds })));
    marked += Number(r?.marked ?? 0);
    await progress(sourceIds.length, 'clear-links-by-source-id', t);
  }

  // Parties: one transaction per batch clears what the dataset stated of them before (marked removed),
  // writes them (new ones hidden, changed ones as drafts) and links them to their programs.
  const partyBatches = prepared(spool.batches('parties', size), (batch) => {
    const programRows = batch.flatMap((p) => p.programs.map((program) => ({ partyId: p.id, program, record: p.provenance.record })));
    // The batch's programs, once each (the first party that lists one gives its record, as MERGE did).
    const programNodes = new Map<string, { program: string; record: unknown }>();
    for (const r of programRows) if (!programNodes.has(r.program)) programNodes.set(r.program, r);
    const parties = partyColumns(batch, rel.dataset, rel.release);
    // What Node does with a batch besides its columns is done here too, while the batch before it is
    // written (readAhead), not between two transactions: the link targets' names and the snapshot's lines.
    for (let i = 0; i < batch.length; i++) names.party(batch[i], parties.nameKey[i] as string);
    for (const p of batch) snapshot.party(p);
    return {
      parties,
      programRows,
      programNodes: columns([...programNodes.values()], ['program', 'record']),
    };
  });
  t = Date.now();
  for await (const { batch, parties, programRows, programNodes } of readAhead(partyBatches)) {
    const m = await tx(async (run) => {
      let m = 0;
      if (loadedBefore) {
        const [r] = await run(delta ? 'ingest-clear-facts-delta' : 'ingest-clear-facts', params({ ids: parties.id }));
        m = Number(r?.marked ?? 0);
      }
      if (programRows.length) await run('ingest-merge-programs', params({ c: programNodes }));
      // Parties already loaded are found first (none in a store that held no party): the others are
      // created by a plain CREATE, which links them to their programs too; those the release states
      // differently are staged in drafts (see ingest-loaded-parties), and every loaded one's programs
      // are merged (ingest-programs).
      const loaded = storeEmpty
        ? []
        : ((await run('ingest-loaded-parties', params({ ids: parties.id, digests: parties.digest }))) as { i: unknown; changed: boolean }[]);
      if (loaded.length === 0) await run('ingest-create-parties', params({ c: parties }));
      else {
        const old = new Set(loaded.map((r) => Number(r.i)));
        const fresh = parties.id.map((_, i) => i).filter((i) => !old.has(i));
        if (fresh.length) await run('ingest-create-parties', params({ c: pick(parties, fresh) }));
        const changed = loaded.filter((r) => r.changed).map((r) => Number(r.i));
        if (changed.length) await run('ingest-draft-parties', params({ c: pick(parties, changed) }));
        const oldIds = new Set([...old].map((i) => parties.id[i]));
        const oldPrograms = programRows.filter((r) => oldIds.has(r.partyId));
        if (oldPrograms.length) await run('ingest-programs', params({ c: columns(oldPrograms, FACT_COLUMNS.programs) }));
      }
      return m;
    });
    marked += m;
    await progress((loadedBefore ? 2 : 1) * batch.length + programRows.length, 'parties', t);
    t = Date.now();
  }
  // Looked up while the facts are written; a failure is thrown where the targets are needed (or the
  // load has failed before then).
  const targets = names.resolve(db, storeEmpty).then((byKey) => {
    log.debug(`link targets: ${byKey.size} names resolved`);
    return byKey;
  });
  targets.catch(() => undefined);

  // Facts: those stated once are created (ingest-*-create), a repeat merged after them in the same
  // transaction (MERGE then finds the relationship and sets the later statement's fields, as before).
  // Only when the release gives each party's facts of the kind as one run (Spool.grouped): else every
  // fact is merged.
  const addressRuns = new FactRuns(spool.grouped.addresses);
  const addressBatches = prepared(spool.batches('addresses', size), (batch) => {
    const rows = batch.map((a) => ({ partyId: a.partyId, key: a.address.key, full: a.address.full, street: a.address.street, city: a.address.city, country: a.address.country, record: a.provenance.record }));
    const { once, again } = addressRuns.split(rows);
    for (const a of batch) snapshot.address(a.partyId, a.address.key);
    return { once: columns(once, FACT_COLUMNS.addresses), again: again.length ? columns(again, FACT_COLUMNS.addresses) : null };
  });
  t = Date.now();
  for await (const { batch, once, again } of readAhead(addressBatches)) {
    await tx(async (run) => {
      if (once.partyId.length) await run('ingest-addresses-create', params({ c: once }));
      if (again) await run('ingest-addresses', params({ c: again }));
    });
    await progress(batch.length, 'addresses', t);
    t = Date.now();
  }

  const identifierRuns = new FactRuns(spool.grouped.identifiers);
  const identifierBatches = prepared(spool.batches('identifiers', size), (batch) => {
    const rows = batch.map((i) => ({
      partyId: i.partyId,
      key: i.identifier.key,
      type: i.identifier.type,
      value: i.identifier.value,
      country: i.identifier.country,
      label: i.label,
      issued: i.issued,
      expires: i.expires,
      record: i.provenance.record,
    }));
    const { once, again } = identifierRuns.split(rows);
    for (const i of batch) snapshot.identifier(i.partyId, i.identifier.key);
    return { once: columns(once, FACT_COLUMNS.identifiers), again: again.length ? columns(again, FACT_COLUMNS.identifiers) : null };
  });
  t = Date.now();
  for await (const { batch, once, again } of readAhead(identifierBatches)) {
    await tx(async (run) => {
      if (once.partyId.length) await run('ingest-identifiers-create', params({ c: once }));
      if (again) await run('ingest-identifiers', params({ c: again }));
    });
    await progress(batch.length, 'identifiers', t);
    t = Date.now();
  }

  // The snapshot's lines of parties and facts are sorted while the links are written.
  if (!delta) snapshot.factsDone();

  // Links, batched per type (the type is part of the query text: ingest-links).
  const byKey = await targets;
  const pending = new Map<LinkType, LinkRow[]>();
  const deltaLinks: LinkRow[] = [];
  const flushLinks = async (type: LinkType) => {
    const rows = pending.get(type);
    if (!rows?.length) return;
    pending.set(type, []);
    t = Date.now();
    await tx((run) => run('ingest-links', params({ c: columns(rows, FACT_COLUMNS.links) }), { linkType: type }));
    await progress(rows.length, 'links', t);
  };
  const linkBatches = prepared(spool.batches('links', size), (batch) => {
    const rows = batch.map((l) => linkRow(l, byKey, rel.idPrefix));
    for (const row of rows) snapshot.link(row);
    return { rows };
  });
  for await (const { rows: batchRows } of readAhead(linkBatches)) for (const row of batchRows) {
    const type = row.type as LinkType;
    if (delta) deltaLinks.push(row);
    const rows = pending.get(type) ?? [];
    rows.push(row);
    pending.set(type, rows);
    if (rows.length >= size) await flushLinks(type);
  }
  for (const type of LINK_TYPES) await flushLinks(type);
  byKey.clear();

  // A party this release delists keeps the links it stated, as of its last release: restating a party
  // still listed clears only what that party stated (statedBy, ingest-clear-facts). Links written
  // before statedBy existed were cleared from both ends: those of the delisted party are unmarked here.
  t = Date.now();
  for (let i = 0; i < leaving.length; i += size) {
    const [r] = await tx((run) => run('ingest-keep-delisted-links', params({ ids: leaving.slice(i, i + size) })));
    marked -= Number(r?.kept ?? 0);
  }
  log.debug(`links of delisted parties: ${Date.now() - t} ms`);

  // Placeholders created earlier (by this or another dataset) for parties this release brings; none to
  // look for in a store that held none (a first load: a pass over the parties and a query per batch).
  t = Date.now();
  const paired = new Set<string>();
  let completed = 0;
  for await (const batch of placeholdersBefore ? spool.batches('parties', size) : []) {
    const byName = new Map<string, string>();
    for (const p of batch) {
      const k = nameKey(p.name);
      if (!byName.has(k)) byName.set(k, p.id);
    }
    const found = await db.read<{ id: string; key: string }>('ingest-find-placeholders', { keys: [...byName.keys()] });
    const pairs = found
      .filter((f) => !paired.has(f.id))
      .map((f) => ({ placeholder: f.id, real: byName.get(f.key)! }))
      .filter((p) => p.real && p.real !== p.placeholder);
    if (pairs.length === 0) continue;
    for (const p of pairs) paired.add(p.placeholder);
    const n = await tx(async (run) => {
      for (const linkType of LINK_TYPES) await run('ingest-complete-placeholders', { seq, pairs }, { linkType });
      const [r] = await run('ingest-drop-placeholders', { seq, pairs });
      return Number(r?.completed ?? 0);
    });
    completed += n;
    marked += n;
  }
  log.debug(`placeholders: ${Date.now() - t} ms`);

  // The release snapshot, written in parts before the final transaction (which names them the release's:
  // until then no reader is given them, and a rollback deletes them), a few parts a transaction: never
  // held whole (at x64, 957,760 parties, holding it for one query was the load's peak: 1.1 GB RSS).
  t = Date.now();
  const relId = releaseId(rel.dataset, rel.release);
  let parts: AsyncIterable<ReleasePart> | Iterable<ReleasePart>;
  let counted: { parties: number; linkKeys: number };
  if (delta) {
    // A delta's snapshot is the previous release's with the delta applied (held whole: see Known limits).
    const [current] = await db.read<{ release: string | null }>('dataset-get', { dataset: rel.dataset });
    const whole = await releaseSnapshot((name, p) => db.read(name, p), await readWhole(rel, spool), deltaLinks, current?.release ?? null);
    parts = partsOf(whole);
    counted = { parties: whole.ids.length, linkKeys: whole.linkKeys.length };
  } else {
    parts = snapshot.parts();
    counted = snapshot.counts;
  }
  // One transaction in flight while the next parts are made (Node's work beside the database's).
  let batch: Record<string, unknown>[] = [];
  let writing: Promise<unknown> = Promise.resolve();
  const flushParts = async () => {
    if (batch.length === 0) return;
    const partsNow = batch;
    batch = [];
    await writing;
    writing = tx((run) => run('ingest-release-parts', { id: relId, seq, parts: partsNow }));
    // Awaited before the next write or after the last; a failure meanwhile is not left unhandled.
    writing.catch(() => undefined);
  };
  try {
    for await (const part of parts) {
      batch.push(part.kind === 'parties' ? { ...part, first: part.ids[0], last: part.ids[part.ids.length - 1] } : part);
      if (batch.length >= PARTS_PER_TX) await flushParts();
    }
    await flushParts();
  } finally {
    // Ended before a failure goes on to the rollback, which must find every part this load wrote.
    await writing.catch(() => undefined);
  }
  await writing;
  log.debug(`release snapshot: ${counted.parties} parties, ${counted.linkKeys} link keys in ${Date.now() - t} ms (Node CPU so far ${nodeCpuMs()} ms)`);

  // The one transaction readers see the new release by: small whatever the release's size (what changed
  // about parties already loaded, and delistings, which MAX_DELIST_SHARE bounds). The drafts' ids are
  // read before it (a transaction's results stay in the driver until it ends); each chunk writes only the
  // fields that differ, and the drafts are deleted after it (ingest-drop-drafts).
  const draftIds = (await db.read<{ id: string }>('ingest-draft-ids', { seq }, opts.txTimeoutMs)).map((r) => r.id);
  // The parties of the dataset the release does not list (checkRelease: MAX_DELIST_SHARE bounds them
  // unless --force), delisted in chunks: not the release's ids, which would be as large as the list.
  const delistLeaving = async (run: TxRun) => {
    let delisted = 0;
    for (let i = 0; i < leaving.length; i += DRAFT_CHUNK) {
      const [r] = (await run('ingest-delist-ids', { ...base, ids: leaving.slice(i, i + DRAFT_CHUNK) })) as { delisted: unknown }[];
      delisted += Number(r?.delisted ?? 0);
    }
    return [{ delisted }];
  };
  t = Date.now();
  const result = await tx(async (run) => {
    const [current] = (await run('ingest-lock-dataset', { dataset: rel.dataset, release: rel.release })) as { release: string | null; releases: string[] }[];
    const releases = [...new Set([...(current?.releases ?? []), rel.release])].sort();
    for (let i = 0; i < draftIds.length; i += DRAFT_CHUNK) {
      await run('ingest-apply-drafts', params({ ids: draftIds.slice(i, i + DRAFT_CHUNK), fields: DRAFT_FIELDS }));
    }
    // A dataset's first load delists nothing: no party lists a dataset before a load of it commits.
    const [delisted] = delta
      ? await run('ingest-delist-ids', { ...base, ids: rel.removedIds ?? [] })
      : loadedBefore
        ? await delistLeaving(run)
        : [{ delisted: 0 }];
    await run('ingest-dataset', {
      ...base,
      releases,
      title: opts.title ?? rel.dataset,
      publisher: opts.publisher ?? null,
      files: rel.files,
      rejected: JSON.stringify(rel.rejected),
      rejectedCount: rel.rejected.length,
      warnings: rel.warnings,
      // A full release: after this transaction the dataset lists exactly its parties (one per id: the
      // parsers and the spool keep each id once), those it no longer lists delisted above. Counting them
      // here instead scanned every party: 13 s inside this transaction at x64 (the UN load, 1M parties).
      entityCount: delta ? null : c.parties,
    });
    await run('ingest-release', { id: relId, dataset: rel.dataset, release: rel.release, seq, ...counted });
    await run('release-parts-drop-stale', { id: relId, seq });
    const ok = await run('load-commit', { seq, owner, marked: marked > 0 });
    if (ok.length !== 1) throw new Error(`load ${seq} of ${rel.dataset} was rolled back by another process (taken for dead); load again`);
    return { delisted: Number(delisted.delisted), placeholdersCompleted: completed, marked };
  });
  log.debug(`commit: ${Date.now() - t} ms (Node CPU so far ${nodeCpuMs()} ms)`);
  return result;
}
