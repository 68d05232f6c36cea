/**
 * Export fields no other test reads back on real data (review of issue 12, gap 11): each party's birth
 * dates, nationalities (with citizenships), listing date, first release seen and delisting, and each
 * relationship's start and end dates and percentage. Real Neo4j holding the SDN lists of 2024-04-26 then
 * 2024-05-03 (so the parties the later release no longer lists are delisted) and OpenSanctions' ZALA FtM
 * records (ownerships with percentages and dates; see ownership.int.test.ts). The GraphML export is read
 * with networkx (as export-evidence.int does), the CSV export with csv-parse; both are compared with what
 * the GraphQL API says of the same parties (entity) and relationships (subgraph), and, for the dates of a
 * relationship the API does not serve, with the relationship as stored. Nothing expected is a literal:
 * the sample is chosen from the graph, and each field's value comes from the API or the graph.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { ingest } from '../../ingest/ingest';
import { Database } from '../../server/core/neo4j/database';
import { LOAD_DEFAULTS, resetDatabase, SHARED, startApi, testDatabase, type TestApi } from '../helpers';

const SDN_0426 = path.join(SHARED, 'ofac-sdn-csv-2024-04-26', 'sdn.csv');
const SDN_0503 = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const ZALA = path.join(SHARED, 'opensanctions-ftm', 'zala', 'entities.ftm.json');

let db: Database;
let api: TestApi;
let tmp: string;
/** The parties exported (ids=...&depth=0: exactly these, with the relationships among them). */
let ids: string[];

