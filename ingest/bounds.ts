/**
 * A bound on the values the graph indexes, applied to a parsed release before it is written.
 *
 * Neo4j refuses a whole transaction when one indexed property is too large for its index ("Property
 * value is too large to index": a few kB for a RANGE index, 32 kB for a term of the full-text index),
 * and the driver's error names neither the file nor the record. Names, aliases, addresses, identifier
 * values and program names feed indexes (directly, or through nameKey, latinNames and the ids of
 * Address and Identifier nodes), so each is bounded here, in UTF-8 bytes (INGEST_MAX_VALUE_SIZE).
 *
 * A value over the bound is cut to it, with a warning naming the record, rather than the release being
 * refused or the record skipped: no real name comes near the bound (the longest names in the real lists
 * are a few hundred bytes), so a longer one is damage in one field, and skipping the record would delist
 * a sanctioned party, the worst outcome for screening; the cut value keeps its start, which is what
 * search matches. Ids cannot be cut (two could become one): an id over the bound refuses the release.
 */
import type { AddressFact, IdentifierFact, LinkRecord, ParsedRelease, PartyRecord, Provenance } from '../server/core/model';
import { SourceFormatError } from '../server/core/errors';
import { formatSize } from './parse-options';

/** `s` cut to at most `maxBytes` bytes of UTF-8, at a character boundary. */
export function cutUtf8(s: string, maxBytes: number): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= maxBytes) return s;
  let end = maxBytes;
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--; // do not split a character
  return buf.subarray(0, end).toString('utf8');
}

const nf = new Intl.NumberFormat('en-US');

/**
 * Cuts over-long indexed values of records in place, one record at a time (a spooled load bounds each
 * as it leaves the parser); throws SourceFormatError for an over-long id. `warning()` is the one
 * warning that names the records cut (the first ten), or null.
 */
export class ValueBounds {
  private readonly cuts: string[] = [];
  /** How many values were cut. */
  count = 0;
  constructor(private readonly maxBytes: number) {}

  private bound(value: string, what: string, where: Provenance): string {
    // Cheap first: a string of n UTF-16 units has at most 3n bytes of UTF-8.
    if (value.length * 3 <= this.maxBytes) return value;
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes <= this.maxBytes) return value;
    this.count++;
    if (this.cuts.length < 10) this.cuts.push(`${where.record} ${what} (${nf.format(bytes)} bytes)`);
    return cutUtf8(value, this.maxBytes);
  }

  private id(value: string, what: string, where: Provenance): void {
    if (Buffer.byteLength(value, 'utf8') > this.maxBytes) {
      const [file, line] = where.record.split(/[: ]/);
      throw new SourceFormatError(file, Number(line) || undefined, `${what} is longer than ${formatSize(this.maxBytes)} (INGEST_MAX_VALUE_SIZE): a damaged or hostile file; refused`);
    }
  }

  private opt(v: string | null, what: string, where: Provenance): string | null {
    return v === null ? null : this.bound(v, what, where);
  }

  party(p: PartyRecord): void {
    this.id(p.id, 'the id', p.provenance);
    p.name = this.bound(p.name, 'name', p.provenance);
    for (const a of p.aliases) a.name = this.bound(a.name, 'alias', p.provenance);
    p.programs = p.programs.map((x) => this.bound(x, 'program', p.provenance));
  }

  address(a: AddressFact): void {
    const r = a.address;
    r.key = this.bound(r.key, 'address key', a.provenance);
    r.full = this.bound(r.full, 'address', a.provenance);
    r.street = this.opt(r.street, 'street', a.provenance);
    r.city = this.opt(r.city, 'city', a.provenance);
    r.country = this.opt(r.country, 'country', a.provenance);
  }

  identifier(i: IdentifierFact): void {
    i.identifier.key = this.bound(i.identifier.key, 'identifier key', i.provenance);
    i.identifier.value = this.bound(i.identifier.value, 'identifier', i.provenance);
  }

  link(l: LinkRecord): void {
    this.id(l.from, 'a link end', l.provenance);
    if (l.to.id) this.id(l.to.id, 'a link end', l.provenance);
    if (l.to.name) l.to.name = this.bound(l.to.name, 'link target name', l.provenance);
  }

  warning(): string | null {
    if (!this.count) return null;
    return (
      `${this.count} names, aliases, addresses or identifiers were longer than ${formatSize(this.maxBytes)} (INGEST_MAX_VALUE_SIZE; Neo4j cannot index them) ` +
      `and were cut to it: ${this.cuts.join('; ')}${this.count > this.cuts.length ? `; and ${this.count - this.cuts.length} more` : ''}`
    );
  }
}

/**
 * Cuts over-long indexed values of `rel` in place and adds one warning that names the records (the
 * first ten); throws SourceFormatError for an over-long id. Returns how many values were cut.
 */
export function boundValues(rel: ParsedRelease, maxBytes: number): number {
  const b = new ValueBounds(maxBytes);
  for (const p of rel.parties) b.party(p);
  for (const a of rel.addresses) b.address(a);
  for (const i of rel.identifiers) b.identifier(i);
  for (const l of rel.links) b.link(l);
  const w = b.warning();
  if (w) rel.warnings.push(w);
  return b.count;
}
