/**
 * Errors are logged the same way on both of the API's paths (server/api/errors.ts): a server fault
 * (status > 499) with its stack, whether it surfaced in a GraphQL resolver or an HTTP handler; a
 * client fault is answered, not logged. No database: a server that is not ready answers 503.
 */
import http from 'node:http';
import { AppState, createApp } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';

let stderr: string[];
const realWrite = process.stderr.write.bind(process.stderr);
beforeEach(() => {
  stderr = [];
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
});
afterEach(() => {
  process.stderr.write = realWrite;
});

test('GraphQL: a 503 is logged with its stack; bad input is not', async () => {
  const server = createGraphQLServer();
  await server.start();
  try {
    const res = await server.executeOperation({ query: '{ entity(id: "ofac-43379") { id } }' }, { contextValue: { db: null } });
    const body = res.body.kind === 'single' ? res.body.singleResult : null;
    expect(body?.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(stderr.join('')).toMatch(/^ERROR GraphQL 503: \w*Error: The database is starting or unreachable; retry shortly\n\s+at /);
    stderr = [];
    const bad = await server.executeOperation({ query: '{ neighborhood(ids: []) { truncated } }' }, { contextValue: { db: {} as never } });
    expect(bad.body.kind === 'single' && bad.body.singleResult.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(stderr).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('HTTP: the same line for a 503 of the export endpoint; a 400 is not logged', async () => {
  const state: AppState = { notReady: 'starting Neo4j', db: null, neo4j: { uri: 'test', embedded: false, version: null } };
  const app = createApp(state);
  // createApp logs the access mode (anonymous reads on loopback); only what the requests log is under test.
  stderr = [];
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    expect((await fetch(`${base}/api/export?ids=ofac-43379`)).status).toBe(503);
    expect(stderr.join('')).toMatch(/^ERROR HTTP 503: \w*Error: The database is starting or unreachable; retry shortly\n\s+at /);
    stderr = [];
    Object.assign(state, { notReady: null, db: {} });
    expect((await fetch(`${base}/api/export?ids=ofac-43379&format=pdf`)).status).toBe(400);
    expect(stderr).toEqual([]);
  } finally {
    await new Promise((r) => server.close(r));
  }
});
