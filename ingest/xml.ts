/**
 * Streaming XML for the list parsers (OFAC ENHANCED / ADVANCED / classic XML, UN consolidated list).
 *
 * The file is read in chunks and decoded (ingest/encoding.ts) as strict UTF-8, the lists' encoding, so
 * a wrong encoding is an error with its line and byte offset, not mojibake in the graph; a file whose
 * XML declaration names another encoding is decoded as declared, with a warning, unless its bytes are
 * plainly UTF-8 (then the declaration is wrong and the file is refused). The text goes to saxes (a
 * SAX-style, non-validating parser that never fetches external entities and does not expand DTD-declared
 * ones). Only the elements a parser asks for are built into small trees and handed over one at a time,
 * so a list of any size is never held in memory whole.
 *
 * Hostile files are refused with file and line before they can exhaust memory (ParseOptions.limits):
 * nesting deeper than maxXmlDepth; a record, or any text node, comment or tag (what saxes buffers before
 * it reports it) over maxRecordBytes; and a DOCTYPE that declares entities, which no list has and which
 * would otherwise be silently ignored (saxes does not expand them: "billion laughs" cannot work, but the
 * file is not what it claims to be).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { SourceFormatError } from '../server/core/errors';
import { log } from '../server/core/logger';
import { isUtf8Label, TextDecoding, wideBom } from './encoding';
import { formatSize, readLimits, type ReaderOptions } from './parse-options';

export interface XmlElement {
  /** Local name (namespace prefix removed). */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its children's), trimmed. */
  text: string;
  /** Line of the start tag, 1-based. */
  line: number;
}

export interface StreamXmlOptions extends ReaderOptions {
  /**
   * Whether the element at this path (local names from the root, e.g. ['sdnList', 'sdnEntry']) is a
   * record: it is built as a tree and passed to onRecord when it closes. Elements inside a record are
   * part of it and are not asked about.
   */
  isRecord(path: string[]): boolean;
  onRecord(el: XmlElement, path: string[]): void;
  /** Called for every start tag outside records (e.g. the root, to read its attributes). */
  onOpen?(name: string, attrs: Record<string, string>, line: number, path: string[]): void;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** Names a file's table keeps (a list names a few dozen; one naming more is looked up each time). */
const MAX_NAMES = 10_000;
/** The string as V8 keeps property keys: internalized, flat, and not a slice of a longer one. */
const internal = (s: string): string => Object.keys({ [s]: 0 })[0];

/**
 * Element and attribute names, each kept once: the local name of a name as saxes reports it, made an
 * internalized string (a property key: Object.keys gives it back as V8 keeps it). saxes reports each
 * name as a new string; parsers then compare every child's name with the few they want (the UN parser
 * some 25 times per entry), and two different strings of one length are compared character by
 * character, where two internalized ones compare by pointer. A name is looked up first in a small table
 * by its length and end characters (one comparison, where a Map hashed every new string: 70 ns a
 * name), then in a Map. A file names a few dozen elements; past MAX_NAMES (a hostile file) a name is
 * no longer kept but made each time. The tables live for one file.
 */
class Names {
  /** Name as saxes reports it -> [that name, kept; its local name, kept]. */
  private readonly known = new Map<string, [string, string]>();
  /** Recent names (kept copies) and their local names, by length and three of their characters. */
  private readonly rawAt: (string | undefined)[] = new Array<string | undefined>(256);
  private readonly localAt: string[] = new Array<string>(256);

