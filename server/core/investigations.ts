/**
 * Saved investigations: a named canvas (its node ids, where each was drawn, notes on nodes and on
 * links) stored in the database under its own label (LABELS.Investigation), with what is needed to tell,
 * when it is reopened after newer releases are loaded, what changed around it since:
 *
 * - the release of every loaded dataset when it was saved;
 * - a baseline: each party's digest in its dataset's release snapshot (releases.ts: one short hash per
 *   field, so a change says WHICH fields changed) and the links around the canvas (links between
 *   parties with at least one end on it; addresses, identifiers and programs with both ends on it).
 *
 * Reopened, the parties are compared with the snapshots of the releases loaded now (a party no longer in
 * its dataset's release: removed, i.e. delisted; one whose digest differs: modified, with the fields) and
 * the links with the links around the canvas now (added, removed); a party at the far end of an added link
 * that its dataset's saved release did not list is an added party. Saving again records a new baseline:
 * a save says "this is the case as of these releases".
 *
 * An investigation node has no relationships, and every load, purge, cleanup and rollback query matches
 * parties, facts, loads or relationships by label, so no load touches it
 * (test/integration/investigations.int.test.ts loads a newer release over one and reads it back).
 */
import crypto from 'node:crypto';
import neo4j from 'neo4j-driver';
import { BadInputError } from './errors';
import { FACT_REL_TYPES, LINK_TYPES } from './model';
import type { Database } from './neo4j/database';
import { changedFields, releaseId, releasePartiesOf, type SnapshotParty } from './releases';

/** Bounds of one investigation and of the store; each refused with a BAD_USER_INPUT that says which. */
export const INVESTIGATION_LIMITS = {
  /** Nodes on a saved canvas (the explorer's canvas holds more, but a case beyond this is no longer read). */
  nodes: 500,
  nameLength: 200,
  noteLength: 2000,
  /** Notes of one investigation (on nodes and links together). */
  notes: 1000,
  /** Links around a canvas kept in the baseline; beyond them, changes in links are not told (said so). */
  links: 20_000,
  /** Investigations kept in all (the list is read whole). */
  stored: 1000,
  /** Changes of each kind (added, removed, modified, links added, links removed) listed; the summary counts the rest. */
  changesListed: 500,
} as const;

export interface Position {
  id: string;
  x: number;
  y: number;
}

/** A note on a node (`node`) or on a link (`edge`: its key, linkKey below). */
export interface Note {
  node: string | null;
  edge: string | null;
  text: string;
}

export interface DatasetRelease {
  dataset: string;
  release: string;
}

/** A link around the canvas: its ends, type and wording, and the names of its ends (to say it in words once it is gone). */
export interface LinkRecord {
  key: string;
  source: string;
  target: string;
  type: string;
  label: string | null;
  sourceName: string;
  targetName: string;
}

/** A canvas node as saved: its name, and for a listed party its dataset and digest there. */
interface BaselineNode {
  id: string;
  name: string;
  dataset: string | null;
  digest: string | null;
}

interface Baseline {
  nodes: BaselineNode[];
  links: LinkRecord[];
  /** More links were around the canvas than INVESTIGATION_LIMITS.links. */
  truncated: boolean;
}

export interface InvestigationInput {
  /** Absent: a new investigation. */
  id?: string | null;
  name: string;
  nodeIds: readonly string[];
  positions?: readonly Position[] | null;
  notes?: readonly { node?: string | null; edge?: string | null; text: string }[] | null;
}

export interface StoredInvestigation {
  id: string;
  name: string;
  owner: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
  nodeIds: string[];
  positions: Position[];
  notes: Note[];
  releases: DatasetRelease[];
  baseline: Baseline;
}

export interface PartyChange {
  id: string;
  name: string;
  dataset: string | null;
  /** For a modified party, the fields that changed (releases.ts RELEASE_FIELDS). */
  fields: string[];
  /** Why, in words. */
  reason: string;
}

export interface InvestigationChanges {
  since: DatasetRelease[];
  now: DatasetRelease[];
  added: PartyChange[];
  removed: PartyChange[];
  modified: PartyChange[];
  linksAdded: LinkRecord[];
  linksRemoved: LinkRecord[];
  /** Every change in words, one line each (parties first, then links). */
  summary: string[];
}

