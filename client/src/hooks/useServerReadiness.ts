/**
 * Is the server ready? While it loads its data it answers 503 with the reason (/healthz says which);
 * polls every few seconds until the datasets come back. `datasets` is null until then.
 */
import { useEffect, useState } from 'react';
import * as api from '../api';

const RETRY_MS = 3000;

export function useServerReadiness(): { datasets: api.Dataset[] | null; problem: string | null } {
  const [datasets, setDatasets] = useState<api.Dataset[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const check = async () => {
      try {
        setDatasets(await api.datasets());
        setProblem(null);
      } catch (e) {
        let reason = api.describeError(e);
        try {
          const h = await fetch('/healthz').then((r) => r.json());
          if (h.reason) reason = `The server is ${h.reason}…`;
        } catch {
          /* keep the first reason */
        }
        setProblem(reason);
        if (!stop) timer = setTimeout(check, RETRY_MS);
      }
    };
    void check();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, []);
  return { datasets, problem };
}
