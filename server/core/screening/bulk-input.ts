/**
 * The input of bulk screening (`npm run screen`, POST /api/screen/bulk): a CSV file with a header row
 * or a JSON-lines file, read as a stream (never whole: one record at a time, each at most
 * BULK_INPUT_LIMITS.recordBytes), each record mapped by its column names onto a ScreenInput and checked
 * by parseScreenInput, exactly as a single screen is checked. A record that fails is an error row with
 * its line (for CSV the physical line where the record starts, quoted line breaks counted) and the
 * reason; it is never dropped. What makes the whole file unusable (empty, not CSV/JSON lines, no name
 * or identifier column, a broken quote, more than SCREEN_BULK_MAX_ROWS rows) is a BadInputError naming
 * the source and, past the header, the line.
 */
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseCsv, type CsvError } from 'csv-parse';
import { BadInputError } from '../errors';
import { IDENTIFIER_TYPE_NAMES, type IdentifierType } from '../model';
import { parseScreenInput } from './input';

export type BulkFormat = 'csv' | 'jsonl';

/** What makes a file unusable from some line on (BAD_USER_INPUT): the line, when past the start. */
export class BulkFileError extends BadInputError {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

export const BULK_INPUT_LIMITS = {
  /** Bytes of one CSV record or JSON line: a file without line breaks must not fill the memory. */
  recordBytes: 1 << 20,
  /** Bytes read at most to find the first character (format sniffing) of a file that starts with blanks. */
  sniffBytes: 1 << 16,
};

/** A ScreenInput as a caller would send it to POST /api/screen (only the fields the row gives). */
export interface BulkScreenInput {
  name?: string;
  kind?: string;
  birthDate?: string;
  country?: string;
  identifiers?: { type?: string; value: string; country?: string }[];
}

export type BulkRow =
  | { line: number; ref: string | null; input: BulkScreenInput; warnings?: string[] }
  | { line: number; ref: string | null; error: string };

export interface BulkInput {
  format: BulkFormat;
  /** CSV: the header as written; JSON lines: the keys of the first record. */
  columns: string[];
  /** Said once, before the rows: columns (or first record's keys) that are ignored. */
  warnings: string[];
  rows: AsyncIterable<BulkRow>;
}

export interface BulkInputOptions {
  /** Named in every fatal error: the file's path, or "the upload". */
  source: string;
  /** Given by the caller (extension, content type), else recognised from the first character. */
  format?: BulkFormat;
  maxRows: number;
}

type Field = 'ref' | 'name' | 'kind' | 'birthDate' | 'country' | 'identifiers';

/** Column names compared without case, spaces, dashes, dots and underscores. */
export const columnKey = (s: string): string => s.toLowerCase().replace(/[\s._-]+/g, '');

const FIELD_COLUMNS: Record<string, Field> = {
  ref: 'ref', id: 'ref', reference: 'ref', rowid: 'ref',
  name: 'name', fullname: 'name', entityname: 'name', party: 'name', subject: 'name',
  kind: 'kind', type: 'kind', schema: 'kind', entitytype: 'kind',
  birthdate: 'birthDate', dob: 'birthDate', dateofbirth: 'birthDate', birthyear: 'birthDate',
  country: 'country', nationality: 'country', citizenship: 'country', jurisdiction: 'country',
  identifiers: 'identifiers',
};

/** One column per identifier type: the model's names, and the usual names of the common ones. */
const IDENTIFIER_COLUMNS: Record<string, IdentifierType> = {
  ...Object.fromEntries(IDENTIFIER_TYPE_NAMES.map((t) => [columnKey(t), t])),
  wallet: 'cryptoWallet', url: 'website', domain: 'website', imo: 'imoNumber', lei: 'leiCode', swift: 'swiftBic', bic: 'swiftBic',
};

/** What a column (or JSON key) gives: a field, or identifiers of one type; undefined when unknown. */
type Mapping = { field: Field } | { identifier: IdentifierType };
function mappingOf(column: string): Mapping | undefined {
  const k = columnKey(column);
  if (FIELD_COLUMNS[k]) return { field: FIELD_COLUMNS[k] };
  if (IDENTIFIER_COLUMNS[k]) return { identifier: IDENTIFIER_COLUMNS[k] };
  return undefined;
}

const KNOWN_COLUMNS = 'ref, name, kind, birth_date, country, identifiers, or an identifier type (email, phone, wallet, website, passport, national_id, tax_id, registration_number, imo, mmsi, ...)';

/** Values of one cell: `a; b`. */
const cellValues = (s: string): string[] => s.split(';').map((v) => v.trim()).filter(Boolean);

/**
 * The `identifiers` cell: `type:value; type:value`; a value without `type:` (or a URL, whose scheme is
 * no type) is recognised from its form by parseScreenInput, which also refuses an unknown type by name.
 */
function freeIdentifiers(cell: string): { type?: string; value: string }[] {
  return cellValues(cell).map((part) => {
    const m = /^([A-Za-z][A-Za-z _.-]*?)\s*:\s*(?!\/\/)(.+)$/.exec(part);
    return m ? { type: m[1], value: m[2].trim() } : { value: part };
  });
}

/** A cell or JSON value as text; refused (as the row's error) when it is neither text nor a number. */
function textOf(column: string, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new BadInputError(`${column} must be text; got ${Array.isArray(v) ? 'a list' : typeof v}`);
}

/**
 * One record as a ScreenInput, checked by parseScreenInput. `cells` is [column, value] in the file's
 * order; JSON lines may give `identifiers` as the list of {type, value, country} a ScreenInput holds.
 */
function rowOf(line: number, cells: [string, unknown][]): BulkRow {
  let ref: string | null = null;
  try {
    const input: BulkScreenInput = {};
    const identifiers: NonNullable<BulkScreenInput['identifiers']> = [];
    for (const [column, raw] of cells) {
      const m = mappingOf(column);
      if (!m) continue;
      if ('identifier' in m) {
        for (const value of cellValues(textOf(column, raw))) identifiers.push({ type: m.identifier, value });
      } else if (m.field === 'identifiers' && Array.isArray(raw)) {
        identifiers.push(...(raw as { type?: string; value: string }[]));
      } else {
        const value = textOf(column, raw).trim();
        if (m.field === 'ref') ref = value || null;
        else if (m.field === 'identifiers') identifiers.push(...freeIdentifiers(value));
        else if (value) input[m.field] = value;
      }
    }
    if (identifiers.length) input.identifiers = identifiers;
    parseScreenInput(input);
    return { line, ref, input };
  } catch (err) {
    if (!(err instanceof BadInputError)) throw err;
    return { line, ref, error: `line ${line}: ${err.message}` };
  }
}

/** Columns (or keys) mapped twice onto one field: which of two names wins cannot be guessed. */
function checkColumns(source: string, columns: string[]): { warnings: string[]; mapped: number } {
  const byField = new Map<Field, string[]>();
  const unknown: string[] = [];
  let mapped = 0;
  for (const c of columns) {
    const m = mappingOf(c);
    if (!m) unknown.push(c);
    else {
      mapped++;
      if ('field' in m) byField.set(m.field, [...(byField.get(m.field) ?? []), c]);
    }
  }
  for (const [field, cs] of byField) {
    if (cs.length > 1) throw new BadInputError(`${source}: the columns ${cs.map((c) => JSON.stringify(c)).join(' and ')} both give the ${field}; keep one`);
  }
  return { warnings: unknown.length ? [`${source}: ignored column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => JSON.stringify(c)).join(', ')} (known: ${KNOWN_COLUMNS})`] : [], mapped };
}

/**
 * The source's bytes, with the first of them read ahead to tell the format: `{` first (after a byte
 * order mark and blanks) is JSON lines, anything else CSV.
 */
async function sniff(source: Readable): Promise<{ first: string | null; chunks: AsyncIterable<Buffer> }> {
  const it = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let seen = 0;
  let first: string | null = null;
  while (first === null && seen < BULK_INPUT_LIMITS.sniffBytes) {
    const n = await it.next();
    if (n.done) break;
    const chunk = typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
    head.push(chunk);
    seen += chunk.length;
    const m = /[^\s\ufeff]/.exec(Buffer.concat(head).toString('utf8'));
    if (m) first = m[0];
  }
  const ended = first === null && seen < BULK_INPUT_LIMITS.sniffBytes;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      yield* head;
      if (ended) return;
      for (let n = await it.next(); !n.done; n = await it.next()) yield typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
    } finally {
      // A reader stopped early (a run stopped, a file refused) closes the source: a file, or the upload.
      await it.return?.();
    }
  }
  return { first: ended ? null : first ?? '', chunks: chunks() };
}

