/**
 * Neo4j going away and coming back: the API answers SERVICE_UNAVAILABLE (HTTP 503) while it is down and
 * recovers by itself when it returns, without a restart of the API process.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createApp, AppState } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { connectNeo4j, Neo4jEndpoint } from '../../server/core/neo4j/embedded';
import { loadSettings } from '../../server/core/settings';
import { freePort } from '../../server/core/net';

test('a stopped Neo4j gives 503 SERVICE_UNAVAILABLE; the API recovers when it is back', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-outage-'));
  const settings = loadSettings({ ...process.env, NEO4J_URI: '', DATA_DIR: dataDir, NEO4J_BOLT_PORT: String(await freePort()), NEO4J_HEAP: '512m', NEO4J_PAGECACHE: '128m' });
  let endpoint: Neo4jEndpoint = await connectNeo4j(settings);
  const db = new Database(endpoint);
  await db.applySchema();
  const state: AppState = { notReady: null, db, neo4j: { uri: endpoint.uri, embedded: true, version: null } };
  const graphql = createGraphQLServer();
  await graphql.start();
  const server = http.createServer(createApp(state, graphql));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const ask = async () => {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ datasets { name } }"}' });
    return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { extensions: { code: string } }[] } };
  };
  try {
    expect(await ask()).toEqual({ status: 200, body: { data: { datasets: [] } } });
    await endpoint.stop();
    const down = await ask();
    expect(down.status).toBe(503);
    expect(down.body.errors![0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    endpoint = await connectNeo4j(settings); // same DATA_DIR and port: the same database comes back
    expect(await ask()).toEqual({ status: 200, body: { data: { datasets: [] } } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  } finally {
    await new Promise((r) => server.close(r));
    await graphql.stop();
    await db.close();
    await endpoint.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
