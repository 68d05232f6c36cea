/**
 * Release snapshots, for "what changed": each load stores which parties the release lists, their names
 * and a digest of each party's fields (one short hash per field, so a change can say WHICH fields
 * changed), and the keys of the release's links. A delta release's snapshot is the previous release's
 * with the delta applied, so it too describes the whole list as of that date.
 */
import crypto from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { ParsedRelease, PartyRecord } from './model';
import type { Params } from './neo4j/database';

/** Fields compared between releases, in digest order (the digest is these hashes joined by ','). */
export const RELEASE_FIELDS = [
  'name',
  'kind',
  'aliases',
  'programs',
  'birthDates',
  'nationalities',
  'addresses',
  'identifiers',
  'links',
  'remarks',
  'listedOn',
  'details',
] as const;

function h(value: unknown): string {
  // crypto.hash: the same SHA-1 as createHash(...).update(...).digest(...), in one call (12 per party).
  return crypto.hash('sha1', JSON.stringify(value), 'base64url').slice(0, 8);
}

const sorted = (xs: string[]) => [...new Set(xs)].sort();

export function releaseId(dataset: string, release: string): string {
  return `${dataset}@${release}`;
}

export interface LinkKeyRow {
  from: string;
  to: string;
  type: string;
  label: string;
  sourceId: string | null;
}

/** A link's identity across releases: the source's relationship id when it has one, else its statement. */
export function linkKey(l: LinkKeyRow): string {
  return l.sourceId ?? `${l.from}|${l.type}|${l.to}|${l.label}`;
}

/** The fields of RELEASE_FIELDS that are not facts arriving apart from the party (spooled loads: ingest/snapshot.ts). */
type OwnField = Exclude<(typeof RELEASE_FIELDS)[number], 'addresses' | 'identifiers' | 'links'>;

/**
 * The hashes of a party's own fields (every field of RELEASE_FIELDS but its facts). A spooled load
 * computes them as the party passes and keeps these short strings, not the party, until its facts join
 * them (partyDigest).
 */
export function ownFieldHashes(p: PartyRecord): Record<OwnField, string> {
  return {
    name: h(p.name),
    kind: h(p.kind),
    aliases: h(sorted(p.aliases.map((a) => `${a.type}|${a.quality ?? ''}|${a.name}`))),
    programs: h(sorted(p.programs)),
    birthDates: h(sorted(p.birthDates)),
    nationalities: h(sorted([...p.nationalities, ...p.citizenships])),
    remarks: h(p.remarks ?? ''),
    listedOn: h(p.listedOn ?? ''),
    details: h(details(p)),
  };
}

/** A party's digest: its own fields' hashes with those of the keys of its addresses, identifiers and links. */
export function partyDigest(own: Record<OwnField, string>, facts: { addresses: string[]; identifiers: string[]; links: string[] }): string {
  const all: Record<(typeof RELEASE_FIELDS)[number], string> = {
    ...own,
    addresses: h(sorted(facts.addresses)),
    identifiers: h(sorted(facts.identifiers)),
    links: h(sorted(facts.links)),
  };
  return RELEASE_FIELDS.map((f) => all[f]).join(',');
}

export function partyDigests(rel: ParsedRelease, links: LinkKeyRow[]): Map<string, string> {
  const push = (m: Map<string, string[]>, id: string, key: string) => {
    const xs = m.get(id);
    if (xs) xs.push(key);
    else m.set(id, [key]);
  };
  const addresses = new Map<string, string[]>();
  for (const a of rel.addresses) push(addresses, a.partyId, a.address.key);
  const identifiers = new Map<string, string[]>();
  for (const i of rel.identifiers) push(identifiers, i.partyId, i.identifier.key);
  const byParty = new Map<string, string[]>();
  for (const l of links) {
    for (const end of [l.from, l.to]) push(byParty, end, linkKey(l));
  }
  const out = new Map<string, string>();
  for (const p of rel.parties) {
    const facts = { addresses: addresses.get(p.id) ?? [], identifiers: identifiers.get(p.id) ?? [], links: byParty.get(p.id) ?? [] };
    out.set(p.id, partyDigest(ownFieldHashes(p), facts));
  }
  return out;
}

