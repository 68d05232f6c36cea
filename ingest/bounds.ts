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
import type { ParsedRelease, Provenance } from '../server/core/model';
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
 * Cuts over-long indexed values of `rel` in place and adds one warning that names the records (the
 * first ten); throws SourceFormatError for an over-long id. Returns how many values were cut.
 */
export function boundValues(rel: ParsedRelease, maxBytes: number): number {
  const cuts: string[] = [];
  let count = 0;
  const bound = (value: string, what: string, where: Provenance): string => {
    // Cheap first: a string of n UTF-16 units has at most 3n bytes of UTF-8.
    if (value.length * 3 <= maxBytes) return value;
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes <= maxBytes) return value;
    count++;
    if (cuts.length < 10) cuts.push(`${where.record} ${what} (${nf.format(bytes)} bytes)`);
    return cutUtf8(value, maxBytes);
  };
  const id = (value: string, what: string, where: Provenance) => {
    if (Buffer.byteLength(value, 'utf8') > maxBytes) {
      const [file, line] = where.record.split(/[: ]/);
      throw new SourceFormatError(file, Number(line) || undefined, `${what} is longer than ${formatSize(maxBytes)} (INGEST_MAX_VALUE_SIZE): a damaged or hostile file; refused`);
    }
  };
  const opt = (v: string | null, what: string, where: Provenance) => (v === null ? null : bound(v, what, where));

  for (const p of rel.parties) {
    id(p.id, 'the id', p.provenance);
    p.name = bound(p.name, 'name', p.provenance);
    for (const a of p.aliases) a.name = bound(a.name, 'alias', p.provenance);
    p.programs = p.programs.map((x) => bound(x, 'program', p.provenance));
  }
  for (const a of rel.addresses) {
    const r = a.address;
    r.key = bound(r.key, 'address key', a.provenance);
    r.full = bound(r.full, 'address', a.provenance);
    r.street = opt(r.street, 'street', a.provenance);
    r.city = opt(r.city, 'city', a.provenance);
    r.country = opt(r.country, 'country', a.provenance);
  }
  for (const i of rel.identifiers) {
    i.identifier.key = bound(i.identifier.key, 'identifier key', i.provenance);
    i.identifier.value = bound(i.identifier.value, 'identifier', i.provenance);
  }
  for (const l of rel.links) {
    id(l.from, 'a link end', l.provenance);
    if (l.to.id) id(l.to.id, 'a link end', l.provenance);
    if (l.to.name) l.to.name = bound(l.to.name, 'link target name', l.provenance);
  }
  if (count) {
    rel.warnings.push(
      `${count} names, aliases, addresses or identifiers were longer than ${formatSize(maxBytes)} (INGEST_MAX_VALUE_SIZE; Neo4j cannot index them) ` +
        `and were cut to it: ${cuts.join('; ')}${count > cuts.length ? `; and ${count - cuts.length} more` : ''}`,
    );
  }
  return count;
}
