/**
 * A bulk screening run of the Screen panel: the upload, the rows as they arrive, the counts, Cancel, and
 * what Export needs (the start line's columns and every line's `csv`, in order). A run of 100,000 rows
 * arrives as 100,000 lines: they are gathered in refs and shown at most a few times a second (one React
 * update per flush, not per line), so the tab keeps up.
 */
import { useEffect, useRef, useState } from 'react';
import * as api from '../api';
import { BulkLine, BulkRow, resultsCsv, rowOf, screenBulk } from '../bulk-screen';

/** How often, at most, arrived rows are shown while a run streams: a display rate, not a deadline. */
const FLUSH_MS = 200;
/** The `csv` of this many lines is gathered into one Blob (the browser keeps it, out of the script's heap). */
const CSV_CHUNK = 2000;

export interface BulkRun {
  file: string | null;
  state: 'idle' | 'running' | 'done' | 'cancelled' | 'failed';
  rows: BulkRow[];
  /** Rows screened (with or without a match), matched, and error rows, as received so far. */
  screened: number;
  matched: number;
  errors: number;
  /** The run's failure (a refusal, a fatal error line, the network). */
  problem: string | null;
  /** The start line (columns, threshold, hops, lists), once it has come. */
  head: Extract<BulkLine, { type: 'start' }> | null;
  /** The end line's totals, once it has come. */
  end: Extract<BulkLine, { type: 'end' }> | null;
  start(file: File): void;
  cancel(): void;
  /** The results as the CLI's CSV; null before the start line. */
  csv(): Blob | null;
}

export function useBulkScreen(): BulkRun {
  const [file, setFile] = useState<string | null>(null);
  const [state, setState] = useState<BulkRun['state']>('idle');
  const [problem, setProblem] = useState<string | null>(null);
  const [end, setEnd] = useState<BulkRun['end']>(null);
  const [head, setHead] = useState<BulkRun['head']>(null);
  const rows = useRef<BulkRow[]>([]);
  const counts = useRef({ screened: 0, matched: 0, errors: 0 });
  const columns = useRef<string[] | null>(null);
  /** The `csv` fields received: Blobs of CSV_CHUNK lines each, then the strings of the chunk being filled. */
  const csvChunks = useRef<Blob[]>([]);
  const csvParts = useRef<string[]>([]);
  const abort = useRef<AbortController | null>(null);
  /** The latest run's controller: an earlier run, aborted by a new file, must not set the new run's state. */
  const latest = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // A new array per flush (not the ref's), so the table's memoised sort sees the change; counts are read with it.
  const [shown, setShown] = useState<BulkRow[]>([]);

  const flush = () => {
    timer.current = null;
    setShown(rows.current.slice());
  };
  const scheduleFlush = () => {
    timer.current ??= setTimeout(flush, FLUSH_MS);
  };

  useEffect(() => () => abort.current?.abort(), []);

  const start = (f: File) => {
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    latest.current = ctl;
    rows.current = [];
    counts.current = { screened: 0, matched: 0, errors: 0 };
    columns.current = null;
    csvChunks.current = [];
    csvParts.current = [];
    setFile(f.name);
    setState('running');
    setProblem(null);
    setEnd(null);
    setHead(null);
    setShown([]);
    let fatal: string | null = null;
    const onLines = (lines: BulkLine[]) => {
      if (ctl.signal.aborted) return;
      for (const l of lines) {
        if (l.type === 'start') {
          columns.current = l.columns;
          setHead(l);
        }
        else if (l.type === 'end') setEnd(l);
        else {
          if (l.csv !== undefined) {
            csvParts.current.push(l.csv);
            if (csvParts.current.length >= CSV_CHUNK) {
              csvChunks.current.push(new Blob(csvParts.current));
              csvParts.current = [];
            }
          }
          if (l.type === 'error' && l.fatal) fatal = l.error;
          const row = rowOf(l, rows.current.length);
          if (!row) continue;
          rows.current.push(row);
          if (row.status === 'error') counts.current.errors++;
          else {
            counts.current.screened++;
            if (row.status === 'match') counts.current.matched++;
          }
        }
      }
      scheduleFlush();
    };
    const isLatest = () => latest.current === ctl;
    screenBulk(f, ctl.signal, onLines)
      .then(() => {
        if (!isLatest()) return;
        if (fatal) {
          setProblem(`The run stopped: ${fatal}`);
          setState('failed');
        } else setState('done');
      })
      .catch((e: unknown) => {
        if (!isLatest()) return;
        if ((e as Error).name === 'AbortError') setState('cancelled');
        else {
          setProblem(api.describeError(e));
          setState('failed');
        }
      })
      .finally(() => {
        if (!isLatest()) return;
        abort.current = null;
        if (timer.current) clearTimeout(timer.current);
        flush();
      });
  };

  return {
    file,
    state,
    rows: shown,
    ...counts.current,
    problem,
    head,
    end,
    start,
    cancel: () => abort.current?.abort(),
    csv: () => (columns.current ? resultsCsv(columns.current, [...csvChunks.current, ...csvParts.current]) : null),
  };
}
