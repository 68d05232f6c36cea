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
  ParsedRelease,
  PARTY_KIND_NAMES,
  LABELS,
  partyLabels,
  isAllowedRelType,
  isAllowedLabel,
} from '../server/core/model';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Database, Params } from '../server/core/neo4j/database';
import { IngestRefusedError, TimeoutError } from '../server/core/errors';
import { nameKey } from '../server/core/text/normalize';
import { log } from '../server/core/logger';
import { LinkKeyRow, releaseSnapshot } from '../server/core/releases';
import { refreshMatches } from '../server/core/matching/refresh';
import { toNode } from '../server/core/party-node';
import { isSameProcess, processIdentity, type ProcessIdentity } from '../server/core/net';

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
}

/** Share of a dataset's listed parties a new release may delist without --force. */
export const MAX_DELIST_SHARE = 0.25;

function slug(key: string): string {
  return key.toLowerCase().replace(/\s+/g, '-');
}

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Refuses loads that would lose information. Runs once the load is registered: loads run one at a
 * time, so what it checks cannot change before the load commits.
 */
async function checkRelease(db: Database, rel: ParsedRelease, opts: LoadOptions): Promise<{ loadedBefore: boolean }> {
  const [current] = await db.read<{ release: string | null }>('dataset-get', { dataset: rel.dataset });
  if (current?.release && rel.release < current.release && !opts.force) {
    throw new IngestRefusedError(
      `${rel.dataset} already holds release ${current.release}; loading the older ${rel.release} over it is refused (use --force to do it anyway)`,
    );
  }
  if (rel.mode !== 'delta') {
    const listed = await db.read<{ id: string }>('ingest-current-ids', { dataset: rel.dataset });
    const incoming = new Set(rel.parties.map((p) => p.id));
    const leaving = listed.filter((r) => !incoming.has(r.id)).length;
    if (listed.length > 0 && leaving / listed.length > MAX_DELIST_SHARE && !opts.force) {
      throw new IngestRefusedError(
        `release ${rel.release} of ${rel.dataset} would delist ${leaving} of its ${listed.length} listed parties ` +
          `(more than ${MAX_DELIST_SHARE * 100}%): a truncated or wrong file is more likely than a mass delisting. ` +
          'Check the file; use --force if the delisting is real.',
      );
    }
  } else if (!current?.release) {
    throw new IngestRefusedError(`${rel.dataset} has no release loaded yet; a delta file applies on top of one (load the full export first)`);
  }
  return { loadedBefore: !!current?.release };
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
  await db.write('load-rollback-removed', { seq });
  await db.write('load-forget', { seq });
}