function details(p: PartyRecord): unknown {
  return [sorted(p.birthPlaces), p.gender ?? '', sorted(p.titles), p.vessel ?? null];
}

/** The fields whose digests differ. */
export function changedFields(a: string, b: string): string[] {
  const x = a.split(',');
  const y = b.split(',');
  return RELEASE_FIELDS.filter((_, i) => x[i] !== y[i]);
}

/** A stored release snapshot (ingest-release) as arrays: parties by id, their names and digests, and the link keys. */
export interface StoredRelease {
  ids: string[];
  names: string[];
  digests: string[];
  linkKeys: string[];
}

/**
 * Parties (or link keys) per part of a release snapshot: what a load writes as one ReleasePart node
 * (cypher/ingest-release-parts.cypher) and readers take as one row (release-parties). Neither one record
 * holding a whole release (neo4j-driver decodes a record spanning many Bolt chunks a byte at a time, and
 * the load held it whole: 1.1 GB at x64) nor one per party (Bolt's cost per record).
 */
export const RELEASE_PART = 2000;
/** Parts read per query: a page of a release, about 3 MB. */
const PARTS_PER_READ = 10;

/** One part of a release snapshot, in the snapshot's order (parties by id, then link keys sorted). */
export type ReleasePart =
  | { kind: 'parties'; at: number; ids: string[]; names: string[]; digests: string[] }
  | { kind: 'linkKeys'; at: number; keys: string[] };
export type PartiesPart = Extract<ReleasePart, { kind: 'parties' }>;

type Read = (name: string, params: Params) => Promise<unknown[]>;

/** What a stored release is: how many parties and link keys, and the load whose parts hold them (null: arrays on the Release node, a load by an earlier version). */
export interface ReleaseMeta {
  id: string;
  parties: number;
  linkKeys: number;
  load: number | null;
}

/** The snapshot of release `id` (dataset@date): what it holds, or null when none is kept (a load by an older version). */
export async function releaseMeta(read: Read, id: string): Promise<ReleaseMeta | null> {
  const [m] = (await read('release-get', { id })) as { parties: unknown; linkKeys: unknown; load: unknown }[];
  if (!m || m.parties == null) return null;
  return { id, parties: Number(m.parties), linkKeys: Number(m.linkKeys ?? 0), load: m.load == null ? null : Number(m.load) };
}

/**
 * The parts of one kind of a stored release, a page of PARTS_PER_READ at a time, so a reader holds one
 * page whatever the release's size. A part missing, or a count that differs from the release's (its
 * parts replaced by a load of the same release again while they were read), fails the read.
 */
async function* pagedParts<T extends { at: unknown }>(read: Read, meta: ReleaseMeta, query: 'release-parties' | 'release-link-keys', total: number): AsyncGenerator<T> {
  let next = 0;
  let seen = 0;
  for (let from = 0; ; from += PARTS_PER_READ) {
    const rows = (await read(query, {
      id: meta.id,
      load: meta.load == null ? null : neo4j.int(meta.load),
      from: neo4j.int(from),
      count: neo4j.int(PARTS_PER_READ),
      part: neo4j.int(RELEASE_PART),
    })) as (T & { size: unknown })[];
    for (const r of rows) {
      if (Number(r.at) !== next) break;
      next++;
      seen += Number(r.size);
      yield r;
    }
    if (rows.length < PARTS_PER_READ || next !== from + PARTS_PER_READ) break;
  }
  if (seen !== total) throw new Error(`release ${meta.id} changed while it was read (${seen} of its ${total} ${query === 'release-parties' ? 'parties' : 'link keys'} read: loaded again meanwhile?); try again`);
}

/** The parties of a stored release, a part at a time, in id order. */
export async function* releaseParties(read: Read, meta: ReleaseMeta): AsyncGenerator<PartiesPart> {
  for await (const r of pagedParts<{ at: unknown; ids: string[]; names: string[]; digests: string[] }>(read, meta, 'release-parties', meta.parties)) {
    yield { kind: 'parties', at: Number(r.at), ids: r.ids, names: r.names, digests: r.digests };
  }
}