function tooMany(source: string, line: number, maxRows: number): BulkFileError {
  return new BulkFileError(`${source}, line ${line}: more than ${maxRows.toLocaleString('en-US')} rows (SCREEN_BULK_MAX_ROWS); the rows before it were screened; split the file`, line);
}

/**
 * Where each CSV record starts: csv-parse counts the lines a record ends on, but counts a CRLF inside a
 * quoted field as two, so the lines are counted here, on the bytes on their way to the parser: a
 * record starts at the first character of a line that is not inside quotes and not blank (csv-parse
 * skips blank lines). A quote toggles, which an escaped quote ("") does twice.
 */
class LineCounter {
  readonly starts: number[] = [];
  private line = 1;
  private quoted = false;
  private atStart = true;
  private readonly decoder = new StringDecoder('utf8');

  scan(chunk: Buffer): void {
    const text = this.decoder.write(chunk);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        this.line++;
        if (!this.quoted) this.atStart = true;
        continue;
      }
      if (this.atStart && c !== 13 && c !== 0xfeff) {
        this.starts.push(this.line);
        this.atStart = false;
      }
      if (c === 34) this.quoted = !this.quoted;
    }
  }
}

/** CSV records with the physical line each starts on. */
async function* csvRecords(source: string, chunks: AsyncIterable<Buffer>): AsyncGenerator<{ line: number; cells: string[] }> {
  const parser = parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: BULK_INPUT_LIMITS.recordBytes });
  const lines = new LineCounter();
  const input = Readable.from(
    (async function* counted() {
      for await (const chunk of chunks) {
        lines.scan(chunk);
        yield chunk;
      }
    })(),
  );
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  let last = 1;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      last = lines.starts.shift() ?? last;
      yield { line: last, cells };
    }
  } catch (err) {
    const e = err as CsvError & { lines?: number };
    const line = lines.starts[0] ?? last;
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') throw new BulkFileError(`${source}, line ${line}: not readable as CSV: the record starting on this line opens a quote that is never closed`, line);
    if (e.code?.startsWith('CSV_')) throw new BulkFileError(`${source}, line ${line}: not readable as CSV: ${e.message.replace(/ at line \d+/, '')}`, line);
    throw err;
  } finally {
    input.destroy();
  }
}

