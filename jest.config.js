/**
 * Unit tests (test/unit) run without a database; integration tests (test/integration, *.int.test.ts)
 * run against one real Neo4j started once for the whole run by test/global-setup.ts. Files run one at
 * a time (one worker): they share that one database and each file resets it first.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  maxWorkers: 1,
  // Each test file in a fresh worker process (0: restart after every file; jest-worker). In one process
  // jest's heap grew with every file (2.4 GB after 47 files), every full collection walked all of it, and
  // the memory tests that collect often ran for many minutes late in a run: the suite outgrew CI's 90
  // minutes. A file's own heap is also what the memory tests mean to measure.
  workerIdleMemoryLimit: 0,
  testTimeout: 180000,
  verbose: true,
  // A safety net: a child process a failing test leaves behind must not hang CI for its 90 minutes.
  forceExit: true,
};
