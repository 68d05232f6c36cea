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
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { BadInputError } from '../errors';
import { IDENTIFIER_TYPE_NAMES, type IdentifierType } from '../model';
import { parseScreenInput, SCREEN_LIMITS } from './input';

export type BulkFormat = 'csv' | 'jsonl';

/** What makes a file unusable from some line on (BAD_USER_INPUT): the line, when past the start. */
export class BulkFileError extends BadInputError {
  /** The message without the source's name ("line N: ..."): the run's fatal line, the same for the CLI and the API. */
  readonly reason: string;

  constructor(
    source: string,
    reason: string,
    readonly line: number | null = null,
  ) {
    super(`${source}, ${reason}`);
    this.reason = reason;
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
  | { line: number; ref: string | null; error: string; name?: string };

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

// Maps, not objects: a column named "constructor" or "toString" must not find Object.prototype's.
const FIELD_COLUMNS = new Map<string, Field>(Object.entries({
  ref: 'ref', id: 'ref', reference: 'ref', rowid: 'ref',
  name: 'name', fullname: 'name', entityname: 'name', party: 'name', subject: 'name',
  kind: 'kind', type: 'kind', schema: 'kind', entitytype: 'kind',
  birthdate: 'birthDate', dob: 'birthDate', dateofbirth: 'birthDate', birthyear: 'birthDate',
  country: 'country', nationality: 'country', citizenship: 'country', jurisdiction: 'country',
  identifiers: 'identifiers',
}) as [string, Field][]);

/** One column per identifier type: the model's names, and the usual names of the common ones. */
const IDENTIFIER_COLUMNS = new Map<string, IdentifierType>([
  ...IDENTIFIER_TYPE_NAMES.map((t): [string, IdentifierType] => [columnKey(t), t]),
  ['wallet', 'cryptoWallet'], ['url', 'website'], ['domain', 'website'], ['imo', 'imoNumber'], ['lei', 'leiCode'], ['swift', 'swiftBic'], ['bic', 'swiftBic'],
]);

/** What a column (or JSON key) gives: a field, or identifiers of one type; undefined when unknown. */
type Mapping = { field: Field } | { identifier: IdentifierType };
function mappingOf(column: string): Mapping | undefined {
  const k = columnKey(column);
  const field = FIELD_COLUMNS.get(k);
  if (field) return { field };
  const identifier = IDENTIFIER_COLUMNS.get(k);
  if (identifier) return { identifier };
  return undefined;
}

const KNOWN_COLUMNS = 'ref, name, kind, birth_date, country, identifiers, or an identifier type (email, phone, wallet, website, passport, national_id, tax_id, registration_number, imo, mmsi, ...)';

/**
 * Values of one cell: `a; b`. A tel: URI keeps its parameters (`tel:+44 20 7946 0000;ext=12`): they
 * are no values of their own (uriValues drops them).
 */
function cellValues(s: string): string[] {
  const values: string[] = [];
  for (const part of s.split(';')) {
    const v = part.trim();
    if (values.length && /^\s*tel\s*:/i.test(values[values.length - 1]) && /^[a-z][a-z0-9-]*=/i.test(v)) values[values.length - 1] += `;${v}`;
    else if (v) values.push(v);
  }
  return values;
}

/**
 * The `identifiers` cell: `type:value; type:value`; a value without `type:` (or a URL, whose scheme is
 * no type) is recognised from its form by parseScreenInput, which also refuses an unknown type by name.
 */
function freeIdentifiers(cell: string): { type?: string; value: string }[] {
  return cellValues(cell).map((part) => {
    // A mailto: or tel: URI is a value whose scheme says its type (uriValues), not "type:value".
    if (URI.test(part)) return { value: part };
    const m = /^([A-Za-z][A-Za-z _.-]*?)\s*:\s*(?!\/\/)(.+)$/.exec(part);
    return m ? { type: m[1], value: m[2].trim() } : { value: part };
  });
}

/** A mailto: or tel: URI (address books and CRM exports write them so). */
const URI = /^\s*(mailto|tel)\s*:/i;

/**
 * The values of a mailto: URI (RFC 6068: addresses separated by commas, percent-encoded, before any
 * ?subject=...) or a tel: URI (RFC 3966: the number before its ;parameters; its visual separators are
 * the phone parser's to read), with the type the scheme says; null for any other value.
 */
function uriValues(value: string): { type: 'email' | 'phone'; scheme: string; values: string[] } | null {
  const m = /^\s*(mailto|tel)\s*:(.*)$/is.exec(value);
  if (!m) return null;
  const decode = (v: string) => {
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  };
  const scheme = `${m[1].toLowerCase()}:`;
  const values = scheme === 'mailto:' ? m[2].split('?')[0].split(',').map((v) => decode(v).trim()) : [decode(m[2].split(';')[0]).trim()];
  if (!values.some(Boolean)) throw new BadInputError(`${JSON.stringify(value.trim())} is a ${scheme} URI with no ${scheme === 'mailto:' ? 'address' : 'number'} in it`);
  return { type: scheme === 'mailto:' ? 'email' : 'phone', scheme, values: values.filter(Boolean) };
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
  const input: BulkScreenInput = {};
  try {
    const identifiers: NonNullable<BulkScreenInput['identifiers']> = [];
    /** Of each identifier that was a mailto: or tel: URI: the URI as written and the type its scheme says. */
    const fromUri: ({ uri: string; scheme: string; type: IdentifierType } | undefined)[] = [];
    // One at a time, and no further than one past the limit (parseScreenInput refuses that by name): a
    // cell of 400,000 values must be an error row, not a RangeError of push(...values) ending the run.
    const add = (xs: Iterable<{ type?: string; value: string }>) => {
      for (const x of xs) {
        if (identifiers.length > SCREEN_LIMITS.identifiers) return;
        // JSON lines may hold anything here: only a text value can be a URI (parseScreenInput refuses the rest).
        const uri = typeof x === 'object' && x !== null && typeof x.value === 'string' ? uriValues(x.value) : null;
        if (!uri) {
          identifiers.push(x);
          fromUri.push(undefined);
          continue;
        }
        // The scheme dropped; it names the type when the cell does not (a tel: number written without
        // grouping would otherwise read as a document number).
        const type = x.type === undefined || x.type === null || x.type === '' ? uri.type : x.type;
        for (const value of uri.values) {
          if (identifiers.length > SCREEN_LIMITS.identifiers) return;
          identifiers.push({ ...x, type, value });
          fromUri.push({ uri: x.value.trim(), scheme: uri.scheme, type: uri.type });
        }
      }
    };
    for (const [column, raw] of cells) {
      const m = mappingOf(column);
      if (!m) continue;
      if ('identifier' in m) {
        add(cellValues(textOf(column, raw)).map((value) => ({ type: m.identifier, value })));
      } else if (m.field === 'identifiers' && Array.isArray(raw)) {
        add(raw as { type?: string; value: string }[]);
      } else {
        const value = textOf(column, raw).trim();
        if (m.field === 'ref') ref = value || null;
        else if (m.field === 'identifiers') add(freeIdentifiers(value));
        else if (value) input[m.field] = value;
      }
    }
    if (identifiers.length > SCREEN_LIMITS.identifiers) {
      throw new BadInputError(`more than ${SCREEN_LIMITS.identifiers} identifiers; screen at most ${SCREEN_LIMITS.identifiers} per row`);
    }
    if (identifiers.length) input.identifiers = identifiers;
    const parsed = parseScreenInput(input);
    parsed.identifiers.forEach((x, i) => {
      const uri = fromUri[i];
      if (uri && x.type !== uri.type) throw new BadInputError(`${JSON.stringify(uri.uri)} is a ${uri.scheme} URI (${uri.type}), but its type is ${x.type}`);
      // A phone number without its country code is read in the row's country (its own, when given, first):
      // "0782 175 7598" of a row from Iraq is +9647821757598. Phones only: a document number given a
      // country is looked for among that country's documents alone (identifierLookup).
      if (x.type === 'phone' && x.country === null && parsed.country !== null) identifiers[i] = { ...identifiers[i], country: parsed.country };
    });
    return { line, ref, input };
  } catch (err) {
    // Nothing here reads the database: whatever goes wrong is this row's, and the run goes on.
    // The row's name, when it has one, so that the error row is recognisable in the results.
    return { line, ref, error: `line ${line}: ${err instanceof BadInputError ? err.message : `not readable (${String(err)})`}`, ...(input.name ? { name: input.name } : {}) };
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
 * The source's bytes as text. UTF-8 (a byte order mark dropped), or UTF-16 when it starts with its byte
 * order mark (spreadsheets' "Unicode text"). Bytes that are not text in that encoding stop the run at
 * their line, after the rows before it: a Latin-1 or Windows-1252 file read as UTF-8 would screen
 * mangled names (M\ufffdller) without a word. A reader stopped early closes the source (file or upload).
 */
async function* decoded(source: string, bytes: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let fatal: TextDecoder | null = null;
  let lenient: TextDecoder | null = null;
  let head = Buffer.alloc(0);
  let line = 1;
  let prevCR = false;
  const count = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 || (c === 10 && !prevCR)) line++;
      prevCR = c === 13;
    }
  };
  const open = (b: Buffer) => {
    const encoding = b[0] === 0xff && b[1] === 0xfe ? 'utf-16le' : b[0] === 0xfe && b[1] === 0xff ? 'utf-16be' : 'utf-8';
    if (encoding === 'utf-8' && b.subarray(0, 64).includes(0)) {
      throw new BulkFileError(source, `line 1: not UTF-8 text (it holds zero bytes: UTF-16 without its byte order mark?); save the file as "CSV UTF-8" and send it again`, 1);
    }
    fatal = new TextDecoder(encoding, { fatal: true });
    lenient = new TextDecoder(encoding);
  };
  /** The text, or the sound text before the first byte that is not, and the error to throw after it. */
  const decode = (b: Buffer, stream: boolean): { text: string; error?: BulkFileError } => {
    try {
      const text = fatal!.decode(b, { stream });
      lenient!.decode(b, { stream });
      count(text);
      return { text };
    } catch {
      // The lenient twin marks where: the text before its first replacement is sound (its rows are read).
      const all = lenient!.decode(b, { stream });
      const text = all.slice(0, Math.max(0, all.indexOf('\ufffd')));
      count(text);
      const error = new BulkFileError(source, `line ${line}: not UTF-8 text (a byte on this line is no UTF-8 character: a file saved as Latin-1 or Windows-1252?); save the file as "CSV UTF-8" (or UTF-16 with its byte order mark) and send it again`,
        line,
      );
      return { text, error };
    }
  };
  for await (const chunk of bytes) {
    let b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!fatal) {
      head = Buffer.concat([head, b]);
      if (head.length < 64) continue;
      open(head);
      b = head;
    }
    const { text, error } = decode(b, true);
    if (text) yield text;
    if (error) throw error;
  }
  let last = Buffer.alloc(0);
  if (!fatal) {
    open(head);
    last = head;
  }
  const { text, error } = decode(last, false);
  if (text) yield text;
  if (error) throw error;
}

/**
 * The text, with the first of it read ahead to tell the format: `{` first (after blanks) is JSON lines,
 * anything else CSV; null when there is nothing but blanks.
 */
async function sniff(text: AsyncGenerator<string>): Promise<{ first: string | null; chunks: AsyncGenerator<string> }> {
  const head: string[] = [];
  let first: string | null = null;
  let ended = false;
  let seen = 0;
  try {
    // At most BULK_INPUT_LIMITS.sniffBytes of blanks are held to find it; past that the file is taken for CSV.
    while (first === null && seen < BULK_INPUT_LIMITS.sniffBytes) {
      const n = await text.next();
      if (n.done) {
        ended = true;
        break;
      }
      head.push(n.value);
      seen += n.value.length;
      const m = /[^\s\ufeff]/.exec(n.value);
      if (m) first = m[0];
    }
    if (first === null && !ended) first = '';
  } catch (err) {
    await text.return(undefined);
    throw err;
  }
  async function* chunks(): AsyncGenerator<string> {
    try {
      yield* head;
      if (!ended) yield* text;
    } finally {
      await text.return(undefined);
    }
  }
  return { first, chunks: chunks() };
}

function tooMany(source: string, line: number, maxRows: number): BulkFileError {
  return new BulkFileError(source, `line ${line}: more than ${maxRows.toLocaleString('en-US')} rows (SCREEN_BULK_MAX_ROWS); the rows before it were screened; split the file`, line);
}

/** A CSV record: its cells, the physical line it starts on, and what is wrong with it, if anything. */
interface CsvRecord {
  line: number;
  cells: string[];
  error?: string;
}

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/**
 * The separator of a CSV file, told from its header row (the text up to its first line end outside
 * quotes): the most frequent of comma, semicolon and tab (spreadsheets in many locales write `;`),
 * comma when there is none (a file of one column).
 */
function delimiterOf(header: string): string {
  const n: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in n) n[ch]++;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
  }
  return [';', '\t'].reduce((best, d) => (n[d] > n[best] ? d : best), ',');
}

