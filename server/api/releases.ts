/**
 * Datasets and their releases: what is loaded (Query.datasets, also /healthz) and what changed between
 * two releases of a dataset (Query.changes), from the release snapshots stored by each load.
 */
import { BadInputError } from '../core/errors';
import { Database } from '../core/neo4j/database';
import { changedFields, releaseId } from '../core/releases';
import { dbOf } from './context';
import type { ChangeSet, Dataset, EntityChange, Resolvers } from './generated/graphql';

export type { ChangeSet, Dataset, EntityChange };

export async function datasets(db: Database, timeoutMs?: number): Promise<Dataset[]> {
  return db.read<Dataset & Record<string, unknown>>('api-datasets', {}, timeoutMs);
}

interface ReleaseRow {
  ids: string[];
  names: string[];
  digests: string[];
  linkKeys: string[];
}

/**
 * What changed in a dataset between two of its loaded releases: parties added, removed and modified
 * (with the fields that changed), and how many links came and went. `to` defaults to the latest
 * release, `from` to the one before `to`.
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
  const snapshot = async (release: string): Promise<ReleaseRow> => {
    const [row] = await db.read<ReleaseRow>('release-get', { id: releaseId(args.dataset, release) });
    if (!row) throw new BadInputError(`release ${release} of ${args.dataset} was loaded by an earlier version that kept no snapshot of it; load it again to compare`);
    return row;
  };
  const b = await snapshot(to);
  const a: ReleaseRow = from ? await snapshot(from) : { ids: [], names: [], digests: [], linkKeys: [] };
  const before = new Map(a.ids.map((id, i) => [id, i]));
  const after = new Map(b.ids.map((id, i) => [id, i]));
  const added: EntityChange[] = [];
  const modified: EntityChange[] = [];
  b.ids.forEach((id, i) => {
    const j = before.get(id);
    if (j === undefined) added.push({ id, name: b.names[i], fields: [] });
    else if (a.digests[j] !== b.digests[i]) modified.push({ id, name: b.names[i], fields: changedFields(a.digests[j], b.digests[i]) });
  });
  const removed = a.ids.flatMap((id, i) => (after.has(id) ? [] : [{ id, name: a.names[i], fields: [] }]));
  const aLinks = new Set(a.linkKeys);
  const bLinks = new Set(b.linkKeys);
  return {
    dataset: args.dataset,
    from,
    to,
    added,
    removed,
    modified,
    linksAdded: b.linkKeys.filter((k) => !aLinks.has(k)).length,
    linksRemoved: a.linkKeys.filter((k) => !bLinks.has(k)).length,
  };
}

export const releaseResolvers: Resolvers = {
  Query: {
    datasets: (_parent, _args, ctx) => datasets(dbOf(ctx)),
    changes: (_parent, args, ctx) => changes(dbOf(ctx), args),
  },
};