/** A link's identity across loads (relationships are rewritten by loads, so not their element ids). */
export function linkKey(l: { source: string; target: string; type: string; label: string | null }): string {
  return `${l.source}|${l.type}|${l.target}|${l.label ?? ''}`;
}

const ID_RE = /^[\w.:@-]{1,200}$/;

/** Checks an input and returns it cleaned (trimmed name, unique ids, notes only on what is there). */
export function checkInput(input: InvestigationInput): { name: string; nodeIds: string[]; positions: Position[]; notes: Note[] } {
  const L = INVESTIGATION_LIMITS;
  const name = input.name.trim();
  if (name === '') throw new BadInputError('name must not be empty');
  if (name.length > L.nameLength) throw new BadInputError(`name must be at most ${L.nameLength} characters (it has ${name.length})`);
  const nodeIds = [...new Set(input.nodeIds)];
  if (nodeIds.length === 0) throw new BadInputError('nodeIds must name at least one node: an investigation is a canvas');
  if (nodeIds.length > L.nodes) throw new BadInputError(`an investigation holds at most ${L.nodes} nodes; this one has ${nodeIds.length}`);
  const badId = nodeIds.find((id) => !ID_RE.test(id));
  if (badId !== undefined) throw new BadInputError(`nodeIds: ${JSON.stringify(badId.slice(0, 60))} is not a node id`);
  const onCanvas = new Set(nodeIds);
  const positions: Position[] = [];
  for (const [i, p] of (input.positions ?? []).entries()) {
    if (!onCanvas.has(p.id)) throw new BadInputError(`positions[${i}]: ${p.id} is not among nodeIds`);
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y) || Math.abs(p.x) > 1e7 || Math.abs(p.y) > 1e7) {
      throw new BadInputError(`positions[${i}] (${p.id}): x and y must be finite numbers within ±10,000,000`);
    }
    positions.push({ id: p.id, x: p.x, y: p.y });
  }
  const notes: Note[] = [];
  const given = input.notes ?? [];
  if (given.length > L.notes) throw new BadInputError(`an investigation holds at most ${L.notes} notes; this one has ${given.length}`);
  for (const [i, n] of given.entries()) {
    const node = n.node ?? null;
    const edge = n.edge ?? null;
    if ((node === null) === (edge === null)) throw new BadInputError(`notes[${i}]: give either node (a node id) or edge (a link key), not both or neither`);
    if (node !== null && !onCanvas.has(node)) throw new BadInputError(`notes[${i}]: node ${node} is not among nodeIds`);
    if (edge !== null) {
      const [source, , target] = edge.split('|');
      if (edge.split('|').length < 4 || !onCanvas.has(source) || !onCanvas.has(target)) {
        throw new BadInputError(`notes[${i}]: edge must be a link key "source|TYPE|target|label" (InvestigationLink.key) between two nodes of nodeIds`);
      }
    }
    const text = n.text.trim();
    if (text === '') throw new BadInputError(`notes[${i}]: text must not be empty (leave the note out to delete it)`);
    if (text.length > L.noteLength) throw new BadInputError(`notes[${i}]: text must be at most ${L.noteLength} characters (it has ${text.length})`);
    notes.push({ node, edge, text });
  }
  return { name, nodeIds, positions, notes };
}

interface NodeRow {
  id: string;
  name: string;
  party: boolean;
  datasets: string[];
  formerDatasets: string[];
  delistedOn: string | null;
}


/**
 * What release snapshots say of the parties a comparison asks about: asked for all at once per release
 * (want, then load), only the parts holding them are read (releases.ts releasePartiesOf).
 */
class Snapshots {
  private readonly wanted = new Map<string, Set<string>>();
  private readonly got = new Map<string, Map<string, SnapshotParty> | null>();
  constructor(private readonly db: Database) {}

  /** Party `id` will be asked of release `release` of `dataset`. */
  want(dataset: string, release: string, id: string): void {
    const key = releaseId(dataset, release);
    const ids = this.wanted.get(key) ?? new Set<string>();
    ids.add(id);
    this.wanted.set(key, ids);
  }

