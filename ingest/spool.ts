/**
 * A parsed release on disk: the parsers hand each record to a Spool (ParseOptions.sink) as they read it,
 * and the loader reads the records back in batches, once per step. So a load holds no structure as large
 * as the release in memory, only what must be known of all of it: the names its links name (resolved
 * before the links are written); see ingest/loader.ts.
 *
 * The files are JSON lines in a private folder (0700) of the load's own under INGEST_SPOOL_DIR (default
 * $DATA_DIR/spool: the system's temp folder is often small or memory-backed), removed when the load ends,
 * and on SIGINT/SIGTERM (ingest/cli.ts calls removeLiveSpools). A load killed outright cannot remove its
 * folder; the next load removes the folders of loads that are certainly dead: the folder's name holds its
 * process's identity (host, pid namespace, pid and start time), so a pid reused by another process, or a
 * pid of another namespace (a container sharing the folder), is never taken for the load's process.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressFact, IdentifierFact, LinkRecord, PartyRecord, ReleaseSink } from '../server/core/model';
import { nameKey } from '../server/core/text/normalize';
import { ingestSpoolDir } from '../server/core/settings';
import { leftoverFolders, makeOwnedFolder, ownerTag, removeLeftoverFolders } from '../server/core/owned-folders';
import { MATCHING_PREFIX } from '../server/core/matching/spooled';
import { ValueBounds } from './bounds';

const PREFIX = 'load-';

/** The record kinds of a spool, one file each. */
export interface SpoolRecords {
  parties: PartyRecord;
  addresses: AddressFact;
  identifiers: IdentifierFact;
  links: LinkRecord;
}
export type SpoolKind = keyof SpoolRecords;

/** Writes all of `data` at the file's current position: writeSync may write less than it is given. */
export function writeAll(fd: number, data: string): void {
  writeAllBytes(fd, Buffer.from(data, 'utf8'), 0, -1);
}

/** Writes bytes [from, to) of `buf` (to -1: its end) at the file's current position, all of them. */
function writeAllBytes(fd: number, buf: Buffer, from: number, to: number): void {
  const end = to < 0 ? buf.length : to;
  let off = from;
  while (off < end) off += fs.writeSync(fd, buf, off, end - off);
}

/** Bytes a LineWriter gathers before it writes them. */
const LINE_BUFFER_BYTES = 1 << 20;

/**
 * Lines appended to a file through a buffer, written synchronously: a parser's callbacks are synchronous,
 * and a write that waited for the disk would have to buffer without bound anyway.
 *
 * Each line is encoded straight into one reused buffer of bytes. Gathering the lines as strings, joined
 * and encoded at each write, took a tenth of a UN parse's time into a spool: the joined string is
 * two bytes a character as soon as one line holds a character past Latin-1, which the encoder then
 * reads the slow way, and each write made a new string and buffer of a megabyte for the collector.
 */
export class LineWriter {
  private fd: number;
  private readonly buf = Buffer.allocUnsafe(LINE_BUFFER_BYTES);
  private used = 0;
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w', 0o600);
  }
  line(s: string): void {
    // A UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair, two units, takes 4), plus the newline.
    const most = s.length * 3 + 1;
    if (this.used + most > this.buf.length) {
      this.flush();
      if (most > this.buf.length) {
        writeAll(this.fd, `${s}\n`);
        return;
      }
    }
    this.used += this.buf.write(s, this.used, this.buf.length - this.used, 'utf8');
    this.buf[this.used++] = 0x0a;
  }
  flush(): void {
    const used = this.used;
    this.used = 0;
    if (used) writeAllBytes(this.fd, this.buf, 0, used);
  }
  /** Writes what is buffered and closes the file; the file is closed even when that write fails. */
  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    try {
      this.flush();
    } finally {
      this.fd = -1;
      fs.closeSync(fd);
    }
  }
}

/** Bytes readLines reads at a time (its buffer grows for a longer line). */
const READ_CHUNK_BYTES = 1 << 20;

/**
 * The lines of a file, one at a time, empty ones left out; the file is closed however the reading ends
 * (end, error, or a caller that stops). Lines end at "\n", "\r\n" or a lone "\r", as node:readline's do.
 *
 * The bytes are split at each "\n" by Buffer.indexOf, and each line decoded on its own: a "\n" byte is
 * never part of a longer UTF-8 character, so no character is cut. node:readline, which this replaces,
 * decoded the file into strings first and split those: reading back a load's spool of parties (x4 SDN,
 * 32 MB, JSON.parse included) took 430-610 ms of CPU, against 160-190 ms this way.
 */
export async function* readLines(file: string): AsyncGenerator<string> {
  const fh = await fs.promises.open(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    // Bytes at the start of `buf` that belong to a line not ended yet.
    let kept = 0;
    for (;;) {
      if (kept === buf.length) {
        const longer = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(longer, 0, 0, kept);
        buf = longer;
      }
      const { bytesRead } = await fh.read(buf, kept, buf.length - kept, null);
      const end = kept + bytesRead;
      let start = 0;
      for (let nl = buf.indexOf(10, kept); nl !== -1 && nl < end; nl = buf.indexOf(10, start)) {
        const line = buf.toString('utf8', start, nl);
        if (line.includes('\r')) yield* linesOf(line);
        else if (line) yield line;
        start = nl + 1;
      }
      if (bytesRead === 0) {
        yield* linesOf(buf.toString('utf8', start, end));
        return;
      }
      buf.copy(buf, 0, start, end);
      kept = end - start;
    }
  } finally {
    await fh.close();
  }
}

