/**
 * One request cannot take the API down (issue 10, "Resource exhaustion"), over HTTP against the real
 * Neo4j holding the OFAC SDN lists of 2024-04-26 and 2024-05-03 and the UN list of 2025-11-18 (so
 * there are releases to compare and candidate matches between lists):
 *
 * - the cost of a request is counted on every field and one above the budget is refused before any read;
 * - per-parent reads (SearchHit.entity, Entity.possibleMatches) are one query per request;
 * - all the reads of a request share one deadline;
 * - paths follow the network by default (no program hubs, no candidate matches);
 * - `changes` comes in pages; a search with too many words is refused;
 * - /healthz answers from stored counts and does not say where Neo4j is.
 *
 * Which reads a request made is seen through a Database whose `read` records each call (name and the
 * timeout it was given) before passing it on.
 */
import http from 'node:http';
import path from 'node:path';
import { ingest } from '../../ingest/ingest';
import { createApp, AppState } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
import { apiLimits, ApiLimits } from '../../server/core/settings';
import { LOAD_DEFAULTS, resetDatabase, SHARED, testDatabase, testNeo4j } from '../helpers';

const SDN_0426 = path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv');
const SDN_0503 = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const UN = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');

let db: Database;
/** Every read of the API since the last `reads.length = 0`: its query name and transaction timeout. */
const reads: { name: string; timeoutMs: number | undefined }[] = [];
/** Run after each read (the deadline test moves the clock here). */
let afterRead: () => void = () => undefined;

/** The test database, recording each read. */
function recording(base: Database): Database {
  const spy = Object.create(base) as Database;
  spy.read = (async (name: string, params?: Record<string, unknown>, timeoutMs?: number, slots?: Record<string, string | number>) => {
    reads.push({ name, timeoutMs });
    const rows = await base.read(name, params, timeoutMs, slots);
    afterRead();
    return rows;
  }) as Database['read'];
  return spy;
}

interface Served {
  state: AppState;
  base: string;
  gql(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: { data?: Record<string, any> | null; errors?: { message: string; extensions: Record<string, any> }[] } }>;
  close(): Promise<void>;
}

/** The real app (Express + Apollo) on a free port, with these request limits. */
async function serve(limits: ApiLimits = apiLimits({})): Promise<Served> {
  const state: AppState = { notReady: null, db: recording(db), neo4j: { uri: testNeo4j().uri, embedded: false, version: '5.26' } };
  const graphql = createGraphQLServer(limits);
  await graphql.start();
  const server = http.createServer(createApp(state, graphql));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    state,
    base,
    async gql(query, variables = {}) {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return { status: res.status, body: (await res.json()) as any };
    },
    async close() {
      await new Promise((r) => server.close(r));
      await graphql.stop();
    },
  };
}

let api: Served;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0426], release: '2024-04-26' });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503], release: '2024-05-03' });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [UN] });
  api = await serve();
});
afterAll(async () => {
  await api?.close();
  await db?.close();
});
beforeEach(() => {
  reads.length = 0;
});

/** search(first: 100), each hit's party with `n` aliased possibleMatches. */
const amplification = (n: number) =>
  `{ search(query: "korea", first: 100) { hits { entity { id ${Array.from({ length: n }, (_, i) => `m${i}: possibleMatches { id score }`).join(' ')} } } } }`;

describe('cost', () => {
  test('the amplification (100 hits x 400 aliased possibleMatches) is refused before any read, naming its cost and the budget', async () => {
    const { status, body } = await api.gql(amplification(400));
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    const [error] = body.errors!;
    expect(error.extensions.code).toBe('QUERY_TOO_COSTLY');
    const budget = apiLimits({}).maxQueryCost;
    expect(error.extensions.budget).toBe(budget);
    expect(error.extensions.cost).toBeGreaterThan(budget);
    expect(error.message).toContain(`costs ${error.extensions.cost}; the budget of one request is ${budget} (MAX_QUERY_COST)`);
    expect(reads).toEqual([]);
  });

  test('the same shape with one possibleMatches per hit is answered', async () => {
    const { status, body } = await api.gql(amplification(1));
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data!.search.hits.length).toBeGreaterThan(50);
  });

  test('fragments and variables are counted too; MAX_QUERY_COST sets the budget', async () => {
    const small = await serve({ ...apiLimits({}), maxQueryCost: 5000 });
    try {
      const viaFragment = await small.gql('query($n: Int) { search(query: "korea", first: $n) { hits { ...H } } } fragment H on SearchHit { entity { aliases { name } } }', { n: 100 });
      expect(viaFragment.body.errors![0].extensions.code).toBe('QUERY_TOO_COSTLY');
      expect(viaFragment.body.errors![0].message).toMatch(/the budget of one request is 5000/);
      const fewer = await small.gql('query($n: Int) { search(query: "korea", first: $n) { hits { ...H } } } fragment H on SearchHit { score }', { n: 5 });
      expect(fewer.body.errors).toBeUndefined();
    } finally {
      await small.close();
    }
  });
});

