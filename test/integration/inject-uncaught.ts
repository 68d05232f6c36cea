/**
 * Preloaded (`node --import tsx --import ./test/integration/inject-uncaught.ts server/main.ts`) by
 * neo4j-supervision.int.test.ts: SIGUSR2 makes the program throw an exception nobody catches, as a bug
 * would, so that the test can see what the program does on its way out.
 */
process.on('SIGUSR2', () => {
  setImmediate(() => {
    throw new Error('injected by the test: an uncaught exception');
  });
});