/** The non-empty lines of text that holds no "\n": its parts between carriage returns. */
function linesOf(text: string): string[] {
  return text.split('\r').filter((t) => t !== '');
}

/** This process as the owner of a spool folder (server/core/owned-folders.ts: the mechanism, shared with the matching refresh). */
export { ownerTag };

/**
 * Folders under `dir` named `prefix` and an owner's tag whose owner is certainly dead (killed before it
 * could remove its own): loads' spools ('load-'), or bulk screening uploads ('bulk-upload-', server/main.ts).
 */
export function leftoverSpools(dir: string = ingestSpoolDir(), prefix: string = PREFIX): string[] {
  return leftoverFolders(dir, prefix);
}

/**
 * Removes the dead owners' folders (`what` names them in the log: a load, a bulk screening); one that
 * cannot be removed is reported and left, never fails the caller.
 */
export function removeLeftovers(dir: string, prefix: string = PREFIX, what = 'a load'): void {
  removeLeftoverFolders(dir, prefix, what);
}

/** Spools of this process not yet removed (removeLiveSpools). */
const live = new Set<Spool>();

/**
 * Removes the spools of this process's loads in progress: for a process about to exit on a signal
 * (ingest/cli.ts), which would otherwise leave them for the next load to find.
 */
export function removeLiveSpools(): void {
  for (const s of [...live]) s.remove();
}

export class Spool implements ReleaseSink {
  readonly dir: string;
  private readonly writers: { [K in SpoolKind]: LineWriter };
  readonly counts = { parties: 0, programs: 0, addresses: 0, identifiers: 0, links: 0 };
  /** Normalised names of link targets given by name only (ingest/loader.ts resolves them). */
  readonly wanted = new Set<string>();
  /** Bounds each record's indexed values as it arrives (INGEST_MAX_VALUE_SIZE). */
  readonly bounds: ValueBounds;
  /**
   * Whether every address (identifier) fact came right after its party, before the next party: then a
   * party's facts of that kind are one run in the file, and the loader removes repeated facts within the
   * run and writes the rest with CREATE instead of MERGE (ingest/loader.ts FactRuns). Known in O(1).
   */
  readonly grouped = { addresses: true, identifiers: true };
  private lastPartyId: string | null = null;

  /** `root`: INGEST_SPOOL_DIR (made if missing, 0700); the load's folder is made in it. */
  constructor(maxValueBytes: number, root: string = ingestSpoolDir()) {
    fs.mkdirSync(root, { recursive: true, mode: 0o700 });
    removeLeftovers(root);
    // The matching refresh's work folders (under the same root in a CLI load) of loads killed while matching.
    removeLeftovers(root, MATCHING_PREFIX, 'a matching refresh');
    this.dir = makeOwnedFolder(root, PREFIX);
    live.add(this);
    this.bounds = new ValueBounds(maxValueBytes);
    const writers: Partial<Record<SpoolKind, LineWriter>> = {};
    try {
      for (const k of ['parties', 'addresses', 'identifiers', 'links'] as const) writers[k] = new LineWriter(this.file(k));
    } catch (err) {
      for (const w of Object.values(writers)) w.close();
      this.remove();
      throw err;
    }
    this.writers = writers as { [K in SpoolKind]: LineWriter };
  }

  file(name: string): string {
    return path.join(this.dir, `${name}.jsonl`);
  }

  party(p: PartyRecord): void {
    this.bounds.party(p);
    this.counts.parties++;
    this.counts.programs += p.programs.length;
    this.lastPartyId = p.id;
    this.writers.parties.line(JSON.stringify(p));
  }
  address(a: AddressFact): void {
    this.bounds.address(a);
    if (a.partyId !== this.lastPartyId) this.grouped.addresses = false;
    this.counts.addresses++;
    this.writers.addresses.line(JSON.stringify(a));
  }
  identifier(i: IdentifierFact): void {
    this.bounds.identifier(i);
    if (i.partyId !== this.lastPartyId) this.grouped.identifiers = false;
    this.counts.identifiers++;
    this.writers.identifiers.line(JSON.stringify(i));
  }
  link(l: LinkRecord): void {
    this.bounds.link(l);
    if (!l.to.id) this.wanted.add(nameKey(l.to.name!));
    this.counts.links++;
    this.writers.links.line(JSON.stringify(l));
  }

  /** Ends the writing; the records can be read from now on. */
  close(): void {
    for (const w of Object.values(this.writers)) w.close();
  }

  async *read<K extends SpoolKind>(kind: K): AsyncGenerator<SpoolRecords[K]> {
    for await (const line of readLines(this.file(kind))) yield JSON.parse(line) as SpoolRecords[K];
  }

  async *batches<K extends SpoolKind>(kind: K, size: number): AsyncGenerator<SpoolRecords[K][]> {
    let batch: SpoolRecords[K][] = [];
    for await (const r of this.read(kind)) {
      batch.push(r);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  remove(): void {
    live.delete(this);
    for (const w of Object.values(this.writers ?? {})) {
      try {
        w.close();
      } catch {
        /* removed anyway */
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
