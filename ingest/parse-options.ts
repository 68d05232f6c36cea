/**
 * The contract of a source format (what ingest/formats.ts registers and every parser in sources/
 * implements), what every parser is given, and the rule for the release date (shared by all parsers).
 */
import path from 'node:path';
import { SourceFormatError } from '../server/core/errors';
import type { AddressFact, IdentifierFact, LinkRecord, ParsedRelease, PartyRecord, ReleaseSink } from '../server/core/model';

export interface SourceFormat {
  name: string;
  description: string;
  publisher: string;
  detect(file: string): Promise<boolean>;
  parse(files: string[], opts: ParseOptions): Promise<ParsedRelease>;
  title(dataset: string): string;
}

export interface ParseOptions {
  /** Dataset name given by the user (--dataset); else the parser names it from the content. */
  dataset?: string;
  /**
   * The release date known before parsing: from --release (releaseFrom 'flag', which always wins) or a
   * date in the path (releaseFrom 'path'). A parser whose files carry a publication date inside uses that
   * unless the flag was given; a parser that finds neither throws SourceFormatError(..., 'carries no
   * publication date: give one with --release YYYY-MM-DD').
   */
  release?: string;
  releaseFrom?: 'flag' | 'path';
  /** Bytes read since the last call: of the files, or in the phase onPhase began. */
  onBytes?: (n: number) => void;
  /**
   * A phase of work after the files were read begins (FtM's join: minutes at a million entities), of
   * `total` units; onBytes then counts its progress.
   */
  onPhase?: (phase: string, total: number, unit: string) => void;
  /** Bounds of what one record may hold (INGEST_MAX_RECORD_SIZE); DEFAULT_READ_LIMITS when not given. */
  limits?: Partial<ReadLimits>;
  /**
   * Said about how a file was read (e.g. decoded as Windows-1252); ingest.ts adds these to the release's
   * warnings. Logged as warnings when not given, so that nothing of the kind passes without a word.
   */
  warn?: (message: string) => void;
  /**
   * Where records go as they are read (ingest/spool.ts): the parser then returns its ParsedRelease with
   * empty record lists. Without one, the records are collected into those lists (tests, --json).
   */
  sink?: ReleaseSink;
}

/** A parser's records: handed to opts.sink as they come, else collected for its ParsedRelease. */
export interface RecordsOut extends ReleaseSink {
  parties: PartyRecord[];
  addresses: AddressFact[];
  identifiers: IdentifierFact[];
  links: LinkRecord[];
}

export function recordsOut(opts: ParseOptions): RecordsOut {
  const out: RecordsOut = {
    parties: [],
    addresses: [],
    identifiers: [],
    links: [],
    party: (p) => out.parties.push(p),
    address: (a) => out.addresses.push(a),
    identifier: (i) => out.identifiers.push(i),
    link: (l) => out.links.push(l),
  };
  const sink = opts.sink;
  if (sink) {
    out.party = (p) => sink.party(p);
    out.address = (a) => sink.address(a);
    out.identifier = (i) => sink.identifier(i);
    out.link = (l) => sink.link(l);
  }
  return out;
}

/**
 * What one record of a file may hold before the file is refused as damaged or hostile: the readers
 * (csv.ts, xml.ts, jsonl.ts) stop there instead of buffering without end. No real list comes near them:
 * the longest line of the real files in ../shared/data/sanctions is under 14 kB (an FtM entity), their
 * deepest XML nesting is 10 levels (ENHANCED and ADVANCED XML).
 */
export interface ReadLimits {
  /** One CSV record, one XML record or text node, one JSON line (bytes; characters for decoded text). */
  maxRecordBytes: number;
  /** Nesting depth of XML elements. */
  maxXmlDepth: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxRecordBytes: 8 * 1024 ** 2, maxXmlDepth: 64 };

/** What a parser passes on to the readers. */
export interface ReaderOptions {
  onBytes?: (n: number) => void;
  limits?: Partial<ReadLimits>;
  warn?: (message: string) => void;
}

export function readerOptions(opts: ParseOptions): ReaderOptions {
  return { onBytes: opts.onBytes, limits: opts.limits, warn: opts.warn };
}

export function readLimits(given: Partial<ReadLimits> | undefined): ReadLimits {
  return { ...DEFAULT_READ_LIMITS, ...given };
}

/** A size for messages: 8 MiB, 512 KiB, 900 bytes. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${new Intl.NumberFormat('en-US').format(bytes)} bytes`;
}

/** The release a parser should use (see ParseOptions.release). */
export function chooseRelease(file: string, opts: ParseOptions, inside: string | null | undefined): string {
  if (opts.release && opts.releaseFrom === 'flag') return opts.release;
  const r = inside ?? opts.release;
  if (!r) throw new SourceFormatError(path.basename(file), undefined, 'carries no publication date: give one with --release YYYY-MM-DD');
  return r;
}

