/**
 * Bytes of a list file -> text, for the readers (csv.ts, xml.ts): strict UTF-8 by default, with the
 * line and byte offset of the first byte that does not fit, a file cut inside a character told apart
 * from a wrong encoding, and UTF-16 (what Windows calls "Unicode") named as such.
 *
 * Two ways out of strict UTF-8, each chosen by the reader, never guessed here:
 * - `fallback: 'windows-1252'` (OFAC CSV, see csv.ts for why): a file that turns out not to be UTF-8 is
 *   read as Windows-1252 from its first byte, provided everything before the first bad byte was ASCII
 *   (so both readings agree on it). A file with UTF-8 text before a non-UTF-8 byte mixes encodings or is
 *   damaged and is refused; so is a byte that Windows-1252 leaves undefined.
 * - `encoding: <label>` (an XML declaration naming another encoding): the file is decoded as that
 *   encoding, but refused if its bytes are plainly UTF-8 instead (a multi-byte UTF-8 character before
 *   any byte that UTF-8 cannot read): the declaration then does not match the bytes.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { SourceFormatError } from '../server/core/errors';

/** Where a byte sits in a file: 1-based line, 0-based byte offset, and the byte. */
export interface BytePosition {
  line: number;
  offset: number;
  byte: number;
}

export interface DecodingOptions {
  /** A TextDecoder label the file declares (XML encoding="..."); default UTF-8. */
  encoding?: string;
  /** Read a file that turns out not to be UTF-8 as Windows-1252 (only with the default encoding). */
  fallback?: 'windows-1252';
  /** Said after "is not valid UTF-8" (who writes the files in UTF-8, what may have happened). */
  hint?: string;
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
const nf = new Intl.NumberFormat('en-US');

/** Windows-1252 leaves these five bytes undefined; a file holding one was not written in it. */
const UNDEFINED_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** Normalised names of UTF-8 (XML declarations spell it many ways). */
export function isUtf8Label(label: string): boolean {
  return /^(utf-?8|unicode-1-1-utf-8)$/i.test(label.trim());
}

/**
 * Index of the first byte of `buf` that cannot start or continue valid UTF-8, or -1. `cut` is true when
 * the only problem is a character the end of `buf` cuts short.
 */
export function firstInvalidUtf8(buf: Uint8Array): { index: number; cut: boolean } {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return { index: i, cut: false };
    for (let k = 1; k <= need; k++) {
      if (i + k >= buf.length) return { index: i, cut: true };
      const c = buf[i + k];
      if (c < lo || c > hi) return { index: i, cut: false };
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  return { index: -1, cut: false };
}

/** Length of the longest prefix of `buf` that does not end inside a UTF-8 character. */
function completePrefix(buf: Uint8Array): number {
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 3); i--) {
    const b = buf[i];
    if (b < 0x80) return buf.length;
    if (b >= 0xc0) return i + (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) <= buf.length ? buf.length : i;
  }
  return buf.length;
}

function countLines(buf: Uint8Array, end = buf.length): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0 && i < end; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

function hasNonAscii(buf: Uint8Array, end = buf.length): boolean {
  for (let i = 0; i < end; i++) if (buf[i] >= 0x80) return true;
  return false;
}

/** The byte order mark of UTF-16 or UTF-32 at the start of a file, named; null for none. */
export function wideBom(first: Uint8Array): string | null {
  if (first[0] === 0xff && first[1] === 0xfe) return first[2] === 0 && first[3] === 0 ? 'UTF-32 (byte order mark FF FE 00 00)' : 'UTF-16 (byte order mark FF FE)';
  if (first[0] === 0xfe && first[1] === 0xff) return 'UTF-16 (byte order mark FE FF)';
  if (first[0] === 0 && first[1] === 0 && first[2] === 0xfe && first[3] === 0xff) return 'UTF-32 (byte order mark 00 00 FE FF)';
  return null;
}

/**
 * Decodes one file chunk by chunk, counting lines, so that every refusal names its line and byte offset.
 * Throws SourceFormatError(file, line, reason).
 */
export class TextDecoding {
  /** Bytes held back: the start of a character the last chunk cut (UTF-8), or of an undecided probe. */
  private carry: Buffer = Buffer.alloc(0);
  /** File offset and line of carry[0]. */
  private offset = 0;
  private line = 1;
  private sawNonAscii = false;
  /** Decoder of a declared or fallen-back-to encoding; null while reading UTF-8. */
  private other: TextDecoder | null = null;
  /** For a declared encoding: still looking for the first non-ASCII byte, to see whether it is UTF-8. */
  private probing = false;
  /** Set when a file that is not UTF-8 is read as Windows-1252 (fallback): where the first such byte is. */
  fellBack: BytePosition | undefined;
  /** Where decoding failed, once it has. */
  failedAt: BytePosition | undefined;
  /** The encoding in force: 'utf-8', 'windows-1252' after the fallback, or the declared one. */
  encoding = 'utf-8';

