/**
 * Streaming CSV reading with the line number of every record, errors that name the file and line, and
 * a bound on the size of one record. Files are never read whole into memory.
 *
 * Encoding: UTF-8, or Windows-1252 with a warning. OFAC writes its CSV files in UTF-8 (in practice
 * ASCII), but the usual way a user comes to hold another encoding is opening the file in a spreadsheet
 * program and saving it again: on Western-European Windows that writes Windows-1252 ("ANSI"), so an
 * edited "José" arrives as the single byte 0xE9. Refusing such a file would send the user hunting for
 * an export option to fix bytes whose meaning is not in doubt; reading it as Windows-1252 is what most
 * tools do with text that is not UTF-8, and it is right for exactly this case. So a file that is not
 * valid UTF-8 is read as Windows-1252, and the load's warnings name the file and the first such byte,
 * so the names can be checked. What cannot be Windows-1252 is still refused with its line and byte
 * offset (ingest/encoding.ts): a file with UTF-8 text before the first bad byte (mixed encodings or
 * damage), a byte Windows-1252 leaves undefined, UTF-16.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Transform, TransformCallback } from 'node:stream';
import { Parser } from 'csv-parse';
import { SourceFormatError } from '../server/core/errors';
import { describeByte, TextDecoding } from './encoding';
import { formatSize, readLimits, type ReaderOptions } from './parse-options';
import { log } from '../server/core/logger';

export interface CsvRow {
  /** 1-based line on which the record ends (the record's line for one-line records). */
  line: number;
  fields: string[];
}

/**
 * Checks UTF-8, or decodes Windows-1252 from the first byte that is not UTF-8 (see above), warning once;
 * passes on UTF-8 bytes (csv-parse reads bytes: text would be encoded again on its way in).
 */
class CsvDecoder extends Transform {
  private readonly decoding: TextDecoding;
  constructor(
    private readonly file: string,
    private readonly warn: (message: string) => void,
  ) {
    super({ readableObjectMode: false });
    this.decoding = new TextDecoding(file, { fallback: 'windows-1252' });
  }
  private told = false;
  private tell(): void {
    const at = this.decoding.fellBack;
    if (!at || this.told) return;
    this.told = true;
    this.warn(
      `${this.file} is not UTF-8 (${describeByte(at)}, line ${at.line}): read as Windows-1252, the encoding a spreadsheet program ` +
        'writes when it saves a CSV file on Western-European Windows; check its names with accents (OFAC publishes UTF-8)',
    );
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      const s = this.decoding.decodeBytes(chunk);
      this.tell();
      cb(null, s);
    } catch (err) {
      cb(err as Error);
    }
  }
  override _flush(cb: TransformCallback): void {
    try {
      const s = this.decoding.endBytes();
      this.tell();
      cb(null, s.length ? s : undefined);
    } catch (err) {
      cb(err as Error);
    }
  }
}

/** The DOS end-of-file character OFAC writes after the last record. */
export const DOS_EOF = '\x1a';

const isEofMark = (r: CsvRow) => r.fields.length === 1 && r.fields[0].trim() === DOS_EOF;

/**
 * csv-parse handing on its records in arrays, one per chunk of input, each record with the line it ends
 * on: read one at a time, a record cost two promises (the stream's iterator and ours), and `info: true`
 * an object of eleven counters; together a third of the reader's time. The line is the parser's own
 * count (`info.lines`) when it emits the record, which is what `info: true` reports.
 */
class LinedParser extends Parser {
  private batch: CsvRow[] = [];
  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) {
      this.pushBatch();
      return super.push(null, encoding);
    }
    this.batch.push({ line: this.info.lines, fields: record as string[] });
    return true;
  }
  private pushBatch(): void {
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    super.push(rows);
  }
  override _transform(chunk: Buffer, encoding: BufferEncoding, cb: TransformCallback): void {
    super._transform(chunk, encoding, (err?: Error | null) => {
      this.pushBatch();
      cb(err);
    });
  }
  override _flush(cb: TransformCallback): void {
    super._flush((err?: Error | null) => {
      this.pushBatch();
      cb(err);
    });
  }
}

/**
 * Yields the records of a headerless CSV file, in arrays as they are read (see LinedParser). `onBytes`
 * reports progress in bytes read. A record made only of the DOS end-of-file character is skipped (and
 * reported through `sawEof`).
 */
export async function* readCsvBatches(file: string, opts: ReaderOptions & { sawEof?: () => void } = {}): AsyncGenerator<CsvRow[]> {
  const name = path.basename(file);
  const { maxRecordBytes } = readLimits(opts.limits);
  const input = fs.createReadStream(file);
  if (opts.onBytes) input.on('data', (c) => opts.onBytes!(c.length));
  // max_record_size counts the characters of one record: a 20 MB field is refused at 8 MiB, not buffered.
  const parser = new LinedParser({ relax_column_count: true, skip_empty_lines: true, bom: true, max_record_size: maxRecordBytes });
  const decoder = new CsvDecoder(name, opts.warn ?? ((m) => log.warn(m)));
  input.on('error', (err) => decoder.destroy(err));
  decoder.on('error', (err) => parser.destroy(err));
  input.pipe(decoder).pipe(parser);
  try {
    for await (const rows of parser as AsyncIterable<CsvRow[]>) {
      if (rows.some(isEofMark)) {
        opts.sawEof?.();
        const kept = rows.filter((r) => !isEofMark(r));
        if (kept.length) yield kept;
        continue;
      }
      yield rows;
    }
  } catch (err) {
    if (err instanceof SourceFormatError) throw err;
    const e = err as { code?: string; lines?: number; message?: string };
    if (e.code === 'ENOENT') throw new SourceFormatError(name, undefined, `cannot be read: no such file (${file})`);
    if (e.code?.startsWith('CSV_')) {
      // csv-parse reports e.g. CSV_QUOTE_NOT_CLOSED at the end of a truncated file.
      if (e.code === 'CSV_MAX_RECORD_SIZE') {
        throw new SourceFormatError(
          name,
          e.lines,
          `holds a record longer than ${formatSize(maxRecordBytes)} (INGEST_MAX_RECORD_SIZE), starting on this line or before: a damaged or hostile file; refused`,
        );
      }
      const reason = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (the file is truncated or damaged)' : e.message ?? e.code;
      throw new SourceFormatError(name, e.lines, reason);
    }
    throw new SourceFormatError(name, undefined, (err as Error).message);
  } finally {
    input.destroy();
  }
}

/** The records of readCsvBatches one by one (where a file's records are few, or speed does not matter). */
export async function* readCsv(file: string, opts: ReaderOptions & { sawEof?: () => void } = {}): AsyncGenerator<CsvRow> {
  for await (const rows of readCsvBatches(file, opts)) yield* rows;
}

/** First record of a file, for format detection; null when the file has none. */
export async function firstRecord(file: string, opts: ReaderOptions = {}): Promise<string[] | null> {
  // Detection only: how the file is decoded is said when it is parsed.
  for await (const row of readCsv(file, { limits: opts.limits, warn: () => undefined })) return row.fields;
  return null;
}
