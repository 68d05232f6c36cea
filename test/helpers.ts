/** Shared test helpers: the test database, the shared real data, and a fingerprint of the graph. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { REPO_ROOT } from '../server/core/settings';
import { Database, visibleIn } from '../server/core/neo4j/database';
import { createApp, AppState } from '../server/api/app';
import { createGraphQLServer } from '../server/api/graphql';

/** The real sanctions files of ../shared/data/sanctions (read its README). */
export const SHARED = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions');

/**
 * The Neo4j of this test run: the one test/global-setup.ts started (TEST_NEO4J_*), or, when the run was
 * given an external server, that server's settings (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD,
 * NEO4J_DATABASE). Anything else is refused: a test must never fall back to the developer's own database.
 */
export function testNeo4j(): { uri: string; user: string; password: string; database: string | undefined } {
  const env = process.env;
  if (env.TEST_NEO4J_URI) {
    return { uri: env.TEST_NEO4J_URI, user: env.TEST_NEO4J_USER || 'neo4j', password: env.TEST_NEO4J_PASSWORD ?? '', database: 'neo4j' };
  }
  if (env.NEO4J_URI) {
    if (!env.NEO4J_PASSWORD) throw new Error('NEO4J_URI is set for the tests but NEO4J_PASSWORD is not: set both (and NEO4J_USER, NEO4J_DATABASE if not the defaults)');
    return { uri: env.NEO4J_URI, user: env.NEO4J_USER || 'neo4j', password: env.NEO4J_PASSWORD, database: env.NEO4J_DATABASE || undefined };
  }
  throw new Error('no test Neo4j: run through jest (test/global-setup.ts starts one) or set NEO4J_URI and NEO4J_PASSWORD');
}

export function testDatabase(): Database {
  return new Database(testNeo4j());
}

export async function resetDatabase(db: Database): Promise<void> {
  await db.write('database-reset-rels');
  await db.write('database-reset');
  await db.applySchema();
}

export const LOAD_DEFAULTS = { batchSize: 5000, txTimeoutMs: 600_000, progress: false };

/**
 * A hash of every node (labels, properties) and relationship (ends, type, properties), ignoring only
 * the time of the last load and the load bookkeeping (see below). Equal fingerprints mean an identical graph.
 */
/**
 * Properties fingerprints leave out: the time of the last load and load numbers (addedSeq; the load that
 * wrote a release snapshot's parts, ReleasePart.load and Release.partsLoad); seen by readers
 * ({visible: true}), the mark of what a load in progress (or a dead one) replaces too.
 */
export function fingerprintSkip(opts: { visible?: boolean }): string[] {
  return opts.visible ? ['loadedAt', 'addedSeq', 'partsLoad', 'load', 'removedSeq'] : ['loadedAt', 'addedSeq', 'partsLoad', 'load'];
}

/**
 * The nodes fingerprints hash: not a load's own records (Load, LoadCounter, Draft); seen by readers, only
 * what `visibleIn` lets through, and of release snapshots' parts only those a release names (those of a
 * load not committed are hidden, as its drafts are).
 */
export function fingerprintNodes(n: string, opts: { visible?: boolean }): string {
  const seen = opts.visible ? `${visibleIn(n)} AND (NOT ${n}:ReleasePart OR EXISTS { MATCH (r:Release {id: ${n}.release, partsLoad: ${n}.load}) })` : 'true';
  return `NOT ${n}:Load AND NOT ${n}:LoadCounter AND NOT ${n}:Draft AND ${seen}`;
}

export async function fingerprint(
  db: Database,
  opts: { visible?: boolean } = {},
): Promise<{ hash: string; nodes: number; relationships: number; openLoads: number }> {
  // A load's number (addedSeq) and its own record (Load, LoadCounter) are bookkeeping: loading the same
  // release again gives the same graph under a new number. A load left open is not: it is counted,
  // unless only what readers see is compared ({visible: true}: what a reader starting now sees, as
  // server/core/neo4j/database.ts visibleIn says; e.g. after a killed load).
  const snap = opts.visible ? await db.snapshot() : { seq: 0, hidden: [] };
  const seen = (x: string) => (opts.visible ? visibleIn(x) : 'true');
  // Seen by readers, a mark of what a load in progress (or a dead one) replaces is no difference.
  const skip = fingerprintSkip(opts);
  const nodes = await db.runWrite<{ n: unknown }>(
    `MATCH (n) WHERE ${fingerprintNodes('n', opts)}
     RETURN [labels(n), [k IN keys(n) WHERE NOT k IN $skip | [k, n[k]]]] AS n`,
    { ...snap, skip },
  );
  const rels = await db.runWrite<{ r: unknown }>(
    `MATCH (a)-[r]->(b) WHERE ${seen('r')}
     RETURN [coalesce(a.id, a.name), type(r), coalesce(b.id, b.name), [k IN keys(r) WHERE NOT k IN $skip | [k, r[k]]]] AS r`,
    { ...snap, skip },
  );
  const [{ open }] = opts.visible
    ? [{ open: 0 }]
    : await db.runWrite<{ open: number }>("MATCH (n) WHERE n:Draft OR (n:Load AND n.state = 'open') RETURN count(n) AS open");
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
    openLoads: Number(open),
  };
}