/** The link keys of a stored release, a part at a time, sorted. */
export async function* releaseLinkKeys(read: Read, meta: ReleaseMeta): AsyncGenerator<string[]> {
  for await (const r of pagedParts<{ at: unknown; keys: string[] }>(read, meta, 'release-link-keys', meta.linkKeys)) yield r.keys;
}

/** Strings handed on one at a time from sorted parts; a string not above the one before fails (a snapshot out of order cannot be walked with another). */
class Cursor<P> {
  private part: P | null = null;
  private keys: string[] = [];
  private i = 0;
  private last: string | null = null;
  constructor(
    private readonly parts: AsyncIterator<P>,
    private readonly keysOf: (p: P) => string[],
    private readonly what: string,
  ) {}
  /** Moves to the next string (the first, on the first call); false at the end. */
  async next(): Promise<boolean> {
    if (this.part && ++this.i < this.keys.length) return this.check();
    for (;;) {
      const r = await this.parts.next();
      if (r.done) {
        this.part = null;
        return false;
      }
      this.part = r.value;
      this.keys = this.keysOf(r.value);
      this.i = 0;
      if (this.keys.length > 0) return this.check();
    }
  }
  private check(): boolean {
    const k = this.keys[this.i];
    if (this.last !== null && !(this.last < k)) throw new Error(`${this.what} is not in order at ${JSON.stringify(k)}`);
    this.last = k;
    return true;
  }
  get key(): string {
    return this.keys[this.i];
  }
  get at(): { part: P; i: number } {
    return { part: this.part!, i: this.i };
  }
}

export interface SnapshotParty {
  id: string;
  name: string;
  digest: string;
}

/**
 * Walks two releases' parties together in id order (a merge join: each side sorted, one part of each
 * held): `each` gets every id either lists, with what each says of it (null: not listed there).
 */
export async function joinParties(
  before: AsyncIterable<PartiesPart>,
  after: AsyncIterable<PartiesPart>,
  each: (id: string, a: SnapshotParty | null, b: SnapshotParty | null) => void,
): Promise<void> {
  const a = new Cursor(before[Symbol.asyncIterator](), (p: PartiesPart) => p.ids, 'the earlier release');
  const b = new Cursor(after[Symbol.asyncIterator](), (p: PartiesPart) => p.ids, 'the later release');
  const party = (c: Cursor<PartiesPart>): SnapshotParty => {
    const { part, i } = c.at;
    return { id: part.ids[i], name: part.names[i], digest: part.digests[i] };
  };
  let hasA = await a.next();
  let hasB = await b.next();
  while (hasA || hasB) {
    if (hasA && (!hasB || a.key < b.key)) {
      each(a.key, party(a), null);
      hasA = await a.next();
    } else if (hasB && (!hasA || b.key < a.key)) {
      each(b.key, null, party(b));
      hasB = await b.next();
    } else {
      each(a.key, party(a), party(b));
      hasA = await a.next();
      hasB = await b.next();
    }
  }
}

/** How many link keys only the earlier release has, and only the later one (a merge join, as joinParties). */
export async function diffLinkKeys(before: AsyncIterable<string[]>, after: AsyncIterable<string[]>): Promise<{ removed: number; added: number }> {
  const a = new Cursor(before[Symbol.asyncIterator](), (k: string[]) => k, "the earlier release's link keys");
  const b = new Cursor(after[Symbol.asyncIterator](), (k: string[]) => k, "the later release's link keys");
  let removed = 0;
  let added = 0;
  let hasA = await a.next();
  let hasB = await b.next();
  while (hasA || hasB) {
    if (hasA && (!hasB || a.key < b.key)) {
      removed++;
      hasA = await a.next();
    } else if (hasB && (!hasA || b.key < a.key)) {
      added++;
      hasB = await b.next();
    } else {
      hasA = await a.next();
      hasB = await b.next();
    }
  }
  return { removed, added };
}

