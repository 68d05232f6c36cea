/**
 * The path search of the Paths panel: the query, the paths found, which one is highlighted, and running
 * it through the API. What the paths add to the canvas is the caller's (onFound).
 */
import { useRef, useState } from 'react';
import * as api from '../api';
import type { PathQuery } from '../components/PathPanel';
import { DEFAULT_PATH_REL_TYPES } from '../../../server/core/model';

/** Paths through a shared program connect thousands of parties and say little: left out unless asked for. */
export const DEFAULT_PATH_QUERY: PathQuery = { from: null, to: null, mode: 'ALL_SHORTEST', maxHops: 4, limit: 10, types: DEFAULT_PATH_REL_TYPES, avoid: [] };

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
  restore(p: Pick<PathQuery, 'from' | 'to' | 'mode' | 'maxHops'>): void;
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
    setBusy(true);
    setError(null);
    try {
      const found = await api.paths({
        from: q.from.id,
        to: q.to.id,
        mode: q.mode,
        maxHops: q.maxHops,
        limit: q.mode === 'SHORTEST' ? 1 : q.limit,
        relationTypes: q.types,
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