/**
 * Splits CSV text (RFC 4180: quoted values may hold separators, quotes doubled, line breaks) into records,
 * fed a chunk at a time. Written here rather than taken from csv-parse, whose stream stops at the first
 * malformed record (losing the records it had parsed but not handed on, and naming a later line), and
 * which takes the first line end it meets as the only one: this one ends a line on CRLF, LF or a lone CR
 * alike (files passed through old Mac tools or mixed by concatenation), counts the physical lines, and
 * keeps a malformed record as a record with its error, going on at the next line end. Only a quote that
 * is never closed (the record runs past BULK_INPUT_LIMITS.recordBytes, or to the end) stops the file.
 */
class CsvSplitter {
  /** The physical line being read (1-based). */
  line = 1;
  private cells: string[] = [];
  private field = '';
  /** 0 start of a value, 1 unquoted, 2 in quotes, 3 a quote in quotes (closing, or doubled), 4 after the closing quote. */
  private state = 0;
  private start: number | null = null;
  private chars = 0;
  private error: string | undefined;
  private prevCR = false;
  private quotedAny = false;
  private readonly delimName: string;

  constructor(
    private readonly source: string,
    private readonly delim: string,
  ) {
    this.delimName = DELIMITER_NAMES[delim] ?? JSON.stringify(delim);
  }

