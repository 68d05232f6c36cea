/**
 * Datasets and their releases: what is loaded (Query.datasets, also /healthz) and what changed between
 * two releases of a dataset (Query.changes, its parties in pages), from the release snapshots stored by
 * each load.
 */
import { BadInputError } from '../core/errors';
import { Database } from '../core/neo4j/database';
import type { Params } from '../core/neo4j/database';
import { changedFields, diffLinkKeys, joinParties, releaseId, releaseLinkKeys, releaseMeta, releaseParties, type ReleaseMeta } from '../core/releases';
import type { ChangeSet, Dataset, EntityChange, Resolvers } from './generated/graphql';
import { requestDb } from './request';
import { intIn, LIMITS } from './validate';

export type { ChangeSet, Dataset, EntityChange };

export async function datasets(db: Database, timeoutMs?: number): Promise<Dataset[]> {
  return db.read<Dataset & Record<string, unknown>>('api-datasets', {}, timeoutMs);
}

/**
 * What changed in a dataset between two of its loaded releases: parties added, removed and modified
 * (with the fields that changed), and how many links came and went. `to` defaults to the latest
 * release, `from` to the one before `to`. The two snapshots are walked together in id order, a page of
 * parts of each at a time (releases.ts joinParties): what is held is the changes, not the releases.
 */
export async function changes(db: Database, args: { dataset: string; from?: string | null; to?: string | null }): Promise<ChangeSet> {
  const [d] = await db.read<{ name: string | null; releases: string[] }>('dataset-get', { dataset: args.dataset });
  if (!d?.name) throw new BadInputError(`no dataset ${JSON.stringify(args.dataset)} is loaded; see the datasets query`);
  const releases = [...d.releases].sort();
  const known = (r: string) => {
    if (!releases.includes(r)) throw new BadInputError(`${args.dataset} has no loaded release ${r}; loaded: ${releases.join(', ')}`);
    return r;
  };
  const to = args.to ? known(args.to) : releases[releases.length - 1];
  const from = args.from ? known(args.from) : (releases.filter((r) => r < to).pop() ?? null);
  if (from && from >= to) throw new BadInputError(`from (${from}) must be an earlier release than to (${to})`);
  const read = (name: string, params: Params) => db.read(name, params);
  const snapshot = async (release: string): Promise<ReleaseMeta> => {
    const meta = await releaseMeta(read, releaseId(args.dataset, release));
    if (!meta) throw new BadInputError(`release ${release} of ${args.dataset} was loaded by an earlier version that kept no snapshot of it; load it again to compare`);
    return meta;
  };
  const b = await snapshot(to);
  const a = from ? await snapshot(from) : null;
  const none = (async function* () {})();
  const added: EntityChange[] = [];
  const modified: EntityChange[] = [];
  const removed: EntityChange[] = [];
  await joinParties(a ? releaseParties(read, a) : none, releaseParties(read, b), (id, before, after) => {
    if (!before) added.push({ id, name: after!.name, fields: [] });
    else if (!after) removed.push({ id, name: before.name, fields: [] });
    else if (before.digest !== after.digest) modified.push({ id, name: after.name, fields: changedFields(before.digest, after.digest) });
  });
  const links = await diffLinkKeys(a ? releaseLinkKeys(read, a) : (async function* () {})(), releaseLinkKeys(read, b));
  return {
    dataset: args.dataset,
    from,
    to,
    // Whole, in id order (the walk's): ChangeSet.added (removed, modified) pages them.
    added,
    removed,
    modified,
    addedCount: added.length,
    removedCount: removed.length,
    modifiedCount: modified.length,
    linksAdded: links.added,
    linksRemoved: links.removed,
  };
}

/** One page of changed parties (sorted by id): `first` of them after the id `after`. */
export function changesPage(all: readonly EntityChange[], args: { first?: number | null; after?: string | null }): EntityChange[] {
  const first = intIn('first', args.first ?? LIMITS.changesFirst, 1, LIMITS.changesFirst);
  let start = 0;
  if (args.after != null) {
    // The first id after `after` (binary search: the list is sorted by id).
    let hi = all.length;
    while (start < hi) {
      const mid = (start + hi) >>> 1;
      if (all[mid].id <= args.after) start = mid + 1;
      else hi = mid;
    }
  }
  return all.slice(start, start + first);
}

export const releaseResolvers: Resolvers = {
  Query: {
    datasets: (_parent, _args, ctx) => datasets(requestDb(ctx)),
    changes: (_parent, args, ctx) => changes(requestDb(ctx), args),
  },
  ChangeSet: {
    added: (set, args) => changesPage(set.added, args),
    removed: (set, args) => changesPage(set.removed, args),
    modified: (set, args) => changesPage(set.modified, args),
  },
};
