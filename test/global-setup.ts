/**
 * Starts one real Neo4j for the whole test run (unless NEO4J_URI points at one), on a free port with
 * its own data folder, and hands its address to the tests through the environment.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadSettings, REPO_ROOT } from '../server/core/settings';
import { connectNeo4j, stopRecordedNeo4j } from '../server/core/neo4j/embedded';
import { freePort } from '../server/core/net';
import { buildClient } from './e2e/browser';

export default async function globalSetup(): Promise<void> {
  // `npm run test:unit` needs no database (and must not disturb the one another run is using).
  if (process.env.TEST_WITHOUT_NEO4J === '1') return;
  // The server tests serve the explorer and its GraphQL IDE: build client/dist if it is stale.
  buildClient();
  // TEST_STORE names another folder under .data, so that two runs on one checkout do not share a store.
  const dataDir = path.join(REPO_ROOT, '.data', process.env.TEST_STORE || 'test');
  // Servers the tests start write their audit log beside the test store, never into the developer's .data.
  process.env.AUDIT_DIR ??= path.join(dataDir, 'audit');
  // Nothing reads the test database while a test loads, but for the tests that say so: a committed load
  // deletes what it replaced at once (the default waits REQUEST_TIMEOUT for readers; ingest/loader.ts).
  process.env.INGEST_READER_GRACE ??= '0';
  if (process.env.NEO4J_URI) return;
  // A fresh store every run; first stop a server an interrupted run may have left on it.
  await stopRecordedNeo4j(loadSettings({ ...process.env, DATA_DIR: dataDir }));
  fs.rmSync(path.join(dataDir, 'neo4j'), { recursive: true, force: true });
  fs.rmSync(path.join(dataDir, 'neo4j-password'), { force: true });
  const port = await freePort();
  const settings = loadSettings({ ...process.env, DATA_DIR: dataDir, NEO4J_BOLT_PORT: String(port), NEO4J_HEAP: '2g', NEO4J_PAGECACHE: '1g' });
  const endpoint = await connectNeo4j(settings);
  (globalThis as { __neo4j?: typeof endpoint }).__neo4j = endpoint;
  process.env.TEST_DATA_DIR = dataDir;
  process.env.TEST_NEO4J_URI = endpoint.uri;
  process.env.TEST_NEO4J_USER = endpoint.user;
  process.env.TEST_NEO4J_PASSWORD = endpoint.password;
  process.env.TEST_NEO4J_BOLT_PORT = String(port);
}
