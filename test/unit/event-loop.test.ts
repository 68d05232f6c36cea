/**
 * The event-loop delay /healthz reports (server/api/event-loop.ts): Node's own histogram, so a loop held
 * up by synchronous work shows in it.
 */
import { loopDelay, startLoopDelayMonitor } from '../../server/api/event-loop';

test('a loop held up for 300 ms shows as a delay of about that much; nothing before the monitor starts', async () => {
  expect(loopDelay()).toBeNull();
  startLoopDelayMonitor();
  // Let the monitor take a few samples of an idle loop first.
  await new Promise((r) => setTimeout(r, 100));
  const until = Date.now() + 300;
  while (Date.now() < until) {
    // Synchronous work, as a search re-ranking too many names would do.
  }
  await new Promise((r) => setTimeout(r, 50));
  const d = loopDelay()!;
  // A slow machine can only make the observed delay longer, never shorter.
  expect(d.maxMs).toBeGreaterThanOrEqual(250);
  expect(d.p50Ms).toBeLessThanOrEqual(d.p99Ms);
  expect(d.p99Ms).toBeLessThanOrEqual(d.maxMs);
  expect(d.windowS).toBeGreaterThanOrEqual(0);
});
