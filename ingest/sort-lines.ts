/**
 * Sorts the lines of a file on disk in bounded memory, in Node (a load must not depend on the system's
 * `sort`, whose presence, options and locale vary): runs of at most `runChars` characters are sorted in
 * memory and written to files beside the output, then merged k ways through a binary heap, each run read
 * a line at a time. Lines compare as JavaScript strings (UTF-16 code units), whole; ingest/snapshot.ts
 * needs only that lines sharing their first tab-separated field come together.
 */
import fs from 'node:fs';
import { LineWriter, readLines } from './spool';

/** Default size of a run held in memory: 16 M characters (about 32 MB as JavaScript strings). */
export const RUN_CHARS = 16 << 20;
/**
 * And at most this many lines: each line costs its string's header and a slot of the array besides its
 * characters (tens of bytes), so a run of very short lines would hold several times 32 MB.
 */
export const RUN_LINES = 1 << 20;

/** Runs merged at once: more are merged in rounds, so the open files stay few whatever the input's size. */
const FAN_IN = 64;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Writes the lines of `from` to `to` in sorted order; run files are made as `${to}.run<N>` and removed,
 * also when the sort fails.
 */
export async function sortLines(from: string, to: string, runChars = RUN_CHARS, runLines = RUN_LINES): Promise<void> {
  // Every run file that exists, until it is removed: what the finally removes if anything fails.
  const runs: string[] = [];
  try {
    let lines: string[] = [];
    let chars = 0;
    const spill = () => {
      lines.sort(cmp);
      const w = new LineWriter(`${to}.run${runs.length}`);
      runs.push(w.file);
      try {
        for (const l of lines) w.line(l);
      } finally {
        w.close();
      }
      lines = [];
      chars = 0;
    };
    for await (const line of readLines(from)) {
      lines.push(line);
      chars += line.length;
      if (chars >= runChars || lines.length >= runLines) spill();
    }
    if (lines.length > 0 || runs.length === 0) spill();
    if (runs.length === 1) {
      fs.renameSync(runs[0], to);
      runs.length = 0;
      return;
    }
    // Rounds: the first FAN_IN runs merged into one at the end of the queue, so each line is merged
    // about log_64(runs) times (a merged run put first would be merged again each round: quadratic).
    for (let round = 0; runs.length > FAN_IN; round++) {
      const merged = `${to}.run${round}m${runs.length}`;
      const group = runs.slice(0, FAN_IN);
      runs.push(merged);
      await merge(group, merged);
      runs.splice(0, group.length);
      for (const r of group) fs.rmSync(r, { force: true });
    }
    await merge(runs, to);
  } finally {
    for (const r of runs) fs.rmSync(r, { force: true });
  }
}

/** Merges sorted files into one, holding one line per file. */
async function merge(files: string[], to: string): Promise<void> {
  const its = files.map((f) => readLines(f)[Symbol.asyncIterator]());
  const out = new LineWriter(to);
  try {
    // heap of [line, run], smallest line first
    const heap: [string, number][] = [];
    const less = (i: number, j: number) => heap[i][0] < heap[j][0] || (heap[i][0] === heap[j][0] && heap[i][1] < heap[j][1]);
    const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j], heap[i]]);
    const up = (i: number) => {
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(i, p)) return;
        swap(i, p);
        i = p;
      }
    };
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(l, m)) m = l;
        if (r < heap.length && less(r, m)) m = r;
        if (m === i) return;
        swap(i, m);
        i = m;
      }
    };
    for (let k = 0; k < its.length; k++) {
      const n = await its[k].next();
      if (!n.done) {
        heap.push([n.value, k]);
        up(heap.length - 1);
      }
    }
    while (heap.length > 0) {
      const [line, k] = heap[0];
      out.line(line);
      const n = await its[k].next();
      if (n.done) {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          down(0);
        }
      } else {
        heap[0] = [n.value, k];
        down(0);
      }
    }
  } finally {
    try {
      out.close();
    } finally {
      // Readers not read to their end close their files (also when closing the output failed).
      await Promise.all(its.map((it) => it.return?.(undefined)));
    }
  }
}
