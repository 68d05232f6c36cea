/**
 * Exports carry ownership (issue 14, item 1): OpenSanctions' ZALA FtM records (the Ownership records of
 * LLC CST and its neighbours, with percentages and dates; see ownership.int.test.ts for the figures by
 * hand) are loaded; the neighbourhood of LLC CST (two hops: its owners, what they own, their directors)
 * is exported over HTTP as GraphML (read with networkx), CSV (ownership.csv and nodes.csv read with
 * csv-parse) and Cytoscape.js JSON. For every company-like party of the export that something owns,
 * the verdict, totals, unknown shares, arithmetic and chains under OFAC's rule and the EU's test equal
 * what Query.ownership's function (server/api/ownership.ts ownership()) answers for the same company,
 * rule and day, asked here, not written down. A party nothing owns carries no ownership fields (the
 * choice documented in export-ownership.ts). Then the bounds: more owned companies than the cap are
 * each said "not computed", and a passed deadline stops the reads. An export as of a day (asOf) reads
 * the network as the loads of that day had it and gives that day's verdicts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { ingest } from '../../ingest/ingest';
import { neighborhood } from '../../server/api/graph';
import { notComputedNote, OWNED_KINDS, readExportOwnership } from '../../server/api/export-ownership';
import { ownership } from '../../server/api/ownership';
import { Database } from '../../server/core/neo4j/database';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, testDatabase, type TestApi } from '../helpers';

const ZALA = path.join(SHARED, 'opensanctions-ftm', 'zala', 'entities.ftm.json');
const CST = 'NK-abdzbEBkqyT29GyREbiURZ';
const NETWORK = `ids=${CST}&depth=2`;
const RULES = ['OFAC', 'EU'] as const;

let db: Database;
let api: TestApi;
let tmp: string;

beforeAll(async () => {
  db = testDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-ownership-'));
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [ZALA], dataset: 'opensanctions-zala', release: '2024-05-27' });
  // The same records again as a later release, so that an export as of a day between the two reads the
  // network through the as-of cut (server/core/as-of.ts), as neighborhood(asOf) does.
  await ingest(db, { ...LOAD_DEFAULTS, paths: [ZALA], dataset: 'opensanctions-zala', release: '2024-09-02' });
  api = await startApi(db);
}, 300_000);
afterAll(async () => {
  await api?.close();
  await db?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function download(query: string): Promise<Buffer> {
  const res = await fetch(`${api.base}/api/export?${query}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** What Query.ownership answers, in the export's shape (chains by party and relationship ids). */
async function expected(id: string, rule: (typeof RULES)[number], asOf: string) {
  const o = await ownership(db, { id, rule, asOf });
  expect(o.truncated).toBe(false);
  return {
    verdict: o.verdict,
    blocked: o.blocked,
    total: o.total,
    totalHigh: o.totalHigh,
    unknownShares: o.unknownShares,
    arithmetic: o.arithmetic,
    chains: o.chains.map((c) => ({ share: c.share ?? null, counted: c.counted, arithmetic: c.arithmetic, path: c.path.nodes.map((n) => n.id), links: c.path.edges.map((e) => e.id) })),
  };
}

/** The company-like parties with an OWNERSHIP link into them, read with Cypher (not by the exporter's query). */
async function ownedInGraph(): Promise<Set<string>> {
  const rows = await db.runWrite<{ id: string }>('MATCH (:Party)-[:OWNERSHIP]->(a:Party) RETURN DISTINCT a.id AS id');
  return new Set(rows.map((r) => r.id));
}

interface JsonNode {
  data: { id: string; kind: string; placeholder: boolean; ownership?: { asOf: string; notComputed: string | null; truncated: boolean; ofac: unknown; eu: unknown } };
}