describe('per-parent reads are batched', () => {
  test('a page of hits with their parties and candidate matches is three reads, whatever the page size', async () => {
    const { body } = await api.gql('{ search(query: "korea", first: 100) { hits { entity { id a: possibleMatches { id } b: possibleMatches { score } } } } }');
    expect(body.errors).toBeUndefined();
    const hits = body.data!.search.hits as { entity: { id: string; a: { id: string }[]; b: unknown[] } }[];
    expect(hits.length).toBeGreaterThan(50);
    expect(hits.some((h) => h.entity.a.length > 0)).toBe(true);
    // The search itself answers from the name index (no read; its build reads search-index-* pages
    // once) or, before the index is built, from the full-text candidates (one read).
    const names = reads.map((r) => r.name).filter((n) => !n.startsWith('search-index-'));
    expect(names.filter((n) => n !== 'api-search-candidates').sort()).toEqual(['api-entities', 'api-possible-matches-of']);
    expect(names.filter((n) => n === 'api-search-candidates').length).toBeLessThanOrEqual(1);
  });

  test('the batched candidates are each party\'s own, best first, as the single read gives them', async () => {
    const single = (id: string) => db.read<{ id: string; score: number }>('api-possible-matches', { id });
    const ids = ['un-KPe.001', 'ofac-9345', 'un-KPi.006', 'ofac-15667', 'ofac-43379'];
    const query = `{ ${ids.map((id, i) => `e${i}: entity(id: "${id}") { id possibleMatches { id score } }`).join(' ')} }`;
    const { body } = await api.gql(query);
    expect(body.errors).toBeUndefined();
    for (const [i, id] of ids.entries()) {
      const expected = (await single(id)).map((m) => ({ id: m.id, score: m.score }));
      expect([id, body.data![`e${i}`].possibleMatches]).toEqual([id, expected]);
    }
    expect(body.data!.e0.possibleMatches.map((m: { id: string }) => m.id)).toContain('ofac-9345');
    // Five aliased entity fields: one read of parties, one of candidates.
    expect(reads.map((r) => r.name).sort()).toEqual(['api-entities', 'api-possible-matches-of']);
  });
});