/**
 * Environment for a child process (npm start, npm run ingest) using the test run's Neo4j as an external
 * server: exactly the database testDatabase() opens, so "nothing changed" checks look at the database
 * the children write into (never an embedded Neo4j of their own in the developer's .data).
 */
export function externalNeo4jEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const neo4j = testNeo4j();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEO4J_URI: neo4j.uri,
    NEO4J_USER: neo4j.user,
    NEO4J_PASSWORD: neo4j.password,
    LOG_LEVEL: 'info',
    ...extra,
  };
  if (neo4j.database) env.NEO4J_DATABASE = neo4j.database;
  else delete env.NEO4J_DATABASE;
  for (const k of ['NEO4J_URI', 'NEO4J_USER', 'NEO4J_PASSWORD'] as const) {
    if (!env[k]) throw new Error(`externalNeo4jEnv: ${k} would be empty; the child would start its own Neo4j`);
  }
  return env;
}

/** A GraphQL answer as a client sees it over HTTP. */
export interface GqlResponse {
  status: number;
  body: { data?: Record<string, any>; errors?: { message: string; extensions: { code: string } }[] };
}

export interface TestApi {
  /** Base URL of the server, e.g. http://127.0.0.1:12345 */
  base: string;
  state: AppState;
  /** POST /graphql, as a client would. */
  gql(query: string, variables?: Record<string, unknown>): Promise<GqlResponse>;
  close(): Promise<void>;
}

/** The real API (Express app + Apollo) on a free port of 127.0.0.1, over the given database. */
export async function startApi(db: Database): Promise<TestApi> {
  const state: AppState = { notReady: null, db, neo4j: { uri: 'test', embedded: false, version: null } };
  const graphql = createGraphQLServer();
  await graphql.start();
  const server = http.createServer(createApp(state, graphql));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    base,
    state,
    async gql(query, variables = {}) {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return { status: res.status, body: (await res.json()) as GqlResponse['body'] };
    },
    async close() {
      await new Promise((r) => server.close(r));
      await graphql.stop();
    },
  };
}

/**
 * The records of a legacy OFAC CSV file (sdn.csv, add.csv, ...), split into fields by the file's own
 * rules (OFAC writes one record per line; fields are "quoted" with "" for a quote, or -0- for empty),
 * with no code of the parser under test. Empty fields are null.
 */
export function rawOfacRows(file: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\r\n')) {
    if (!/^\d+,/.test(line)) continue;
    const fields: (string | null)[] = [];
    const re = /("(?:[^"]|"")*"|-0- ?|[^,]*)(,|$)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line)) && m[0] !== '') {
      const f = m[1];
      fields.push(f.startsWith('-0-') ? null : f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f);
      if (m[2] === '') break;
    }
    rows.push(fields);
  }
  return rows;
}

let inProcess: ReturnType<typeof createGraphQLServer> | null = null;

/**
 * One GraphQL operation in-process (Apollo's executeOperation), through the same schema, resolvers and
 * error mapping as HTTP: tests read what the API says, not what an internal query function returns.
 * Throws with the API's message when the operation answers with errors.
 */
export async function apiQuery<T = Record<string, any>>(db: Database, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  if (!inProcess) {
    inProcess = createGraphQLServer();
    await inProcess.start();
  }
  const res = await inProcess.executeOperation({ query, variables }, { contextValue: { db } });
  if (res.body.kind !== 'single') throw new Error('apiQuery: an incremental answer was not expected');
  const { data, errors } = res.body.singleResult;
  if (errors?.length) throw new Error(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  return data as T;
}
