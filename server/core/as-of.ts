/**
 * Reads "as of a date" (`asOf: "YYYY-MM-DD"` on entity, neighborhood and paths): the network as the
 * loaded releases stood on that date. For each dataset, the last committed load whose release is on or
 * before the date (loads in the order they ran: a release loaded again later counts at its later load),
 * and every load of that dataset before it, are the loads the date sees; a node or relationship is
 * visible when a load it sees added it and none it sees removed it (database.ts visibleAsOf). What a
 * load replaced is kept as history when it is purged (cypher/load-purge-rels.cypher), so the loads'
 * relationships and facts are there to be read; a party's own fields are today's, its delisting shows
 * only if it happened by the date.
 */
import { BadInputError } from './errors';
import { Database, Params, type LoadSnapshot } from './neo4j/database';
import type { RecordShape } from 'neo4j-driver';

/** The loads a date sees (visibleAsOf's `$asOfLoads`) and the date. */
export interface AsOfCut {
  date: string;
  loads: number[];
}

/** Today's date, UTC, as YYYY-MM-DD. */
const today = () => new Date().toISOString().slice(0, 10);

/** `value` as a YYYY-MM-DD date that exists, or BAD_USER_INPUT naming `field`. */
export function parseAsOf(value: string, field = 'asOf'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  if (!m || !d || d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    throw new BadInputError(`${field} must be a date written YYYY-MM-DD (e.g. 2024-04-30), got ${JSON.stringify(value)}`);
  }
  return value;
}

interface LoadRow {
  seq: number;
  dataset: string;
  release: string;
}

/**
 * The loads `date` sees, among the committed loads `snap` sees; null when that is every one of them
 * (the date is on or after every loaded release, or in the future): the read is today's, unchanged.
 * A date before every loaded release is refused (BAD_USER_INPUT naming `field`): nothing was loaded as
 * of then, and an empty answer would look like "not listed".
 */
export function cutOf(date: string, loads: readonly LoadRow[], snap: Pick<LoadSnapshot, 'seq' | 'hidden'>, field = 'asOf'): AsOfCut | null {
  const seen = loads.filter((l) => l.seq <= snap.seq && !snap.hidden.includes(l.seq));
  if (date >= today() || seen.length === 0) return null;
  const releaseOf = (l: LoadRow) => String(l.release).slice(0, 10);
  const last = new Map<string, number>();
  for (const l of seen) if (releaseOf(l) <= date) last.set(l.dataset, Math.max(last.get(l.dataset) ?? 0, l.seq));
  if (last.size === 0) {
    const first = seen.reduce((a, b) => (releaseOf(b) < releaseOf(a) ? b : a));
    throw new BadInputError(
      `${field} ${date} is before the first loaded release (${first.dataset} ${releaseOf(first)}): nothing was loaded as of then`,
    );
  }
  const included = seen.filter((l) => l.seq <= (last.get(l.dataset) ?? -1)).map((l) => l.seq);
  if (included.length === seen.length) return null;
  return { date, loads: [0, ...included] };
}

/** The cut of `asOf` (validated) against what `db`'s reader sees; null: read as of today. */
export async function resolveAsOf(db: Database, asOf: string, field = 'asOf'): Promise<AsOfCut | null> {
  const date = parseAsOf(asOf, field);
  const snap = await db.snapshot();
  const loads = await db.read<LoadRow & RecordShape>('as-of-loads', {});
  return cutOf(date, loads, snap, field);
}

/**
 * `db` whose reads read as of the cut (database.ts: each query's as-of text, `$asOfLoads`, `$asOfDate`),
 * with the request's one snapshot. Reads of history are never unfiltered.
 */
export function atDate(db: Database, cut: AsOfCut): Database {
  const view = Object.create(db) as Database;
  view.snapshot = async () => ({ ...(await db.snapshot()), clean: false, asOfLoads: cut.loads, asOfDate: cut.date });
  view.read = async <T extends RecordShape = RecordShape>(name: string, params: Params = {}, timeoutMs?: number, slots?: Record<string, string | number>): Promise<T[]> => {
    if (params.hidden === undefined) params = { ...params, ...(await view.snapshot()) };
    return db.read<T>(name, params, timeoutMs, slots);
  };
  return view;
}
