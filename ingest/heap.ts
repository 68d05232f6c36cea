/**
 * How far a load lets Node's heap grow past what it keeps alive (INGEST_HEAP_GROWTH). V8 sets the next
 * full collection's limit at the live heap times a factor it picks from how fast it collects: on a
 * machine with much memory, up to several times, so a load that keeps 0.5 GB alive reached 1.7 GB of RSS
 * at x64 (README, "Node's RSS"). V8 reads --heap-growing-percent at every full collection, so setting it
 * once the process runs takes effect (test/unit/heap-growth.test.ts); it is a factor, not a cap: a load
 * that needs more memory still gets it.
 */
import v8 from 'node:v8';

/** Lets the heap grow by `percent` past what is live before the next full collection; 0 leaves V8's own factor. */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
}
