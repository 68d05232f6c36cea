/**
 * The GraphQL API over the real Neo4j with the real 2024-05-03 SDN list loaded, called over HTTP
 * as a client would (POST /graphql).
 */
import http from 'node:http';
import path from 'node:path';
import { createApp, AppState } from '../../server/app';
import { createGraphQLServer } from '../../server/graphql';
import { Database } from '../../server/neo4j/database';
import { ingest } from '../../ingest/ingest';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase } from '../helpers';

let db: Database;
let server: http.Server;
let url: string;
const state: AppState = { notReady: null, db: null, neo4j: { uri: 'test', embedded: false, version: null } };
const graphql = createGraphQLServer();

beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv')], release: '2024-05-03' });
  state.db = db;
  await graphql.start();
  server = http.createServer(createApp(state, graphql));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await graphql.stop();
  await db.close();
});

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; body: { data?: Record<string, any>; errors?: { message: string; extensions: { code: string } }[] } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as any };
}

const SEARCH = `query($q: String!, $first: Int, $after: String, $kinds: [String!], $programs: [String!]) {
  search(query: $q, first: $first, after: $after, kinds: $kinds, programs: $programs) {
    total hasMore endCursor hits { score matchedName entity { id name kind programs } } } }`;

describe('search', () => {
  test('"chinyong" finds ofac-43379 first, with the matched name and a score in [0, 1]', async () => {
    const { body } = await gql(SEARCH, { q: 'chinyong' });
    const hits = body.data!.search.hits;
    expect(hits[0].entity.id).toBe('ofac-43379');
    expect(hits[0].matchedName).toBe('CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY');
    for (const h of hits) expect(h.score).toBeGreaterThanOrEqual(0);
    for (const h of hits) expect(h.score).toBeLessThanOrEqual(1);
    const scores = hits.map((h: { score: number }) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  test('typos, word order and legal-form noise', async () => {
    for (const q of ['chinyoung', 'Chinyong Information Technology Cooperation Co., Ltd.', 'cooperation chinyong']) {
      const { body } = await gql(SEARCH, { q });
      expect([q, body.data!.search.hits[0].entity.id]).toEqual([q, 'ofac-43379']);
    }
    const { body } = await gql(SEARCH, { q: 'ALIS LLC' });
    expect(body.data!.search.hits[0]).toMatchObject({ entity: { id: 'ofac-48260' }, matchedName: 'ALIS LLC', score: 1 });
  });

  test('a query in Cyrillic or Hangul finds the Latin-script entry', async () => {
    for (const q of ['ЧИНЬОН', '친용']) {
      const { body } = await gql(SEARCH, { q, first: 5 });
      expect([q, body.data!.search.hits.map((h: { entity: { id: string } }) => h.entity.id)]).toEqual([q, expect.arrayContaining(['ofac-43379'])]);
    }
  });

  test('filters and cursor pagination', async () => {
    const all = (await gql(SEARCH, { q: 'korea', first: 100 })).body.data!.search;
    expect(all.total).toBeGreaterThan(10);
    const p1 = (await gql(SEARCH, { q: 'korea', first: 5 })).body.data!.search;
    const p2 = (await gql(SEARCH, { q: 'korea', first: 5, after: p1.endCursor })).body.data!.search;
    expect(p1.hasMore).toBe(true);
    expect([...p1.hits, ...p2.hits].map((h: { entity: { id: string } }) => h.entity.id)).toEqual(all.hits.slice(0, 10).map((h: { entity: { id: string } }) => h.entity.id));
    const people = (await gql(SEARCH, { q: 'kim', first: 100, kinds: ['Person'] })).body.data!.search.hits;
    expect(people.length).toBeGreaterThan(0);
    for (const h of people) expect(h.entity.kind).toBe('Person');
    const dprk = (await gql(SEARCH, { q: 'korea', first: 100, programs: ['DPRK2'] })).body.data!.search.hits;
    for (const h of dprk) expect(h.entity.programs).toContain('DPRK2');
  });
});

describe('entity', () => {
  test('ofac-48260 with aliases, identifiers, provenance and degree; an unknown id is null', async () => {
    const { body } = await gql(`{ entity(id: "ofac-48260") { id name kind aliases { name type quality } identifiers { type value country label }
      programs datasets degree placeholder record release }  none: entity(id: "ofac-0") { id } }`);
    expect(body.errors).toBeUndefined();
    const e = body.data!.entity;
    expect(e).toMatchObject({ id: 'ofac-48260', name: 'LIMITED LIABILITY COMPANY ALIS', kind: 'Organization', programs: ['DPRK2'], datasets: ['ofac-sdn'], placeholder: false, release: '2024-05-03' });
    expect(e.aliases).toEqual([{ name: 'ALIAS LLC', type: 'a.k.a.', quality: null }, { name: 'ALIS LLC', type: 'a.k.a.', quality: null }]);
    expect(e.identifiers).toEqual(expect.arrayContaining([{ type: 'taxId', value: '2543103179', country: 'Russia', label: 'Tax ID No.' }]));
    expect(e.degree).toBe(4); // program, two identifiers, one link
    expect(e.record).toMatch(/^sdn\.csv:\d+ \(ent_num 48260\)$/);
    expect(body.data!.none).toBeNull();
  });
});

const NEIGHBORHOOD = `query($ids: [ID!]!, $depth: Int, $limit: Int, $types: [String!]) {
  neighborhood(ids: $ids, depth: $depth, limit: $limit, relationTypes: $types) { truncated nodes { id kind label degree } edges { source target type label } } }`;

describe('neighborhood', () => {
  test('the Chinyong network: 1 hop brings 48260 and 48261, 2 hops 48262', async () => {
    const one = (await gql(NEIGHBORHOOD, { ids: ['ofac-43379'], types: ['UNKNOWN_LINK'] })).body.data!.neighborhood;
    expect(one.nodes.map((n: { id: string }) => n.id).sort()).toEqual(['ofac-43379', 'ofac-48260', 'ofac-48261']);
    expect(one.edges).toEqual(expect.arrayContaining([{ source: 'ofac-48260', target: 'ofac-43379', type: 'UNKNOWN_LINK', label: 'Linked To' }]));
    expect(one.truncated).toBe(false);
    const two = (await gql(NEIGHBORHOOD, { ids: ['ofac-43379'], depth: 2, types: ['UNKNOWN_LINK'] })).body.data!.neighborhood;
    expect(two.nodes.map((n: { id: string }) => n.id)).toContain('ofac-48262');
  });

  test('a hub never explodes the result: limit bounds nodes, truncated says so, degree tells what is left', async () => {
    const res = (await gql(NEIGHBORHOOD, { ids: ['ofac-43379'], depth: 2, limit: 25 })).body.data!.neighborhood;
    expect(res.nodes.length).toBe(25);
    expect(res.truncated).toBe(true);
    const program = res.nodes.find((n: { kind: string }) => n.kind === 'Program');
    expect(program.degree).toBeGreaterThan(100);
    // Parties come before the program hub's members crowd them out.
    expect(res.nodes.slice(0, 3).map((n: { id: string }) => n.id).sort()).toEqual(['ofac-43379', 'ofac-48260', 'ofac-48261']);
  });

  test('shared identifiers are nodes of the subgraph', async () => {
    const res = (await gql(NEIGHBORHOOD, { ids: ['ofac-48260'], types: ['HAS_IDENTIFIER'] })).body.data!.neighborhood;
    expect(res.nodes.filter((n: { kind: string }) => n.kind === 'Identifier').map((n: { label: string }) => n.label).sort()).toEqual(['1162536087230', '2543103179']);
  });
});

const PATHS = `query($from: ID!, $to: ID!, $mode: PathMode, $max: Int, $types: [String!], $exclude: [ID!]) {
  paths(from: $from, to: $to, mode: $mode, maxHops: $max, relationTypes: $types, excludeIds: $exclude) { length nodes { id kind } edges { source target type } } }`;

describe('paths', () => {
  test('48262 reaches 43379 through 48261 in two hops', async () => {
    const { body } = await gql(PATHS, { from: 'ofac-48262', to: 'ofac-43379', mode: 'SHORTEST', types: ['UNKNOWN_LINK'] });
    expect(body.errors).toBeUndefined();
    expect(body.data!.paths).toHaveLength(1);
    expect(body.data!.paths[0].length).toBe(2);
    expect(body.data!.paths[0].nodes.map((n: { id: string }) => n.id)).toEqual(['ofac-48262', 'ofac-48261', 'ofac-43379']);
  });

  test('all shortest paths, nodes to avoid, and the hop cap', async () => {
    const all = (await gql(PATHS, { from: 'ofac-48262', to: 'ofac-43379' })).body.data!.paths;
    expect(all.length).toBeGreaterThan(1); // also through the shared program DPRK2
    for (const p of all) expect(p.length).toBe(2);
    const avoid = (await gql(PATHS, { from: 'ofac-48262', to: 'ofac-43379', types: ['UNKNOWN_LINK'], exclude: ['ofac-48261'] })).body.data!.paths;
    expect(avoid).toEqual([]);
    const capped = (await gql(PATHS, { from: 'ofac-48262', to: 'ofac-43379', max: 1 })).body.data!.paths;
    expect(capped).toEqual([]);
    const k = (await gql(PATHS, { from: 'ofac-48262', to: 'ofac-43379', mode: 'K_SHORTEST', types: ['UNKNOWN_LINK', 'SANCTION'] })).body.data!.paths;
    expect(k.length).toBeGreaterThan(1);
    const lengths = k.map((p: { length: number }) => p.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  });
});

describe('errors and datasets', () => {
  test('invalid input is BAD_USER_INPUT with what to fix', async () => {
    const cases: [string, RegExp][] = [
      ['{ neighborhood(ids: ["ofac-43379"], depth: 7) { truncated } }', /depth must be a whole number from 1 to 3/],
      ['{ neighborhood(ids: ["ofac-43379"], relationTypes: ["KNOWS"]) { truncated } }', /unknown relationType "KNOWS"/],
      ['{ paths(from: "ofac-1", to: "ofac-2", maxHops: 9) { length } }', /maxHops must be a whole number from 1 to 6/],
      ['{ search(query: "  ") { total } }', /query must not be empty/],
      ['{ search(query: "x", first: 1000) { total } }', /first must be a whole number from 1 to 100/],
      ['{ search(query: "x", after: "bogus") { total } }', /after is not a cursor/],
    ];
    for (const [query, message] of cases) {
      const { body } = await gql(query);
      expect(body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors![0].message).toMatch(message);
    }
  });

  test('too many root fields in one request are refused before anything runs', async () => {
    const many = Array.from({ length: 11 }, (_, i) => `n${i}: neighborhood(ids: ["ofac-43379"], depth: 3, limit: 1000) { truncated }`).join(' ');
    const { status, body } = await gql(`{ ${many} }`);
    expect(status).toBe(400);
    expect(body.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED'); // Apollo's code for a refused query
    expect(body.errors![0].message).toMatch(/at most 10 root fields; this one asks for 11/);
  });

  test('without the database: SERVICE_UNAVAILABLE and HTTP 503, and back when it returns', async () => {
    state.db = null;
    try {
      const { status, body } = await gql('{ datasets { name } }');
      expect(status).toBe(503);
      expect(body.errors![0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      state.db = db;
    }
    const { status, body } = await gql('{ datasets { name release releases entityCount loadedAt } }');
    expect(status).toBe(200);
    expect(body.data!.datasets).toEqual([expect.objectContaining({ name: 'ofac-sdn', release: '2024-05-03', releases: ['2024-05-03'], entityCount: 14965 })]);
  });
});
