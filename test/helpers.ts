/** Shared test helpers: the test database, the shared real data, and a fingerprint of the graph. */
import crypto from 'node:crypto';
import path from 'node:path';
import { REPO_ROOT } from '../server/core/settings';
import { Database } from '../server/core/neo4j/database';

/** The real sanctions files of ../shared/data/sanctions (read its README). */
export const SHARED = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions');

export function testDatabase(): Database {
  const uri = process.env.TEST_NEO4J_URI ?? process.env.NEO4J_URI;
  if (!uri) throw new Error('no test Neo4j: run through jest (test/global-setup.ts) or set NEO4J_URI');
  return new Database({
    uri,
    user: process.env.TEST_NEO4J_USER ?? process.env.NEO4J_USER ?? 'neo4j',
    password: process.env.TEST_NEO4J_PASSWORD ?? process.env.NEO4J_PASSWORD ?? '',
    database: process.env.NEO4J_DATABASE ?? 'neo4j',
  });
}

export async function resetDatabase(db: Database): Promise<void> {
  await db.write('database-reset');
  await db.applySchema();
}

export const LOAD_DEFAULTS = { batchSize: 5000, txTimeoutMs: 600_000, progress: false };

/**
 * A hash of every node (labels, properties) and relationship (ends, type, properties), ignoring only
 * the time of the last load. Equal fingerprints mean an identical graph.
 */
export async function fingerprint(db: Database): Promise<{ hash: string; nodes: number; relationships: number }> {
  const nodes = await db.runWrite<{ n: unknown }>(
    "MATCH (n) RETURN [labels(n), [k IN keys(n) WHERE k <> 'loadedAt' | [k, n[k]]]] AS n",
  );
  const rels = await db.runWrite<{ r: unknown }>(
    "MATCH (a)-[r]->(b) RETURN [coalesce(a.id, a.name), type(r), coalesce(b.id, b.name), [k IN keys(r) | [k, r[k]]]] AS r",
  );
  // Labels and property pairs come in no fixed order; everything else (e.g. alias lists) must match as is.
  const byKey = (pairs: [string, unknown][]) => [...pairs].sort((a, b) => a[0].localeCompare(b[0]));
  const lines = [
    ...nodes.map(({ n }) => {
      const [labels, props] = n as [string[], [string, unknown][]];
      return JSON.stringify([[...labels].sort(), byKey(props)]);
    }),
    ...rels.map(({ r }) => {
      const [a, type, b, props] = r as [string, string, string, [string, unknown][]];
      return JSON.stringify([a, type, b, byKey(props)]);
    }),
  ].sort();
  return {
    hash: crypto.createHash('sha256').update(lines.join('\n')).digest('hex'),
    nodes: nodes.length,
    relationships: rels.length,
  };
}

/** Environment for a child process (npm start, npm run ingest) using the test run's Neo4j as an external server. */
export function externalNeo4jEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEO4J_URI: process.env.TEST_NEO4J_URI!,
    NEO4J_USER: process.env.TEST_NEO4J_USER!,
    NEO4J_PASSWORD: process.env.TEST_NEO4J_PASSWORD!,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

