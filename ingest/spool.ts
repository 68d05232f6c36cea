/**
 * A parsed release on disk: the parsers hand each record to a Spool (ParseOptions.sink) as they read it,
 * and the loader reads the records back in batches, once per step. So a load holds no structure as large
 * as the release in memory, only what must be known of all of it: the names its links name (resolved
 * before the links are written); see ingest/loader.ts.
 *
 * The files are JSON lines in a private folder under the OS temp folder, removed when the load ends. A
 * load killed midway cannot remove its folder; the next load removes the folders of processes that are
 * gone (the folder's name holds the pid).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { AddressFact, IdentifierFact, LinkRecord, PartyRecord, ReleaseSink } from '../server/core/model';
import { nameKey } from '../server/core/text/normalize';
import { ValueBounds } from './bounds';

const PREFIX = 'sanctions-graph-load-';

/** The record kinds of a spool, one file each. */
export interface SpoolRecords {
  parties: PartyRecord;
  addresses: AddressFact;
  identifiers: IdentifierFact;
  links: LinkRecord;
}
export type SpoolKind = keyof SpoolRecords;

/**
 * Lines appended to a file through a buffer, written synchronously: a parser's callbacks are synchronous,
 * and a write that waited for the disk would have to buffer without bound anyway.
 */
export class LineWriter {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w', 0o600);
  }
  line(s: string): void {
    this.buf.push(s, '\n');
    this.size += s.length + 1;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length) fs.writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
  close(): void {
    if (this.fd < 0) return;
    this.flush();
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** The lines of a file, one at a time. */
export async function* readLines(file: string): AsyncGenerator<string> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of rl) if (line) yield line;
}

/** Spool folders left by loads whose process is gone (killed before it could remove its own). */
export function leftoverSpools(): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(PREFIX));
  } catch {
    return [];
  }
  return names
    .filter((n) => {
      const pid = Number(/^\D+(\d+)-/.exec(n)?.[1]);
      if (!pid || pid === process.pid) return false;
      try {
        process.kill(pid, 0);
        return false; // alive: a load of another process
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ESRCH';
      }
    })
    .map((n) => path.join(os.tmpdir(), n));
}

function removeLeftovers(): void {
  for (const dir of leftoverSpools()) fs.rmSync(dir, { recursive: true, force: true });
}

export class Spool implements ReleaseSink {
  readonly dir: string;
  private readonly writers: { [K in SpoolKind]: LineWriter };
  readonly counts = { parties: 0, programs: 0, addresses: 0, identifiers: 0, links: 0 };
  /** Normalised names of link targets given by name only (ingest/loader.ts resolves them). */
  readonly wanted = new Set<string>();
  /** Bounds each record's indexed values as it arrives (INGEST_MAX_VALUE_SIZE). */
  readonly bounds: ValueBounds;

  constructor(maxValueBytes: number) {
    removeLeftovers();
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
    this.bounds = new ValueBounds(maxValueBytes);
    this.writers = {
      parties: new LineWriter(this.file('parties')),
      addresses: new LineWriter(this.file('addresses')),
      identifiers: new LineWriter(this.file('identifiers')),
      links: new LineWriter(this.file('links')),
    };
  }

  file(name: string): string {
    return path.join(this.dir, `${name}.jsonl`);
  }

  party(p: PartyRecord): void {
    this.bounds.party(p);
    this.counts.parties++;
    this.counts.programs += p.programs.length;
    this.writers.parties.line(JSON.stringify(p));
  }
  address(a: AddressFact): void {
    this.bounds.address(a);
    this.counts.addresses++;
    this.writers.addresses.line(JSON.stringify(a));
  }
  identifier(i: IdentifierFact): void {
    this.bounds.identifier(i);
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
    for (const w of Object.values(this.writers)) {
      try {
        w.close();
      } catch {
        /* removed anyway */
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