  feed(text: string, out: CsvRecord[]): void {
    const d = this.delim.charCodeAt(0);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const crlfTail = c === 10 && this.prevCR;
      this.prevCR = c === 13;
      if (this.state === 2) {
        if (c === 34) this.state = 3;
        else {
          if (c === 13 || (c === 10 && !crlfTail)) this.line++;
          this.add(text[i]);
        }
        continue;
      }
      if (this.state === 3) {
        if (c === 34) {
          this.add('"');
          this.state = 2;
          continue;
        }
        this.state = 4;
      }
      if (c === 13 || c === 10) {
        if (crlfTail) continue;
        this.end(out);
        this.line++;
        continue;
      }
      if (this.start === null) this.start = this.line;
      if (c === d) {
        this.cells.push(this.field);
        this.field = '';
        this.state = 0;
        continue;
      }
      if (this.state === 4) {
        if (c !== 32 && c !== 9) {
          this.error ??= `a quoted value is followed by other text before the next ${this.delimName}; write a value with quotes in it inside quotes, its quotes doubled ("ACME ""GOLD"" LTD")`;
        }
        continue;
      }
      if (this.state === 0 && c === 34) {
        this.state = 2;
        this.quotedAny = true;
        continue;
      }
      if (c === 34) this.error ??= `a quote (") inside a value that does not start with one; write such a value inside quotes, its quotes doubled ("ACME ""GOLD"" LTD")`;
      this.add(text[i]);
      this.state = 1;
    }
  }

  /** The end of the text: the last record, or the quote left open. */
  finish(out: CsvRecord[]): void {
    if (this.state === 2) {
      throw new BulkFileError(this.source, `line ${this.start}: not readable as CSV: the record starting on this line opens a quote that is never closed`, this.start);
    }
    this.end(out);
  }

  private add(ch: string): void {
    if (++this.chars > BULK_INPUT_LIMITS.recordBytes) {
      if (this.state === 2) {
        throw new BulkFileError(this.source, `line ${this.start}: not readable as CSV: the record starting on this line is longer than ${BULK_INPUT_LIMITS.recordBytes} characters (a quote that is never closed?)`,
          this.start,
        );
      }
      // An unquoted line this long ends at its line end: it is an error row, and its text is not kept.
      this.error ??= `longer than ${BULK_INPUT_LIMITS.recordBytes} characters`;
      return;
    }
    this.field += ch;
  }

  private end(out: CsvRecord[]): void {
    this.cells.push(this.field);
    const blank = !this.quotedAny && this.cells.every((x) => !x.trim());
    // Blank lines (and lines of blanks) are no records; anything else is one, kept even when malformed.
    if (!blank || this.error) {
      out.push({ line: this.start ?? this.line, cells: this.error ? [] : this.cells, ...(this.error ? { error: this.error } : {}) });
    }
    this.cells = [];
    this.field = '';
    this.state = 0;
    this.start = null;
    this.chars = 0;
    this.error = undefined;
    this.quotedAny = false;
  }
}