beforeAll(async () => {
  db = testDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-fields-'));
  await resetDatabase(db);
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0426] });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [SDN_0503] });
  await ingest(db, { ...LOAD_DEFAULTS, paths: [ZALA], dataset: 'opensanctions-zala', release: '2024-05-27' });
  api = await startApi(db);
  ids = await sample();
  // Two SDN loads and ZALA: minutes on a busy machine.
}, 900_000);
afterAll(async () => {
  await api?.close();
  await db?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * The parties to export, chosen from the graph so that every field compared has values: parties the
 * 2024-05-03 release delisted, people with several birth dates, parties with nationalities and with
 * citizenships, parties first listed on 2024-05-03 (a firstSeen other than the first release), and
 * every party of the ZALA records (listing dates; ownerships with percentages and dates among them).
 */
async function sample(): Promise<string[]> {
  const pick = async (where: string) =>
    (await db.runWrite<{ id: string }>(`MATCH (p:Party) WHERE ${where} RETURN p.id AS id ORDER BY id LIMIT 12`)).map((r) => r.id);
  const zala = await db.runWrite<{ id: string }>("MATCH (p:Party)-[r]-() WHERE r.dataset = 'opensanctions-zala' RETURN DISTINCT p.id AS id ORDER BY id");
  return [
    ...new Set([
      ...(await pick('p.delistedOn IS NOT NULL')),
      ...(await pick('size(coalesce(p.birthDates, [])) > 1')),
      ...(await pick('size(coalesce(p.nationalities, [])) > 0')),
      ...(await pick('size(coalesce(p.citizenships, [])) > 0')),
      ...(await pick("p.firstSeen = '2024-05-03'")),
      ...(await pick('p.listedOn IS NOT NULL')),
      ...zala.map((r) => r.id),
    ]),
  ];
}

async function download(query: string): Promise<Buffer> {
  const res = await fetch(`${api.base}/api/export?${query}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}
const exportOf = (format: string) => download(`ids=${ids.map(encodeURIComponent).join(',')}&depth=0&format=${format}`);

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { body } = await api.gql(query, variables);
  expect(body.errors).toBeUndefined();
  return body.data as T;
}

interface PartyView {
  id: string;
  birthDates: string[];
  /** The entity view's nationalities: the source's nationalities, then its citizenships (server/api/entity.ts). */
  nationalities: string[];
  listedOn: string | null;
  firstSeen: string | null;
  delistedOn: string | null;
}

/** What the API's entity view says of these parties (ten a request: the root-field cap). */
async function entities(list: string[]): Promise<Map<string, PartyView>> {
  const out = new Map<string, PartyView>();
  for (let i = 0; i < list.length; i += 10) {
    const chunk = list.slice(i, i + 10);
    const fields = chunk.map((_, j) => `e${j}: entity(id: $id${j}) { id birthDates nationalities listedOn firstSeen delistedOn }`).join(' ');
    const data = await gql<Record<string, PartyView | null>>(`query(${chunk.map((_, j) => `$id${j}: ID!`).join(', ')}) { ${fields} }`, Object.fromEntries(chunk.map((id, j) => [`id${j}`, id])));
    for (const e of Object.values(data)) if (e) out.set(e.id, e);
  }
  return out;
}

interface EdgeView {
  id: string;
  source: string;
  target: string;
  type: string;
  percentage: string | null;
  startDate: string | null;
  endDate: string | null;
}

/**
 * The relationships among the exported parties: ends, type and percentage as the API's subgraph gives
 * them; start and end dates (which the API does not serve) as the relationship stores them.
 */
async function relationships(): Promise<EdgeView[]> {
  const { subgraph } = await gql<{ subgraph: { edges: Omit<EdgeView, 'startDate' | 'endDate'>[] } }>('query ($ids: [ID!]!) { subgraph(ids: $ids) { edges { id source target type percentage } } }', { ids });
  const dates = await db.runWrite<{ id: string; startDate: unknown; endDate: unknown }>(
    'MATCH ()-[r]->() WHERE elementId(r) IN $eids RETURN elementId(r) AS id, r.startDate AS startDate, r.endDate AS endDate',
    { eids: subgraph.edges.map((e) => e.id) },
  );
  const byId = new Map(dates.map((d) => [d.id, d]));
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return subgraph.edges.map((e) => ({ ...e, startDate: str(byId.get(e.id)?.startDate), endDate: str(byId.get(e.id)?.endDate) }));
}

/** Lists in the node attributes are "; "-joined (export-formats.ts JOIN); an absent or empty one is no value. */
const split = (v: unknown): string[] => (v === undefined || v === null || v === '' ? [] : String(v).split('; '));
const orNull = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

/** The sample must hold values of every field, or the comparisons below would pass on empty columns. */
function expectEveryFieldShown(views: PartyView[], edges: EdgeView[]): void {
  const shown = {
    delisted: views.filter((v) => v.delistedOn).length,
    listedOn: views.filter((v) => v.listedOn).length,
    severalBirthDates: views.filter((v) => v.birthDates.length > 1).length,
    nationalities: views.filter((v) => v.nationalities.length).length,
    firstSeen: new Set(views.map((v) => v.firstSeen).filter(Boolean)).size,
    percentage: edges.filter((e) => e.percentage).length,
    startDate: edges.filter((e) => e.startDate).length,
    endDate: edges.filter((e) => e.endDate).length,
  };
  console.log(`export-fields sample: ${views.length} parties, ${edges.length} relationships; ${JSON.stringify(shown)}`);
  for (const [field, n] of Object.entries(shown)) expect([field, n > 0]).toEqual([field, true]);
  // Two first releases at least (2024-04-26 and 2024-05-03, and ZALA's), so firstSeen is not one constant.
  expect(shown.firstSeen).toBeGreaterThan(1);
}

/** What a party's export says, in the entity view's shape; `nationalities` are its nationalities then its citizenships. */
type Read = Omit<PartyView, 'id'>;
const asView = (id: string, r: Read) => [id, r];

describe('GraphML read with networkx', () => {
  function networkx(file: string): { nodes: Record<string, Record<string, unknown>>; edges: Record<string, unknown>[] } {
    // A pair of parties with several relationships (ZAKHAROV's three stakes in CST) makes networkx read a
    // multigraph, whose edge keys are the GraphML edge ids; otherwise the id is an edge attribute.
    const script = `import json, sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
edges = [dict(d, source=u, target=v, id=k) for u, v, k, d in g.edges(keys=True, data=True)] if g.is_multigraph() else [dict(d, source=u, target=v) for u, v, d in g.edges(data=True)]
print(json.dumps({"nodes": {n: d for n, d in g.nodes(data=True)}, "edges": edges}))`;
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  }

  test("each party's birth dates, nationalities, listing, first release and delisting, and each relationship's percentage and dates, as the API and the graph say", async () => {
    const file = path.join(tmp, 'parties.graphml');
    fs.writeFileSync(file, await exportOf('graphml'));
    const g = networkx(file);
    const views = await entities(ids);
    expect(Object.keys(g.nodes).sort()).toEqual([...ids].sort());
    expect(views.size).toBe(ids.length);
    const edges = await relationships();
    expectEveryFieldShown([...views.values()], edges);

    for (const [id, view] of views) {
      const n = g.nodes[id];
      const read: Read = {
        birthDates: split(n.birthDates),
        nationalities: [...split(n.nationalities), ...split(n.citizenships)],
        listedOn: orNull(n.listedOn),
        firstSeen: orNull(n.firstSeen),
        delistedOn: orNull(n.delistedOn),
      };
      const { id: _, ...want } = view;
      expect(asView(id, read)).toEqual(asView(id, want));
    }

    expect(g.edges.map((e) => e.id).sort()).toEqual(edges.map((e) => e.id).sort());
    const read = new Map(g.edges.map((e) => [String(e.id), e]));
    for (const e of edges) {
      const x = read.get(e.id)!;
      expect({ id: e.id, source: x.source, target: x.target, type: x.type, percentage: orNull(x.percentage), startDate: orNull(x.startDate), endDate: orNull(x.endDate) }).toEqual(e);
    }
  });
});

describe('CSV read with csv-parse', () => {
  test('nodes.csv, details.csv, listings.csv and edges.csv carry the same fields as the API and the graph say', async () => {
    const files = unzipSync(new Uint8Array(await exportOf('csv')));
    const read = (name: string) => {
      expect(Object.keys(files)).toContain(name);
      return parseCsv(strFromU8(files[name]), { bom: true, columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
    };
    const views = await entities(ids);
    const edges = await relationships();
    expectEveryFieldShown([...views.values()], edges);

    const nodes = new Map(read('nodes.csv').map((r) => [r.id, r]));
    const listings = new Map(read('listings.csv').map((r) => [r.partyId, r]));
    const details = read('details.csv');
    expect([...nodes.keys()].sort()).toEqual([...ids].sort());
    expect([...listings.keys()].sort()).toEqual([...ids].sort());
    for (const [id, view] of views) {
      const { id: _, ...want } = view;
      const n = nodes.get(id)!;
      expect(
        asView(id, {
          birthDates: split(n.birthDates),
          nationalities: [...split(n.nationalities), ...split(n.citizenships)],
          listedOn: orNull(n.listedOn),
          firstSeen: orNull(n.firstSeen),
          delistedOn: orNull(n.delistedOn),
        }),
      ).toEqual(asView(id, want));
      // The long tables: one row per birth date, nationality and citizenship (in that order), and a listing row.
      const mine = details.filter((r) => r.partyId === id);
      const l = listings.get(id)!;
      expect(
        asView(id, {
          birthDates: mine.filter((r) => r.field === 'birthDate').map((r) => r.value),
          nationalities: mine.filter((r) => r.field === 'nationality' || r.field === 'citizenship').map((r) => r.value),
          listedOn: orNull(l.listedOn),
          firstSeen: orNull(l.firstSeen),
          delistedOn: orNull(l.delistedOn),
        }),
      ).toEqual(asView(id, want));
    }

    const rows = read('edges.csv');
    expect(rows.map((r) => r.id).sort()).toEqual(edges.map((e) => e.id).sort());
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const e of edges) {
      const r = byId.get(e.id)!;
      expect({ id: r.id, source: r.source, target: r.target, type: r.type, percentage: orNull(r.percentage), startDate: orNull(r.startDate), endDate: orNull(r.endDate) }).toEqual(e);
    }
  });
});
