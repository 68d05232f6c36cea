/**
 * INGEST_HEAP_GROWTH (ingest/heap.ts): set while the process runs, V8's heap growing factor takes effect.
 * The same allocation (a live set that grows, and five times as much garbage each round) in two child
 * processes, one with V8's own factor and one with 10%: with 10%, V8 runs a full collection whenever
 * the heap has grown a tenth past what is live, so it runs many more of them. Were the flag read only
 * at start-up, both children would run the same few.
 *
 * Counted, not the peak heap: V8's own factor moves with how fast it collects, and the peak with it
 * (138 to 227 MB for this allocation here, 1.1x to 2x the 10% child's; a CI machine gave 0.84 where
 * this machine gave 0.52). The full collections vary less: 3 to 8 with V8's own factor, 23 to 37
 * with 10% (120 rounds, 4 GB heap limit, collections on the main thread, runs of six and four; with
 * concurrent marking 17 to 39). The memory this saves a load is measured by bench/ingest-rss.ts (x4:
 * 194 against 302 MB of RSS at 25%).
 */
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from '../../server/core/settings';

function fullCollections(percent: number): { major: number; peakMb: number } {
  const script = `
    import('./ingest/heap.ts').then(async (m) => {
      const v8 = require('node:v8');
      const { PerformanceObserver, constants } = require('node:perf_hooks');
      let major = 0;
      const obs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++;
      });
      obs.observe({ entryTypes: ['gc'] });
      // A module of the package's kind (CommonJS) comes as the default export of import().
      (m.limitHeapGrowth ?? m.default.limitHeapGrowth)(${percent});
      const live = [];
      let peak = 0;
      for (let round = 0; round < 120; round++) {
        const garbage = [];
        for (let i = 0; i < 50000; i++) garbage.push({ s: ('y' + i + '-' + round).repeat(4), n: [i, round] });
        live.push(...garbage.slice(0, 5000));
        peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);
      }
      // GC entries reach the observer asynchronously.
      await new Promise((r) => setTimeout(r, 100));
      obs.disconnect();
      process.stdout.write(JSON.stringify({ major, peakMb: Math.round(peak / 2 ** 20), live: live.length }));
    });`;
  // The same heap limit for both: Node sets it from the machine's memory, and V8 bounds its own factor by
  // it. Marking on the main thread: the count then depends less on how busy the machine's cores are.
  const args = ['--max-old-space-size=4096', '--single-threaded-gc', '--import', 'tsx', '-e', script];
  const out = execFileSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const r = JSON.parse(out) as { major: number; peakMb: number; live: number };
  expect(r.live).toBe(600_000);
  return r;
}

test('a heap growth of 10% set at run time makes V8 collect the whole heap far more often than its own factor', () => {
  const own = fullCollections(0);
  const limited = fullCollections(10);
  expect(own.major).toBeGreaterThan(0);
  expect(limited.major).toBeGreaterThan(2 * own.major);
}, 120_000);
