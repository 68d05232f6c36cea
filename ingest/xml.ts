/**
 * Streaming XML for the list parsers (OFAC ENHANCED / ADVANCED / classic XML, UN consolidated list).
 *
 * The file is read in chunks and decoded as strict UTF-8 (a wrong encoding is an error with its line,
 * not mojibake in the graph), fed to saxes (a SAX-style, non-validating parser that never fetches
 * external entities and does not expand DTD-declared ones, so entity-expansion attacks cannot work).
 * Only the elements a parser asks for are built into small trees and handed over one at a time, so a
 * list of any size is never held in memory whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { SourceFormatError } from '../server/core/errors';

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

export interface StreamXmlOptions {
  /**
   * Whether the element at this path (local names from the root, e.g. ['sdnList', 'sdnEntry']) is a
   * record: it is built as a tree and passed to onRecord when it closes. Elements inside a record are
   * part of it and are not asked about.
   */
  isRecord(path: string[]): boolean;
  onRecord(el: XmlElement, path: string[]): void;
  /** Called for every start tag outside records (e.g. the root, to read its attributes). */
  onOpen?(name: string, attrs: Record<string, string>, line: number, path: string[]): void;
  onBytes?(n: number): void;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

export async function streamXml(file: string, opts: StreamXmlOptions): Promise<void> {
  const name = path.basename(file);
  const parser = new SaxesParser({ position: true });
  const stack: string[] = [];
  /** Open elements of the record being built (first = the record). */
  const building: XmlElement[] = [];
  let recordDepth = -1;
  let failure: SourceFormatError | null = null;

  parser.on('opentag', (tag) => {
    const n = local(tag.name);
    stack.push(n);
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes as Record<string, string>)) attrs[local(k)] = v;
    if (recordDepth >= 0) {
      const el: XmlElement = { name: n, attrs, children: [], text: '', line: parser.line };
      building[building.length - 1].children.push(el);
      building.push(el);
    } else if (opts.isRecord(stack)) {
      recordDepth = stack.length;
      building.push({ name: n, attrs, children: [], text: '', line: parser.line });
    } else {
      opts.onOpen?.(n, attrs, parser.line, stack);
    }
  });
  const onText = (t: string) => {
    if (building.length) building[building.length - 1].text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (recordDepth >= 0) {
      const el = building.pop()!;
      el.text = el.text.trim();
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
    failure ??= new SourceFormatError(name, parser.line, `is not well-formed XML: ${reason}`);
    throw failure;
  });

  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let line = 1;
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw new SourceFormatError(name, line, 'is not valid UTF-8 (the lists are published in UTF-8; was the file re-encoded?)');
      }
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++;
      parser.write(text);
      opts.onBytes?.(chunk.length);
    }
    try {
      decoder.decode();
    } catch {
      throw new SourceFormatError(name, line, 'ends inside a UTF-8 character (truncated file?)');
    }
    parser.close();
  } catch (e) {
    stream.destroy();
    if (failure) throw failure;
    if (e instanceof SourceFormatError) throw e;
    throw new SourceFormatError(name, parser.line, `could not be read: ${(e as Error).message}`);
  }
  if (stack.length) throw new SourceFormatError(name, parser.line, `ends before </${stack[stack.length - 1]}> (truncated file?)`);
}

/** First child element with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}
/** All child elements with this local name. */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
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