describe('one deadline per request', () => {
  test('the reads of a neighbourhood share it: each gets the time left, none starts after it, and the request ends in TIMEOUT (504)', async () => {
    const limited = await serve({ ...apiLimits({}), requestTimeoutMs: 10_000 });
    // Each read seems to take 4 s: the clock moves on after it.
    const realNow = Date.now.bind(Date);
    let skew = 0;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + skew);
    afterRead = () => {
      skew += 4000;
    };
    try {
      const { status, body } = await limited.gql('{ neighborhood(ids: ["ofac-43379"], depth: 3, limit: 1000) { nodes { id } } }');
      expect(status).toBe(504);
      expect(body.errors![0].extensions.code).toBe('TIMEOUT');
      expect(body.errors![0].message).toMatch(/time limit \(REQUEST_TIMEOUT, 10 s\)/);
      // Seeds at 0 s, hop 1 at 4 s, hop 2 at 8 s; hop 3 would start at 12 s, past the deadline: never sent.
      expect(reads.map((r) => r.name)).toEqual(['api-seeds', 'api-neighborhood-hop', 'api-neighborhood-hop']);
      const [t0, t1, t2] = reads.map((r) => r.timeoutMs!);
      expect(t0).toBeLessThanOrEqual(10_000);
      expect(t1).toBeLessThanOrEqual(6_000);
      expect(t2).toBeLessThanOrEqual(2_000);
      expect(t2).toBeGreaterThan(0);
    } finally {
      afterRead = () => undefined;
      clock.mockRestore();
      await limited.close();
    }
  });

  test('root fields share it too: no read of any of them starts after it', async () => {
    const limited = await serve({ ...apiLimits({}), requestTimeoutMs: 3_000 });
    const realNow = Date.now.bind(Date);
    let skew = 0;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + skew);
    afterRead = () => {
      skew += 4000;
    };
    try {
      // Both root fields make their first read at once; their next reads (the search's parties, the
      // neighbourhood's first hop) would start 8 s later, past the deadline.
      const { status, body } = await limited.gql('{ search(query: "chinyong") { hits { entity { id } } } neighborhood(ids: ["ofac-43379"]) { nodes { id } } }');
      expect(body.errors!.map((e) => e.extensions.code)).toContain('TIMEOUT');
      expect(body.errors!.every((e) => e.extensions.code === 'TIMEOUT')).toBe(true);
      expect(status).toBe(504);
      // At most the first read of each root field started before the clock passed the deadline: the
      // neighbourhood's seeds, and the search's first (its parties when the name index answered the
      // search itself, else the full-text candidates); whichever ended first moved the clock, so the
      // other may not have started at all. Never a second read (a hop, the hits' parties after the
      // candidates).
      const names = reads.map((r) => r.name).filter((n) => !n.startsWith('search-index-'));
      expect(names.length).toBeGreaterThanOrEqual(1);
      expect(names.filter((n) => n === 'api-seeds').length).toBeLessThanOrEqual(1);
      expect(names.filter((n) => n !== 'api-seeds')).toEqual(names.filter((n) => n !== 'api-seeds').slice(0, 1));
      for (const n of names) expect(['api-seeds', 'api-entities', 'api-search-candidates']).toContain(n);
    } finally {
      afterRead = () => undefined;
      clock.mockRestore();
      await limited.close();
    }
  });

  test('within the deadline nothing changes: the reads get at most REQUEST_TIMEOUT', async () => {
    const { body } = await api.gql('{ neighborhood(ids: ["ofac-43379"], depth: 2) { nodes { id } } }');
    expect(body.errors).toBeUndefined();
    expect(reads.length).toBeGreaterThanOrEqual(4);
    for (const r of reads) expect(r.timeoutMs).toBeLessThanOrEqual(apiLimits({}).requestTimeoutMs);
  });
});

describe('paths follow the network by default', () => {
  const PATHS = `query($from: ID!, $to: ID!, $types: [RelationType!], $max: Int) {
    paths(from: $from, to: $to, mode: ALL_SHORTEST, maxHops: $max, relationTypes: $types) { length nodes { id kind } edges { type } } }`;

  test('a candidate match is not a path unless asked for', async () => {
    const asked = (await api.gql(PATHS, { from: 'un-KPe.001', to: 'ofac-9345', types: ['POSSIBLY_SAME_AS'], max: 2 })).body.data!.paths;
    expect(asked[0]).toMatchObject({ length: 1, edges: [{ type: 'POSSIBLY_SAME_AS' }] });
    const byDefault = (await api.gql(PATHS, { from: 'un-KPe.001', to: 'ofac-9345', max: 4 })).body;
    expect(byDefault.errors).toBeUndefined();
    for (const p of byDefault.data!.paths) expect(p.edges.map((e: { type: string }) => e.type)).not.toContain('POSSIBLY_SAME_AS');
  });

  test('two parties listed under the same program are not connected by it unless asked', async () => {
    // Two DPRK2 parties: through their program they are two hops apart.
    const [pair] = await db.runWrite<{ a: string; b: string }>(
      `MATCH (a:Party)-[:SANCTION]->(:Program {name: 'DPRK2'})<-[:SANCTION]-(b:Party)
       WHERE a.id < b.id AND NOT EXISTS { (a)-[r]-(x)-[s]-(b) WHERE NOT type(r) IN ['SANCTION', 'POSSIBLY_SAME_AS'] AND NOT type(s) IN ['SANCTION', 'POSSIBLY_SAME_AS'] }
         AND NOT EXISTS { (a)-[r]-(b) WHERE NOT type(r) IN ['SANCTION', 'POSSIBLY_SAME_AS'] }
       RETURN a.id AS a, b.id AS b LIMIT 1`,
    );
    expect(pair).toBeDefined();
    const viaProgram = (await api.gql(PATHS, { from: pair.a, to: pair.b, types: ['SANCTION'], max: 2 })).body.data!.paths;
    expect(viaProgram.length).toBeGreaterThan(0);
    expect(viaProgram[0].nodes[1].kind).toBe('Program');
    const byDefault = await api.gql(PATHS, { from: pair.a, to: pair.b, max: 2 });
    expect(byDefault.body.errors).toBeUndefined();
    expect(byDefault.body.data!.paths).toEqual([]);
  });
});

