/**
 * Streaming JSON-lines reading (one JSON value a line, as FollowTheMoney exports and OpenSanctions delta
 * files are written), beside csv.ts and xml.ts: strict UTF-8 line by line, errors that name the file and
 * line, a cut last line told apart from a damaged one, and JSON objects run together on one line (a
 * missing line break) split where they close. Files are never read whole into memory, and one line is
 * never buffered beyond ParseOptions.limits.maxRecordBytes (INGEST_MAX_RECORD_SIZE): a longer one is
 * refused with its line, before it can exhaust memory or carry a giant value towards the database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SourceFormatError } from '../server/core/errors';
import { formatSize, readLimits, type ReaderOptions } from './parse-options';

export type JsonObject = Record<string, unknown>;
export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The top-level JSON texts of a line: `{...}{...}` (two objects without the line break between them)
 * gives two. Braces inside strings do not count. `complete` is false when the line ends inside a text
 * (a cut line); text outside any object or array is returned whole so that JSON.parse names the fault.
 */
export function splitJsonTexts(line: string): { texts: string[]; complete: boolean } {
  const texts: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"' && depth > 0) {
      inString = true;
    } else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if ((c === '}' || c === ']') && depth > 0) {
      depth--;
      if (depth === 0) texts.push(line.slice(start, i + 1));
    } else if (depth === 0 && !/\s/.test(c)) {
      return { texts: [line.trim()], complete: true };
    }
  }
  if (depth > 0) {
    texts.push(line.slice(start));
    return { texts, complete: false };
  }
  return { texts, complete: true };
}

export interface Line {
  /** 1-based line number. */
  line: number;
  text: string;
  /** No non-empty line follows (a cut here means a cut download). */
  last: boolean;
}

/**
 * Non-empty lines of a file, decoded as strict UTF-8 line by line (so a wrong encoding is reported at
 * its own line). One line is held back to know which is the last.
 */
export async function* readLines(file: string, opts: ReaderOptions = {}): AsyncGenerator<Line> {
  const name = path.basename(file);
  const { maxRecordBytes } = readLimits(opts.limits);
  const onBytes = opts.onBytes;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (parts: Buffer[], line: number): string => {
    try {
      return decoder.decode(Buffer.concat(parts)).replace(/\r$/, '');
    } catch {
      throw new SourceFormatError(name, line, 'is not valid UTF-8 text (wrong encoding, e.g. Latin-1, or a binary file?)');
    }
  };
  const input = fs.createReadStream(file);
  let held: Line | null = null;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNo = 0;
  /** Keeps part of the line being read; false when the line grows over the cap. */
  const keep = (part: Buffer): boolean => {
    pendingBytes += part.length;
    pending.push(part);
    return pendingBytes <= maxRecordBytes;
  };
  const tooLong = () =>
    new SourceFormatError(name, lineNo + 1, `is longer than ${formatSize(maxRecordBytes)} (INGEST_MAX_RECORD_SIZE): a damaged or hostile file; refused`);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      onBytes?.(chunk.length);
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
        if (!keep(chunk.subarray(start, nl))) {
          // The line before is whole: hand it over first (format detection reads only the first line).
          if (held) yield held;
          throw tooLong();
        }
        const text = decode(pending, ++lineNo);
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
        if (text.trim() === '') continue;
        if (held) yield held;
        held = { line: lineNo, text, last: false };
      }
      if (start < chunk.length && !keep(chunk.subarray(start))) {
        if (held) yield held;
        throw tooLong();
      }
    }
    if (pending.length) {
      const text = decode(pending, ++lineNo);
      if (text.trim() !== '') {
        if (held) yield held;
        held = { line: lineNo, text, last: false };
      }
    }
    if (held) yield { ...held, last: true };
  } catch (err) {
    if (err instanceof SourceFormatError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new SourceFormatError(name, undefined, `cannot be read: no such file (${file})`);
    throw new SourceFormatError(name, undefined, `cannot be read: ${(err as Error).message}`);
  } finally {
    input.destroy();
  }
}

export interface JsonLine {
  line: number;
  values: unknown[];
}

/**
 * The JSON values of each line. A line that is not valid JSON fails the parse instead of being
 * rejected: it has no id we could report or keep, and in a snapshot the entity it held would silently
 * drop out of the list (the loader would delist it). A cut last line is a cut download.
 */
export async function* readJsonLines(file: string, warnings: string[], opts: ReaderOptions = {}): AsyncGenerator<JsonLine> {
  const name = path.basename(file);
  for await (const { line, text, last } of readLines(file, opts)) {
    try {
      yield { line, values: [JSON.parse(text)] };
      continue;
    } catch {
      // Not one JSON value: perhaps several run together, or a damaged line (below).
    }
    const { texts, complete } = splitJsonTexts(text);
    if (!complete) {
      throw new SourceFormatError(
        name,
        line,
        last
          ? 'the last line is cut short (its JSON object never closes): the download is incomplete; fetch the file again'
          : 'is cut short (its JSON object never closes): the file is damaged',
      );
    }
    const values = texts.map((t) => {
      try {
        return JSON.parse(t) as unknown;
      } catch (err) {
        throw new SourceFormatError(name, line, `is not valid JSON (${(err as Error).message})`);
      }
    });
    if (values.length > 1) {
      warnings.push(`${name}:${line} holds ${values.length} JSON objects on one line (a missing line break); each was read as a line of its own`);
    }
    yield { line, values };
  }
}
