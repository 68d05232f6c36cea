/**
 * How the explorer turns API failures into something to tell the user (client/src/api.ts): the error
 * code comes from the GraphQL `extensions.code` or from what went wrong on the way, never from message
 * text. `fetch` is replaced per test; no server is started.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import * as api from '../../client/src/api';
import { ApiError, describeError, gql } from '../../client/src/api';
import { REL_TYPE_NAMES } from '../../server/core/model';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

function answer(body: string, status = 200) {
  const calls: { url: string; init: RequestInit }[] = [];
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return calls;
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('describeError', () => {
  test('by code: not ready, unreachable, otherwise the server message', () => {
    expect(describeError(new ApiError('the database is starting', 'SERVICE_UNAVAILABLE'))).toBe('The server is not ready: the database is starting');
    expect(describeError(new ApiError('network error', 'NETWORK'))).toBe('The server cannot be reached. Is `npm start` running?');
    expect(describeError(new ApiError('unknown relationType "KNOWS"', 'BAD_USER_INPUT'))).toBe('unknown relationType "KNOWS"');
  });

  test('anything else thrown: its message, or itself as text', () => {
    expect(describeError(new TypeError('x is undefined'))).toBe('x is undefined');
    expect(describeError('timeout')).toBe('timeout');
    expect(describeError(42)).toBe('42');
  });
});

describe('gql', () => {
  test('posts the query and variables and returns data', async () => {
    const calls = answer(JSON.stringify({ data: { entity: { id: 'ofac-43379' } } }));
    const r = await gql<{ entity: { id: string } }>('query E($id: ID!) { entity(id: $id) { id } }', { id: 'ofac-43379' });
    expect(r).toEqual({ entity: { id: 'ofac-43379' } });
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('/graphql');
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ query: 'query E($id: ID!) { entity(id: $id) { id } }', variables: { id: 'ofac-43379' } });
  });

  test('a GraphQL error keeps the first error message and its extensions.code', async () => {
    answer(JSON.stringify({ errors: [{ message: 'depth must be a whole number from 1 to 3', extensions: { code: 'BAD_USER_INPUT' } }, { message: 'second' }] }), 400);
    const e = await failure(gql('{ neighborhood(ids: ["ofac-43379"], depth: 7) { truncated } }'));
    expect([e.code, e.message]).toEqual(['BAD_USER_INPUT', 'depth must be a whole number from 1 to 3']);
  });

  test('an error without a code is an internal server error', async () => {
    answer(JSON.stringify({ errors: [{ message: 'boom' }] }), 500);
    expect((await failure(gql('{ datasets { name } }'))).code).toBe('INTERNAL_SERVER_ERROR');
  });

  test('a non-GraphQL answer: 503 means not ready, anything else unreachable', async () => {
    answer('<html>Service Unavailable</html>', 503);
    expect((await failure(gql('{ datasets { name } }'))).code).toBe('SERVICE_UNAVAILABLE');
    answer('Bad Gateway', 502);
    const e = await failure(gql('{ datasets { name } }'));
    expect([e.code, e.message]).toEqual(['NETWORK', 'the server answered HTTP 502 without a GraphQL response']);
  });

  test('a failed connection is NETWORK; an abort stays an abort', async () => {
    globalThis.fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    expect((await failure(gql('{ datasets { name } }'))).code).toBe('NETWORK');
    const ctl = new AbortController();
    globalThis.fetch = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as typeof fetch;
    const p = gql('{ datasets { name } }', {}, ctl.signal);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('the operations the explorer sends', () => {
  const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'server', 'schema.graphql'), 'utf8'));
  /** Answers every request with `data` and records the documents and variables sent. */
  function record(data: unknown) {
    const sent: { query: string; variables: Record<string, unknown> }[] = [];
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      sent.push(JSON.parse(String(init.body)));
      return new Response(JSON.stringify({ data }), { status: 200 });
    }) as typeof fetch;
    return sent;
  }

  test('each is valid against the schema, with exactly the fragments it uses', async () => {
    const sent = record({});
    await api.search('kim', { kinds: ['Person'] }).catch(() => null);
    await api.entity('ofac-43379').catch(() => null);
    await api.neighborhood(['ofac-43379'], { limit: 26, relationTypes: ['UNKNOWN_LINK'] }).catch(() => null);
    await api.subgraph(['ofac-43379']).catch(() => null);
    await api.paths({ from: 'a', to: 'b', mode: 'K_SHORTEST', maxHops: 4, limit: 5, relationTypes: [], excludeIds: [] }).catch(() => null);
    await api.reviewMatch('a', 'b', 'CONFIRMED', 'key').catch(() => null);
    await api.datasets().catch(() => null);
    expect(sent).toHaveLength(7);
    for (const { query } of sent) expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
  });

  test('filters and relationship types: empty means none; only names of the model are sent', async () => {
    const sent = record({});
    await api.search('kim', { kinds: ['Person', 'Dog'], datasets: [], programs: ['DPRK2'] }).catch(() => null);
    expect(sent[0].variables).toEqual({ query: 'kim', first: 20, kinds: ['Person'], datasets: null, programs: ['DPRK2'], countries: null });
    await api.neighborhood(['ofac-43379'], { limit: 26, relationTypes: ['UNKNOWN_LINK', 'KNOWS'] }).catch(() => null);
    expect(sent[1].variables).toEqual({ ids: ['ofac-43379'], limit: 26, types: ['UNKNOWN_LINK'], exclude: [] });
    // A date set in the toolbar goes with the reads, and only then.
    api.setAsOf('2024-04-30');
    await api.neighborhood(['ofac-43379'], { limit: 26 }).catch(() => null);
    api.setAsOf(null);
    expect(sent.pop()!.variables).toMatchObject({ ids: ['ofac-43379'], asOf: '2024-04-30' });
    await api.paths({ from: 'a', to: 'b', mode: 'SHORTEST', maxHops: 3, limit: 1, relationTypes: [], excludeIds: ['c'] }).catch(() => null);
    // No type chosen is "all" in the Paths panel: all are named (the API's default leaves some out).
    expect(sent[2].variables).toEqual({ from: 'a', to: 'b', mode: 'SHORTEST', maxHops: 3, limit: 1, types: REL_TYPE_NAMES, exclude: ['c'] });
  });
});
