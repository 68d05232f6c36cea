/**
 * The contract of a source format (what ingest/formats.ts registers and every parser in sources/
 * implements), what every parser is given, and the rule for the release date (shared by all parsers).
 */
import path from 'node:path';
import { SourceFormatError } from '../server/core/errors';
import type { ParsedRelease } from '../server/core/model';

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
  onBytes?: (n: number) => void;
}

/** The release a parser should use (see ParseOptions.release). */
export function chooseRelease(file: string, opts: ParseOptions, inside: string | null | undefined): string {
  if (opts.release && opts.releaseFrom === 'flag') return opts.release;
  const r = inside ?? opts.release;
  if (!r) throw new SourceFormatError(path.basename(file), undefined, 'carries no publication date: give one with --release YYYY-MM-DD');
  return r;
}