/**
 * What release `id` says of the parties `ids` (those it lists), or null when no snapshot is kept. Only
 * the parts whose id range holds one of them are read (release-party-lookup); a release stored by an
 * earlier version is read whole, a page at a time.
 */
export async function releasePartiesOf(read: Read, id: string, ids: readonly string[]): Promise<Map<string, SnapshotParty> | null> {
  const meta = await releaseMeta(read, id);
  if (!meta) return null;
  const wanted = new Set(ids);
  const out = new Map<string, SnapshotParty>();
  const take = (p: { ids: string[]; names: string[]; digests: string[] }) =>
    p.ids.forEach((x, i) => {
      if (wanted.has(x)) out.set(x, { id: x, name: p.names[i], digest: p.digests[i] });
    });
  if (wanted.size === 0) return out;
  if (meta.load == null) {
    for await (const p of releaseParties(read, meta)) take(p);
  } else {
    const parts = (await read('release-party-lookup', { id, load: neo4j.int(meta.load), ids: [...wanted] })) as { ids: string[]; names: string[]; digests: string[] }[];
    for (const p of parts) take(p);
  }
  return out;
}

/** The snapshot of release `id` whole (a delta load merges the previous one with its changes), or null when none is kept. */
export async function readRelease(run: Read, id: string, opts: { linkKeys?: boolean } = {}): Promise<StoredRelease | null> {
  const meta = await releaseMeta(run, id);
  if (!meta) return null;
  const out: StoredRelease = { ids: [], names: [], digests: [], linkKeys: [] };
  for await (const p of releaseParties(run, meta)) {
    out.ids.push(...p.ids);
    out.names.push(...p.names);
    out.digests.push(...p.digests);
  }
  if (opts.linkKeys !== false) for await (const k of releaseLinkKeys(run, meta)) out.linkKeys.push(...k);
  return out;
}

/** A whole snapshot's arrays in parts of RELEASE_PART, as a spooled load hands them on (ingest/snapshot.ts). */
export function* partsOf(s: StoredRelease): Generator<ReleasePart> {
  for (let at = 0; at * RELEASE_PART < s.ids.length; at++) {
    const r = [at * RELEASE_PART, (at + 1) * RELEASE_PART] as const;
    yield { kind: 'parties', at, ids: s.ids.slice(...r), names: s.names.slice(...r), digests: s.digests.slice(...r) };
  }
  for (let at = 0; at * RELEASE_PART < s.linkKeys.length; at++) {
    yield { kind: 'linkKeys', at, keys: s.linkKeys.slice(at * RELEASE_PART, (at + 1) * RELEASE_PART) };
  }
}

/** The snapshot of a release held whole (a delta's: the previous release's snapshot with the delta applied). */
export async function releaseSnapshot(run: Read, rel: ParsedRelease, links: LinkKeyRow[], previous: string | null): Promise<StoredRelease> {
  const digests = partyDigests(rel, links);
  const names = new Map(rel.parties.map((p) => [p.id, p.name]));
  let linkKeys = new Set(links.map(linkKey));
  if (rel.mode === 'delta' && previous) {
    const prev = await readRelease(run, releaseId(rel.dataset, previous));
    if (prev) {
      const removed = new Set(rel.removedIds ?? []);
      const merged = new Map<string, [string, string]>();
      prev.ids.forEach((id, i) => {
        if (!removed.has(id)) merged.set(id, [prev.names[i], prev.digests[i]]);
      });
      for (const [id, d] of digests) merged.set(id, [names.get(id)!, d]);
      digests.clear();
      names.clear();
      for (const [id, [n, d]] of merged) {
        digests.set(id, d);
        names.set(id, n);
      }
      const restated = new Set([...links.map((l) => l.sourceId).filter(Boolean), ...removed]);
      linkKeys = new Set([...prev.linkKeys.filter((k) => !restated.has(k)), ...linkKeys]);
    }
  }
  const ids = [...digests.keys()].sort();
  return {
    ids,
    names: ids.map((id) => names.get(id) ?? id),
    digests: ids.map((id) => digests.get(id)!),
    linkKeys: [...linkKeys].sort(),
  };
}