  /** Reads what was wanted. */
  async load(): Promise<void> {
    for (const [key, ids] of this.wanted) {
      if (!this.got.has(key)) this.got.set(key, await releasePartiesOf((name, params) => this.db.read(name, params), key, [...ids]));
    }
  }

  /** What the release says of the parties wanted of it (null: no snapshot of it is kept, a load by an older version). */
  of(dataset: string, release: string): Map<string, SnapshotParty> | null {
    const got = this.got.get(releaseId(dataset, release));
    if (got === undefined) throw new Error(`release ${releaseId(dataset, release)} was not loaded for this comparison`);
    return got;
  }
}

async function releasesNow(db: Database): Promise<DatasetRelease[]> {
  return db.read<DatasetRelease & Record<string, unknown>>('investigation-releases', {});
}

async function linksAround(db: Database, ids: readonly string[]): Promise<{ links: LinkRecord[]; truncated: boolean }> {
  const rows = await db.read<Omit<LinkRecord, 'key'> & Record<string, unknown>>('investigation-links', {
    ids: [...ids],
    linkTypes: LINK_TYPES,
    factTypes: FACT_REL_TYPES,
    max: neo4j.int(INVESTIGATION_LIMITS.links + 1),
  });
  const truncated = rows.length > INVESTIGATION_LIMITS.links;
  const byKey = new Map<string, LinkRecord>();
  for (const r of rows.slice(0, INVESTIGATION_LIMITS.links)) {
    const l = { key: linkKey(r), source: r.source, target: r.target, type: r.type, label: r.label ?? null, sourceName: r.sourceName, targetName: r.targetName };
    byKey.set(l.key, l);
  }
  return { links: [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), truncated };
}

/** The dataset whose release snapshot holds a party's digest: the first that lists it (by name, for a stable choice). */
function datasetOf(n: NodeRow, releases: DatasetRelease[]): string | null {
  const loaded = new Set(releases.map((r) => r.dataset));
  return [...n.datasets].sort().find((d) => loaded.has(d)) ?? null;
}

async function baselineOf(db: Database, nodeIds: readonly string[], releases: DatasetRelease[]): Promise<Baseline> {
  const nodes = await db.read<NodeRow & Record<string, unknown>>('investigation-nodes', { ids: [...nodeIds] });
  const snapshots = new Snapshots(db);
  const releaseOf = new Map(releases.map((r) => [r.dataset, r.release]));
  const out: BaselineNode[] = [];
  const datasetOfNode = new Map(nodes.map((n) => [n.id, n.party ? datasetOf(n, releases) : null]));
  for (const n of nodes) {
    const dataset = datasetOfNode.get(n.id);
    if (dataset) snapshots.want(dataset, releaseOf.get(dataset)!, n.id);
  }
  await snapshots.load();
  for (const n of nodes) {
    const dataset = datasetOfNode.get(n.id) ?? null;
    const snap = dataset ? snapshots.of(dataset, releaseOf.get(dataset)!) : null;
    out.push({ id: n.id, name: n.name, dataset: snap ? dataset : null, digest: snap?.get(n.id)?.digest ?? null });
  }
  const { links, truncated } = await linksAround(db, nodeIds);
  return { nodes: out, links, truncated };
}

interface StoredRow {
  i: Record<string, unknown>;
}

function fromRow(r: Record<string, unknown>): StoredInvestigation {
  const json = <T>(v: unknown, dflt: T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : dflt);
  return {
    id: r.id as string,
    name: r.name as string,
    owner: r.owner as string,
    updatedBy: (r.updatedBy as string) ?? (r.owner as string),
    createdAt: r.createdAt as string,
    updatedAt: r.updatedAt as string,
    nodeIds: (r.nodeIds as string[]) ?? [],
    positions: json<Position[]>(r.positions, []),
    notes: json<Note[]>(r.notes, []),
    releases: json<DatasetRelease[]>(r.releases, []),
    baseline: json<Baseline>(r.baseline, { nodes: [], links: [], truncated: false }),
  };
}

/**
 * Saves an investigation (a new one when `input.id` is absent) under `by` (the API key's owner; the
 * first saver stays its owner), with a new baseline: the releases loaded now and the canvas as it is now.
 */