/** CSV records with the physical line each starts on; the separator told from the header row. */
async function* csvRecords(source: string, chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let splitter: CsvSplitter | null = null;
  let header = '';
  const out: CsvRecord[] = [];
  for await (const text of chunks) {
    if (!splitter) {
      header += text;
      // The header row whole (or as much of it as one record may be) before the separator is told.
      if (!/[\r\n]/.test(header.replace(/"[^"]*"/g, '')) && header.length < BULK_INPUT_LIMITS.recordBytes) continue;
      splitter = new CsvSplitter(source, delimiterOf(header));
      splitter.feed(header, out);
    } else splitter.feed(text, out);
    yield* out.splice(0);
  }
  splitter ??= new CsvSplitter(source, delimiterOf(header));
  if (!header) return;
  splitter.finish(out);
  yield* out.splice(0);
}

/**
 * JSON lines with their line numbers (blank lines skipped; a line ends on LF, CRLF or a lone CR, which
 * JSON text cannot hold unescaped); a line longer than BULK_INPUT_LIMITS.recordBytes is refused.
 */
async function* textLines(source: string, chunks: AsyncIterable<string>): AsyncGenerator<{ line: number; text: string }> {
  // The pieces of the line being read, joined at its end: a long line in small chunks is not copied per chunk.
  let parts: string[] = [];
  let length = 0;
  let line = 0;
  let pendingCR = false;
  const take = (): { line: number; text: string } => {
    const text = parts.join('');
    parts = [];
    length = 0;
    line++;
    return { line, text: line === 1 ? text.replace(/^\ufeff/, '') : text };
  };
  for await (const chunk of chunks) {
    let from = 0;
    // A CR that ended the last chunk may be the first half of a CRLF.
    if (pendingCR && chunk.charCodeAt(0) === 10) from = 1;
    pendingCR = false;
    for (let i = from; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      parts.push(chunk.slice(from, i));
      const l = take();
      if (l.text.trim()) yield l;
      if (c === 13 && i + 1 < chunk.length && chunk.charCodeAt(i + 1) === 10) i++;
      else if (c === 13 && i + 1 === chunk.length) pendingCR = true;
      from = i + 1;
    }
    parts.push(chunk.slice(from));
    length += chunk.length - from;
    if (length > BULK_INPUT_LIMITS.recordBytes) throw new BulkFileError(source, `line ${line + 1}: longer than ${BULK_INPUT_LIMITS.recordBytes} characters; one JSON object per line`, line + 1);
  }
  const l = take();
  if (l.text.trim()) yield l;
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
  const { first, chunks } = await sniff(decoded(source, stream as AsyncIterable<Buffer | string>));
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
      for await (const { line, cells, error } of records) {
        if (++count > maxRows) throw tooMany(source, line, maxRows);
        if (error) {
          yield { line, ref: null, error: `line ${line}: not readable as CSV: ${error}` };
          continue;
        }
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

/**
 * The rows of a file a run screens (error rows included): every record to its end, or to what stops
 * the file (a quote never closed, more than maxRows rows), which a run stops at too. For a run called off,
 * to say how far it got ("after N of M rows"). A file unusable from its start is 0 rows.
 */
export async function countBulkRows(stream: Readable, opts: BulkInputOptions): Promise<number> {
  let n = 0;
  try {
    const input = await openBulkInput(stream, opts);
    for await (const _row of input.rows) n++;
  } catch (err) {
    if (!(err instanceof BadInputError)) throw err;
  } finally {
    stream.destroy();
  }
  return n;
}