  constructor(
    private readonly file: string,
    private readonly opts: DecodingOptions = {},
  ) {
    if (opts.encoding && !isUtf8Label(opts.encoding)) {
      this.other = new TextDecoder(opts.encoding); // throws RangeError for a label it does not know
      this.encoding = this.other.encoding;
      this.probing = true;
    }
  }

  /** The line the next byte is on. */
  get currentLine(): number {
    return this.line;
  }

  private position(buf: Uint8Array, index: number): BytePosition {
    return { line: this.line + countLines(buf, index), offset: this.offset + index, byte: buf[index] };
  }

  private advance(buf: Uint8Array, end: number): void {
    this.line += countLines(buf, end);
    this.offset += end;
  }

  private refuse(at: BytePosition, reason: string): never {
    this.failedAt = at;
    throw new SourceFormatError(this.file, at.line, reason);
  }

  decode(chunk: Buffer): string {
    const r = this.take(chunk);
    return typeof r === 'string' ? r : r.toString('utf8');
  }

  /**
   * As decode, handed to `fn` in pieces of at most `size` bytes cut between characters, while the file
   * reads as UTF-8 (text in another encoding comes whole). V8 makes a string of a buffer holding one
   * non-ASCII character two bytes a character, through its slower decoder: the UN list decoded in
   * 1 MB pieces took 93 ms for 8 MB, in 64 KB pieces 15 ms (most are then all ASCII), and every
   * string a parser cuts from a one-byte piece is one byte a character too.
   */
  decodeEach(chunk: Buffer, size: number, fn: (text: string) => void): void {
    const r = this.take(chunk);
    if (typeof r === 'string') {
      if (r !== '') fn(r);
      return;
    }
    for (let i = 0; i < r.length; ) {
      let end = Math.min(i + size, r.length);
      // Back to the start of a character (0b10xxxxxx continues one); r holds whole characters only.
      if (end < r.length) while (end > i + 1 && (r[end] & 0xc0) === 0x80) end--;
      fn(r.toString('utf8', i, end));
      i = end;
    }
  }

  /**
   * As decode, but as UTF-8 bytes: while the file reads as UTF-8, its own bytes (whole characters,
   * checked), else the decoded text encoded again. For a reader that works on bytes (csv-parse): text
   * decoded here would be encoded again on its way into it, which cost the CSV reader a sixth of its time.
   */
  decodeBytes(chunk: Buffer): Buffer {
    const r = this.take(chunk);
    return typeof r === 'string' ? Buffer.from(r, 'utf8') : r;
  }

  /** The end of the file as decodeBytes gives it. */
  endBytes(): Buffer {
    return Buffer.from(this.end(), 'utf8');
  }

  /** The next chunk: valid UTF-8 bytes while the file reads as UTF-8, text once in another encoding. */
  private take(chunk: Buffer): Buffer | string {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    if (this.offset === 0) {
      const wide = wideBom(buf);
      if (wide) this.refuse({ line: 1, offset: 0, byte: buf[0] }, `is not valid UTF-8: it is ${wide}, as Windows "Unicode" saves text; save it as UTF-8`);
    }
    if (this.other) return this.decodeOther(buf);
    const end = completePrefix(buf);
    const body = buf.subarray(0, end);
    if (isUtf8(body)) {
      if (!this.sawNonAscii && !isAscii(body)) this.sawNonAscii = true;
      this.advance(body, end);
      this.carry = Buffer.from(buf.subarray(end));
      return body;
    }
    const bad = firstInvalidUtf8(body).index;
    const at = this.position(body, bad);
    const mixed = this.sawNonAscii || hasNonAscii(body, bad);
    if (this.opts.fallback !== 'windows-1252' || mixed) this.notUtf8(at, mixed);
    // Everything before this chunk was ASCII, which reads the same in Windows-1252: read the rest so.
    this.fellBack = at;
    this.other = new TextDecoder('windows-1252');
    this.encoding = 'windows-1252';
    return this.decodeOther(buf);
  }

