/**
 * The GraphQL API over the real Neo4j with the real 2024-05-03 SDN list loaded, called over HTTP
 * as a client would (POST /graphql).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { unzipSync, strFromU8 } from 'fflate';
import { createApp, AppState } from '../../server/api/app';
import { createGraphQLServer } from '../../server/api/graphql';
import { Database } from '../../server/core/neo4j/database';
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

const SEARCH = `query($q: String!, $first: Int, $after: String, $kinds: [EntityKind!], $programs: [String!]) {
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
    // Independently: the entries of the raw file with KOREA in the primary name and DPRK2 among the programs.
    const korea = fs.readFileSync(path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv'), 'utf8').split('\r\n')
      .flatMap((l) => /^(\d+),"[^"]*\bKOREA\b[^"]*",[^,]*,"(?:[^"]*\] \[)?DPRK2(?:\] \[[^"]*)?"/.exec(l)?.slice(1, 2) ?? []).map((u) => `ofac-${u}`);
    expect(korea.length).toBe(6);
    expect(dprk.map((h: { entity: { id: string } }) => h.entity.id)).toEqual(expect.arrayContaining(korea));
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

const NEIGHBORHOOD = `query($ids: [ID!]!, $depth: Int, $limit: Int, $types: [RelationType!]) {
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

const PATHS = `query($from: ID!, $to: ID!, $mode: PathMode, $max: Int, $types: [RelationType!], $exclude: [ID!]) {
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
    // By default the network only (no program membership): the one path through 48261.
    const network = (await gql(PATHS, { from: 'ofac-48262', to: 'ofac-43379' })).body.data!.paths;
    expect(network.map((p: { nodes: { id: string }[] }) => p.nodes.map((n) => n.id))).toEqual([['ofac-48262', 'ofac-48261', 'ofac-43379']]);
    const all = (await gql(PATHS, { from: 'ofac-48262', to: 'ofac-43379', types: ['UNKNOWN_LINK', 'SANCTION'] })).body.data!.paths;
    expect(all.length).toBeGreaterThan(1); // also through the shared program DPRK2, when asked
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

  test('an unknown kind or relationship type is refused by the schema (they are enums), naming the enum', async () => {
    const cases: [string, RegExp][] = [
      ['{ neighborhood(ids: ["ofac-43379"], relationTypes: [KNOWS]) { truncated } }', /Value "KNOWS" does not exist in "RelationType" enum/],
      ['{ neighborhood(ids: ["ofac-43379"], relationTypes: ["UNKNOWN_LINK"]) { truncated } }', /Enum "RelationType" cannot represent non-enum value: "UNKNOWN_LINK"/],
      ['{ search(query: "kim", kinds: [Dog]) { total } }', /Value "Dog" does not exist in "EntityKind" enum/],
    ];
    for (const [query, message] of cases) {
      const { body } = await gql(query);
      expect(body.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.errors![0].message).toMatch(message);
    }
    // As variables, the way the explorer sends them.
    const { body } = await gql(NEIGHBORHOOD, { ids: ['ofac-43379'], types: ['KNOWS'] });
    expect(body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0].message).toMatch(/\$types.*Value "KNOWS" does not exist in "RelationType" enum/);
  });

  test('a malformed request body is a 400, not a server error', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
  });

  test('too many root fields in one request are refused before anything runs', async () => {
    const many = Array.from({ length: 11 }, (_, i) => `n${i}: neighborhood(ids: ["ofac-43379"], depth: 3, limit: 1000) { truncated }`).join(' ');
    const { status, body } = await gql(`{ ${many} }`);
    expect(status).toBe(400);
    expect(body.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED'); // Apollo's code for a refused query
    expect(body.errors![0].message).toMatch(/at most 10 root fields; this one asks for 11/);
    // Fragments do not get around it.
    const viaFragment = await gql(`{ ...F } fragment F on Query { ${many} }`);
    expect(viaFragment.status).toBe(400);
    const viaInline = await gql(`{ ... on Query { ${many} } }`);
    expect(viaInline.status).toBe(400);
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

describe('export', () => {
  const exportUrl = (q: string) => url.replace(/\/graphql$/, `/api/export?${q}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-export-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Reads a file back with networkx (Debian's python3-networkx; .ci/run installs it). */
  function networkx(file: string, reader: 'read_graphml' | 'read_gexf'): { nodes: number; edges: number; kind: string; label: string } {
    const script = `import json, sys, networkx as nx
g = nx.${reader}(sys.argv[1])
n = g.nodes['ofac-43379']
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "kind": n.get("kind"), "label": n.get("label")}))`;
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' }));
  }

  async function download(q: string): Promise<{ res: Response; bytes: Buffer }> {
    const res = await fetch(exportUrl(q));
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  const GRAPH = (format: string) => `ids=ofac-43379&depth=2&relationTypes=UNKNOWN_LINK,HAS_IDENTIFIER&format=${format}`;

  /**
   * The subgraph GRAPH() asks for, from the raw file: parties and the identifiers their remarks state
   * ("Tax ID No. 2543103179 (Russia)"), joined by "Linked To: NAME" statements (to the entry of that
   * name) and identifier statements, within two hops of 43379 either way; edges among the nodes reached.
   */
  function rawSubgraph(): { nodes: number; edges: number } {
    const rows = fs.readFileSync(path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv'), 'utf8').split('\r\n').filter((l) => /^\d+,/.test(l));
    const byName = new Map(rows.map((l) => [/^\d+,"((?:[^"]|"")*)"/.exec(l)![1], l.split(',')[0]]));
    const edges = new Set<string>();
    for (const l of rows) {
      const uid = l.split(',')[0];
      const remarks = (/,"((?:[^"]|"")*)"$/.exec(l)?.[1] ?? '').replace(/\.$/, '');
      for (const st of remarks.split('; ')) {
        const link = /^Linked To: (.+)$/.exec(st);
        if (link && byName.has(link[1])) edges.add(`${uid}\t${byName.get(link[1])}`);
        const id = /^(?:alt\. )?(Tax ID No\.|Registration Number|Passport|National ID No\.|Identification Number|Email Address|Website|Phone Number) (\S+?)(?: \(.*\))?$/.exec(st);
        if (id) edges.add(`${uid}\t${id[1]} ${id[2]}`);
      }
    }
    const pairs = [...edges].map((e) => e.split('\t'));
    const reached = new Set(['43379']);
    for (let hop = 0; hop < 2; hop++) {
      for (const [a, b] of pairs.filter(([a, b]) => reached.has(a) !== reached.has(b))) reached.add(reached.has(a) ? b : a);
    }
    return { nodes: reached.size, edges: pairs.filter(([a, b]) => reached.has(a) && reached.has(b)).length };
  }

  test('GraphML and GEXF open in networkx with every node, edge and attribute', async () => {
    // 43379, 48260 and 48261 (Linked To it), 48262 (Linked To 48261), 48260's tax and registration numbers.
    const sub = rawSubgraph();
    expect(sub).toEqual({ nodes: 6, edges: 5 });
    for (const [format, reader] of [['graphml', 'read_graphml'], ['gexf', 'read_gexf']] as const) {
      const { res, bytes } = await download(GRAPH(format));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename="sanctions-graph-ofac-43379\\.${format}"`));
      const file = path.join(tmp, `g.${format}`);
      fs.writeFileSync(file, bytes);
      expect(networkx(file, reader)).toEqual({ nodes: sub.nodes, edges: sub.edges, kind: 'Organization', label: 'CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY' });
    }
  });

  test('CSV (zipped nodes and edges), Cytoscape.js JSON and FtM lines', async () => {
    const zip = unzipSync(new Uint8Array((await download(GRAPH('csv'))).bytes));
    const table = (name: string) => parseCsv(strFromU8(zip[name]), { columns: true, bom: true }) as Record<string, string>[];
    const nodes = table('nodes.csv');
    const edges = table('edges.csv');
    expect(nodes).toContainEqual(expect.objectContaining({ id: 'ofac-48260', label: 'LIMITED LIABILITY COMPANY ALIS', kind: 'Organization', degree: '4', programs: 'DPRK2', dataset: 'ofac-sdn' }));
    expect(edges).toContainEqual(expect.objectContaining({ source: 'ofac-48260', target: 'ofac-43379', type: 'UNKNOWN_LINK', label: 'Linked To', dataset: 'ofac-sdn', release: '2024-05-03' }));
    // The long table of identifiers: ALIS's tax and registration numbers, each with its provenance.
    expect(table('identifiers.csv').filter((r) => r.partyId === 'ofac-48260').map((r) => `${r.type} ${r.value} ${r.country} ${r.release}`).sort()).toEqual([
      'registrationNumber 1162536087230 Russia 2024-05-03',
      'taxId 2543103179 Russia 2024-05-03',
    ]);

    const json = JSON.parse((await download(GRAPH('json'))).bytes.toString('utf8'));
    expect(json.elements.nodes.map((n: { data: { id: string } }) => n.data.id)).toContain('ofac-48262');
    expect(json.elements.edges[0].data).toEqual(expect.objectContaining({ source: expect.any(String), target: expect.any(String), type: expect.any(String) }));

    const ftm = (await download(GRAPH('ftm'))).bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(ftm).toContainEqual(expect.objectContaining({ id: 'ofac-48260', schema: 'Organization', properties: expect.objectContaining({ name: ['LIMITED LIABILITY COMPANY ALIS'], idNumber: expect.arrayContaining(['2543103179']) }) }));
    expect(ftm).toContainEqual(
      expect.objectContaining({ schema: 'UnknownLink', properties: expect.objectContaining({ subject: ['ofac-48260'], object: ['ofac-43379'], role: ['Linked To'], recordId: [expect.stringMatching(/^sdn\.csv:\d+ \(ent_num 48260\)$/)] }) }),
    );
  });

  test('bad export parameters are a 400 that says what to fix', async () => {
    const { res, bytes } = await download('ids=ofac-43379&format=pdf');
    expect(res.status).toBe(400);
    expect(JSON.parse(bytes.toString('utf8')).error).toEqual({ code: 'BAD_USER_INPUT', message: 'format must be one of graphml, gexf, csv, json, ftm' });
    const deep = await download('ids=ofac-43379&depth=9');
    expect(deep.res.status).toBe(400);
    const twice = await download('ids=ofac-43379&format=gexf&format=csv');
    expect(twice.res.status).toBe(400);
    expect(JSON.parse(twice.bytes.toString('utf8')).error.message).toBe('format must be given once, as plain text');
    const odd = await download(`ids=${encodeURIComponent('a"\r\nx: y')}`);
    expect(odd.res.status).toBe(200); // an unknown id is an empty subgraph, and the file name stays a name
    expect(odd.res.headers.get('content-disposition')).toBe('attachment; filename="sanctions-graph-a_x_y.graphml"');
  });
});

describe('what the explorer relies on', () => {
  const SUB = `query($ids: [ID!]!) { subgraph(ids: $ids) { truncated nodes { id kind placeholder listedOn programs } edges { source target type label dataset release record } } }`;
  const NAMED = ['ofac-43379', 'ofac-48260', 'ofac-48262', 'DPRK2'];

  test('subgraph: exactly the named nodes and every relationship among them, with provenance; unknown ids left out', async () => {
    const sub = (await gql(SUB, { ids: [...NAMED, 'no-such-id'] })).body.data!.subgraph;
    expect(sub.nodes.map((n: { id: string }) => n.id).sort()).toEqual([...NAMED].sort());
    const link = sub.edges.find((e: { source: string; target: string }) => e.source === 'ofac-48260' && e.target === 'ofac-43379');
    expect(link).toMatchObject({ type: 'UNKNOWN_LINK', label: 'Linked To', dataset: 'ofac-sdn', release: '2024-05-03' });
    expect(link.record).toMatch(/^sdn\.csv:\d+ \(ent_num 48260\)$/);
    // 48262 links to 48261, which is not named: only edges among the named nodes come back.
    for (const e of sub.edges as { source: string; target: string }[]) {
      expect(NAMED).toContain(e.source);
      expect(NAMED).toContain(e.target);
    }
    expect(sub.edges.length).toBe(4); // 48260 Linked To 43379, and the three SANCTION edges to DPRK2
    const party = sub.nodes.find((n: { id: string }) => n.id === 'ofac-48260');
    expect(party).toMatchObject({ placeholder: false, listedOn: '2024-05-03', programs: ['DPRK2'] });
  });

  test('neighborhood exclude pages through a hub without repeating a node', async () => {
    const PAGE = `query($ids: [ID!]!, $exclude: [ID!]) { neighborhood(ids: $ids, limit: 30, exclude: $exclude) { truncated nodes { id } } }`;
    const first = (await gql(PAGE, { ids: ['DPRK2'] })).body.data!.neighborhood;
    const firstIds: string[] = first.nodes.map((n: { id: string }) => n.id);
    expect(first.truncated).toBe(true);
    const second = (await gql(PAGE, { ids: ['DPRK2'], exclude: firstIds.filter((id) => id !== 'DPRK2') })).body.data!.neighborhood;
    const secondIds: string[] = second.nodes.map((n: { id: string }) => n.id);
    expect(secondIds.length).toBe(30);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual(['DPRK2']);
    const [{ members }] = await db.runWrite<{ members: string[] }>("MATCH (p:Party)-[:SANCTION]->(:Program {id: 'DPRK2'}) RETURN collect(p.id) AS members");
    for (const id of [...firstIds, ...secondIds]) if (id !== 'DPRK2') expect(members).toContain(id);
  });

  test('a filtered search is not limited to the best-scoring unfiltered candidates', async () => {
    // "company" is in thousands of names; every CYBER2 party with it in a name must be found.
    const [{ ids }] = await db.runWrite<{ ids: string[] }>(
      "MATCH (p:Party) WHERE 'CYBER2' IN p.programs AND any(n IN [p.name] + p.aliasNames WHERE toUpper(n) CONTAINS 'COMPANY') RETURN collect(p.id) AS ids",
    );
    expect(ids.length).toBeGreaterThan(0);
    const { body } = await gql(SEARCH, { q: 'company', programs: ['CYBER2'], first: 100 });
    const found = body.data!.search.hits.map((h: { entity: { id: string } }) => h.entity.id);
    for (const id of ids) expect(found).toContain(id);
    for (const h of body.data!.search.hits) expect(h.entity.programs).toContain('CYBER2');
  });

  test('POST /api/export with depth=0 downloads exactly the named nodes', async () => {
    const base = url.replace(/\/graphql$/, '');
    const res = await fetch(`${base}/api/export`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ids: 'ofac-43379,ofac-48260,ofac-48261', depth: '0', format: 'json' }).toString(),
    });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { elements: { nodes: { data: { id: string } }[]; edges: unknown[] } };
    expect(json.elements.nodes.map((n) => n.data.id).sort()).toEqual(['ofac-43379', 'ofac-48260', 'ofac-48261']);
    expect(json.elements.edges.length).toBe(2);
  });

  test('a browser opening /graphql gets the bundled GraphiQL page; a program gets the API', async () => {
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('GraphQL IDE');
    expect(html).not.toMatch(/(src|href)="https?:/i);
    const api = await fetch(`${url}?query=${encodeURIComponent('{ datasets { name } }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(((await api.json()) as { data: { datasets: { name: string }[] } }).data.datasets[0].name).toBe('ofac-sdn');
  });
});
