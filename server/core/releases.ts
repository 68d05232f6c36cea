/**
 * Release snapshots, for "what changed": each load stores which parties the release lists, their names
 * and a digest of each party's fields (one short hash per field, so a change can say WHICH fields
 * changed), and the keys of the release's links. A delta release's snapshot is the previous release's
 * with the delta applied, so it too describes the whole list as of that date.
 */
import crypto from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { ParsedRelease, PartyRecord } from './model';
import type { Params, TxRun as Run } from './neo4j/database';

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

/** Parties (or link keys) per row when a release snapshot is read: see cypher/release-parties.cypher. */
const RELEASE_PART = 2000;

/**
 * The snapshot of release `id` (dataset@date), or null when none is kept (a load by an older version).
 * Read in parts of RELEASE_PART (release-parties, release-link-keys): neo4j-driver decodes one large
 * record a byte at a time; `linkKeys: false` skips the link keys (left empty).
 */
export async function readRelease(run: (name: string, params: Params) => Promise<unknown[]>, id: string, opts: { linkKeys?: boolean } = {}): Promise<StoredRelease | null> {
  const [meta] = await run('release-get', { id });
  if (!meta) return null;
  const part = neo4j.int(RELEASE_PART);
  const parts = (await run('release-parties', { id, part })) as { ids: string[]; names: string[]; digests: string[] }[];
  const keys = opts.linkKeys === false ? [] : ((await run('release-link-keys', { id, part })) as { keys: string[] }[]);
  return {
    ids: parts.flatMap((p) => p.ids),
    names: parts.flatMap((p) => p.names),
    digests: parts.flatMap((p) => p.digests),
    linkKeys: keys.flatMap((k) => k.keys),
  };
}

/** Parameters of ingest-release for this load (reads the previous snapshot for a delta). */
export async function releaseSnapshot(run: Run, rel: ParsedRelease, links: LinkKeyRow[], previous: string | null): Promise<Params> {
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
    id: releaseId(rel.dataset, rel.release),
    dataset: rel.dataset,
    release: rel.release,
    ids,
    names: ids.map((id) => names.get(id) ?? id),
    digests: ids.map((id) => digests.get(id)!),
    linkKeys: [...linkKeys].sort(),
  };
}
