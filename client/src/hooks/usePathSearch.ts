/**
 * The path search of the Paths panel: the query, the paths found, which one is highlighted, and running
 * it through the API. What the paths add to the canvas is the caller's (onFound).
 */
import { useRef, useState } from 'react';
import * as api from '../api';
import type { PathQuery } from '../components/PathPanel';
import { DEFAULT_PATH_REL_TYPES, EVIDENCE_WEIGHTS } from '../../../server/core/model';

/** Paths through a shared program connect thousands of parties and say little: left out unless asked for. */
export const DEFAULT_PATH_QUERY: PathQuery = { from: null, to: null, mode: 'ALL_SHORTEST', rank: 'HOPS', maxHops: 4, limit: 10, types: DEFAULT_PATH_REL_TYPES, avoid: [] };

export interface PathSearch {
  query: PathQuery;
  setQuery(q: PathQuery): void;
  /** null: no search run (or cleared); [] : none found. */
  results: api.Path[] | null;
  active: number;
  setActive(i: number): void;
  busy: boolean;
  error: string | null;
  /** Runs a query (by default the current one). */
  run(q?: PathQuery): Promise<void>;
  /** Changes the query by `patch` and runs it. */
  retry(patch: Partial<PathQuery>): void;
  /** Sets the ends, mode and hops of a shared link, keeping the rest of the query, and runs it. */
  restore(p: Pick<PathQuery, 'from' | 'to' | 'mode' | 'maxHops' | 'rank'>): void;
  clear(): void;
  /** Forgets the results (a new investigation). */
  reset(): void;
}

/**
 * onFound: what to do with the paths found (put them on the canvas); onNone: when there is none, what to
 * do with the two ends (put them on the canvas, so the user sees both and can expand them).
 */
export function usePathSearch(onFound: (paths: api.Path[]) => Promise<void>, onNone: (ids: string[]) => Promise<unknown>): PathSearch {
  const [query, setQuery] = useState<PathQuery>(DEFAULT_PATH_QUERY);
  const [results, setResults] = useState<api.Path[] | null>(null);
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const queryRef = useRef(query);
  queryRef.current = query;

  const run = async (q: PathQuery = queryRef.current) => {
    if (!q.from || !q.to) return;
    const evidence = q.rank === 'EVIDENCE';
    // Ranked by evidence, a shared program is no connection (weight 0): the panel says it is not followed.
    const types = evidence ? q.types.filter((t) => t in EVIDENCE_WEIGHTS && EVIDENCE_WEIGHTS[t as keyof typeof EVIDENCE_WEIGHTS] > 0) : q.types;
    if (q.types.length > 0 && types.length === 0) {
      setError('Ranked by evidence, shared programs are no connection: choose another relationship type.');
      setResults(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const found = await api.paths({
        from: q.from.id,
        to: q.to.id,
        // Ranked by evidence, the mode is not asked: up to `limit` strongest paths.
        mode: evidence ? 'K_SHORTEST' : q.mode,
        rank: q.rank,
        maxHops: q.maxHops,
        limit: !evidence && q.mode === 'SHORTEST' ? 1 : q.limit,
        relationTypes: types,
        excludeIds: q.avoid.map((a) => a.id),
      });
      setResults(found);
      setActive(0);
      if (found.length) await onFound(found);
      else await onNone([q.from.id, q.to.id]);
    } catch (e) {
      setError(api.describeError(e));
      setResults(null);
    } finally {
      setBusy(false);
    }
  };

  return {
    query,
    setQuery,
    results,
    active,
    setActive,
    busy,
    error,
    run,
    restore: (p) => {
      const q: PathQuery = { ...queryRef.current, ...p };
      setQuery(q);
      void run(q);
    },
    retry: (patch) => {
      const q: PathQuery = { ...queryRef.current, ...patch };
      setQuery(q);
      void run(q);
    },
    clear: () => {
      setResults(null);
      setError(null);
    },
    reset: () => setResults(null),
  };
}