describe('changes in pages', () => {
  const PAGE = `query($first: Int, $after: ID, $to: String) { changes(dataset: "ofac-sdn", to: $to) {
    addedCount removedCount modifiedCount added(first: $first, after: $after) { id name } } }`;

  test('pages of `first` after the last id of the previous page give every added party once, in id order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let count = 0;
    for (let page = 0; page < 10; page++) {
      const { body } = await api.gql(PAGE, { first: 100, after });
      expect(body.errors).toBeUndefined();
      count = body.data!.changes.addedCount;
      const ids = body.data!.changes.added.map((c: { id: string }) => c.id);
      expect(ids.length).toBeLessThanOrEqual(100);
      if (ids.length === 0) break;
      seen.push(...ids);
      after = ids[ids.length - 1];
    }
    expect(count).toBe(305);
    expect(seen.length).toBe(305);
    expect(new Set(seen).size).toBe(305);
    expect(seen).toEqual([...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const counts = (await api.gql(PAGE, { first: 1 })).body.data!.changes;
    expect({ removed: counts.removedCount, modified: counts.modifiedCount }).toEqual({ removed: 8, modified: 8 });
  });

  test('the first release (everything added) is bounded by default; the count says how many there are', async () => {
    const { body } = await api.gql(PAGE, { to: '2024-04-26' });
    expect(body.errors).toBeUndefined();
    expect(body.data!.changes.addedCount).toBe(14668);
    expect(body.data!.changes.added.length).toBe(1000);
    const tooMany = await api.gql(PAGE, { first: 5000 });
    expect(tooMany.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(tooMany.body.errors![0].message).toMatch(/first must be a whole number from 1 to 1000/);
  });
});

describe('search re-ranking is bounded', () => {
  const SEARCH = 'query($q: String!, $programs: [String!]) { search(query: $q, programs: $programs, first: 5) { total hits { entity { id } } } }';

  test('a 100-word filtered search is refused, saying how many words it may have', async () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ').slice(0, 200);
    const { body } = await api.gql(SEARCH, { q: words, programs: ['DPRK2'] });
    expect(body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0].message).toMatch(/query has \d+ different words; at most 12 are searched/);
    expect(reads).toEqual([]);
  });

  test('twelve words are searched; legal-form words do not count', async () => {
    const { body } = await api.gql(SEARCH, { q: 'Korea Kwangson Banking Corporation Co Ltd LLC of the Democratic People Republic Korea Pyongyang Branch', programs: ['DPRK2'] });
    expect(body.errors).toBeUndefined();
    expect(body.data!.search.total).toBeGreaterThan(0);
  });
});

describe('/healthz', () => {
  async function health(): Promise<{ status: number; text: string; body: any }> {
    const res = await fetch(`${api.base}/healthz`);
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) };
  }

  test('says what is loaded and that Neo4j answers, never where Neo4j is', async () => {
    const { status, text, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', neo4j: { connected: true, version: '5.26' } });
    expect(body.neo4j).not.toHaveProperty('uri');
    expect(text).not.toContain(testNeo4j().uri);
    expect(body.datasets).toEqual([
      expect.objectContaining({ name: 'ofac-sdn', release: '2024-05-03', entities: 14965 }),
      expect.objectContaining({ name: 'un-sc', release: '2025-11-18', entities: 1000 }),
    ]);
  });

  test('the counts are the ones each load stores; a dataset loaded before they were stored is counted', async () => {
    const stored = await db.runWrite<{ name: string; n: number | null }>('MATCH (d:Dataset) RETURN d.name AS name, d.entityCount AS n ORDER BY name');
    expect(stored).toEqual([
      { name: 'ofac-sdn', n: 14965 },
      { name: 'un-sc', n: 1000 },
    ]);
    try {
      // What /healthz says is the stored number, not a count of the parties.
      await db.runWrite("MATCH (d:Dataset {name: 'ofac-sdn'}) SET d.entityCount = 12345");
      expect((await health()).body.datasets[0]).toMatchObject({ name: 'ofac-sdn', entities: 12345 });
      // A store written by an earlier version has no count: counted, as before.
      await db.runWrite("MATCH (d:Dataset {name: 'ofac-sdn'}) REMOVE d.entityCount");
      expect((await health()).body.datasets[0]).toMatchObject({ name: 'ofac-sdn', entities: 14965 });
      const { body } = await api.gql('{ datasets { name entityCount } }');
      expect(body.data!.datasets[0]).toEqual({ name: 'ofac-sdn', entityCount: 14965 });
    } finally {
      await db.runWrite("MATCH (d:Dataset {name: 'ofac-sdn'}) SET d.entityCount = 14965");
    }
  });
});