  local(raw: string): string {
    const n = raw.length;
    const slot = n === 0 ? 0 : (n * 31 + raw.charCodeAt(0) * 7 + raw.charCodeAt(n >> 1) * 3 + raw.charCodeAt(n - 1)) & 255;
    if (this.rawAt[slot] === raw) return this.localAt[slot];
    let kept = this.known.get(raw);
    if (kept === undefined) {
      // Copies of their own: the strings saxes reports are often slices of the 64 KB piece of text they
      // came from, which they would keep in memory as long as the tables live.
      kept = [internal(raw), internal(local(raw))];
      if (this.known.size >= MAX_NAMES) return kept[1];
      this.known.set(kept[0], kept);
    }
    this.rawAt[slot] = kept[0];
    this.localAt[slot] = kept[1];
    return kept[1];
  }
}

/**
 * The attributes and children of an element that has none: one shared (frozen) object and array, as
 * most elements of a record have neither, instead of an empty object and array made for each.
 */
const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NO_CHILDREN: XmlElement[] = Object.freeze([]) as unknown as XmlElement[];

/**
 * Text is handed to saxes in pieces of at most this many characters (decoded from at most this many
 * bytes: TextDecoding.decodeEach), so the size checks run often.
 */
const PIECE = 1 << 16;

/** Children lists longer than this are not reused (streamXml's kids): a real element has a few dozen. */
const MAX_KEPT_KIDS = 1024;

/**
 * The encoding the file's first bytes say it is in: its XML declaration's encoding="...", else UTF-8.
 * UTF-16 and UTF-32 (a byte order mark) are left to the decoder, which refuses them by name.
 */
export function declaredEncoding(first: Buffer): string | null {
  if (wideBom(first)) return null;
  const m = /^(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1/.exec(first.toString('latin1'));
  return m ? m[2] : null;
}

/** The properties in which saxes's on() keeps the handlers (its EVENT_NAME_TO_HANDLER_NAME). */
interface SaxesHandlerSlots {
  xmldeclHandler: unknown;
  textHandler: unknown;
  piHandler: unknown;
  doctypeHandler: unknown;
  commentHandler: unknown;
  openTagStartHandler: unknown;
  attributeHandler: unknown;
  openTagHandler: unknown;
  closeTagHandler: unknown;
  cdataHandler: unknown;
  errorHandler: unknown;
  endHandler: unknown;
  readyHandler: unknown;
}

/**
 * A SaxesParser whose handler properties exist before any handler is set. saxes's on() adds each
 * handler's property with a computed key, and V8 turns an object that grows so past a few properties into
 * a slow "dictionary" object: from the eighth handler on (streamXml sets nine), every property the
 * parser's inner loop reads became a hash lookup, and reading the UN list took 0.11 s of CPU instead of
 * 0.027 s (a bare saxes pass with three handlers). Added here by name, the properties keep the parser
 * fast, and on() only changes their values. Were saxes to rename them, the parser would only be slower.
 */
export function newSaxesParser(): SaxesParser {
  const parser = new SaxesParser({ position: true });
  const slots = parser as unknown as SaxesHandlerSlots;
  slots.xmldeclHandler = undefined;
  slots.textHandler = undefined;
  slots.piHandler = undefined;
  slots.doctypeHandler = undefined;
  slots.commentHandler = undefined;
  slots.openTagStartHandler = undefined;
  slots.attributeHandler = undefined;
  slots.openTagHandler = undefined;
  slots.closeTagHandler = undefined;
  slots.cdataHandler = undefined;
  slots.errorHandler = undefined;
  slots.endHandler = undefined;
  slots.readyHandler = undefined;
  return parser;
}

function firstBytes(file: string, n: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, fs.readSync(fd, buf, 0, n, 0));
  } finally {
    fs.closeSync(fd);
  }
}

