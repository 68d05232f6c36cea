/**
 * NEO4J_URI mode against a Neo4j the project did not start: a second server process with its own home,
 * store, Bolt port and password (test/operator-neo4j.ts), as an operator runs one. `npm start` and
 * `npm run ingest` run as the user runs them, with only NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD pointing
 * at it: they load, answer queries and exports; when that server stops, the API says 503
 * SERVICE_UNAVAILABLE (no hang, no crash, no Neo4j of its own); when it is back on the same store, the
 * same API process serves the same data again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, portFree } from '../../server/core/net';
import { SHARED } from '../helpers';
import { operatorNeo4j, OperatorNeo4j } from '../operator-neo4j';
import { Run, run, waitFor } from '../commands';

const UN_XML = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');

/**
 * Every HTTP call carries its own deadline: an API that hangs while Neo4j is gone must fail the test
 * with that, not run into jest's timeout. 20 s is well above the driver's retry time (5 s) plus a
 * connection attempt to a closed port.
 */
const HTTP_DEADLINE_MS = 20_000;

/** Ids of every process whose command line mentions `text` (from /proc), this test's own excepted. */
function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) found.push(Number(entry));
    } catch {
      /* ended meanwhile */
    }
  }
  return found;
}

/** One UN entry read straight from the file (no code of the parser): its id and its name as the list writes it. */
function unIndividual(n: number): { id: string; name: string } {
  const xml = fs.readFileSync(UN_XML, 'utf8');
  const block = xml.split('<INDIVIDUAL>')[n + 1].split('</INDIVIDUAL>')[0];
  const field = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(block)?.[1]?.trim() ?? '';
  return {
    id: `un-${field('REFERENCE_NUMBER')}`,
    name: ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map(field).filter(Boolean).join(' '),
  };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-ext-'));
// The API's DATA_DIR: in NEO4J_URI mode nothing of Neo4j may ever appear in it or run with it.
const apiDataDir = path.join(tmp, 'api-data');
let ext: OperatorNeo4j;
let api: Run | undefined;
let base: string;

beforeAll(async () => {
  ext = await operatorNeo4j({ home: path.join(tmp, 'operator-neo4j'), boltPort: await freePort(), password: crypto.randomBytes(18).toString('base64url') });
  await ext.start();
});

afterAll(async () => {
  if (api && api.child.exitCode === null) {
    api.child.kill('SIGTERM');
    await api.exit;
  }
  await ext?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Only what the README tells an operator to set (bolt:// to a loopback address needs nothing more).
    NEO4J_URI: ext.uri,
    NEO4J_USER: ext.user,
    NEO4J_PASSWORD: ext.password,
    DATA_DIR: apiDataDir,
    LOG_LEVEL: 'info',
    ...extra,
  };
  // Nothing of the test run's own Neo4j may leak into the children.
  for (const k of Object.keys(env)) if (k.startsWith('TEST_NEO4J_') || k === 'NEO4J_DATABASE' || k === 'NEO4J_BOLT_PORT') delete env[k];
  return env;
}

async function get(pathAndQuery: string): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${base}${pathAndQuery}`, { signal: AbortSignal.timeout(HTTP_DEADLINE_MS) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(HTTP_DEADLINE_MS),
  });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, any>; errors?: { message: string; extensions: { code: string } }[] } };
}

const READS = `query Reads($q: String!, $id: ID!) {
  search(query: $q, first: 5) { total hits { score entity { id name } } }
  entity(id: $id) { id name kind degree datasets }
  neighborhood(ids: [$id], depth: 1, limit: 200) { nodes { id } edges { source target type } truncated }
}`;

// Filled by the first test, compared after the outage: the same data must come back.
let before: { health: Record<string, unknown>; reads: Record<string, any>; exportIds: string[] };

test('npm start and npm run ingest work against it: health, load, search, entity, neighbourhood, export', async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  api = run('server/main.ts', [], userEnv({ PORT: String(port), LOAD_DEMO_DATA: '0' }));
  const ready = await waitFor('npm start to answer 200 on /healthz', async () => {
    if (api!.child.exitCode !== null) throw new Error(`npm start exited (${api!.child.exitCode}): ${api!.stderr().slice(-2000)}`);
    const h = await get('/healthz');
    return h.status === 200 ? (JSON.parse(h.text) as Record<string, any>) : undefined;
  }, 120_000);
  expect(ready).toMatchObject({ status: 'ok', neo4j: { connected: true, embedded: false }, datasets: [] });
  // Where Neo4j is, and how to log in, is for admins only: the anonymous probe never sees it.
  const healthText = JSON.stringify(ready);
  for (const secret of [ext.uri, `:${ext.boltPort}`, ext.password]) expect(healthText).not.toContain(secret);
  expect(api.stderr()).not.toContain(ext.password);

  // A real list, loaded by the CLI as a second process into the same external server.
  const expectedEntities = (fs.readFileSync(UN_XML, 'utf8').match(/<(INDIVIDUAL|ENTITY)>/g) ?? []).length;
  expect(expectedEntities).toBeGreaterThan(0);
  const cli = run('ingest/cli.ts', ['--json', UN_XML], userEnv());
  expect(await cli.exit).toBe(0);
  const summary = JSON.parse(cli.stdout().trim());
  expect(summary).toMatchObject({ dataset: 'un-sc', release: '2025-11-18', entities: { total: expectedEntities }, rejected: [] });

  const health = await waitFor('the load to show in /healthz', async () => {
    const h = JSON.parse((await get('/healthz')).text) as Record<string, any>;
    return h.datasets?.length ? h : undefined;
  }, 30_000);
  expect(health.datasets).toEqual([expect.objectContaining({ name: 'un-sc', release: '2025-11-18', entities: expectedEntities })]);

  const who = unIndividual(1);
  const reads = await gql(READS, { q: who.name, id: who.id });
  expect(reads.status).toBe(200);
  expect(reads.body.errors).toBeUndefined();
  const { search, entity, neighborhood } = reads.body.data!;
  expect(search.hits.find((h: { entity: { id: string } }) => h.entity.id === who.id)).toMatchObject({ score: 1, entity: { name: who.name } });
  expect(entity).toMatchObject({ id: who.id, name: who.name, datasets: ['un-sc'] });
  expect(entity.degree).toBeGreaterThan(0);
  const nodeIds: string[] = neighborhood.nodes.map((n: { id: string }) => n.id).sort();
  expect(nodeIds).toContain(who.id);
  expect(nodeIds.length).toBeGreaterThan(1);
  expect(neighborhood.edges.length).toBeGreaterThan(0);

  // The export downloads the same neighbourhood as a file.
  const exp = await get(`/api/export?ids=${encodeURIComponent(who.id)}&depth=1&limit=200&format=json`);
  expect(exp.status).toBe(200);
  expect(exp.headers.get('content-disposition')).toMatch(/^attachment; filename="sanctions-graph-un-.*\.cyjs\.json"$/);
  const exportIds = (JSON.parse(exp.text) as { elements: { nodes: { data: { id: string } }[] } }).elements.nodes.map((n) => n.data.id).sort();
  expect(exportIds).toEqual(nodeIds);

  before = { health: { datasets: health.datasets }, reads: reads.body.data!, exportIds };
  // Loaded by NEO4J_URI alone: nothing of an embedded Neo4j was made under the API's DATA_DIR.
  expect(fs.existsSync(path.join(apiDataDir, 'neo4j'))).toBe(false);
  expect(fs.existsSync(path.join(apiDataDir, 'neo4j-password'))).toBe(false);
});

test('when that server stops the API answers 503 SERVICE_UNAVAILABLE, starts no Neo4j, and recovers by itself when it is back', async () => {
  expect(before).toBeDefined();
  const apiPid = api!.child.pid;
  const extPid = ext.pid()!;
  await ext.stop();
  expect(() => process.kill(extPid, 0)).toThrow();
  expect(await portFree(ext.boltPort)).toBe(true);

  // Asked several times, over more than the driver's retry time: every answer is a prompt 503 saying why.
  for (let i = 0; i < 2; i++) {
    const h = await get('/healthz');
    expect(h.status).toBe(503);
    const body = JSON.parse(h.text) as { status: string; reason: string; neo4j: { connected: boolean } };
    expect(body).toMatchObject({ status: 'unavailable', neo4j: { connected: false } });
    // /healthz gives Neo4j 3 s (HEALTHZ_TIMEOUT_MS) while the driver retries a refused connection for 5 s
    // (maxTransactionRetryTime), so the probe says TIMEOUT before the driver can say SERVICE_UNAVAILABLE.
    expect(['SERVICE_UNAVAILABLE', 'TIMEOUT']).toContain(body.reason);
    const who = unIndividual(1);
    const q = await gql(READS, { q: who.name, id: who.id });
    expect(q.status).toBe(503);
    expect(q.body.errors?.[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    const exp = await get(`/api/export?ids=${encodeURIComponent(who.id)}&format=json`);
    expect(exp.status).toBe(503);
    expect(JSON.parse(exp.text)).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
    await new Promise((r) => setTimeout(r, 2000));
  }

  // Still the same API process, and it has not started a Neo4j of its own: nothing runs with its
  // DATA_DIR, nothing of a store was made there, and nobody took the Bolt port meanwhile.
  expect(api!.child.exitCode).toBeNull();
  expect(processesMentioning(apiDataDir)).toEqual([]);
  expect(processesMentioning(ext.home)).toEqual([]);
  expect(fs.existsSync(path.join(apiDataDir, 'neo4j'))).toBe(false);
  expect(await portFree(ext.boltPort)).toBe(true);
  expect(api!.stderr()).not.toMatch(/Starting Neo4j|restarting it/);

  // The operator brings the server back on the same store and port.
  await ext.start();
  const health = await waitFor('the API to answer 200 again', async () => {
    const h = await get('/healthz');
    return h.status === 200 ? (JSON.parse(h.text) as Record<string, unknown>) : undefined;
  }, 60_000);
  expect(api!.child.pid).toBe(apiPid);
  expect(api!.child.exitCode).toBeNull();
  expect({ datasets: health.datasets }).toEqual(before.health);
  const who = unIndividual(1);
  const reads = await gql(READS, { q: who.name, id: who.id });
  expect(reads).toEqual({ status: 200, body: { data: before.reads } });
  const exp = await get(`/api/export?ids=${encodeURIComponent(who.id)}&depth=1&limit=200&format=json`);
  expect(exp.status).toBe(200);
  expect((JSON.parse(exp.text) as { elements: { nodes: { data: { id: string } }[] } }).elements.nodes.map((n) => n.data.id).sort()).toEqual(before.exportIds);
  // One API process throughout: it listened once.
  expect(api!.stderr().match(/Listening on/g)).toHaveLength(1);

  api!.child.kill('SIGTERM');
  expect(await api!.exit).toBe(0);
  expect(processesMentioning(apiDataDir)).toEqual([]);
});
