/**
 * The release snapshot of a spooled load (cypher/ingest-release.cypher; server/core/releases.ts says what
 * it is for), built and handed on in parts without holding the release: a party's digest covers its own
 * fields and the keys of its addresses, identifiers and links, which arrive in different files and
 * passes. So each pass of the load writes one line per party and per fact end, keyed by party id, and
 * the lines are sorted (in bounded memory, on disk when they do not fit in one run: ingest/sort-lines.ts)
 * to bring each party's together; each group's digest is then what server/core/releases.ts partyDigest
 * gives, as for a whole release (partyDigests). A party's line holds its name and its digest as if it had
 * no facts (the hashes of its own fields, ownFieldHashes), not the party: writing, sorting and parsing the
 * whole release once more as JSON was most of the snapshot's time (1.5-5 s on the SDN list); a party's
 * facts replace their parts of it (a digest is RELEASE_FIELDS' hashes joined by ','), so a party with
 * none is hashed once.
 *
 * The links come last in a load, and their lines go to a file of their own: once the parties' and facts'
 * passes are done (factsDone), their lines are sorted while the links are written (Node's work beside
 * the database's, not after it); then the links' lines are sorted, and the two sorted files are walked
 * together (parts), a part of RELEASE_PART parties at a time, each party getting its links' part. The
 * link keys are sorted on disk too, and handed on in parts after the parties. Nothing of the release is
 * held whole: at x64 (957,760 parties) the arrays held for one query were the load's peak (1.1 GB RSS).
 *
 * Lines are keyed by lineKey(id), not by JSON: parts must come in JavaScript's order of the ids (readers
 * compare two releases by walking both: server/core/releases.ts), and JSON's quotes and escapes order
 * some ids apart from it ("ab" after "ab!": the closing quote sorts above '!').
 */
import type { PartyRecord } from '../server/core/model';
import { linkKey, ownFieldHashes, partyDigest, RELEASE_FIELDS, RELEASE_PART, type LinkKeyRow, type ReleasePart } from '../server/core/releases';
import { LineWriter, readLines } from './spool';
import { sortedLines, sortLines } from './sort-lines';

/**
 * A line's key for `s` that sorts as `s` does among JavaScript strings and holds no line break, tab or
 * NUL: the code units up to U+000D (line breaks to readline) are written as U+0001 and the unit plus
 * 0x30, above every escape and below every unit not escaped; U+0000 then ends a key, below all of them.
 */
export function lineKey(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPED, (c) => `\u0001${String.fromCharCode(c.charCodeAt(0) + 0x30)}`) : s;
}
/** `s` from its lineKey. */
export function fromLineKey(k: string): string {
  return k.includes('\u0001') ? k.replace(UNESCAPE, (_, c: string) => String.fromCharCode(c.charCodeAt(0) - 0x30)) : k;
}
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u000d]/;
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\u0000-\u000d]/g;
// eslint-disable-next-line no-control-regex
const UNESCAPE = /\u0001([\s\S])/g;
/** Ends a line's key: below every unit a key holds. */
const END = '\u0000';

type OwnHashes = ReturnType<typeof ownFieldHashes>;
type Facts = Parameters<typeof partyDigest>[1];

// A digest is RELEASE_FIELDS' hashes joined by ','; those of a party's facts are put in their places.
const ADDRESSES_AT = RELEASE_FIELDS.indexOf('addresses');
const IDENTIFIERS_AT = RELEASE_FIELDS.indexOf('identifiers');
const LINKS_AT = RELEASE_FIELDS.indexOf('links');
/** Own hashes of no party: partyDigest of them and a party's facts gives the facts' hashes at their places. */
const NO_OWN = Object.fromEntries(RELEASE_FIELDS.map((f) => [f, ''])) as unknown as OwnHashes;
/** A digest's parts as partyDigest makes them for `facts` (the own fields' parts empty). */
const factParts = (facts: Facts): string[] => partyDigest(NO_OWN, facts).split(',');
/** The parts of a party with no address, identifier or link. */
const NO_FACTS = factParts({ addresses: [], identifiers: [], links: [] });

/**
 * A party's digest as if it had no facts: partyDigest of its own hashes, with no hashing of its own (a
 * party with facts has their parts replaced once they are known: most parties of a list have none of
 * some kind, so their digests are hashed once, as the party passes).
 */
function digestWithoutFacts(own: OwnHashes): string {
  return RELEASE_FIELDS.map((f, i) => (own as Record<string, string>)[f] ?? NO_FACTS[i]).join(',');
}

/** Consecutive lines sharing a key, as [key, kind, value] rows. */
async function* groups(lines: AsyncIterable<string>): AsyncGenerator<{ key: string; rows: [string, string][] }> {
  let key: string | null = null;
  let rows: [string, string][] = [];
  for await (const line of lines) {
    const t1 = line.indexOf(END);
    const k = line.slice(0, t1);
    if (k !== key) {
      if (key !== null) yield { key, rows };
      key = k;
      rows = [];
    }
    rows.push([line[t1 + 1], line.slice(t1 + 3)]);
  }
  if (key !== null) yield { key, rows };
}

