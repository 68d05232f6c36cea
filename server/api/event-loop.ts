/**
 * How long the event loop is held up (Node's perf_hooks.monitorEventLoopDelay), in windows of
 * WINDOW_MS: /healthz reports the last complete window, so a load test can follow the server's own
 * figure while it runs (issue 10: CPU work on the event loop, such as search re-ranking, is bounded).
 * One monitor per process, whatever the number of apps created.
 */
import { IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

export const WINDOW_MS = 10_000;

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Length of the window the figures cover, in seconds (shorter for the first, still open one). */
  windowS: number;
}

let histogram: IntervalHistogram | null = null;
let windowStart = 0;
let last: LoopDelay | null = null;

const ms = (ns: number) => Math.round(ns / 1e4) / 100;

function snapshot(h: IntervalHistogram): LoopDelay {
  return { p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max), windowS: Math.round((Date.now() - windowStart) / 1000) };
}

/** Starts the monitor (once per process); its timer never keeps the process alive. */
export function startLoopDelayMonitor(): void {
  if (histogram) return;
  const h = monitorEventLoopDelay({ resolution: 10 });
  histogram = h;
  h.enable();
  windowStart = Date.now();
  setInterval(() => {
    last = snapshot(h);
    h.reset();
    windowStart = Date.now();
  }, WINDOW_MS).unref();
}

/** The last complete window, or the open one before the first completes; null before the monitor starts. */
export function loopDelay(): LoopDelay | null {
  if (!histogram) return null;
  return last ?? snapshot(histogram);
}
