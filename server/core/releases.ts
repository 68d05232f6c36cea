/**
 * Release snapshots, for "what changed": each load stores which parties the release lists, their names
 * and a digest of each party's fields (one short hash per field, so a change can say WHICH fields
 * changed), and the keys of the release's links. A delta release's snapshot is the previous release's
 * with the delta applied, so it too describes the whole list as of that date.
 */
import crypto from 'node:crypto';
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
  return crypto.createHash('sha1').update(JSON.stringify(value)).digest('base64url').slice(0, 8);
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

export function partyDigests(rel: ParsedRelease, links: LinkKeyRow[]): Map<string, string> {
  const addresses = new Map<string, string[]>();
  for (const a of rel.addresses) addresses.set(a.partyId, [...(addresses.get(a.partyId) ?? []), a.address.key]);
  const identifiers = new Map<string, string[]>();
  for (const i of rel.identifiers) identifiers.set(i.partyId, [...(identifiers.get(i.partyId) ?? []), i.identifier.key]);
  const byParty = new Map<string, string[]>();
  for (const l of links) {
    for (const end of [l.from, l.to]) byParty.set(end, [...(byParty.get(end) ?? []), linkKey(l)]);
  }
  const out = new Map<string, string>();
  for (const p of rel.parties) {
    const fields: Record<(typeof RELEASE_FIELDS)[number], unknown> = {
      name: p.name,
      kind: p.kind,
      aliases: sorted(p.aliases.map((a) => `${a.type}|${a.quality ?? ''}|${a.name}`)),
      programs: sorted(p.programs),
      birthDates: sorted(p.birthDates),
      nationalities: sorted([...p.nationalities, ...p.citizenships]),
      addresses: sorted(addresses.get(p.id) ?? []),
      identifiers: sorted(identifiers.get(p.id) ?? []),
      links: sorted(byParty.get(p.id) ?? []),
      remarks: p.remarks ?? '',
      listedOn: p.listedOn ?? '',
      details: details(p),
    };
    out.set(p.id, RELEASE_FIELDS.map((f) => h(fields[f])).join(','));
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

/** Parameters of ingest-release for this load (reads the previous snapshot for a delta). */
export async function releaseSnapshot(run: Run, rel: ParsedRelease, links: LinkKeyRow[], previous: string | null): Promise<Params> {
  const digests = partyDigests(rel, links);
  const names = new Map(rel.parties.map((p) => [p.id, p.name]));
  let linkKeys = new Set(links.map(linkKey));
  if (rel.mode === 'delta' && previous) {
    const [prev] = (await run('release-get', { id: releaseId(rel.dataset, previous) })) as { ids: string[]; names: string[]; digests: string[]; linkKeys: string[] }[];
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
