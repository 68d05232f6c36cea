/**
 * Writes a parsed release into Neo4j: all of it in one transaction (batched UNWIND statements), so a
 * failed or interrupted load leaves the previous release exactly as it was.
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
import { Database, Params, TxRun as Run } from '../server/core/neo4j/database';
import { IngestRefusedError, TimeoutError } from '../server/core/errors';
import { nameKey } from '../server/core/text/normalize';
import { log } from '../server/core/logger';
import { LinkKeyRow, releaseSnapshot } from '../server/core/releases';
import { refreshMatches } from '../server/core/matching/refresh';
import { toNode } from '../server/core/party-node';

export interface LoadOptions {
  batchSize: number;
  txTimeoutMs: number;
  /** Allow loading an older release than the one loaded, or a release that delists a large share. */
  force?: boolean;
  title?: string;
  publisher?: string;
  onProgress?: (done: number, total: number, phase: string) => void;
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
 * Refuses loads that would lose information. Runs first inside the write transaction, after taking the
 * Dataset node's write lock, so two loads of one dataset run one after the other and each checks what
 * the other committed (checked outside the transaction, both could pass and one release be lost).
 */
async function checkRelease(run: Run, rel: ParsedRelease, opts: LoadOptions): Promise<{ releases: string[]; previous: string | null }> {
  const [current] = (await run('ingest-lock-dataset', { dataset: rel.dataset, release: rel.release })) as { release: string | null; releases: string[] }[];
  if (current?.release && rel.release < current.release && !opts.force) {
    throw new IngestRefusedError(
      `${rel.dataset} already holds release ${current.release}; loading the older ${rel.release} over it is refused (use --force to do it anyway)`,
    );
  }
  if (rel.mode !== 'delta') {
    const listed = (await run('ingest-current-ids', { dataset: rel.dataset })) as { id: string }[];
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
  const releases = new Set(current?.releases ?? []);
  releases.add(rel.release);
  return { releases: [...releases].sort(), previous: current?.release ?? null };
}

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
  const byKey = await resolveTargets(db, rel);

  const allKindLabels = [...PARTY_KIND_NAMES, LABELS.Placeholder];
  const partyRows = rel.parties.map((p) => {
    const labels = partyLabels(p.kind);
    if (!labels.every(isAllowedLabel)) throw new Error(`label outside the model: ${labels}`);
    return { id: p.id, labels, props: toNode(p) };
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
  // only what it restates or deletes is cleared; the rest of the previous release stays.
  const restatedLinks = [...new Set([...linkRows.map((l) => l.sourceId).filter((x): x is string => !!x), ...(rel.removedIds ?? [])])];
  const steps: [string, Params[], Record<string, string>?][] = [
    // Clearing first touches only committed nodes: run after the upsert, on nodes created earlier in
    // the same transaction, this step was seen to take minutes instead of milliseconds.
    [delta ? 'ingest-clear-facts-delta' : 'ingest-clear-facts', partyRows.map((r) => ({ id: r.id }))],
    ['ingest-upsert-parties', partyRows],
    ['ingest-programs', programRows],
    ['ingest-addresses', addressRows],
    ['ingest-identifiers', identifierRows],
    ...LINK_TYPES.map((t): [string, Params[], Record<string, string>] => ['ingest-links', linkRows.filter((r) => r.type === t), { linkType: t }]),
  ];
  const total = steps.reduce((n, [, rows]) => n + rows.length, 0);
  const base = { dataset: rel.dataset, release: rel.release, allKindLabels };

  try {
    return await writeRelease(db, rel, opts, { delta, byKey, restatedLinks, steps, total, base, linkRows });
  } catch (err) {
    if (err instanceof TimeoutError) {
      throw new TimeoutError(
        `loading release ${rel.release} of ${rel.dataset} took longer than INGEST_TX_TIMEOUT (${opts.txTimeoutMs / 1000} s) and was rolled back; nothing changed. Raise INGEST_TX_TIMEOUT (seconds) and load again`,
        { cause: err },
      );
    }
    throw err;
  }
}

interface Prepared {
  delta: boolean;
  byKey: Map<string, string>;
  restatedLinks: string[];
  steps: [string, Params[], Record<string, string>?][];
  total: number;
  base: { dataset: string; release: string; allKindLabels: string[] };
  linkRows: (LinkKeyRow & Record<string, unknown>)[];
}

async function writeRelease(db: Database, rel: ParsedRelease, opts: LoadOptions, p: Prepared): Promise<LoadResult> {
  const { delta, byKey, restatedLinks, steps, total, base, linkRows } = p;
  let done = 0;
  return db.inWriteTransaction(opts.txTimeoutMs, async (run) => {
    const { releases, previous } = await checkRelease(run, rel, opts);
    if (delta && restatedLinks.length) {
      for (const batch of chunks(restatedLinks, opts.batchSize)) await run('ingest-clear-links-by-source-id', { ...base, sourceIds: batch });
    }
    for (const [name, rows, slots] of steps) {
      for (const batch of chunks(rows, opts.batchSize)) {
        const t = Date.now();
        if (name.startsWith('ingest-clear-facts')) await run(name, { ...base, ids: batch.map((r) => r.id) });
        else await run(name, { ...base, rows: batch }, slots);
        log.debug(`${name}: ${batch.length} rows in ${Date.now() - t} ms`);
        done += batch.length;
        opts.onProgress?.(done, total, name.replace('ingest-', ''));
      }
    }
    // Placeholders created earlier (by this or another dataset) for parties this release brings.
    let t = Date.now();
    const keys = [...new Set(rel.parties.map((p) => nameKey(p.name)))];
    const found = (await run('ingest-find-placeholders', { keys })) as { id: string; key: string }[];
    const pairs = found.map((f) => ({ placeholder: f.id, real: byKey.get(f.key)! })).filter((p) => p.real && p.real !== p.placeholder);
    let completed: Record<string, unknown> = { completed: 0 };
    if (pairs.length) {
      for (const linkType of LINK_TYPES) await run('ingest-complete-placeholders', { pairs }, { linkType });
      [completed] = await run('ingest-drop-placeholders', { pairs });
    }
    log.debug(`placeholders: ${Date.now() - t} ms`);
    t = Date.now();
    const [delisted] = delta
      ? await run('ingest-delist-ids', { ...base, ids: rel.removedIds ?? [] })
      : await run('ingest-delist', { ...base, ids: rel.parties.map((p) => p.id) });
    log.debug(`delist: ${Date.now() - t} ms`);
    t = Date.now();
    const [cleaned] = await run('ingest-cleanup', {});
    log.debug(`cleanup: ${Date.now() - t} ms`);
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
    t = Date.now();
    const matches = await refreshMatches(run, rel.dataset, opts.batchSize);
    log.debug(`matching: ${Date.now() - t} ms`);
    t = Date.now();
    await run('ingest-release', await releaseSnapshot(run, rel, rel.links.map((l, i) => ({ ...linkRows[i], type: l.type })), previous));
    log.debug(`release snapshot: ${Date.now() - t} ms`);
    return {
      delisted: Number(delisted.delisted),
      placeholdersCompleted: Number(completed.completed),
      cleanedUp: Number(cleaned.removed),
      matches,
    };
  });
}