export async function saveInvestigation(db: Database, input: InvestigationInput, by: string): Promise<StoredInvestigation> {
  const clean = checkInput(input);
  const update = input.id != null;
  if (!update) {
    const [{ n }] = await db.read<{ n: number }>('investigation-count', {});
    if (n >= INVESTIGATION_LIMITS.stored) throw new BadInputError(`${n} investigations are saved, the most this server keeps; delete some first`);
  }
  const releases = await releasesNow(db);
  const baseline = await baselineOf(db, clean.nodeIds, releases);
  const [row] = await db.write<StoredRow & Record<string, unknown>>(update ? 'investigation-update' : 'investigation-create', {
    id: input.id ?? `inv-${crypto.randomUUID()}`,
    name: clean.name,
    nodeIds: clean.nodeIds,
    positions: JSON.stringify(clean.positions),
    notes: JSON.stringify(clean.notes),
    releases: JSON.stringify(releases),
    baseline: JSON.stringify(baseline),
    by,
    at: new Date().toISOString(),
  });
  if (!row) throw new BadInputError(`no saved investigation ${JSON.stringify(input.id)}; leave id out to save a new one`);
  return fromRow(row.i);
}

export async function getInvestigation(db: Database, id: string): Promise<StoredInvestigation | null> {
  const [row] = await db.read<StoredRow & Record<string, unknown>>('investigation-get', { id });
  return row ? fromRow(row.i) : null;
}

export async function listInvestigations(db: Database): Promise<StoredInvestigation[]> {
  const rows = await db.read<StoredRow & Record<string, unknown>>('investigation-list', { max: neo4j.int(INVESTIGATION_LIMITS.stored) });
  return rows.map((r) => fromRow(r.i));
}

/** Deletes one; false when there was none of that id. */
export async function deleteInvestigation(db: Database, id: string): Promise<boolean> {
  const [row] = await db.write<{ deleted: number }>('investigation-delete', { id });
  return (row?.deleted ?? 0) > 0;
}

const said = (l: LinkRecord) => `${l.sourceName} (${l.source}) ${l.type.toLowerCase().replace(/_/g, ' ')}${l.label ? ` “${l.label}”` : ''} ${l.targetName} (${l.target})`;

/**
 * What changed around a saved investigation since it was saved: compared with the releases loaded now
 * and the links around its canvas now (see the top of this file).
 */
