/**
 * The cost of a GraphQL request (server/api/cost.ts), without a database: every field counted after
 * fragments and aliases, lists by their size, reads extra; the explorer's own requests well inside the
 * default budget, the amplification of issue 10 far outside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, getIntrospectionQuery, getNamedType, getNullableType, isListType, isObjectType, parse } from 'graphql';
import * as api from '../../client/src/api';
import { FIELD_COSTS, queryCost, READ_COST } from '../../server/api/cost';
import { createGraphQLServer } from '../../server/api/graphql';
import { apiLimits } from '../../server/core/settings';

const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'server', 'schema.graphql'), 'utf8'));
const budget = apiLimits({}).maxQueryCost;
const cost = (query: string, variables: Record<string, unknown> = {}) => queryCost(schema, parse(query), variables);

/** search(first: 100), each hit's party with `aliases` aliased possibleMatches. */
function amplification(aliases: number): string {
  const matches = Array.from({ length: aliases }, (_, i) => `m${i}: possibleMatches { id score }`).join(' ');
  return `{ search(query: "kim", first: 100) { hits { entity { id ${matches} } } } }`;
}

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('GraphiQL', () => {
  test('its schema introspection (as GraphiQL asks it) is counted, each field once, and costs little', () => {
    // GraphiQL 4 asks with these options; before introspection was costed, the request was refused outright.
    const introspection = getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true, directiveIsRepeatable: true, specifiedByUrl: true });
    const c = cost(introspection);
    expect(c).toBeGreaterThan(100);
    expect(c).toBeLessThan(READ_COST);
  });
});

describe('the explorer', () => {
  test('each operation it sends, at the largest sizes it uses, costs less than half the default budget', async () => {
    const sent: { query: string; variables: Record<string, unknown> }[] = [];
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      sent.push(JSON.parse(String(init.body)));
      return new Response(JSON.stringify({ data: {} }), { status: 200 });
    }) as typeof fetch;
    const canvas = Array.from({ length: 5000 }, (_, i) => `ofac-${i}`);
    await api.search('kim', {}, 100).catch(() => null);
    await api.entity('ofac-43379').catch(() => null);
    // The "+N more" of a hub and "everyone who shares it", with a full canvas excluded.
    await api.neighborhood(['ofac-43379'], { limit: 61, relationTypes: null, exclude: canvas }).catch(() => null);
    // What addWithContext and a restored investigation ask for: every relationship among 5000 nodes.
    await api.subgraph(canvas).catch(() => null);
    await api.paths({ from: 'a', to: 'b', mode: 'K_SHORTEST', maxHops: 6, limit: 50, relationTypes: [], excludeIds: [] }).catch(() => null);
    await api.reviewMatch('a', 'b', 'CONFIRMED', 'key').catch(() => null);
    await api.datasets().catch(() => null);
    expect(sent).toHaveLength(7);
    const costs = sent.map(({ query, variables }) => [query.match(/(?:query|mutation) (\w+)/)![1], cost(query, variables)] as const);
    for (const [, c] of costs) expect(c).toBeGreaterThan(0);
    expect(costs.filter(([, c]) => c >= budget / 2)).toEqual([]);
  });
});