  private notUtf8(at: BytePosition, mixed: boolean): never {
    const where = `byte ${hex(at.byte)} at byte offset ${nf.format(at.offset)}`;
    this.refuse(
      at,
      mixed && this.opts.fallback
        ? `is not valid UTF-8 (${where}), yet holds UTF-8 text before it: it mixes encodings or is damaged; save it again as UTF-8`
        : `is not valid UTF-8 (${where}${this.opts.hint ? `; ${this.opts.hint}` : ''})`,
    );
  }

  private decodeOther(buf: Buffer): string {
    const decoder = this.other!;
    if (this.encoding === 'windows-1252') {
      for (let i = 0; i < buf.length; i++) {
        if (UNDEFINED_1252.has(buf[i])) {
          const at = this.position(buf, i);
          this.refuse(at, `is neither UTF-8 nor Windows-1252 text (byte ${hex(at.byte)} at byte offset ${nf.format(at.offset)} is undefined in Windows-1252); save it as UTF-8`);
        }
      }
    }
    let ready = buf;
    if (this.probing) {
      // Declared another encoding: if the first non-ASCII bytes are a UTF-8 character, the bytes are UTF-8.
      const end = completePrefix(buf);
      const body = buf.subarray(0, end);
      const { index: bad } = isUtf8(body) ? { index: -1 } : firstInvalidUtf8(body);
      const upto = bad < 0 ? end : bad;
      for (let i = 0; i < upto; i++) {
        if (body[i] >= 0x80) {
          const at = this.position(body, i);
          this.refuse(
            at,
            `declares encoding="${this.opts.encoding}", but its bytes are UTF-8 (a UTF-8 character at byte offset ${nf.format(at.offset)}): ` +
              'the declaration does not match the bytes; correct it to UTF-8, or save the file in the encoding it declares',
          );
        }
      }
      if (bad >= 0) this.probing = false;
      else {
        // Hold back a character the chunk may cut, to judge it whole with the next chunk.
        ready = buf.subarray(0, end);
        this.carry = Buffer.from(buf.subarray(end));
      }
    }
    if (!this.probing && ready === buf) this.carry = Buffer.alloc(0);
    this.advance(ready, ready.length);
    return decoder.decode(ready, { stream: true });
  }

  /** The end of the file: the rest of what was held back. */
  end(): string {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    if (this.other) {
      this.probing = false;
      return this.decodeOther(rest) + this.other.decode();
    }
    if (rest.length === 0) return '';
    // A character cut off by the end of the file: a truncated file, unless the fallback reads it as Windows-1252.
    if (this.opts.fallback === 'windows-1252' && !this.sawNonAscii) {
      const at = this.position(rest, 0);
      this.fellBack = at;
      this.other = new TextDecoder('windows-1252');
      this.encoding = 'windows-1252';
      return this.decodeOther(rest) + this.other.decode();
    }
    this.refuse(this.position(rest, 0), 'ends inside a UTF-8 character (truncated file?)');
  }
}

/**
 * The first byte of a file that is not UTF-8, or null when the file is UTF-8 (for messages after a
 * failure). `truncated` when the only problem is a character the end of the file cuts.
 */
export async function firstNonUtf8(file: string): Promise<(BytePosition & { truncated: boolean }) | null> {
  const decoding = new TextDecoding(file);
  try {
    for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) decoding.decode(chunk);
    decoding.end();
    return null;
  } catch (err) {
    if (!(err instanceof SourceFormatError) || !decoding.failedAt) throw err;
    return { ...decoding.failedAt, truncated: /truncated/.test(err.reason) };
  }
}

/** How a byte position reads in a message. */
export function describeByte(at: BytePosition): string {
  return `byte ${hex(at.byte)} at byte offset ${nf.format(at.offset)}`;
}

/**
 * Why a file no reader recognised may be unreadable: the refusal its bytes earn even with the
 * Windows-1252 fallback (mixed encodings, UTF-16, a byte undefined in Windows-1252), or the first byte
 * that is not UTF-8; null when the file is UTF-8 text. Reads the whole file: for failures only.
 */
export async function encodingProblem(file: string): Promise<SourceFormatError | null> {
  const name = path.basename(file);
  const decoding = new TextDecoding(name, { fallback: 'windows-1252' });
  try {
    for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) decoding.decode(chunk);
    decoding.end();
  } catch (err) {
    return err instanceof SourceFormatError ? err : null;
  }
  const at = decoding.fellBack;
  return at ? new SourceFormatError(name, at.line, `is not valid UTF-8 (${describeByte(at)})`) : null;
}