describe('the neighbourhood of LLC CST, exported', () => {
  let nodes: JsonNode[];
  let asOf: string;
  let owned: string[];
  let unowned: string[];

  beforeAll(async () => {
    const doc = JSON.parse((await download(`${NETWORK}&format=json`)).toString('utf8'));
    nodes = doc.elements.nodes;
    asOf = doc.data.exportedAt.slice(0, 10);
    const inGraph = await ownedInGraph();
    const companies = nodes.filter((n) => OWNED_KINDS.has(n.data.kind) && !n.data.placeholder).map((n) => n.data.id);
    owned = companies.filter((id) => inGraph.has(id));
    unowned = companies.filter((id) => !inGraph.has(id));
  });

  test('the sample holds owned companies with chains, and company-like parties nothing owns', async () => {
    expect(owned).toContain(CST);
    expect(owned.length).toBeGreaterThan(1);
    expect(unowned.length).toBeGreaterThan(0);
    const cst = await expected(CST, 'OFAC', asOf);
    expect(cst.chains.length).toBeGreaterThan(1);
  });

  test('JSON: each owned company has an ownership object equal to Query.ownership under both rules, as of the export day', async () => {
    for (const id of owned) {
      const o = nodes.find((n) => n.data.id === id)!.data.ownership!;
      expect([id, o.asOf, o.notComputed, o.truncated]).toEqual([id, asOf, null, false]);
      expect([id, o.ofac]).toEqual([id, { rule: 'OFAC', ...(await expected(id, 'OFAC', asOf)) }]);
      expect([id, o.eu]).toEqual([id, { rule: 'EU', ...(await expected(id, 'EU', asOf)) }]);
    }
    for (const n of nodes) if (!owned.includes(n.data.id)) expect([n.data.id, n.data.ownership]).toEqual([n.data.id, undefined]);
  });

  test.each([
    ['graphml', 'read_graphml'],
    ['gexf', 'read_gexf'],
  ] as const)('%s read with networkx: the ownership attributes of each owned company equal Query.ownership; none on the others', async (format, reader) => {
    const file = path.join(tmp, `cst.${format}`);
    fs.writeFileSync(file, await download(`${NETWORK}&format=${format}`));
    const script = `import json, sys, networkx as nx
g = nx.${reader}(sys.argv[1])
print(json.dumps({n: d for n, d in g.nodes(data=True)}))`;
    const g = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Record<string, Record<string, unknown>>;
    expect(Object.keys(g).sort()).toEqual(nodes.map((n) => n.data.id).sort());
    for (const id of owned) {
      const n = g[id];
      expect([id, n.ownership_asOf]).toEqual([id, asOf]);
      for (const rule of RULES) {
        const e = await expected(id, rule, asOf);
        const r = rule.toLowerCase();
        // networkx gives a double as a float, a boolean as a bool: the totals are numbers here.
        expect([id, rule, n[`ownership_${r}_verdict`], n[`ownership_${r}_blocked`], n[`ownership_${r}_total`], n[`ownership_${r}_total_high`], n[`ownership_${r}_unknown_shares`]]).toEqual([
          id,
          rule,
          e.verdict,
          e.blocked,
          e.total,
          e.totalHigh,
          e.unknownShares,
        ]);
        expect([id, rule, n[`ownership_${r}_arithmetic`]]).toEqual([id, rule, e.arithmetic.join(' ')]);
        expect([id, rule, JSON.parse(String(n[`ownership_${r}_chains`] ?? '[]'))]).toEqual([id, rule, e.chains]);
      }
    }
    for (const id of unowned) expect([id, Object.keys(g[id]).filter((k) => k.startsWith('ownership_'))]).toEqual([id, []]);
  });

  test('CSV: ownership.csv has a verdict row and one row per chain for each owned company and rule; nodes.csv the verdicts', async () => {
    const files = unzipSync(new Uint8Array(await download(`${NETWORK}&format=csv`)));
    const read = (name: string) => parseCsv(strFromU8(files[name]), { bom: true, columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
    const rows = read('ownership.csv');
    const csvNodes = new Map(read('nodes.csv').map((r) => [r.id, r]));
    const num = (s: string) => (s === '' ? null : Number(s));
    for (const id of owned) {
      for (const rule of RULES) {
        const e = await expected(id, rule, asOf);
        const mine = rows.filter((r) => r.companyId === id && r.rule === rule);
        const [head, ...chains] = mine;
        expect([id, rule, head.chain, head.asOf, head.verdict, Number(head.total), Number(head.totalHigh), head.blocked, head.unknownShares, head.arithmetic]).toEqual([
          id,
          rule,
          '',
          asOf,
          e.verdict,
          e.total,
          e.totalHigh,
          String(e.blocked),
          String(e.unknownShares),
          e.arithmetic.join(' '),
        ]);
        expect([id, rule, chains.map((c) => ({ share: num(c.chainShare), counted: num(c.chainCounted), arithmetic: c.arithmetic, path: c.path.split('; '), links: c.links.split('; ') }))]).toEqual([
          id,
          rule,
          e.chains,
        ]);
        expect(chains.map((c) => Number(c.chain))).toEqual(e.chains.map((_, i) => i + 1));
        const n = csvNodes.get(id)!;
        const r = rule.toLowerCase();
        expect([id, n[`ownership_${r}_verdict`], Number(n[`ownership_${r}_total`])]).toEqual([id, e.verdict, e.total]);
      }
    }
    // Nothing else: no row for a party nothing owns.
    expect(new Set(rows.map((r) => r.companyId))).toEqual(new Set(owned));
    for (const id of unowned) expect([id, csvNodes.get(id)!.ownership_ofac_verdict, csvNodes.get(id)!.ownership_asOf]).toEqual([id, '', '']);
    expect(strFromU8(files['README.txt'])).toContain('ownership.csv: the ownership of each company-like party that something owns');
  });

  test('more owned companies than the cap: those beyond it say "not computed", in the export\'s node order', async () => {
    const sub = await neighborhood(db, { ids: [CST], depth: 2 });
    const inGraph = await ownedInGraph();
    const inOrder = sub.nodes.filter((n) => OWNED_KINDS.has(n.kind) && !n.placeholder && inGraph.has(n.id)).map((n) => n.id);
    expect(inOrder.length).toBeGreaterThan(1);
    const got = await readExportOwnership(db, sub, asOf, { limit: 1 });
    expect([...got.keys()].sort()).toEqual([...inOrder].sort());
    expect(got.get(inOrder[0])).toMatchObject({ notComputed: null, ofac: { rule: 'OFAC' }, eu: { rule: 'EU' } });
    for (const id of inOrder.slice(1)) {
      expect([id, got.get(id)]).toEqual([id, { asOf, notComputed: notComputedNote(1), listed: null, truncated: false, ofac: null, eu: null }]);
    }
    expect(notComputedNote(1)).toBe('not computed: export has more than 1 owned companies');
  });

  test('asOf: the network and the verdicts of that day, equal to Query.ownership on that day (which differ from today\'s)', async () => {
    const day = '2024-06-01';
    const doc = JSON.parse((await download(`${NETWORK}&format=json&asOf=${day}`)).toString('utf8'));
    expect(doc.data.asOf).toBe(day);
    expect(doc.data.description).toContain(`the network as of ${day}`);
    // The network of that day, as neighborhood(asOf) reads it.
    const { body } = await api.gql(`query N($ids: [ID!]!, $asOf: String) { neighborhood(ids: $ids, depth: 2, asOf: $asOf) { nodes { id } } }`, { ids: [CST], asOf: day });
    expect(body.errors).toBeUndefined();
    const network = (body.data as { neighborhood: { nodes: { id: string }[] } }).neighborhood.nodes.map((n) => n.id);
    expect((doc.elements.nodes as JsonNode[]).map((n) => n.data.id).sort()).toEqual(network.sort());
    const then = (doc.elements.nodes as JsonNode[]).filter((n) => n.data.ownership);
    expect(then.map((n) => n.data.id).sort()).toEqual([...owned].sort());
    let differs = 0;
    for (const n of then) {
      const id = n.data.id;
      const o = n.data.ownership!;
      expect([id, o.asOf, o.notComputed]).toEqual([id, day, null]);
      for (const rule of RULES) {
        const e = await expected(id, rule, day);
        expect([id, rule, rule === 'OFAC' ? o.ofac : o.eu]).toEqual([id, rule, { rule, ...e }]);
        if (JSON.stringify(e) !== JSON.stringify(await expected(id, rule, asOf))) differs++;
      }
    }
    // The date must matter for the comparison to mean anything (a stake in force then, ended since).
    expect(differs).toBeGreaterThan(0);
  });

  test('asOf that is no date, or before the first loaded release, is refused (400 BAD_USER_INPUT) naming asOf', async () => {
    for (const bad of ['2024-02-30', 'yesterday', '2020-01-01']) {
      const res = await fetch(`${api.base}/api/export?${NETWORK}&format=json&asOf=${bad}`);
      const body = (await res.json()) as { error?: { code: string; message: string } };
      expect([bad, res.status, body.error?.code]).toEqual([bad, 400, 'BAD_USER_INPUT']);
      expect(body.error?.message).toContain('asOf');
    }
  });

  test('a deadline already passed stops the ownership reads with its error', async () => {
    const sub = await neighborhood(db, { ids: [CST], depth: 1 });
    const late = new Error('the export took longer than its time limit');
    await expect(readExportOwnership(db, sub, asOf, { deadline: { at: Date.now() - 1, timedOut: () => late } })).rejects.toBe(late);
  });
});