export async function streamXml(file: string, opts: StreamXmlOptions): Promise<void> {
  const name = path.basename(file);
  const { maxRecordBytes, maxXmlDepth } = readLimits(opts.limits);
  const limit = formatSize(maxRecordBytes);
  const warn = opts.warn ?? ((m: string) => log.warn(m));

  let decoding: TextDecoding;
  let declared: string | null;
  try {
    declared = declaredEncoding(firstBytes(file, 1024));
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SourceFormatError(name, undefined, code === 'ENOENT' ? `cannot be read: no such file (${file})` : `could not be read: ${(e as Error).message}`);
  }
  try {
    decoding = new TextDecoding(name, {
      encoding: declared ?? undefined,
      hint: 'the lists are published in UTF-8; was the file re-encoded, e.g. to Latin-1, Windows-1251 or UTF-16?',
    });
  } catch {
    throw new SourceFormatError(name, 1, `declares encoding="${declared}", which this version cannot read; save the file as UTF-8`);
  }
  if (declared && !isUtf8Label(declared)) {
    warn(`${name} declares encoding="${declared}" and was read as ${decoding.encoding}; the publishers write UTF-8, so check its names with accents`);
  }

  const parser = newSaxesParser();
  const names = new Names();
  const stack: string[] = [];
  /** Open elements of the record being built (first = the record). */
  const building: XmlElement[] = [];
  /**
   * The children of building[i] so far: kids[i][0 .. kidCount[i]). Reused from element to element, and
   * copied at the element's close into an array of their number: pushed one by one into the element's
   * own array, they cost an array of 1, then 17, then 41 slots (V8 grows an array by half plus 16), a
   * seventh of what a UN parse allocated.
   */
  const kids: XmlElement[][] = [];
  const kidCount: number[] = [];
  let recordDepth = -1;
  /** Characters of the record being built (names, attributes, text). */
  let recordSize = 0;
  /** Where saxes last reported something: what it holds since then is one unfinished construct. */
  let lastEvent = 0;
  let lastEventLine = 1;
  let failure: SourceFormatError | null = null;
  const fail = (line: number, reason: string): never => {
    failure ??= new SourceFormatError(name, line, reason);
    throw failure;
  };
  const seen = () => {
    lastEvent = parser.position;
    lastEventLine = parser.line;
  };
  const addToRecord = (n: number) => {
    recordSize += n;
    if (recordSize > maxRecordBytes) {
      const rec = building[0];
      fail(rec.line, `<${rec.name}> starting on this line is larger than ${limit} (INGEST_MAX_RECORD_SIZE): a damaged or hostile file; refused`);
    }
  };

  parser.on('xmldecl', seen);
  parser.on('comment', seen);
  parser.on('processinginstruction', seen);
  parser.on('doctype', (doctype) => {
    seen();
    if (/<!ENTITY/i.test(doctype)) {
      fail(
        parser.line,
        'declares entities in its DOCTYPE (<!ENTITY ...>): refused. No sanctions list declares any, and this reader does not expand them ' +
          '(entity expansion is how "billion laughs" and external-entity attacks work); remove the DOCTYPE if the file is otherwise genuine',
      );
    }
  });
  const open = (el: XmlElement) => {
    const i = building.length;
    building.push(el);
    if (i === kids.length) kids.push([]);
    kidCount[i] = 0;
  };
  parser.on('opentag', (tag) => {
    seen();
    const n = names.local(tag.name);
    stack.push(n);
    if (stack.length > maxXmlDepth) {
      fail(parser.line, `nests elements more than ${maxXmlDepth} deep (<${n}>): no list is built like this; a damaged or hostile file, refused`);
    }
    let attrs = NO_ATTRS;
    // About what the element takes in the file: <n ...></n>, attributes with quotes and spaces.
    let size = 2 * tag.name.length + 5;
    // saxes makes the attributes an object without a prototype: for...in visits exactly its own keys,
    // in Object.entries' order, without an array per attribute.
    const given = tag.attributes as Record<string, string>;
    for (const k in given) {
      const v = given[k];
      if (attrs === NO_ATTRS) attrs = {};
      attrs[names.local(k)] = v;
      size += k.length + v.length + 4;
    }
    if (recordDepth >= 0) {
      const el: XmlElement = { name: n, attrs, children: NO_CHILDREN, text: '', line: parser.line };
      const p = building.length - 1;
      kids[p][kidCount[p]++] = el;
      open(el);
      addToRecord(size);
    } else if (opts.isRecord(stack)) {
      recordDepth = stack.length;
      recordSize = 0;
      open({ name: n, attrs, children: NO_CHILDREN, text: '', line: parser.line });
      addToRecord(size);
    } else {
      opts.onOpen?.(n, attrs, parser.line, stack);
    }
  });
  const onText = (t: string) => {
    seen();
    if (building.length) {
      const el = building[building.length - 1];
      // Whitespace before an element's first text (the indentation before its first child) is what the
      // trim at its close removes: not kept, so an element with children only holds no string built of
      // every indentation between them.
      if (el.text !== '' || t.trim() !== '') el.text += t;
      addToRecord(t.length);
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    seen();
    if (recordDepth >= 0) {
      const i = building.length - 1;
      const el = building.pop()!;
      const n = kidCount[i];
      if (n > 0) {
        const k = kids[i];
        el.children = k.slice(0, n);
        // A list grown by a hostile record is not kept for the next one (its elements would stay alive).
        if (k.length > MAX_KEPT_KIDS) kids[i] = [];
      }
      if (el.text !== '') el.text = el.text.trim();
      if (stack.length === recordDepth) {
        recordDepth = -1;
        opts.onRecord(el, [...stack]);
      }
    }
    stack.pop();
  });
  parser.on('error', (err) => {
    // saxes messages start with "file:line:column: "; keep the reason, we name file and line ourselves.
    const reason = err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    fail(parser.line, `is not well-formed XML: ${reason}`);
  });

  const write = (text: string) => {
    for (let i = 0; i < text.length; i += PIECE) {
      parser.write(text.slice(i, i + PIECE));
      if (parser.position - lastEvent > maxRecordBytes) {
        fail(lastEventLine, `holds a text node, comment or tag longer than ${limit} (INGEST_MAX_RECORD_SIZE), starting on this line: a damaged or hostile file; refused`);
      }
    }
  };
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      decoding.decodeEach(chunk, PIECE, write);
      opts.onBytes?.(chunk.length);
    }
    write(decoding.end());
    parser.close();
  } catch (e) {
    stream.destroy();
    if (failure) throw failure;
    if (e instanceof SourceFormatError) throw e;
    throw new SourceFormatError(name, parser.line, `could not be read: ${(e as Error).message}`);
  }
  if (stack.length) throw new SourceFormatError(name, parser.line, `ends before </${stack[stack.length - 1]}> (truncated file?)`);
}

// child and children are called tens of times per record: plain loops, without a closure per call.
/** First child element with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.name === name) return c;
  return undefined;
}
/** All child elements with this local name. */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  if (el) for (const c of el.children) if (c.name === name) out.push(c);
  return out;
}
/** Text of the first child with this name; null when absent or empty. */
export function textOf(el: XmlElement | undefined, name: string): string | null {
  const t = child(el, name)?.text;
  return t ? t : null;
}

/** Reads the first bytes of a file as text (for format detection from content). */
export function head(file: string, bytes = 4096): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
