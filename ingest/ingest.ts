/**
 * One load, from files to database: detect the format, parse (streaming), write (ingest/loader.ts),
 * read back the counts. Used by the CLI and by `npm start` for the demo data.
 */
import fs from 'node:fs';
import { Database } from '../server/core/neo4j/database';
import type { ParsedRelease } from '../server/core/model';
import { detectFormat, expandPaths, releaseFor } from './formats';
import { loadRelease, LoadResult } from './loader';
import { Spool } from './spool';
import { createProgress } from './progress';
import { datasetSummary, DatasetSummary } from './summary';
import { log } from '../server/core/logger';

export interface IngestRequest {
  paths: string[];
  format?: string;
  dataset?: string;
  release?: string;
  force?: boolean;
  progress?: boolean;
  batchSize: number;
  txTimeoutMs: number;
  /** See LoadOptions.readerGraceMs: REQUEST_TIMEOUT when a server may be reading (the CLI), else 0. */
  readerGraceMs?: number;
  /** See LoadOptions.onCommitted: the release is loaded; what follows (purge, matching) only tidies up. */
  onCommitted?: () => void;
  /** Called after each written batch (rows written, rows in all, phase); the load waits for its promise. */
  onWrite?: (done: number, total: number, phase: string) => void | Promise<void>;
  /** INGEST_MAX_RECORD_SIZE: the readers refuse a file with a larger record (default 8 MiB). */
  maxRecordBytes?: number;
  /** INGEST_MAX_VALUE_SIZE: longer names, aliases, addresses, identifiers are cut (default 4 KiB). */
  maxValueBytes?: number;
  /** INGEST_SPOOL_DIR: where the load's private spool folder is made (default from the environment, server/core/settings.ts). */
  spoolDir?: string;
}

/** INGEST_MAX_VALUE_SIZE's default (server/core/settings.ts). */
export const DEFAULT_MAX_VALUE_BYTES = 4096;

export interface IngestOutcome {
  /** What the parsers said besides the records (dataset, release, files, rejected rows, warnings). */
  parsed: ParsedRelease;
  /** How many records the release held (the records themselves went through a spool, not memory). */
  counts: Spool['counts'];
  result: LoadResult;
  summary: DatasetSummary;
}

/**
 * A parser's records go to a spool on disk as they are read (ParseOptions.sink); a parser that returns
 * some anyway (one that must see its whole file first: the OFAC XML formats resolve references
 * across the file) has them moved to the spool here, so the loader takes every format the same way.
 */
function spoolRest(rel: ParsedRelease, spool: Spool): void {
  for (const p of rel.parties) spool.party(p);
  for (const a of rel.addresses) spool.address(a);
  for (const i of rel.identifiers) spool.identifier(i);
  for (const l of rel.links) spool.link(l);
  rel.parties = [];
  rel.addresses = [];
  rel.identifiers = [];
  rel.links = [];
}

export async function ingest(db: Database, req: IngestRequest): Promise<IngestOutcome> {
  const files = expandPaths(req.paths);
  const format = await detectFormat(files, req.format);
  const { release, from, where } = releaseFor(files, req.release);
  const progress = createProgress(req.progress !== false);

  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const spool = new Spool(req.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES, req.spoolDir);
  try {
    progress.start(bytes, 'parse', 'bytes');
    let read = 0;
    let parsed: ParsedRelease;
    // What the readers say about how they read the files (e.g. a CSV file read as Windows-1252).
    const readerWarnings: string[] = [];
    try {
      parsed = await format.parse(files, {
        dataset: req.dataset,
        release,
        releaseFrom: from,
        onBytes: (n) => progress.update((read += n)),
        onPhase: (phase, total, unit) => {
          read = 0;
          progress.start(total, phase, unit);
        },
        limits: req.maxRecordBytes ? { maxRecordBytes: req.maxRecordBytes } : undefined,
        warn: (w) => readerWarnings.push(w),
        sink: spool,
      });
      spoolRest(parsed, spool);
      spool.close();
    } finally {
      progress.stop();
    }
    parsed.warnings.unshift(...new Set(readerWarnings));
    const cut = spool.bounds.warning();
    if (cut) parsed.warnings.push(cut);
    if (from !== 'flag') {
      log.info(`Release ${parsed.release}, taken from ${parsed.release === release ? where : 'the file itself'} (override with --release)`);
    }
    const c = spool.counts;
    log.info(
      `Parsed ${c.parties} parties, ${c.addresses} address facts, ${c.identifiers} identifier facts, ` +
        `${c.links} links from ${parsed.files.join(', ')} (${format.name}); ${parsed.rejected.length} rows rejected`,
    );
    for (const w of parsed.warnings) log.warn(w);

    let result: LoadResult;
    let startedWrite = false;
    try {
      result = await loadRelease(db, parsed, spool, {
        batchSize: req.batchSize,
        txTimeoutMs: req.txTimeoutMs,
        readerGraceMs: req.readerGraceMs,
        force: req.force,
        onCommitted: req.onCommitted,
        title: format.title(parsed.dataset),
        publisher: format.publisher,
        onProgress: (done, total, phase) => {
          if (!startedWrite) {
            progress.start(total, 'write', 'rows');
            startedWrite = true;
          }
          progress.update(done, phase);
          return req.onWrite?.(done, total, phase);
        },
      });
    } finally {
      progress.stop();
    }
    const summary = await datasetSummary(db, parsed.dataset);
    if (!summary) throw new Error(`dataset ${parsed.dataset} is missing after its load`);
    return { parsed, counts: { ...c }, result, summary };
  } finally {
    spool.remove();
  }
}