/** What the load's passes tell the snapshot. */
export class SnapshotInput {
  private readonly out: LineWriter;
  private readonly linkOut: LineWriter;
  private readonly keyOut: LineWriter;
  /** The parties' and facts' lines sorted into `${file}.sorted`, from factsDone on (null before). */
  private sorted: Promise<void> | null = null;
  /** What parts has handed on so far. */
  readonly counts = { parties: 0, linkKeys: 0 };
  constructor(private readonly file: string) {
    const opened: LineWriter[] = [];
    try {
      for (const f of [file, `${file}.links`, `${file}.keys`]) opened.push(new LineWriter(f));
    } catch (err) {
      for (const w of opened) w.close();
      throw err;
    }
    [this.out, this.linkOut, this.keyOut] = opened;
  }
  party(p: PartyRecord): void {
    this.out.line(`${lineKey(p.id)}${END}P${END}${JSON.stringify([p.name, digestWithoutFacts(ownFieldHashes(p))])}`);
  }
  address(partyId: string, key: string): void {
    this.out.line(`${lineKey(partyId)}${END}A${END}${JSON.stringify(key)}`);
  }
  identifier(partyId: string, key: string): void {
    this.out.line(`${lineKey(partyId)}${END}I${END}${JSON.stringify(key)}`);
  }
  link(row: LinkKeyRow): void {
    const key = linkKey(row);
    this.keyOut.line(lineKey(key));
    for (const end of row.from === row.to ? [row.from] : [row.from, row.to]) this.linkOut.line(`${lineKey(end)}${END}L${END}${JSON.stringify(key)}`);
  }

  /**
   * Every party, address and identifier has been told: their lines are sorted from now on, while the
   * caller goes on (writing the links). Only links may be told after.
   */
  factsDone(): void {
    if (this.sorted) return;
    this.out.close();
    this.sorted = sortLines(this.file, `${this.file}.sorted`);
    // A failure is thrown by parts; a load that fails before then is not told it twice (close).
    this.sorted.catch(() => undefined);
  }

  /** Closes the lines' files, once the sort that factsDone started has ended (parts does; a load that ends before it, or needs no parts, calls this). */
  async close(): Promise<void> {
    try {
      this.out.close();
      this.keyOut.close();
    } finally {
      this.linkOut.close();
    }
    await this.sorted?.catch(() => undefined);
  }

  /**
   * The snapshot in parts of `size`: the parties in id order, each with its name and digest, then the
   * link keys sorted (each once). `counts` says how many of each were handed on.
   */
  async *parts(size: number = RELEASE_PART): AsyncGenerator<ReleasePart> {
    this.factsDone();
    this.linkOut.close();
    this.keyOut.close();
    await this.sorted;
    const links = groups(sortedLines(`${this.file}.links`, `${this.file}.links`))[Symbol.asyncIterator]();
    let link = await links.next();
    let part: Extract<ReleasePart, { kind: 'parties' }> = { kind: 'parties', at: 0, ids: [], names: [], digests: [] };
    try {
      for await (const { key, rows } of groups(readLines(`${this.file}.sorted`))) {
        let party: [string, string] | null = null;
        const facts: { A: string[]; I: string[] } = { A: [], I: [] };
        for (const [kind, value] of rows) {
          if (kind === 'P') party = JSON.parse(value) as [string, string];
          else facts[kind as 'A' | 'I'].push(JSON.parse(value) as string);
        }
        // An address or identifier of no party of the release (none is written so) has no digest.
        if (!party) continue;
        // The links of ends before this party name no party of the release (placeholders, other datasets').
        while (!link.done && link.value.key < key) link = await links.next();
        const linked = !link.done && link.value.key === key ? link.value.rows.map(([, v]) => JSON.parse(v) as string) : [];
        let digest = party[1];
        if (facts.A.length > 0 || facts.I.length > 0 || linked.length > 0) {
          const parts = digest.split(',');
          const f = factParts({ addresses: facts.A, identifiers: facts.I, links: linked });
          for (const [at, has] of [[ADDRESSES_AT, facts.A], [IDENTIFIERS_AT, facts.I], [LINKS_AT, linked]] as const) if (has.length > 0) parts[at] = f[at];
          digest = parts.join(',');
        }
        part.ids.push(fromLineKey(key));
        part.names.push(party[0]);
        part.digests.push(digest);
        if (part.ids.length >= size) {
          this.counts.parties += part.ids.length;
          yield part;
          part = { kind: 'parties', at: part.at + 1, ids: [], names: [], digests: [] };
        }
      }
    } finally {
      await links.return?.(undefined);
    }
    if (part.ids.length > 0) {
      this.counts.parties += part.ids.length;
      yield part;
    }
    let keys: Extract<ReleasePart, { kind: 'linkKeys' }> = { kind: 'linkKeys', at: 0, keys: [] };
    let last: string | null = null;
    for await (const k of sortedLines(`${this.file}.keys`, `${this.file}.keys`)) {
      if (k === last) continue;
      last = k;
      keys.keys.push(fromLineKey(k));
      if (keys.keys.length >= size) {
        this.counts.linkKeys += keys.keys.length;
        yield keys;
        keys = { kind: 'linkKeys', at: keys.at + 1, keys: [] };
      }
    }
    if (keys.keys.length > 0) {
      this.counts.linkKeys += keys.keys.length;
      yield keys;
    }
  }
}