/** Loads registered and not finished (running, or left by a process that died). */
export async function openLoads(db: Database): Promise<OpenLoad[]> {
  return (await db.write('load-open', {})) as unknown as OpenLoad[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves link targets named but not numbered: this release first, then parties already loaded. */
async function resolveTargets(db: Database, rel: ParsedRelease): Promise<Map<string, string>> {
  const byKey = new Map<string, string>();
  for (const p of rel.parties) if (!byKey.has(nameKey(p.name))) byKey.set(nameKey(p.name), p.id);
  const wanted = new Set<string>();
  for (const l of rel.links) if (!l.to.id && !byKey.has(nameKey(l.to.name!))) wanted.add(nameKey(l.to.name!));
  // An alias of an entry in the same release is the next best match ("Linked To" a former name).
  for (const p of rel.parties) {
    for (const a of p.aliases) {
      const k = nameKey(a.name);
      if (wanted.has(k) && !byKey.has(k)) {
        byKey.set(k, p.id);
        wanted.delete(k);
      }
    }
  }
  if (wanted.size > 0) {
    for (const r of await db.read<{ key: string; id: string }>('ingest-resolve-names', { keys: [...wanted] })) {
      if (!byKey.has(r.key)) byKey.set(r.key, r.id);
    }
  }
  return byKey;
}

export async function loadRelease(db: Database, rel: ParsedRelease, opts: LoadOptions): Promise<LoadResult> {
  const delta = rel.mode === 'delta';
  if (rel.parties.length === 0 && !(delta && rel.removedIds?.length)) {
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
      const { loadedBefore } = await checkRelease(db, rel, opts);
      const prepared = await prepare(db, rel, seq, owner, loadedBefore);
      committed = await writeRelease(db, rel, opts, prepared);
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
    // Committed: what follows tidies up and refreshes derived data; a failure here loses nothing. The
    // load stays `finishing` meanwhile, so the next one waits (its writes would contend with these).
    const cleanedUp = committed.marked > 0
      ? await purge(db, opts, seq).catch((err: Error) => {
          log.warn(`Deleting what the load replaced failed (${err.message}); readers do not see it, and the next load deletes it`);
          return 0;
        })
      : 0;
    const t = Date.now();
    const matches = await db.inWriteTransaction(opts.txTimeoutMs, (run) => refreshMatches(run, rel.dataset, opts.batchSize));
    log.debug(`matching: ${Date.now() - t} ms`);
    await db.write('load-finished', { seq });
    return { delisted: committed.delisted, placeholdersCompleted: committed.placeholdersCompleted, cleanedUp, matches };
  } finally {
    clearInterval(beat);
  }
}

/** The rows of a release, as the ingest-* queries take them; link targets resolved against what is loaded now. */
async function prepare(db: Database, rel: ParsedRelease, seq: number, owner: string, loadedBefore: boolean): Promise<Prepared> {
  const delta = rel.mode === 'delta';
  const byKey = await resolveTargets(db, rel);
  const allKindLabels = [...PARTY_KIND_NAMES, LABELS.Placeholder];
  const partyRows = rel.parties.map((p) => {
    const labels = partyLabels(p.kind);
    if (!labels.every(isAllowedLabel)) throw new Error(`label outside the model: ${labels}`);
    const node = toNode(p);
    // What decides whether a loaded party changed (ingest-upsert-parties): its fields and labels, not
    // where this release writes them (release, record: a line number moves whenever an entry above it
    // is added). An unchanged party keeps the provenance of the release that last stated it
    // differently; rewriting it in place would show readers new provenance on the old graph, and
    // staging it would make every release's commit as large as the list.
    const { release: _r, record: _rec, ...fields } = node;
    const digest = crypto.createHash('sha1').update(JSON.stringify([labels, fields])).digest('base64url');
    return { id: p.id, labels, props: { ...node, digest } };
  });
  const programRows = rel.parties.flatMap((p) => p.programs.map((program) => ({ partyId: p.id, program, record: p.provenance.record })));
  const addressRows = rel.addresses.map((a) => ({ partyId: a.partyId, key: a.address.key, full: a.address.full, street: a.address.street, city: a.address.city, country: a.address.country, record: a.provenance.record }));
  const identifierRows = rel.identifiers.map((i) => ({
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
  const linkRows = rel.links.map((l) => {
    if (!isAllowedRelType(l.type) || !(LINK_TYPES as string[]).includes(l.type)) throw new Error(`relationship type outside the model: ${l.type}`);
    const key = l.to.name ? nameKey(l.to.name) : null;
    const other = l.to.id ?? byKey.get(key!) ?? `${rel.idPrefix}-ref-${slug(key!)}`;
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
    };
  });

  // A delta restates some parties and some relationships (FtM relationships are entities of their own):
  // only what it restates or deletes is cleared; the rest of the previous release stays. A dataset's
  // first load has nothing of its own to replace.
  const restatedLinks = [...new Set([...linkRows.map((l) => l.sourceId).filter((x): x is string => !!x), ...(rel.removedIds ?? [])])];
  const steps: [string, Params[], Record<string, string>?][] = [
    ...(loadedBefore && delta && restatedLinks.length ? [['ingest-clear-links-by-source-id', restatedLinks.map((id) => ({ id }))] as [string, Params[]]] : []),
    ...(loadedBefore ? [[delta ? 'ingest-clear-facts-delta' : 'ingest-clear-facts', partyRows.map((r) => ({ id: r.id }))] as [string, Params[]]] : []),
    ['ingest-upsert-parties', partyRows],
    ['ingest-programs', programRows],
    ['ingest-addresses', addressRows],
    ['ingest-identifiers', identifierRows],
    ...LINK_TYPES.map((t): [string, Params[], Record<string, string>] => ['ingest-links', linkRows.filter((r) => r.type === t), { linkType: t }]),
  ];
  const total = steps.reduce((n, [, rows]) => n + rows.length, 0);
  return { seq, owner, delta, byKey, steps, total, base: { dataset: rel.dataset, release: rel.release, allKindLabels }, linkRows };
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
  await db.write('load-purge-rels', { upTo });
  await db.write('load-purge-nodes', { upTo });
  const [cleaned] = await db.write<{ removed: number }>('ingest-cleanup', {});
  await db.write('load-purged', { upTo });
  log.debug(`purge and cleanup: ${Date.now() - t} ms`);
  return Number(cleaned?.removed ?? 0);
}

/** What the write and commit of a load did. */
interface Written {
  delisted: number;
  placeholdersCompleted: number;
  /** Relationships and placeholders it marked as replaced. */
  marked: number;
}

interface Prepared {
  seq: number;
  /** The registering process (load-commit commits only its own load). */
  owner: string;
  delta: boolean;
  byKey: Map<string, string>;
  steps: [string, Params[], Record<string, string>?][];
  total: number;
  base: { dataset: string; release: string; allKindLabels: string[] };
  linkRows: (LinkKeyRow & Record<string, unknown>)[];
}

/** Every field of a party node but its id, as null: applying a draft removes what the new release leaves empty. */
function nullProps(rows: { props: Record<string, unknown> }[]): Record<string, null> {
  const keys = new Set<string>();
  for (const r of rows.slice(0, 1)) for (const k of Object.keys(r.props)) if (k !== 'id') keys.add(k);
  return Object.fromEntries([...keys].map((k) => [k, null]));
}

async function writeRelease(db: Database, rel: ParsedRelease, opts: LoadOptions, p: Prepared): Promise<Written> {
  const { seq, owner, delta, byKey, steps, total, base, linkRows } = p;
  const batchRun = (name: string, params: Params, slots?: Record<string, string>) =>
    db.inWriteTransaction(opts.txTimeoutMs, (run) => run(name, { ...base, seq, ...params }, slots));
  let done = 0;
  let marked = 0;
  const count = (rows: { marked?: unknown }[]) => (marked += Number(rows[0]?.marked ?? 0));
  for (const [name, rows, slots] of steps) {
    for (const batch of chunks(rows, opts.batchSize)) {
      const t = Date.now();
      if (name.startsWith('ingest-clear-facts')) count(await batchRun(name, { ids: batch.map((r) => r.id) }));
      else if (name === 'ingest-clear-links-by-source-id') count(await batchRun(name, { sourceIds: batch.map((r) => r.id) }));
      else await batchRun(name, { rows: batch }, slots);
      log.debug(`${name}: ${batch.length} rows in ${Date.now() - t} ms`);
      done += batch.length;
      await opts.onProgress?.(done, total, name.replace('ingest-', ''));
    }
  }
  // Placeholders created earlier (by this or another dataset) for parties this release brings.
  let t = Date.now();
  const keys = [...new Set(rel.parties.map((p) => nameKey(p.name)))];
  const found = await db.read<{ id: string; key: string }>('ingest-find-placeholders', { keys });
  const pairs = found.map((f) => ({ placeholder: f.id, real: byKey.get(f.key)! })).filter((p) => p.real && p.real !== p.placeholder);
  let completed = 0;
  for (const batch of chunks(pairs, opts.batchSize)) {
    await db.inWriteTransaction(opts.txTimeoutMs, async (run) => {
      for (const linkType of LINK_TYPES) await run('ingest-complete-placeholders', { seq, pairs: batch }, { linkType });
      const [r] = await run('ingest-drop-placeholders', { seq, pairs: batch });
      completed += Number(r?.completed ?? 0);
      marked += Number(r?.completed ?? 0);
    });
  }
  log.debug(`placeholders: ${Date.now() - t} ms`);

  // The one transaction readers see the new release by: small whatever the release's size (what changed
  // about parties already loaded, and delistings, which MAX_DELIST_SHARE bounds).
  t = Date.now();
  const partyRows = steps.find(([n]) => n === 'ingest-upsert-parties')![1] as { props: Record<string, unknown> }[];
  const result = await db.inWriteTransaction(opts.txTimeoutMs, async (run) => {
    const [current] = (await run('ingest-lock-dataset', { dataset: rel.dataset, release: rel.release })) as { release: string | null; releases: string[] }[];
    const releases = [...new Set([...(current?.releases ?? []), rel.release])].sort();
    await run('ingest-apply-drafts', { ...base, seq, nullProps: nullProps(partyRows) });
    const [delisted] = delta
      ? await run('ingest-delist-ids', { ...base, ids: rel.removedIds ?? [] })
      : await run('ingest-delist', { ...base, ids: rel.parties.map((p) => p.id) });
    await run('ingest-dataset', {
      ...base,
      releases,
      title: opts.title ?? rel.dataset,
      publisher: opts.publisher ?? null,
      files: rel.files,
      rejected: JSON.stringify(rel.rejected),
      rejectedCount: rel.rejected.length,
      warnings: rel.warnings,
    });
    await run('ingest-release', await releaseSnapshot(run, rel, rel.links.map((l, i) => ({ ...linkRows[i], type: l.type })), current?.release ?? null));
    const ok = await run('load-commit', { seq, owner, marked: marked > 0 });
    if (ok.length !== 1) throw new Error(`load ${seq} of ${rel.dataset} was rolled back by another process (taken for dead); load again`);
    return { delisted: Number(delisted.delisted), placeholdersCompleted: completed, marked };
  });
  log.debug(`commit: ${Date.now() - t} ms`);
  return result;
}