export async function investigationChanges(db: Database, inv: StoredInvestigation): Promise<InvestigationChanges> {
  const now = await releasesNow(db);
  const nowOf = new Map(now.map((r) => [r.dataset, r.release]));
  const sinceOf = new Map(inv.releases.map((r) => [r.dataset, r.release]));
  const snapshots = new Snapshots(db);
  const current = new Map((await db.read<NodeRow & Record<string, unknown>>('investigation-nodes', { ids: inv.nodeIds })).map((n) => [n.id, n]));
  const removed: PartyChange[] = [];
  const modified: PartyChange[] = [];
  const notes: string[] = [];

  for (const b of inv.baseline.nodes) {
    const to = b.dataset ? nowOf.get(b.dataset) : undefined;
    if (current.has(b.id) && b.dataset && b.digest && to && to !== sinceOf.get(b.dataset)) snapshots.want(b.dataset, to, b.id);
  }
  await snapshots.load();
  for (const b of inv.baseline.nodes) {
    if (!current.has(b.id)) {
      removed.push({ id: b.id, name: b.name, dataset: b.dataset, fields: [], reason: 'no longer in the data' });
      continue;
    }
    if (!b.dataset || !b.digest) continue;
    const to = nowOf.get(b.dataset);
    const from = sinceOf.get(b.dataset);
    if (!to) {
      removed.push({ id: b.id, name: b.name, dataset: b.dataset, fields: [], reason: `${b.dataset} is no longer loaded` });
      continue;
    }
    if (to === from) continue; // the same release: nothing of this party can have changed
    const snap = snapshots.of(b.dataset, to);
    if (!snap) {
      notes.push(`${b.dataset} ${to} was loaded by a version that kept no snapshot of it: its parties cannot be compared (load it again).`);
      continue;
    }
    const there = snap.get(b.id);
    if (!there) removed.push({ id: b.id, name: b.name, dataset: b.dataset, fields: [], reason: `delisted from ${b.dataset} in ${to}` });
    else if (there.digest !== b.digest) {
      const fields = changedFields(b.digest, there.digest);
      modified.push({ id: b.id, name: there.name, dataset: b.dataset, fields, reason: `${fields.join(', ')} changed in ${b.dataset} ${to}` });
    }
  }

  const { links, truncated } = await linksAround(db, inv.nodeIds);
  const before = new Set(inv.baseline.links.map((l) => l.key));
  const after = new Set(links.map((l) => l.key));
  const linksAdded = links.filter((l) => !before.has(l.key));
  const linksRemoved = inv.baseline.links.filter((l) => !after.has(l.key));
  if (truncated || inv.baseline.truncated) notes.push(`More than ${INVESTIGATION_LIMITS.links} links are around this canvas: changes in links beyond them are not told.`);

  // Parties at the far end of an added link that their dataset's saved release did not list.
  const onCanvas = new Set(inv.nodeIds);
  const far = [...new Set(linksAdded.flatMap((l) => [l.source, l.target]).filter((id) => !onCanvas.has(id)))];
  const added: PartyChange[] = [];
  if (far.length) {
    const farNodes = (await db.read<NodeRow & Record<string, unknown>>('investigation-nodes', { ids: far })).filter((n) => n.party);
    for (const n of farNodes) {
      const dataset = datasetOf(n, now);
      const from = dataset ? sinceOf.get(dataset) : undefined;
      if (dataset && from) snapshots.want(dataset, from, n.id);
    }
    await snapshots.load();
    for (const n of farNodes) {
      const dataset = datasetOf(n, now);
      if (!dataset) continue;
      const from = sinceOf.get(dataset);
      const listedBefore = from ? snapshots.of(dataset, from)?.has(n.id) : false;
      if (listedBefore !== false) continue; // listed then (or no snapshot to tell): a new link, not a new party
      const via = linksAdded.find((l) => l.source === n.id || l.target === n.id)!;
      const to = via.source === n.id ? via.targetName : via.sourceName;
      added.push({ id: n.id, name: n.name, dataset, fields: [], reason: `listed in ${dataset} ${nowOf.get(dataset)}, linked to ${to}` });
    }
  }

  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  added.sort(byId);
  removed.sort(byId);
  modified.sort(byId);
  const newer = now.filter((r) => sinceOf.get(r.dataset) !== r.release);
  // Each kind listed up to a bound (a case around a hub can see thousands of links come); the rest counted.
  const max = INVESTIGATION_LIMITS.changesListed;
  const lines = <T>(xs: T[], say: (x: T) => string, what: string) => [...xs.slice(0, max).map(say), ...(xs.length > max ? [`… and ${xs.length - max} more ${what}.`] : [])];
  const summary = [
    ...(newer.length
      ? [`Since it was saved: ${newer.map((r) => `${r.dataset} ${sinceOf.get(r.dataset) ?? '(not loaded then)'} → ${r.release}`).join('; ')}.`]
      : ['The same releases are loaded as when it was saved.']),
    ...lines(added, (p) => `Added: ${p.name} (${p.id}), ${p.reason}.`, 'parties added'),
    ...lines(removed, (p) => `Removed: ${p.name} (${p.id}), ${p.reason}.`, 'parties removed'),
    ...lines(modified, (p) => `Modified: ${p.name} (${p.id}), ${p.reason}.`, 'parties modified'),
    ...lines(linksAdded, (l) => `Link added: ${said(l)}.`, 'links added'),
    ...lines(linksRemoved, (l) => `Link removed: ${said(l)}.`, 'links removed'),
    ...notes,
  ];
  if (!added.length && !removed.length && !modified.length && !linksAdded.length && !linksRemoved.length) summary.push('Nothing changed around the canvas.');
  const cut = <T>(xs: T[]) => xs.slice(0, max);
  return { since: inv.releases, now, added: cut(added), removed: cut(removed), modified: cut(modified), linksAdded: cut(linksAdded), linksRemoved: cut(linksRemoved), summary };
}
