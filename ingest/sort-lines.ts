/**
 * Sorts the lines of a file on disk in bounded memory, in Node (a load must not depend on the system's
 * `sort`, whose presence, options and locale vary): runs of at most `runChars` characters are sorted in
 * memory and written to files beside the output, then merged k ways through a binary heap, each run read
 * a line at a time. Lines compare as JavaScript strings (UTF-16 code units), whole; ingest/snapshot.ts
 * needs only that lines sharing their first tab-separated field come together. Input that fits in one
 * run is never written: its lines are handed on from memory (sortedLines).
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
 * The lines of `from` in sorted order. Input of one run is sorted in memory and handed on from there;
 * larger input is written in runs, as `${runPrefix}.run<N>` files, merged as the lines are taken. The run
 * files are removed when the caller has taken the last line, stops early, or the sort fails.
 */
export async function* sortedLines(from: string, runPrefix: string, runChars = RUN_CHARS, runLines = RUN_LINES): AsyncGenerator<string> {
  // Every run file that exists, until it is removed: what the finally removes if anything fails.
  const runs: string[] = [];
  try {
    let lines: string[] = [];
    let chars = 0;
    const spill = () => {
      lines.sort(cmp);
      const w = new LineWriter(`${runPrefix}.run${runs.length}`);
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
    if (runs.length === 0) {
      lines.sort(cmp);
      yield* lines;
      return;
    }
    if (lines.length > 0) spill();
    // Rounds: the first FAN_IN runs merged into one at the end of the queue, so each line is merged
    // about log_64(runs) times (a merged run put first would be merged again each round: quadratic).
    for (let round = 0; runs.length > FAN_IN; round++) {
      const merged = `${runPrefix}.run${round}m${runs.length}`;
      const group = runs.slice(0, FAN_IN);
      runs.push(merged);
      await writeLines(mergeLines(group), merged);
      runs.splice(0, group.length);
      for (const r of group) fs.rmSync(r, { force: true });
    }
    yield* mergeLines(runs);
  } finally {
    for (const r of runs) fs.rmSync(r, { force: true });
  }
}

/**
 * Writes the lines of `from` to `to` in sorted order (sortedLines, its run files made as `${to}.run<N>`);
 * on failure `to` is removed, as are the run files.
 */
export async function sortLines(from: string, to: string, runChars = RUN_CHARS, runLines = RUN_LINES): Promise<void> {
  try {
    await writeLines(sortedLines(from, to, runChars, runLines), to);
  } catch (err) {
    fs.rmSync(to, { force: true });
    throw err;
  }
}

/** Writes lines to a file, made when the first line comes (or at the end, empty). */
async function writeLines(lines: AsyncIterable<string>, to: string): Promise<void> {
  let out: LineWriter | null = null;
  try {
    for await (const l of lines) (out ??= new LineWriter(to)).line(l);
    out ??= new LineWriter(to);
  } finally {
    out?.close();
  }
}

/** The lines of sorted files, merged, holding one line per file. */
async function* mergeLines(files: string[]): AsyncGenerator<string> {
  const its = files.map((f) => readLines(f)[Symbol.asyncIterator]());
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
      yield line;
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
    // Readers not read to their end close their files.
    await Promise.all(its.map((it) => it.return?.(undefined)));
  }
}
