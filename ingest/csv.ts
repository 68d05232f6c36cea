/**
 * Streaming CSV reading with the line number of every record, strict UTF-8, and errors that name the
 * file and line. Files are never read whole into memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Transform, TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { SourceFormatError } from '../server/core/errors';

export interface CsvRow {
  /** 1-based line on which the record ends (the record's line for one-line records). */
  line: number;
  fields: string[];
}

/** Decodes UTF-8 strictly, failing with the line of the first invalid byte sequence. */
class StrictUtf8 extends Transform {
  private decoder = new TextDecoder('utf-8', { fatal: true });
  private lines = 1;
  constructor(private readonly file: string) {
    super({ readableObjectMode: false });
  }
  private count(s: string): void {
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) this.lines++;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      const s = this.decoder.decode(chunk, { stream: true });
      this.count(s);
      cb(null, s);
    } catch {
      // Find the line of the first bad byte: decode leniently and look for the replacement character.
      const lenient = new TextDecoder('utf-8').decode(chunk);
      const before = lenient.slice(0, Math.max(lenient.indexOf('\ufffd'), 0));
      const line = this.lines + (before.match(/\n/g)?.length ?? 0);
      cb(new SourceFormatError(this.file, line, 'is not valid UTF-8 text (wrong encoding, or a binary file?)'));
    }
  }
  override _flush(cb: TransformCallback): void {
    try {
      cb(null, this.decoder.decode());
    } catch {
      cb(new SourceFormatError(this.file, this.lines, 'ends inside a UTF-8 character: the file is truncated'));
    }
  }
}

/** The DOS end-of-file character OFAC writes after the last record. */
export const DOS_EOF = '\x1a';

/**
 * Yields the records of a headerless CSV file. `onBytes` reports progress in bytes read.
 * A record made only of the DOS end-of-file character is skipped (and reported through `sawEof`).
 */
export async function* readCsv(
  file: string,
  opts: { onBytes?: (n: number) => void; sawEof?: () => void } = {},
): AsyncGenerator<CsvRow> {
  const name = path.basename(file);
  const input = fs.createReadStream(file);
  if (opts.onBytes) input.on('data', (c) => opts.onBytes!(c.length));
  const parser = parse({ relax_column_count: true, skip_empty_lines: true, info: true, bom: true });
  const decoder = new StrictUtf8(name);
  input.on('error', (err) => decoder.destroy(err));
  decoder.on('error', (err) => parser.destroy(err));
  input.pipe(decoder).pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const fields = item.record;
      if (fields.length === 1 && fields[0].trim() === DOS_EOF) {
        opts.sawEof?.();
        continue;
      }
      yield { line: item.info.lines, fields };
    }
  } catch (err) {
    if (err instanceof SourceFormatError) throw err;
    const e = err as { code?: string; lines?: number; message?: string };
    if (e.code === 'ENOENT') throw new SourceFormatError(name, undefined, `cannot be read: no such file (${file})`);
    if (e.code?.startsWith('CSV_')) {
      // csv-parse reports e.g. CSV_QUOTE_NOT_CLOSED at the end of a truncated file.
      const reason = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (the file is truncated or damaged)' : e.message ?? e.code;
      throw new SourceFormatError(name, e.lines, reason);
    }
    throw new SourceFormatError(name, undefined, (err as Error).message);
  } finally {
    input.destroy();
  }
}

/** First record of a file, for format detection; null when the file has none. */
export async function firstRecord(file: string): Promise<string[] | null> {
  for await (const row of readCsv(file)) return row.fields;
  return null;
}