/** JSON lines with their line numbers (blank lines skipped); a line longer than BULK_INPUT_LIMITS.recordBytes is refused. */
async function* textLines(source: string, chunks: AsyncIterable<Buffer>): AsyncGenerator<{ line: number; text: string }> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  for await (const chunk of chunks) {
    rest += decoder.write(chunk);
    let at: number;
    while ((at = rest.indexOf('\n')) >= 0) {
      line++;
      const text = rest.slice(0, at).replace(/\r$/, '');
      rest = rest.slice(at + 1);
      if (text.trim()) yield { line, text: line === 1 ? text.replace(/^\ufeff/, '') : text };
    }
    if (rest.length > BULK_INPUT_LIMITS.recordBytes) throw new BulkFileError(`${source}, line ${line + 1}: longer than ${BULK_INPUT_LIMITS.recordBytes} bytes; one JSON object per line`, line + 1);
  }
  rest += decoder.end();
  line++;
  if (rest.trim()) yield { line, text: line === 1 ? rest.replace(/^\ufeff/, '') : rest };
}

/** A JSON line as [key, value] cells, or the reason it is none. */
function jsonCells(text: string): [string, unknown][] | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message}); one JSON object per line`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `a JSON ${Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v}, not an object {name, kind, birthDate, country, identifiers, ref}`;
  return Object.entries(v);
}

/**
 * Opens a bulk screening file: reads as far as its header (CSV) or its first record (JSON lines), so
 * that a file unusable as a whole is refused before any row is screened; the rows follow as they are read.
 */
export async function openBulkInput(stream: Readable, opts: BulkInputOptions): Promise<BulkInput> {
  const { source, maxRows } = opts;
  const { first, chunks } = await sniff(stream);
  if (first === null) throw new BadInputError(`${source} is empty: send a CSV file with a header row (name, email, ...) or JSON lines`);
  const sniffed: BulkFormat = first === '{' ? 'jsonl' : 'csv';
  const format = opts.format ?? sniffed;
  if (format === 'jsonl' && sniffed !== 'jsonl') throw new BadInputError(`${source} is not JSON lines: its first line does not start with {; send one JSON object per line (or CSV with a header row)`);
  if (format === 'csv' && sniffed !== 'csv') throw new BadInputError(`${source} looks like JSON lines (it starts with {), not CSV; send it as JSON lines`);

  if (format === 'csv') {
    const records = csvRecords(source, chunks);
    const head = await records.next();
    if (head.done) throw new BadInputError(`${source} is empty: send a CSV file with a header row`);
    const columns = head.value.cells.map((c) => c.trim());
    const { warnings, mapped } = checkColumns(source, columns);
    const given = columns.map(mappingOf);
    if (!given.some((m) => m && ('identifier' in m || m.field === 'name' || m.field === 'identifiers'))) {
      await records.return(undefined);
      throw new BadInputError(
        `${source}: no name or identifier column in the header row (${columns.map((c) => JSON.stringify(c)).join(', ')}${mapped === 0 ? '; is the header row missing?' : ''}); name the columns ${KNOWN_COLUMNS}`,
      );
    }
    async function* rows(): AsyncGenerator<BulkRow> {
      let count = 0;
      for await (const { line, cells } of records) {
        if (++count > maxRows) throw tooMany(source, line, maxRows);
        if (cells.length > columns.length) {
          yield { line, ref: null, error: `line ${line}: ${cells.length} fields, but the header row has ${columns.length} columns (a comma in an unquoted value?)` };
          continue;
        }
        yield rowOf(line, columns.map((c, i) => [c, cells[i] ?? '']));
      }
    }
    return { format, columns, warnings, rows: rows() };
  }

  const lines = textLines(source, chunks);
  const firstLine = await lines.next();
  const firstCells = firstLine.done ? [] : jsonCells(firstLine.value.text);
  if (typeof firstCells === 'string') {
    await lines.return(undefined);
    throw new BadInputError(`${source}, line ${firstLine.done ? 1 : firstLine.value.line}: ${firstCells}`);
  }
  const columns = firstCells.map(([k]) => k);
  const { warnings } = checkColumns(source, columns);
  const warned = new Set(columns.filter((c) => !mappingOf(c)));
  async function* rows(): AsyncGenerator<BulkRow> {
    let count = 0;
    let next = firstLine;
    while (!next.done) {
      const { line, text } = next.value;
      if (++count > maxRows) throw tooMany(source, line, maxRows);
      const cells = count === 1 ? firstCells : jsonCells(text);
      if (typeof cells === 'string') yield { line, ref: null, error: `line ${line}: ${cells}` };
      else {
        let row: BulkRow;
        try {
          checkColumns(source, cells.map(([k]) => k));
          row = rowOf(line, cells);
        } catch (err) {
          if (!(err instanceof BadInputError)) throw err;
          row = { line, ref: null, error: `line ${line}: ${err.message.replace(`${source}: `, '')}` };
        }
        const unknown = cells.map(([k]) => k).filter((k) => !mappingOf(k) && !warned.has(k));
        if (unknown.length && 'input' in row) {
          unknown.forEach((k) => warned.add(k));
          row.warnings = [`ignored field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')} (first on line ${line})`];
        }
        yield row;
      }
      next = await lines.next();
    }
  }
  return { format, columns, warnings, rows: rows() };
}