describe('counting', () => {
  test('the amplification (search(first: 100), each hit with 400 aliased possibleMatches) is far over the budget', () => {
    expect(cost(amplification(400))).toBeGreaterThan(10 * budget);
    // One possibleMatches per hit is a fair request.
    expect(cost(amplification(1))).toBeLessThan(budget / 2);
  });

  test('every alias counts: n aliases cost n times one', () => {
    const base = cost('{ search(query: "kim", first: 100) { hits { entity { id } } } }');
    expect(cost(amplification(10)) - base).toBe(10 * (cost(amplification(1)) - base));
    expect(cost(amplification(1))).toBeGreaterThan(base);
  });

  test('fragments and inline fragments cost what the fields they expand to cost', () => {
    const plain = cost('{ search(query: "kim", first: 50) { hits { entity { id name possibleMatches { id } } } } }');
    const viaFragment = cost('{ search(query: "kim", first: 50) { hits { entity { ...E } } } } fragment E on Entity { id name possibleMatches { id } }');
    const viaInline = cost('{ search(query: "kim", first: 50) { hits { entity { ... on Entity { id name possibleMatches { id } } } } } }');
    expect(viaFragment).toBe(plain);
    expect(viaInline).toBe(plain);
    // A fragment spread twice counts twice.
    const twice = cost('{ a: entity(id: "x") { ...E } b: entity(id: "x") { ...E } } fragment E on Entity { aliases { name } }');
    expect(twice).toBe(2 * cost('{ a: entity(id: "x") { ...E } } fragment E on Entity { aliases { name } }'));
  });

  test('list sizes multiply, from arguments and from variables', () => {
    const page = (first: number) => cost('query($n: Int) { search(query: "kim", first: $n) { hits { score } } }', { n: first });
    expect(page(100) - READ_COST).toBe(10 * (page(10) - READ_COST));
    const ids = (n: number) => cost('query($ids: [ID!]!) { subgraph(ids: $ids) { nodes { id } } }', { ids: Array.from({ length: n }, (_, i) => `x${i}`) });
    expect(ids(1000) - 3 * READ_COST).toBe(10 * (ids(100) - 3 * READ_COST));
    const neighbours = (limit: number) => cost(`{ neighborhood(ids: ["x"], limit: ${limit}) { nodes { id } } }`);
    expect(neighbours(1000)).toBeGreaterThan(neighbours(100));
  });

  test('a field resolver that reads per parent costs more than a plain field', () => {
    const plain = cost('{ search(query: "kim", first: 10) { hits { score } } }');
    const withEntity = cost('{ search(query: "kim", first: 10) { hits { score entity { id } } } }');
    const withName = cost('{ search(query: "kim", first: 10) { hits { score matchedName } } }');
    expect(withEntity - plain).toBeGreaterThan(5 * (withName - plain));
  });

  test('every list of objects in the schema has its size in FIELD_COSTS (a new list is costed on purpose)', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const listOfObjects = isListType(getNullableType(field.type)) && isObjectType(getNamedType(field.type));
        if (listOfObjects && !FIELD_COSTS[`${type.name}.${field.name}`]?.size) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('the server refuses before anything runs (no database needed)', () => {
  const server = createGraphQLServer({ maxQueryCost: budget, requestTimeoutMs: 1000 });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  async function refusal(query: string): Promise<{ code: unknown; message: string; status: number | undefined }> {
    const res = await server.executeOperation({ query }, { contextValue: { db: null } });
    if (res.body.kind !== 'single') throw new Error('a single answer was expected');
    const [error] = res.body.singleResult.errors ?? [];
    return { code: error?.extensions?.code, message: error?.message ?? '', status: res.http.status };
  }

  test('the amplification: QUERY_TOO_COSTLY, HTTP 400, naming its cost and the budget', async () => {
    const r = await refusal(amplification(400));
    expect(r).toMatchObject({ code: 'QUERY_TOO_COSTLY', status: 400 });
    expect(r.message).toMatch(new RegExp(`^This request costs ${cost(amplification(400))}; the budget of one request is ${budget} \\(MAX_QUERY_COST\\)`));
  });

  test('fragments that double at each level (2^30 fields) are refused without being counted out', async () => {
    const bomb = `{ entity(id: "x") { ...F0 } } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Entity { id ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F30 on Entity { id }`;
    const r = await refusal(bomb);
    expect(r).toMatchObject({ code: 'QUERY_TOO_COSTLY', status: 400 });
    expect(r.message).toMatch(/has too many fields to count/);
  });

  test('a request within the budget passes the check (and then needs the database)', async () => {
    const r = await refusal('{ datasets { name } }');
    expect(r.code).toBe('SERVICE_UNAVAILABLE');
  });
});

describe('screening and exposure', () => {
  const SCREEN = fs.readFileSync(path.join(__dirname, '..', '..', 'server', 'api', 'screen.ts'), 'utf8');
  const operation = /SCREEN_OPERATION = `([^`]+)`/.exec(SCREEN)![1];

  test('POST /api/screen at its largest (25 matches, each with its exposure) fits the default budget; 50 would not', () => {
    expect(cost(operation, { input: { name: 'x' }, first: 25 })).toBeLessThan(budget);
    expect(cost(operation, { input: { name: 'x' }, first: 50 })).toBeGreaterThan(budget);
  });

  test('each exposure counts its reads: exposures of exposures of 50 matches are refused, one exposure is cheap', () => {
    const nested = `{ screen(input: {name: "x"}, first: 50) { matches { exposure { entity { exposure(maxHops: 6) { distance } } } } } }`;
    expect(cost(nested)).toBeGreaterThan(budget);
    const one = cost(`{ exposure(id: "ofac-48262") { distance entity { id } path { length nodes { id } edges { id } } } }`);
    expect(one).toBeLessThan(budget / 10);
    // A deeper search reads more.
    expect(cost(`{ exposure(id: "x", maxHops: 6) { distance } }`)).toBeGreaterThan(cost(`{ exposure(id: "x", maxHops: 1) { distance } }`));
  });
});
